"""Subtitles: SubRip (``.srt``, read by ``srt``) and WebVTT (``.vtt``, read by
``webvtt-py``): both maintained, small, pure Python, and they handle the
formats' corners (cue settings, styles, notes, BOMs, comma or dot decimals)
that a hand-written reader gets wrong.

Each cue line becomes a block with its cue's times and number. Subtitles
mark who speaks in a few ways, read here as one small set of cue-level
rules: a WebVTT voice (``<v Name>``, on any line of a cue; it holds for the
lines after it), a ``>>`` change-of-speaker mark and a dialogue dash (``- ``)
before a line, which are marks, not text (the label after them, ``>> Name:``
or ``- (Name)``, is found by labelling like any other). Auto-generated
captions roll: each cue repeats the line before it and adds one; repeated
lines are removed. Bilingual subtitles (a Chinese line and its English
translation in most cues) are the Chinese lines. Cues are running speech:
they join into one paragraph until a speaker changes.
"""

from __future__ import annotations

import io
import re

import srt
import webvtt

from archive.lib.chinese import HAN, fold
from archive.lib.transcript.model import Block, Document, Position, Role, TranscriptError, gettext_noop
from archive.lib.transcript.readers.timecoded import seconds

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<\d[\d:.]*>|\{\\[^{}]*\}")  # <i>, <c.colour>, <00:00:01.000>, {\an8}
_VOICE = re.compile(r"<v(?:\.(?P<classes>[\w.\-]+))?\s+(?P<name>[^>]+)>")
_ASKING_CLASSES = {"host", "moderator", "interviewer", "presenter"}
_CHEVRONS = re.compile(r"^>>+\s*")  # broadcast captions: a new speaker
_DASH = re.compile(r"^[-–—]\s*")  # a dialogue dash: a new speaker in a cue of several
# A sound cue for the deaf and hard of hearing, the whole line a bracketed
# description ([MOTOR WHIRRING], (笑), 【音乐】): no words, no time.
_SOUND = re.compile(r"^[\[(（【][^\[\]()（）【】]{1,40}[\])）】]$")


def looks_like_srt(text: str) -> bool:
    return bool(re.search(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", text.lstrip("\ufeff")[:2000], re.M))


def looks_like_vtt(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("WEBVTT")


def read_srt(text: str, name: str = "") -> Document:
    try:
        cues = [(cue.index, cue.start.total_seconds(), cue.end.total_seconds(), cue.content)
                for cue in srt.parse(text.lstrip("\ufeff"), ignore_errors=True)]
    except srt.SRTParseError as error:
        raise TranscriptError(gettext_noop("it is not a readable SubRip (.srt) file (%(problem)s)"), problem=str(error)) from None
    return _document(cues, "srt", name)


def read_vtt(text: str, name: str = "") -> Document:
    try:
        captions = webvtt.from_buffer(io.StringIO(text.lstrip("\ufeff")))
    except Exception as error:  # webvtt-py raises its own MalformedFileError and others
        raise TranscriptError(gettext_noop("it is not a readable WebVTT (.vtt) file (%(problem)s)"), problem=str(error)) from None
    cues = [(number, seconds(caption.start), seconds(caption.end), caption.raw_text) for number, caption in enumerate(captions, 1)]
    return _document(cues, "vtt", name)


def _lines(raw: str, doc: Document) -> list[tuple[str, str | None]]:
    """A cue's lines without tags (nor lines of only spaces), each with the voice it is in."""
    lines, voice = [], None
    for line in raw.split("\n"):
        if found := _VOICE.search(line):
            voice = found["name"].strip()
            if _ASKING_CLASSES & set((found["classes"] or "").lower().split(".")):  # <v.host Dana>: a host asks
                doc.people.setdefault(fold(voice), (voice, Role.ASKS, ""))
        line = _TAG.sub("", line).strip()
        if line:
            lines.append((line, voice))
    return lines


_LATIN = re.compile(r"[A-Za-z]")


def _translation(lines: list[tuple[str, str | None]]) -> int | None:
    """In a cue of a Chinese line and its English translation, the index of the translation."""
    if len(lines) != 2:
        return None
    han = [bool(HAN.search(line)) for line, _ in lines]
    if han.count(True) == 1 and _LATIN.search(lines[han.index(False)][0]):
        return han.index(False)
    return None


def _bilingual(cues: list[list[tuple[str, str | None]]]) -> bool:
    """Most cues of two lines are a Chinese line and its English translation."""
    pairs = [lines for lines in cues if len(lines) >= 2]
    translated = sum(_translation(lines) is not None for lines in pairs)
    return translated >= 3 and translated * 5 >= len(pairs) * 4


def _document(cues, format: str, name: str) -> Document:
    doc = Document(blocks=[], format=format, name=name, carries_title=False, title_line=False)  # a first cue is speech, never a title
    cue_lines = [_lines(raw, doc) for _, _, _, raw in cues]
    bilingual = _bilingual(cue_lines)
    previous: list[str] = []
    for (number, start, end, raw), lines in zip(cues, cue_lines):
        if bilingual and (translation := _translation(lines)) is not None:
            lines = lines[:translation] + lines[translation + 1:]  # the Chinese line is the transcript
        texts = [line for line, _ in lines]
        fresh = lines
        if previous and texts and texts[0] == previous[-1]:
            fresh = lines[1:]  # a rolling caption: the line before, then the new one
        previous = texts or previous
        for line, voice in fresh:
            if _SOUND.match(line):
                continue
            line = _CHEVRONS.sub("", line)
            if len(fresh) > 1 or line.startswith("- "):
                line = _DASH.sub("", line)
            if line:
                doc.blocks.append(Block(line, Position("cue", number), start=start, end=end, speaker=voice, continues=True))
    if not doc.blocks:
        raise TranscriptError(gettext_noop("it has no subtitles"))
    return doc
