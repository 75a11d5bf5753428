"""Transcript text as recorders and transcription services export it: a
speaker line with a time (``说话人 1 00:00:03``, ``发言人1 00:05``,
``Jane Doe (00:01:02):``) followed by the words, or lines that start with a
time (``[00:01:23] 主持人：…``). Everything else is read as text is."""

from __future__ import annotations

import re

from archive.lib.transcript.model import Block, Document
from archive.lib.transcript.readers import text as text_reader

TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
SPEAKER_LINE = re.compile(
    rf"^(?P<name>[^\d\s:：()（）\[\]【】][^:：()（）\[\]【】。，,.!?！？]{{0,30}}?)\s*[(（\[【]?(?P<time>{TIME})[)）\]】]?\s*[:：]?$"
)
TIMED_LINE = re.compile(rf"^[\[(（【](?P<time>{TIME})[\])）】]\s*(?P<rest>\S.*)$|^(?P<time2>{TIME})\s+(?P<rest2>\S.*)$")
TIME_ALONE = re.compile(rf"^[\[(（【]?(?P<time>{TIME})[\])）】]?$")


def seconds(stamp: str) -> float:
    """``1:02:03.5``, ``02:03`` or ``00:00:03,000`` in seconds."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def looks_timecoded(text: str) -> bool:
    """Enough lines carry a speaker and a time (or start with a time) to read the file this way."""
    lines = [line.strip() for line in text_reader.lines_of(text) if line.strip()]
    timed = sum(bool(SPEAKER_LINE.match(line) or TIMED_LINE.match(line)) for line in lines[:2000])
    return timed >= 2 and timed * 5 >= min(len(lines), 2000)


def read(text: str, name: str = "") -> Document:
    doc = text_reader.read(text, name)
    doc.format = "timecoded"
    doc.carries_title = False
    blocks: list[Block] = []
    speaker, start = None, None
    for block in doc.blocks:
        line = block.text
        if match := SPEAKER_LINE.match(line):
            speaker, start = match["name"].strip(), seconds(match["time"])
            continue
        if match := TIME_ALONE.match(line):
            start = seconds(match["time"])
            continue
        if match := TIMED_LINE.match(line):
            block.text = match["rest"] or match["rest2"]
            block.start = seconds(match["time"] or match["time2"])
            speaker, start = None, None
        elif speaker is not None or start is not None:
            block.speaker, block.start = speaker, start
            speaker, start = None, None
        block.group = None  # one line, one paragraph: exports do not hard-wrap
        blocks.append(block)
    doc.blocks = blocks
    return doc
