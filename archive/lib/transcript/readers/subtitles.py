"""Subtitles: SubRip (``.srt``, read by ``srt``) and WebVTT (``.vtt``, read by
``webvtt-py``): both maintained, small, pure Python, and they handle the
formats' corners (cue settings, styles, notes, BOMs, comma or dot decimals)
that a hand-written reader gets wrong.

Each cue becomes a block with its times and its number; a WebVTT voice
(``<v Name>``) is the cue's explicit speaker. Auto-generated captions roll:
each cue repeats the line before it and adds one; repeated lines are removed.
Cues are running speech: they join into one paragraph until a speaker changes.
"""

from __future__ import annotations

import io
import re

import srt
import webvtt

from archive.lib.chinese import fold
from archive.lib.transcript.model import Block, Document, Position, Role, TranscriptError, gettext_noop
from archive.lib.transcript.readers.timecoded import seconds

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<\d[\d:.]*>|\{\\[^{}]*\}")  # <i>, <c.colour>, <00:00:01.000>, {\an8}
_VOICE = re.compile(r"<v(?:\.(?P<classes>[\w.\-]+))?\s+(?P<name>[^>]+)>")
_ASKING_CLASSES = {"host", "moderator", "interviewer", "presenter"}
_DASH_SPEAKER = re.compile(r"^[-–—]\s*")


def looks_like_srt(text: str) -> bool:
    return bool(re.search(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", text.lstrip("\ufeff")[:2000], re.M))


def looks_like_vtt(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("WEBVTT")


def read_srt(text: str, name: str = "") -> Document:
    try:
        cues = [(cue.index, cue.start.total_seconds(), cue.end.total_seconds(), cue.content, None)
                for cue in srt.parse(text.lstrip("\ufeff"), ignore_errors=True)]
    except srt.SRTParseError as error:
        raise TranscriptError(gettext_noop("it is not a readable SubRip (.srt) file (%(problem)s)"), problem=str(error)) from None
    return _document(cues, "srt", name)


def read_vtt(text: str, name: str = "") -> Document:
    try:
        captions = webvtt.from_buffer(io.StringIO(text.lstrip("\ufeff")))
    except Exception as error:  # webvtt-py raises its own MalformedFileError and others
        raise TranscriptError(gettext_noop("it is not a readable WebVTT (.vtt) file (%(problem)s)"), problem=str(error)) from None
    cues = []
    for number, caption in enumerate(captions, 1):
        voice = _VOICE.search(caption.raw_text)
        cues.append((number, seconds(caption.start), seconds(caption.end), caption.raw_text,
                     voice["name"].strip() if voice else None))
    doc = _document(cues, "vtt", name)
    for caption in captions:  # <v.host Dana>: a host asks
        voice = _VOICE.search(caption.raw_text)
        if voice and _ASKING_CLASSES & set((voice["classes"] or "").lower().split(".")):
            doc.people.setdefault(fold(voice["name"].strip()), (voice["name"].strip(), Role.ASKS, ""))
    return doc


def _document(cues, format: str, name: str) -> Document:
    doc = Document(blocks=[], format=format, name=name, carries_title=False)
    previous: list[str] = []
    for number, start, end, raw, voice in cues:
        lines = [_TAG.sub("", line).strip() for line in raw.split("\n")]
        lines = [line for line in lines if line]
        fresh = lines
        if previous and lines and lines[0] == previous[-1]:
            fresh = lines[1:]  # a rolling caption: the line before, then the new one
        previous = lines or previous
        for index, line in enumerate(fresh):
            # "- 张薇：…" (a dash marks a change of speaker in a two-line cue)
            line = _DASH_SPEAKER.sub("", line) if len(fresh) > 1 or line.startswith("- ") else line
            doc.blocks.append(Block(line, Position("cue", number), start=start, end=end, speaker=voice,
                                    continues=True))
    if not doc.blocks:
        raise TranscriptError(gettext_noop("it has no subtitles"))
    return doc
