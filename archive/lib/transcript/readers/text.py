"""Plain text and Markdown: optional YAML front matter, then one block per
line. Markdown's structure (headings, images, rules, quotes, links) is read
here; a line wholly in italics (``*…*``, ``_…_``) or quoted (``> …``) is set
apart; blank-line paragraphs are kept as groups so that a cleanup rule can
join hard-wrapped lines."""

from __future__ import annotations

import re

from archive.lib.transcript import frontmatter
from archive.lib.transcript.model import Block, BlockKind, Document, Position

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"(?P<title>[^\"]*)\")?\)\s*(?P<rest>.*)$")
RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_QUOTE = re.compile(r"^>\s?")
_ITALIC = re.compile(r"^(?P<mark>[*_])(?![*_\s])(?P<text>[^*_]+?)(?<!\s)(?P=mark)$")


def lines_of(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read(text: str, name: str = "") -> Document:
    doc = Document(blocks=[], format="text", name=name)
    lines = lines_of(text)
    block, start = frontmatter.split(lines)
    if block is not None:
        doc.meta = frontmatter.read(block, doc)
    group = 0
    for number, raw in enumerate(lines[start:], start + 1):
        line = raw.strip()
        if not line:
            group += 1
            continue
        doc.blocks.append(line_block(line, Position("line", number), group))
    if name.lower().endswith((".md", ".markdown")) or any(b.kind in (BlockKind.HEADING, BlockKind.IMAGE) for b in doc.blocks):
        doc.format = "markdown"
    return doc


def line_block(line: str, position: Position, group: int | None = None) -> Block:
    """One non-blank line of Markdown (plain text is Markdown without marks) as a block."""
    quoted = bool(_QUOTE.match(line))
    line = _QUOTE.sub("", line)
    if match := HEADING.match(line):
        return Block(match.group(2), position, BlockKind.HEADING, group=group)
    if match := IMAGE.match(line):
        caption = (match["alt"] or match["title"] or "").strip()
        if match["rest"].strip():
            caption = f"{caption} {match['rest'].strip()}".strip()
        return Block(caption, position, BlockKind.IMAGE, group=group, source=match["src"])
    if RULE.match(line):
        return Block("", position, BlockKind.RULE, group=group)
    if match := _ITALIC.match(line):
        return Block(match["text"], position, group=group, set_apart=True)
    return Block(_LINK.sub(r"\1", line) if "](" in line else line, position, group=group, set_apart=quoted)
