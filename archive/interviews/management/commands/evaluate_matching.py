"""How well re-imports keep turn identities: the threshold of
``archive.lib.alignment``, measured on the corrections sources really get.

Every turn of the seed interviews (fixtures/) is corrected in one way at a
time — a typo fixed, punctuation normalised, the other script, a sentence
added or dropped, a turn split in two or two joined, a question and answer
added near the top — and the corrected interview is aligned with the
original. A turn should keep its identity through each of these; a turn
whose words were replaced by other words should not. Printed per kind of
correction and per threshold: the share of turns that kept the right
identity, and how many took a wrong one. Deterministic (a fixed seed).
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from archive.lib.alignment import THRESHOLD, align, similarity
from archive.lib.chinese import to_simplified, to_traditional
from archive.lib.transcript import parse_bytes

CONFUSED = "的地得在再做作已以那哪象像即既"
SENTENCE_END = re.compile(r"(?<=[。！？!?])")
ADDED = "这一点我们后来也在公开场合讲过很多次。"


def _sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s]


def typo(text: str, rng: random.Random) -> str:
    """One character replaced by a character typists confuse it with, or any character."""
    positions = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]
    if not positions:
        return text
    i = rng.choice(positions)
    return text[:i] + rng.choice(CONFUSED.replace(text[i], "")) + text[i + 1:]


def punctuation(text: str, rng: random.Random) -> str:
    swap = str.maketrans({",": "，", "，": ",", "?": "？", "？": "?", ":": "：", "：": ":", "!": "！", "！": "!"})
    return text.translate(swap)


def other_script(text: str, rng: random.Random) -> str:
    return to_traditional(text) if to_simplified(text) == text else to_simplified(text)


def sentence_added(text: str, rng: random.Random) -> str:
    return text + ADDED


def sentence_dropped(text: str, rng: random.Random) -> str:
    sentences = _sentences(text)
    return "".join(sentences[:-1]) if len(sentences) > 1 else text


CORRECTIONS = {"typo": typo, "punctuation": punctuation, "other script": other_script,
               "sentence added": sentence_added, "sentence dropped": sentence_dropped}


def cases(texts: list[str], rng: random.Random):
    """(kind, corrected texts, the identities each new turn may rightly have:
    alternatives, each a list of an old index or None per new turn)."""
    n = len(texts)
    for kind, correct in CORRECTIONS.items():
        for i in range(n):
            changed = list(texts)
            changed[i] = correct(texts[i], rng)
            yield kind, changed, [list(range(n))]
    for i, text in enumerate(texts):  # split at the middle sentence: either part may keep the identity
        sentences = _sentences(text)
        if len(sentences) >= 2:
            half = len(sentences) // 2
            first, rest = "".join(sentences[:half]), "".join(sentences[half:])
            yield "split in two", [*texts[:i], first, rest, *texts[i + 1:]], [
                [*range(i + 1), None, *range(i + 1, n)], [*range(i), None, *range(i, n)]]
    for i in range(n - 1):  # two joined: either keeps its identity; the other's permalink leads to it (RemovedTurn.successor)
        joined = texts[i] + texts[i + 1]
        yield "two joined", [*texts[:i], joined, *texts[i + 2:]], [[*range(i + 1), *range(i + 2, n)], [*range(i), *range(i + 1, n)]]
    top = min(2, n)
    yield "question added near the top", [*texts[:top], "你们什么时候开始做这件事的？", "大概五年前，最早只有三个人。", *texts[top:]], \
        [[*range(top), None, None, *range(top, n)]]
    for i in range(n):  # words replaced by another turn's: must not keep the identity
        j = rng.choice([k for k in range(n) if k != i] or [i])
        changed = list(texts)
        changed[i] = texts[j] + "（另一段话）" if j != i else "完全不同的一段话。"
        yield "words replaced", changed, [[*range(i), None, *range(i + 1, n)]]


class Command(BaseCommand):
    help = "Measure how re-imports keep turn identities on corrected seed interviews, per threshold."

    def add_arguments(self, parser):
        parser.add_argument("--thresholds", default="0.4,0.5,0.6,0.7,0.8")
        parser.add_argument("--seed", type=int, default=15)

    def handle(self, *args, thresholds, seed, **options):
        rng = random.Random(seed)
        interviews = [[turn.text for turn in parse_bytes(path.read_bytes()).turns]
                      for path in sorted(Path(settings.BASE_DIR, "fixtures").glob("*.txt"))]
        all_cases = [(kind, texts, changed, identity) for texts in interviews for kind, changed, identity in cases(texts, rng)]
        self.stdout.write(f"{len(interviews)} interviews, {sum(map(len, interviews))} turns, {len(all_cases)} corrected versions\n")
        self._similarities(interviews, all_cases)
        for threshold in (float(t) for t in thresholds.split(",")):
            self._outcome(threshold, interviews, all_cases)
        self._speed(interviews, rng)

    def _speed(self, interviews, rng) -> None:
        """The slow case: a long interview in which every turn changed, so no
        turn is the same and every pair is compared."""
        texts = [f"{i}：{text}" for i, text in enumerate((sum(interviews, []) * 4)[:300])]
        corrected = [typo(text, rng) for text in texts]
        started = time.perf_counter()
        pairs = align(texts, corrected)
        self.stdout.write(f"speed: {len(texts)} turns, every one corrected: aligned in {time.perf_counter() - started:.2f} s, "
                          f"{len(pairs)} kept their identity")

    def _similarities(self, interviews, all_cases) -> None:
        """Similarity of each corrected turn to its original, and of different turns of one interview."""
        by_kind = defaultdict(list)
        for kind, original, changed, (identity, *_) in all_cases:
            for j, i in enumerate(identity):
                if i is not None and changed[j] != original[i]:
                    by_kind[kind].append(similarity(original[i], changed[j]))
        different = [similarity(a, b) for texts in interviews for x, a in enumerate(texts) for b in texts[x + 1:]
                     if len(a) > 10 and len(b) > 10 and a != b]
        self.stdout.write("similarity of a corrected turn to its original (min / 5th percentile / median):")
        for kind, values in by_kind.items():
            values.sort()
            self.stdout.write(f"  {kind:<28} {values[0]:.2f} / {values[len(values) // 20]:.2f} / {values[len(values) // 2]:.2f}  ({len(values)})")
        different.sort()
        self.stdout.write(f"  {'two different turns':<28} max {different[-1]:.2f}, 99th percentile {different[len(different) * 99 // 100]:.2f}"
                          f" ({len(different)} pairs of turns over 10 characters)\n")

    def _outcome(self, threshold, interviews, all_cases) -> None:
        """Counted over the turns a correction touched: the corrected turn, the
        parts of a split, the joined turn and the one joined into it, the new ones."""
        right, lost, wrong, total = (defaultdict(int) for _ in range(4))
        for kind, original, changed, identities in all_cases:
            found = {j: i for i, j in align(original, changed, threshold)}
            touched = [j for j, i in enumerate(identities[0]) if i is None or changed[j] != original[i]]
            outcomes = []
            for identity in identities:
                outcome = [0, 0, 0]  # right, lost, wrong
                for j in touched:
                    outcome[0 if found.get(j) == identity[j] else 1 if found.get(j) is None else 2] += 1
                outcomes.append(outcome)
            best = max(outcomes, key=lambda outcome: outcome[0])
            total[kind] += len(touched)
            right[kind] += best[0]
            lost[kind] += best[1]
            wrong[kind] += best[2]
        marker = "  (in use)" if threshold == THRESHOLD else ""
        self.stdout.write(f"threshold {threshold:.2f}{marker}: of the turns a correction touched, identity right / lost (a new number) / wrong (another turn's)")
        for kind in total:
            self.stdout.write(f"  {kind:<28} {right[kind] / total[kind]:7.1%} {lost[kind]:5d} lost {wrong[kind]:4d} wrong of {total[kind]}")
        everything = sum(total.values())
        self.stdout.write(f"  {'all':<28} {sum(right.values()) / everything:7.1%} {sum(lost.values()):5d} lost {sum(wrong.values()):4d} wrong of {everything}\n")
