"""Word files (``.docx``), read by python-docx (maintained, pure Python over
lxml, and it exposes what matters here: paragraph styles, bold runs, and the
pictures in a paragraph).

Heading styles become headings and the Title style the title; bold runs keep
Markdown's ``**…**`` so that bold labels and bold questions read as they do in
text; a picture is an image (its alt text the caption) and a Caption-style
paragraph its caption. Positions are paragraph numbers, counted as Word shows
them (empty paragraphs included).
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn

from archive.lib.transcript.model import Block, BlockKind, Document, Position, TranscriptError, gettext_noop


def looks_like_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read(data: bytes, name: str = "") -> Document:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises PackageNotFoundError, KeyError, lxml errors…
        raise TranscriptError(gettext_noop("it is not a readable Word (.docx) file (%(problem)s)"), problem=str(error)) from None
    doc = Document(blocks=[], format="docx", name=name, title_line=False)
    title = (document.core_properties.title or "").strip()
    for number, paragraph in enumerate(document.paragraphs, 1):
        position = Position("paragraph", number)
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        for image in paragraph._element.iter(qn("wp:docPr")):
            caption = (image.get("descr") or image.get("title") or "").strip()
            doc.blocks.append(Block(caption, position, BlockKind.IMAGE, source=image.get("name") or ""))
        text = _text(paragraph).strip()
        if not text.replace("*", "").strip():
            continue
        if style == "title" or style.startswith("标题") and not style[2:].strip():
            title = title or text.replace("**", "")
            continue
        if style.startswith(("heading", "标题")):
            doc.blocks.append(Block(text, position, BlockKind.HEADING))
        elif style in ("caption", "题注"):
            doc.blocks.append(Block(text, position, BlockKind.CAPTION))
        else:
            for line in text.split("\n"):
                if line.strip():
                    doc.blocks.append(Block(line.strip(), position))
    if title:
        doc.meta["title"] = title
    return doc


def _text(paragraph) -> str:
    """The paragraph's text with bold stretches as **…**."""
    parts: list[tuple[bool, str]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]
        for run in runs:
            bold = bool(run.bold or (run.bold is None and run.style is not None and run.style.font.bold))
            if parts and parts[-1][0] == bold:
                parts[-1] = (bold, parts[-1][1] + run.text)
            else:
                parts.append((bold, run.text))
    out = []
    for bold, text in parts:
        if bold and text.strip():
            lead, core, trail = text[: len(text) - len(text.lstrip())], text.strip(), text[len(text.rstrip()):]
            out.append(f"{lead}**{core}**{trail}")
        else:
            out.append(text)
    return "".join(out)
