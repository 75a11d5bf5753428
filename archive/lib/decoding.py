"""Bytes of an uploaded transcript to text, with the encoding it was in.

Transcripts arrive as UTF-8 (with or without BOM), UTF-16 with BOM, GB18030
(and so GBK/GB2312) or Big5. The BOM decides when there is one; otherwise the
first candidate that decodes strictly wins, except that GB18030 and Big5 both
decode much of each other's bytes, so between those the one that yields common
characters wins.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from archive.lib.chinese import commonness


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the interface translates it."""
    return message


class DecodeError(ValueError):
    """The bytes are not a text transcript; the message says why (``template``
    with ``params``, for interfaces that translate it)."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(template % params if params else template)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# cp950 is Big5 as Windows and most web pages write it (with 碁, 銹, €);
# big5hkscs adds the Hong Kong characters.
_CHINESE_CODECS = ("gb18030", "cp950", "big5hkscs")

# Where cp950 (Microsoft's Big5) maps a code to a character no Chinese writer
# means, the Big5 standard's character: A241 is ／, not the division slash ∕.
_CP950_TO_BIG5 = str.maketrans({"\u2215": "\uff0f"})

# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = {chr(c) for c in range(32)} - set("\t\n\r\f")


def decode(data: bytes) -> Decoded:
    if not data.strip():
        raise DecodeError(gettext_noop("the file is empty"))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding.removesuffix("-sig"))
            except UnicodeDecodeError as error:
                raise DecodeError(gettext_noop("it starts with a %(encoding)s byte-order mark but is not %(encoding)s: %(reason)s at byte %(byte)s"),
                                  encoding=encoding, reason=error.reason, byte=error.start) from None
    if b"\x00" in data:
        raise DecodeError(gettext_noop("it is a binary file, not text (it contains NUL bytes)"))
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in _CHINESE_CODECS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((commonness(text), -len(candidates), text, encoding))
    if not candidates:
        raise DecodeError(gettext_noop("its text encoding is not one of UTF-8, UTF-16, GB18030/GBK or Big5"))
    *_, text, encoding = max(candidates)
    if encoding == "cp950":
        text = text.translate(_CP950_TO_BIG5)
    return _checked(text, encoding)


def _checked(text: str, encoding: str) -> Decoded:
    if not text.strip():
        raise DecodeError(gettext_noop("the file is empty"))
    controls = sum(char in _CONTROL for char in text)
    if controls > max(2, len(text) // 100):
        raise DecodeError(gettext_noop("it is a binary file, not text (it contains control characters)"))
    return Decoded(text=text, encoding=encoding)
