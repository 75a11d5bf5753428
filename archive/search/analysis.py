"""How text becomes search terms, for documents and queries alike.

Text is folded (Simplified, half-width, lower case), then split into runs:
Han characters, letters, numbers. Each position of a Han run holds one term:
the pair of characters that starts there, or, at the run's last character,
that character alone. A word of any length is then found as its pairs in
sequence (a phrase), one character as any term that starts with it (a
prefix), so recall never depends on how a segmenter splits query and text.
Letters and numbers are words (Gemini1.5 → gemini, 1.5; GPT-4 → gpt, 4),
one position each.

jieba is used on queries (``segment``): it decides which words of a
clause must all match. It is not run over documents: at ~2,000 turns/s it
alone would take longer than the whole rebuild may (docs/search.md).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import jieba
from whoosh.analysis import Token, Tokenizer

from archive.lib.chinese import fold, other_vocabulary, to_traditional

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUNS = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<num>\d+(?:\.\d+)*)|(?P<word>[^\W\d_{_HAN}]+)")
USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
CACHE_DIR: Path | None = None  # where jieba keeps its prefix-dictionary cache; the data directory (apps.py)
_lock = threading.Lock()
_added_words: set[str] = set()


@functools.cache
def segmenter() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" chatter on every start
    tokenizer = jieba.Tokenizer()
    if CACHE_DIR is not None:
        tokenizer.tmp_dir = str(CACHE_DIR)
    tokenizer.initialize()
    tokenizer.load_userdict(str(USER_DICTIONARY))
    return tokenizer


def warm_up() -> None:
    """Load jieba's dictionary and OpenCC's tables now (a web worker's start),
    not in the first request that needs them."""
    segmenter()
    from archive.search import pinyin  # it reads this module's segmenter

    pinyin.warm_up()
    other_vocabulary("预热")
    fold("預熱")
    to_traditional("预热")


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter words it must keep whole (speaker names)."""
    unseen = set(words) - _added_words  # compared as given: folding 200 names took 2 ms of every search
    if unseen:
        with _lock:
            for word in {fold(word) for word in unseen} - _added_words:
                segmenter().add_word(word, freq=100000)
            _added_words.update(unseen, (fold(word) for word in unseen))


def segment(han: str) -> list[str]:
    return list(segmenter().cut(han, HMM=False))


def log_probability(han: str) -> float:
    """How likely ``han`` is as Chinese text: the log probability of
    jieba's likeliest segmentation of it, from its word frequencies."""
    tokenizer = segmenter()
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(han, tokenizer.get_DAG(han), route)
    return route[0][0]


def terms(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, start, end) for every term of the folded text."""
    position = 0
    for match in RUNS.finditer(fold(text)):
        run, start = match.group(), match.start()
        if match.lastgroup == "han":
            last = len(run) - 1
            for offset in range(last):
                yield run[offset : offset + 2], position + offset, start + offset, start + offset + 2
            yield run[last], position + last, start + last, start + last + 1
            position += len(run)
        else:
            yield run, position, start, match.end()
            position += 1


def phrase_terms(text: str) -> list[str]:
    """The terms a phrase query must find at consecutive positions.

    A Han run contributes its pairs, which cover its characters; its last
    character alone is added only when something follows it in the phrase,
    because only then must it end a run in the text too. So a lone Han
    character can only be last when the phrase ends in a one-character run,
    and there it stands for any term that starts with it (``is_open``).
    """
    runs = [(match.lastgroup, match.group()) for match in RUNS.finditer(fold(text))]
    sequence: list[str] = []
    for index, (kind, run) in enumerate(runs):
        if kind == "han" and len(run) > 1:
            sequence += [run[i : i + 2] for i in range(len(run) - 1)]
            if index + 1 < len(runs):
                sequence.append(run[-1])
        else:
            sequence.append(run)
    return sequence


def is_open(term: str) -> bool:
    """A lone Han character: as a query, it matches any term it starts."""
    return len(term) == 1 and RUNS.fullmatch(term).lastgroup == "han"


def positions(text: str) -> dict[str, list[int]]:
    """Each term of the text with the positions it holds (what an index posts)."""
    found: dict[str, list[int]] = {}
    for term, position, _, _ in terms(text):
        found.setdefault(term, []).append(position)
    return found


class ChineseTokenizer(Tokenizer):
    """Whoosh's view of ``terms``, for Whoosh's own tools; the index uses
    ``positions`` (backend.ChineseText) and queries are built in query.py."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term, position, start, end in terms(value):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def ChineseAnalyzer() -> ChineseTokenizer:
    return ChineseTokenizer()
