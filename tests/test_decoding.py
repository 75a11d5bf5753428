"""Bytes in any common encoding become the same text; non-text is refused."""

import codecs

import pytest

from archive.lib.decoding import DecodeError, decode
from archive.lib.transcript import Kind, parse, parse_bytes
from tests.conftest import raw_seed

SIMPLIFIED = raw_seed("000")
# 003's answers once cleaned of pinyin; Big5 has no em dash, the rest fits.
TRADITIONAL = "\n".join(t.text for t in parse(raw_seed("003")).turns if t.kind is Kind.ANSWER).replace("\u2014", "-")


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gb18030", "gbk"],
)
def test_simplified_text_decodes_from_every_encoding(data, encoding):
    decoded = decode(data)
    assert decoded.text.lstrip("\ufeff") == SIMPLIFIED
    assert decoded.encoding == encoding


def test_big5_is_told_apart_from_gb18030():
    data = TRADITIONAL.encode("big5", errors="strict")
    decoded = decode(data)
    assert decoded.encoding in ("cp950", "big5hkscs")
    assert decoded.text == TRADITIONAL


def test_gbk_traditional_is_not_mistaken_for_big5():
    text = "阿里雲創始人王堅接受採訪，談到國產大模型與開源。"
    assert decode(text.encode("gb18030")).text == text


def test_every_encoding_parses_to_the_same_interview():
    reference = parse_bytes(SIMPLIFIED.encode("utf-8"))
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        article = parse_bytes(SIMPLIFIED.replace("\n", "\r\n").encode(encoding))
        assert [t.paragraphs for t in article.turns] == [t.paragraphs for t in reference.turns]
        assert article.count(Kind.QUESTION) == 7


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b" \r\n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"\xff\xfe\x00\xd8\x41", "byte-order mark"),
        (bytes([0x81, 0x30, 0x81, 0xFF]) * 50, "encoding"),
    ],
    ids=["empty", "blank", "png", "control-characters", "broken-utf16", "undecodable"],
)
def test_non_text_is_refused_with_the_reason(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode(data)
