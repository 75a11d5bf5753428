"""Latin letters read as pinyin, and the Han text the index holds that reads so.

A reader without a Chinese input method types ``shijie``, ``shi jie``,
``shì jiè`` or ``shi4 jie4`` for 世界. Pinyin is read at query time, not
indexed: each syllable stands for the characters that can be read that
way (every reading of a heteronym: 行 is both xing and hang), and only
character pairs the index actually holds are kept, so the query becomes the
handful of Han strings that both read right and occur in the archive.
Indexing a reading for every character instead (what Elasticsearch's
pinyin analyzer does) would add a term per character to a rebuild that is
already near its time budget, and would be needed again for every reading
of every heteronym; docs/search.md has the reasoning and the figures.

The syllable table comes from pypinyin's character dictionary, the
maintained source for readings (it lists every reading of a heteronym).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from pypinyin.contrib.tone_convert import to_normal, to_tone3
from pypinyin.pinyin_dict import pinyin_dict

from archive.lib.chinese import fold
from archive.search.analysis import log_probability

MAX_READINGS = 40  # Han strings per pinyin group, the likeliest first
MAX_SEGMENTATIONS = 8  # xian is xian or xi'an; more ways than this is not a word
# A reading this many times less likely, as Chinese text, than the best of
# its length is dropped: shijie is 世界, not the 是解 of 就是解决.
PLAUSIBILITY_MARGIN = math.log(100)
_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_WORD = re.compile(r"[a-z'’1-5\u0300-\u036f]+")


@functools.cache
def _characters() -> dict[str, frozenset[str]]:
    """Each syllable, toneless (``shi``) and tone-numbered (``shi4``), with
    the Simplified characters that can be read that way."""
    table: dict[str, set[str]] = {}
    for code, readings in pinyin_dict.items():
        char = chr(code)
        if fold(char) != char:  # a Traditional form: the index holds its Simplified one
            continue
        for reading in readings.split(","):
            for key in (to_normal(reading), to_tone3(reading, neutral_tone_with_five=True)):
                table.setdefault(key, set()).add(char)
    return {key: frozenset(chars) for key, chars in table.items()}


@functools.cache
def _syllables() -> frozenset[str]:
    """Toneless syllables with a vowel (not the interjections m, n, ng, hm)."""
    return frozenset(key for key in _characters() if key.isalpha() and re.search(r"[aeiouv]", key))


def warm_up() -> None:
    _syllables()


def characters(syllable: str) -> frozenset[str]:
    return _characters().get(syllable, frozenset())


@dataclass(frozen=True)
class _Letter:
    char: str
    tone: str = ""  # a tone mark on this letter
    boundary: bool = False  # a syllable must end after this letter (space, apostrophe, tone number)


def _letters(words: list[str]) -> list[_Letter] | None:
    letters: list[_Letter] = []
    for word in words:
        word = unicodedata.normalize("NFD", word.lower())
        if not _WORD.fullmatch(word):
            return None
        for char in word:
            if char in "'’" or char.isdigit():
                if not letters:
                    return None
                tone = char if char.isdigit() else letters[-1].tone
                letters[-1] = _Letter(letters[-1].char, tone, True)
            elif char == "\u0308" and letters and letters[-1].char == "u":  # ü
                letters[-1] = _Letter("v", letters[-1].tone)
            elif char in _TONE_MARKS and letters:
                letters[-1] = _Letter(letters[-1].char, _TONE_MARKS[char])
            elif char.isalpha():
                letters.append(_Letter(char))
            else:
                return None
        if letters:
            letters[-1] = _Letter(letters[-1].char, letters[-1].tone, True)
    return letters or None


def segmentations(words: list[str]) -> list[list[str]]:
    """Every way (up to ``MAX_SEGMENTATIONS``) the words split wholly into
    pinyin syllables, tone-numbered where a tone was written (``shi4``);
    none if they do not. Spaces, apostrophes and tone numbers end a syllable."""
    letters = _letters(words)
    if letters is None:
        return []
    valid = _syllables()
    found: list[list[str]] = []
    dead_ends: set[int] = set()  # places from which the rest does not split (ananan…x would otherwise take exponential time)

    def split(start: int, sofar: list[str]) -> bool:
        if len(found) >= MAX_SEGMENTATIONS:
            return True
        if start == len(letters):
            found.append(sofar)
            return True
        if start in dead_ends:
            return False
        completed = False
        for end in range(start + 1, min(start + 6, len(letters)) + 1):
            piece = letters[start:end]
            if any(letter.boundary for letter in piece[:-1]):
                break
            plain = "".join(letter.char for letter in piece)
            if plain in valid:
                tone = next((letter.tone for letter in piece if letter.tone), "")
                completed = split(end, [*sofar, plain + tone]) or completed
        if not completed:
            dead_ends.add(start)
        return completed

    split(0, [])
    return found


class Vocabulary(Protocol):
    """What the index holds, as far as reading pinyin needs
    (``archive.search.lexicon.Lexicon`` reads it from a searcher)."""

    def characters(self) -> frozenset[str]:
        """The characters that start a term."""

    def pairs(self, char: str) -> dict[str, int]:
        """The two-character terms starting with ``char``, with how many turns hold each."""

    def holds(self, term: str) -> bool:
        """Whether the index holds ``term`` as it is."""


def readings(segments: list[list[str]], vocabulary: Vocabulary) -> list[str]:
    """The Han strings the index holds that read as any of the
    segmentations and are plausible Chinese, the likeliest first (as an
    input method ranks them: by jieba's word frequencies), at most
    ``MAX_READINGS``."""
    held = vocabulary.characters()
    found: set[str] = set()
    for syllables in segments:
        found.update(text for text, _ in _chains(syllables, held, vocabulary))
    likelihood = {text: log_probability(text) for text in found}
    best: dict[int, float] = {}
    for text, value in likelihood.items():
        best[len(text)] = max(best.get(len(text), -math.inf), value)
    kept = [text for text in found if likelihood[text] >= best[len(text)] - PLAUSIBILITY_MARGIN]
    return sorted(kept, key=lambda text: (-likelihood[text], text))[:MAX_READINGS]


def _chains(syllables: list[str], held: frozenset[str], vocabulary: Vocabulary) -> list[tuple[str, int]]:
    """(text, frequency of its rarest pair) for each string of characters
    reading as ``syllables`` whose every pair the index holds."""
    if len(syllables) == 1:
        return [(char, 0) for char in characters(syllables[0]) & held]
    chains = [("", 0)]
    for first, second in zip(syllables, syllables[1:]):
        seconds = characters(second)
        extended = []
        for text, frequency in chains:
            starts = [text[-1]] if text else characters(first) & held
            for start in starts:
                for pair, count in vocabulary.pairs(start).items():
                    if pair[1] in seconds:
                        extended.append((text + pair[1], min(frequency, count)) if text else (pair, count))
        if not extended:
            return []
        chains = sorted(extended, key=lambda chain: -chain[1])[: MAX_READINGS * 4]
    return chains
