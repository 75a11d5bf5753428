"""The format readers and the one registry that chooses between them.

A reader turns a file into a ``Document`` (blocks and metadata); nothing after
it knows which format the file was. ``read`` decides the format by content
first (a Word file is a zip with ``word/document.xml``; a page starts with
``<html``; subtitles have cue timings; a recorder export has speaker lines with
times) and by file name where content cannot tell. The management command,
the admin upload and zip members all come through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable

from archive.lib.decoding import DecodeError, Decoded, decode
from archive.lib.transcript.model import Document, TranscriptError
from archive.lib.transcript.readers import docx, html, subtitles, text, timecoded


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    read: Callable[..., Document]
    binary: bool = False  # reads bytes, not decoded text


FORMATS = (
    Format("docx", (".docx",), docx.read, binary=True),
    Format("html", (".html", ".htm", ".xhtml"), html.read),
    Format("srt", (".srt",), subtitles.read_srt),
    Format("vtt", (".vtt",), subtitles.read_vtt),
    Format("timecoded", (), timecoded.read),
    Format("text", (".txt", ".md", ".markdown", ".text"), text.read),
)
BY_NAME = {format.name: format for format in FORMATS}
BY_NAME["markdown"] = BY_NAME["text"]  # one reader; it tells which of the two a file is
SUFFIXES = tuple(suffix for format in FORMATS for suffix in format.suffixes)

_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([a-zA-Z0-9_-]+)", re.IGNORECASE)


def accepts(name: str) -> bool:
    """Whether a file of this name is one the archive reads (a pasted text has no suffix and is)."""
    return PurePosixPath(name.lower()).suffix in SUFFIXES


def is_zip_of_transcripts(data: bytes, name: str = "") -> bool:
    """A .zip to unpack; a Word file is a zip too, but not one of these."""
    if docx.looks_like_docx(data) or name.lower().endswith(".docx"):
        return False
    return name.lower().endswith(".zip") or data.startswith(b"PK\x03\x04")


def read(data: bytes, name: str = "") -> Document:
    """Bytes of one file to a Document, whichever format it is in."""
    suffix = PurePosixPath(name.lower()).suffix
    if docx.looks_like_docx(data) or suffix == ".docx":
        doc = docx.read(data, name)
    else:
        decoded = _decode(data)
        doc = BY_NAME[detect_text(decoded.text, suffix)].read(decoded.text, name)
        doc.encoding = decoded.encoding
    if doc.format in ("docx", "html") and timecoded.lines_look_timecoded([block.text for block in doc.blocks if block.text]):
        timecoded.apply(doc)  # a recorder's export pasted into a Word file or a page: its time codes count
    return doc


def detect_text(content: str, suffix: str = "") -> str:
    """The format of decoded text: its content decides, then its suffix."""
    if subtitles.looks_like_vtt(content):
        return "vtt"
    if subtitles.looks_like_srt(content):
        return "srt"
    if html.looks_like_html(content) or suffix in BY_NAME["html"].suffixes:
        return "html"
    if timecoded.looks_timecoded(content):
        return "timecoded"
    return "text"


def _decode(data: bytes) -> Decoded:
    declared = _CHARSET.search(data[:4096])
    if declared:  # a web page says its encoding
        try:
            encoding = declared.group(1).decode("ascii").lower()
            return Decoded(data.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding), encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode(data)
    except DecodeError as error:
        raise TranscriptError(error.template, **error.params) from None
