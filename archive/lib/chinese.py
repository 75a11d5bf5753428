"""Script conversion and normalisation for Chinese text.

Pure functions over strings; no Django. Everything that compares Chinese text
(speaker names across scripts, search terms, script detection) goes through
``fold()`` so that 周鴻祎, 周鸿祎 and ＳＯＲＡ/sora compare equal.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from enum import Enum

import opencc


class Script(str, Enum):
    SIMPLIFIED = "hans"
    TRADITIONAL = "hant"


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    # tw2s rather than t2s: it also folds Taiwan variants (著→着, 裡→里) that
    # t2s leaves alone, and is a superset for mainland-style Traditional text.
    return _converter("tw2s").convert(text)


def to_traditional(text: str) -> str:
    # s2tw: the standard Traditional characters a Taiwan or Hong Kong reader
    # expects (為, 裡), without s2twp's vocabulary swaps (视频→影片), which
    # would put words in a speaker's mouth.
    return _converter("s2tw").convert(text)


def other_vocabulary(text: str) -> list[str]:
    """``text`` (Simplified) in the other side's vocabulary, still in
    Simplified characters: Mainland 芯片, 视频, 人工智能 ↔ Taiwan 晶片, 影片,
    人工智慧, from OpenCC's phrase tables (s2twp one way, tw2sp the other).
    Empty when neither side words it differently."""
    taiwan = to_simplified(_converter("s2twp").convert(text))
    mainland = _converter("tw2sp").convert(to_traditional(text))
    return [variant for variant in dict.fromkeys((taiwan, mainland)) if variant != text]


_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """Full-width ASCII (ＡＩ, ：, １) to half-width; ideographic space to space.

    A character table rather than NFKC, which would also expand … to ... and
    so move every position after it.
    """
    return text.translate(_HALF_WIDTH)


def fold(text: str) -> str:
    """The comparison form: Simplified, half-width, lower case."""
    return to_simplified(fold_width(text)).lower()


def fold_aligned(text: str) -> str:
    """``fold`` with a guarantee: character i of the result comes from character i
    of ``text``, so positions found in the folded form mark the original."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    # A phrase conversion changed the length somewhere (rare): fold character by character.
    return "".join(f if len(f := fold(char)) == 1 else char for char in text)


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


_SCRIPT_SAMPLE = 50_000  # characters: far more than a majority needs; a 1 MB transcript is not converted whole twice


def detect_script(text: str) -> Script:
    """Which script most of the text is written in.

    Counts characters that only exist in one script: those Simplified
    conversion changes are Traditional, those Traditional conversion changes
    are Simplified. Mixed text (a sloppy converter's output, as in seed 002)
    goes to the majority.
    """
    han = "".join(HAN.findall(text[:_SCRIPT_SAMPLE]))
    if not han:
        return Script.SIMPLIFIED
    as_simplified = to_simplified(han)
    as_traditional = to_traditional(han)
    traditional_only = sum(a != b for a, b in zip(han, as_simplified)) if len(han) == len(as_simplified) else 0
    simplified_only = sum(a != b for a, b in zip(han, as_traditional)) if len(han) == len(as_traditional) else 0
    return Script.TRADITIONAL if traditional_only > simplified_only else Script.SIMPLIFIED


def renderings(text: str, script: Script) -> tuple[str, str]:
    """(Simplified, Traditional) renderings; the published script is kept verbatim."""
    if script is Script.TRADITIONAL:
        return to_simplified(text), text
    return text, to_traditional(text)


def differing(original: str, other: str) -> set[int]:
    """Positions in ``other`` (a rendering of ``original``) of characters that
    differ from the original: what a reader comparing scripts looks for."""
    if len(original) == len(other):  # OpenCC converts character for character, almost always
        return {i for i, (a, b) in enumerate(zip(original, other)) if a != b}
    matcher = difflib.SequenceMatcher(None, original, other, autojunk=False)
    return {j for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for j in range(j1, j2)}


@functools.cache
def common_characters() -> frozenset[str]:
    """The 4,000 most frequent Simplified characters, weighted by jieba's dictionary."""
    import jieba

    weights: dict[str, int] = {}
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as dictionary:
        for line in dictionary:
            word, freq, *_ = line.split(" ")
            for char in word:
                if HAN.match(char):
                    weights[char] = weights.get(char, 0) + int(freq)
    ranked = sorted(weights, key=weights.__getitem__, reverse=True)
    return frozenset(ranked[:4000])


def commonness(text: str) -> float:
    """Share of Han characters that are common ones (after folding to Simplified).

    Text decoded with the wrong Chinese codec is still Han characters, but
    rare ones; this is what tells GB18030 from Big5.
    """
    han = HAN.findall(to_simplified(text))
    if not han:
        return 0.0
    common = common_characters()
    return sum(char in common for char in han) / len(han)
