"""Word files (``.docx``), read by python-docx (maintained, pure Python over
lxml, and it exposes what matters here: paragraph styles, bold and italic
runs, tables, and the pictures in a paragraph).

Heading styles become headings and the Title style the title; bold runs keep
Markdown's ``**…**`` so that bold labels and bold questions read as they do in
text; a wholly italic paragraph is set apart (an italic question reads like a
bold one); a picture is an image (its alt text the caption) and a
Caption-style paragraph its caption; tables are read in their place (a Q&A
table as questions and answers: ``tables.py``). A cover page (short lines
with the Title, before the first page break) gives the title, the date and
the outlet printed on it, and no text. The page header and footer are not
text. Positions are paragraph numbers in document order, counted as
Word shows them (empty paragraphs and those in tables included).
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.table import Table

from archive.lib.transcript import dates
from archive.lib.transcript.model import Block, BlockKind, Document, Position, TranscriptError, gettext_noop
from archive.lib.transcript.readers import tables


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
    items = list(document.iter_inner_content())
    cover = _cover(items)
    for paragraph in items[:cover]:
        title = _cover_line(doc, paragraph, title)
    number = cover
    for item in items[cover:]:
        if isinstance(item, Table):
            first = number + 1
            rows = []
            for row in item.rows:
                rows.append([[_text(paragraph)[0] for paragraph in cell.paragraphs] for cell in row.cells])
                number += sum(len(cell.paragraphs) for cell in row.cells)
            for kind, text in tables.blocks(rows):
                doc.blocks.append(Block(text, Position("paragraph", first), kind))
            continue
        number += 1
        paragraph, position = item, Position("paragraph", number)
        style = _style(paragraph)
        for image in paragraph._element.iter(qn("wp:docPr")):
            caption = (image.get("descr") or image.get("title") or "").strip()
            doc.blocks.append(Block(caption, position, BlockKind.IMAGE, source=image.get("name") or ""))
        text, italic = _text(paragraph)
        text = text.strip()
        if not text.replace("*", "").strip():
            continue
        if _is_title(paragraph):
            title = title or text.replace("**", "")
            continue
        if style.startswith(("heading", "标题")):
            doc.blocks.append(Block(text, position, BlockKind.HEADING))
        elif style in ("caption", "题注"):
            doc.blocks.append(Block(text, position, BlockKind.CAPTION))
        else:
            for line in text.split("\n"):
                if line.strip():
                    doc.blocks.append(Block(line.strip(), position, set_apart=italic))
    if title:
        doc.meta["title"] = title
    return doc


def _style(paragraph) -> str:
    return (paragraph.style.name if paragraph.style is not None else "").lower()


def _is_title(paragraph) -> bool:
    style = _style(paragraph)
    return style == "title" or style.startswith("标题") and not style[2:].strip()


def _cover(items) -> int:
    """How many paragraphs a cover page takes: those up to the first page or
    section break, when the Title is among them and they are all short lines."""
    for index, item in enumerate(items[:12]):
        if isinstance(item, Table):
            return 0
        if len(item.text) > 60:
            return 0
        if item._p.xpath("./w:r/w:br[@w:type='page'] | ./w:pPr/w:sectPr") or (
                index + 1 < len(items) and not isinstance(items[index + 1], Table) and items[index + 1].paragraph_format.page_break_before):
            return index + 1 if any(_is_title(paragraph) for paragraph in items[:index + 1]) else 0
    return 0


def _cover_line(doc: Document, paragraph, title: str) -> str:
    """A cover page's line: the Title is the title, a date the published date,
    the first other line the outlet (the institute or publisher printed on
    the cover); the title, outlet and date are kept, the rest is not text."""
    text = paragraph.text.strip()
    if not text:
        return title
    if _is_title(paragraph):
        return title or text
    found = dates.metadata_line(text)
    if found:
        doc.meta.setdefault("published", found.date)
        if found.outlet:
            doc.meta.setdefault("outlet", found.outlet)
    elif "outlet" not in doc.meta:
        doc.meta["outlet"] = text
    return title


def _text(paragraph) -> tuple[str, bool]:
    """The paragraph's text with bold stretches as **…**, and whether all of it is italic."""
    parts: list[tuple[bool, str]] = []
    italic = None
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]
        for run in runs:
            bold = bool(run.bold or (run.bold is None and run.style is not None and run.style.font.bold))
            if run.text.strip():
                slanted = bool(run.italic or (run.italic is None and run.style is not None and run.style.font.italic))
                italic = slanted if italic is None else italic and slanted
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
    return "".join(out), bool(italic)
