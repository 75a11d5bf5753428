"""Which turns of a corrected transcript continue which turns of the old one.

Pure: lists of texts in, pairs of positions out. A turn keeps its identity
(and so its permalink) when the corrected source has the same words, or
nearly the same: a fixed typo, changed punctuation, the other script, a
sentence added or dropped. Texts are compared in ``comparable`` form (folded
to Simplified, lower case, without spaces and punctuation), so changes that
alter no word match exactly and cost nothing.

``align`` first pairs identical turns in order (difflib over the whole
lists), then, inside each stretch that differs, pairs the turns whose
``similarity`` reaches the threshold, keeping reading order and the largest
total similarity (a small dynamic programme over that stretch only).
``docs/architecture.md`` ("Re-import") gives the threshold and how it was
measured (``manage.py evaluate_matching``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from archive.lib.chinese import fold

THRESHOLD = 0.5  # measured by manage.py evaluate_matching: docs/architecture.md, "Re-import"
_NOT_WORDS = re.compile(r"[\s\W_]+")


def comparable(text: str) -> str:
    """What is compared: the words, not their script, width, case or punctuation."""
    return _NOT_WORDS.sub("", fold(unicodedata.normalize("NFKC", text)))


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the comparable forms: 1.0 for the same words, 0.0 for nothing shared."""
    a, b = comparable(a), comparable(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def containment(part: str, whole: str) -> float:
    """How much of ``part`` appears, in order, in ``whole`` (1.0: all of it), e.g.
    a turn an editor merged into its neighbour."""
    part, whole = comparable(part), comparable(whole)
    if not part:
        return 0.0
    matcher = difflib.SequenceMatcher(None, part, whole, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(part)


def align(old: Sequence[str], new: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``: ``old[i]`` continues as ``new[j]``. In reading order; each
    position at most once; unpaired old turns were removed, unpaired new ones added."""
    old_keys, new_keys = [comparable(text) for text in old], [comparable(text) for text in new]
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2))
        elif tag == "replace":
            pairs += _best_pairs(old_keys, range(i1, i2), new_keys, range(j1, j2), threshold)
    return pairs


def _best_pairs(old: list[str], rows: range, new: list[str], columns: range, threshold: float) -> list[tuple[int, int]]:
    """The in-order pairing of ``old[rows]`` with ``new[columns]`` with the largest
    total similarity, counting only pairs at or above ``threshold``."""
    scores = {}
    for j in columns:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(new[j])  # difflib indexes the second sequence once, for every row
        for i in rows:
            if not old[i] or not new[j]:
                continue
            matcher.set_seq1(old[i])
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                if (ratio := matcher.ratio()) >= threshold:
                    scores[i, j] = ratio
    if not scores:
        return []
    # total[a][b]: the best total pairing the first a rows with the first b columns.
    total = [[0.0] * (len(columns) + 1) for _ in range(len(rows) + 1)]
    for a, i in enumerate(rows, 1):
        for b, j in enumerate(columns, 1):
            total[a][b] = max(total[a - 1][b], total[a][b - 1], total[a - 1][b - 1] + scores.get((i, j), 0.0))
    pairs, a, b = [], len(rows), len(columns)
    while a and b:
        i, j = rows[a - 1], columns[b - 1]
        if (i, j) in scores and total[a][b] == total[a - 1][b - 1] + scores[i, j]:
            pairs.append((i, j))
            a, b = a - 1, b - 1
        elif total[a][b] == total[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs[::-1]
