"""Transcript text as recorders and transcription services export it: a
speaker line with a time (``说话人 1 00:00:03``, ``发言人1 00:05``,
``Jane Doe (00:01:02):``, ``主持人（钟离）：00:00:03``) or a time range before the name
(``00:01:03 - 00:01:58 郑远航``) followed by the words, or lines that start
with a time or a range (``[00:01:23] 主持人：…``). The export's own
furniture before the conversation — a keywords section (``关键词:``,
``SUMMARY KEYWORDS``) and the lines under it, a speakers list
(``SPEAKERS``, ``发言人:``), a ``文字记录:`` heading — is not text.
Everything else is read as text is."""

from __future__ import annotations

import re

from archive.lib.transcript.model import Block, BlockKind, Document
from archive.lib.transcript.readers import text as text_reader

TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_UNTIL = rf"(?:\s*(?:-|–|—|~|～|至|到|-->)\s*(?P<until>{TIME}))?"
SPEAKER_LINE = re.compile(
    rf"^(?P<name>[^\d\s:：()（）\[\]【】][^:：()（）\[\]【】。，,.!?！？]{{0,30}}?(?:\s*[（(][^（）()\n]{{1,40}}[）)])??)"
    rf"\s*[:：|｜丨]?\s*[(（\[【]?(?P<time>{TIME})[)）\]】]?\s*[:：]?$"
)
# 00:01:03 - 00:01:58 郑远航（云栖机器人CEO）: a time (or range), then who speaks (a bar may set them apart,
# as a table pasted as text does); the words follow on the next lines
TIME_FIRST_SPEAKER_LINE = re.compile(
    rf"^[\[(（【]?(?P<time>{TIME}){_UNTIL}[\])）】]?(?:\s*[|｜丨]\s*|\s+)(?P<name>[^\d\s:：。，,.!?！？|｜丨][^:：。，,!?！？]{{0,40}}?)$"
)
TIMED_LINE = re.compile(rf"^(?:[\[(（【](?P<time>{TIME}){_UNTIL}[\])）】]|(?P<bare>{TIME}){_UNTIL.replace('until', 'until2')})\s*(?P<rest>\S.*)$")
TIME_ALONE = re.compile(rf"^[\[(（【]?(?P<time>{TIME})[\])）】]?$")
# A transcription service's sections before the conversation: the keywords,
# the list of speakers (each section runs to the next blank line), and the
# heading that opens the transcript.
_EXPORT_SECTION = re.compile(
    r"^(?:关键词|關鍵詞|关键字|關鍵字|summary keywords|keywords|发言人|發言人|参会人|參會人|参与人|參與人|说话人|說話人|"
    r"speakers|participants|attendees)\s*[:：]?\s*(?P<rest>.*)$", re.IGNORECASE)
_EXPORT_HEADING = re.compile(r"^(?:文字记录|文字記錄|转写内容|轉寫內容|转写文本|轉寫文本|转写结果|轉寫結果|transcript)\s*[:：]?$", re.IGNORECASE)


def seconds(stamp: str) -> float:
    """``1:02:03.5``, ``02:03`` or ``00:00:03,000`` in seconds."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def _speaker_line(line: str):
    """(name, start, end) if the line says who speaks from when, else None."""
    if match := SPEAKER_LINE.match(line):
        return match["name"].strip(), seconds(match["time"]), None
    if match := TIME_FIRST_SPEAKER_LINE.match(line):
        return match["name"].strip(), seconds(match["time"]), seconds(match["until"]) if match["until"] else None
    return None


def looks_timecoded(text: str) -> bool:
    """Enough lines carry a speaker and a time (or start with a time) to read the file this way."""
    return lines_look_timecoded([line.strip() for line in text_reader.lines_of(text) if line.strip()])


def lines_look_timecoded(lines: list[str]) -> bool:
    timed = sum(bool(_speaker_line(line) or TIMED_LINE.match(line)) for line in lines[:2000])
    return timed >= 2 and timed * 5 >= min(len(lines), 2000)


def read(text: str, name: str = "") -> Document:
    doc = text_reader.read(text, name)
    if doc.format != "markdown":  # Markdown with a time on each paragraph stays Markdown; its times count all the same
        doc.format = "timecoded"
        doc.carries_title = False
    apply(doc)
    return doc


def apply(doc: Document) -> None:
    """Read the document's paragraphs as an export's lines: speaker lines and
    times go onto the words after them. Also for exports pasted into a Word
    file or a page."""
    blocks: list[Block] = []
    speaker, start, end = None, None, None
    section = None  # the group (blank-line paragraph) of an export section being skipped
    talking = False
    for block in doc.blocks:
        line = block.text
        if block.kind is not BlockKind.PARAGRAPH:
            blocks.append(block)
            continue
        if not talking and section is not None and block.group == section:
            continue
        if found := _speaker_line(line):
            speaker, start, end = found
            talking = True
            continue
        if not talking and (_EXPORT_HEADING.match(line) or (match := _EXPORT_SECTION.match(line)) and len(match["rest"]) <= 200):
            section = block.group
            continue
        if match := TIME_ALONE.match(line):
            start = seconds(match["time"])
            continue
        if match := TIMED_LINE.match(line):
            block.text = match["rest"]
            block.start = seconds(match["time"] or match["bare"])
            until = match["until"] or match["until2"]
            block.end = seconds(until) if until else None
            speaker, start, end = None, None, None
            talking = True
        elif speaker is not None or start is not None:
            block.speaker, block.start, block.end = speaker, start, end
            speaker, start, end = None, None, None
        block.group = None  # one line, one paragraph: exports do not hard-wrap
        blocks.append(block)
    doc.blocks = blocks
