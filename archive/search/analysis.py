"""How text becomes search terms, for documents and queries alike.

Text is folded (Simplified, half-width, lower case), then split into runs:
Han characters, letters, numbers. A Han run is indexed as its characters and
its overlapping character pairs, so any substring is found whatever jieba
makes of it, and one-character queries work; jieba's words of three or more
characters are added at the same positions, so that a query jieba segments
the same way ranks those documents higher. Letters and numbers are words
(Gemini1.5 → gemini, 1.5; GPT-4 → gpt, 4).

Positions: each Han character, letter word and number takes one position; a
pair and a jieba word sit at the position of their first character, so a
phrase is a run of consecutive positions (see ``phrase_terms``).
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

from archive.lib.chinese import fold

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUNS = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<num>\d+(?:\.\d+)*)|(?P<word>[^\W\d_{_HAN}]+)")
USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
_lock = threading.Lock()
_added_words: set[str] = set()


@functools.cache
def segmenter() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" chatter on every start
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(USER_DICTIONARY))
    return tokenizer


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter words it must keep whole (speaker names)."""
    new = {fold(word) for word in words} - _added_words
    if new:
        with _lock:
            for word in new:
                segmenter().add_word(word, freq=100000)
            _added_words.update(new)


def segment(han: str) -> list[str]:
    return list(segmenter().cut(han, HMM=False))


def terms(text: str, *, words: bool = True) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, start, end) for every term of the folded text."""
    folded = fold(text)
    position = 0
    for match in RUNS.finditer(folded):
        run, start = match.group(), match.start()
        if match.lastgroup != "han":
            yield run, position, start, match.end()
            position += 1
            continue
        for offset, char in enumerate(run):
            yield char, position + offset, start + offset, start + offset + 1
            if offset + 1 < len(run):
                yield run[offset : offset + 2], position + offset, start + offset, start + offset + 2
        if words and len(run) > 2:
            offset = 0
            for word in segment(run):
                if len(word) > 2:
                    yield word, position + offset, start + offset, start + offset + len(word)
                offset += len(word)
        position += len(run)


def phrase_terms(text: str) -> list[str]:
    """The terms a phrase query must find at consecutive positions.

    A Han run contributes its pairs and then its last character, which holds
    the run's last position, so whatever follows is adjacent.
    """
    sequence: list[str] = []
    for match in RUNS.finditer(fold(text)):
        run = match.group()
        if match.lastgroup == "han" and len(run) > 1:
            sequence += [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]
        else:
            sequence.append(run)
    return sequence


class ChineseTokenizer(Tokenizer):
    """Whoosh's view of ``terms``: used for indexing only; queries are built in query.py."""

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
