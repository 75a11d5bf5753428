"""Transcripts in any format the archive reads, to a structured interview:
title, credits, notes, speakers, turns with their times.

Pure: no Django. The flow is one way (``docs/ingest.md`` has the details):

1. a **reader** per format (``readers/``: text and Markdown, recorder exports
   with time codes, subtitles, web pages, Word files), chosen by
   ``readers.read`` from the content and the name, makes a ``Document``: a
   stream of ``Block``s with their source positions and times, and the
   metadata the format carries;
2. the **cleanup rules** (``cleanup.RULES``, in that order) undo scraper
   damage and move newsroom boilerplate, credits and captions out of the way;
3. **labelling** (``labels``) finds speakers, roles and descriptions;
4. **turns** (``turns``) come out, with the title and the speakers.

``parse_bytes(data, name=…)`` reads a file of any format; ``parse(text)``
reads text that has already been decoded. Neither raises on odd content, only
on input that is not a transcript at all (``TranscriptError``), so an editor
always sees what was understood; warnings point at source positions.
"""

from __future__ import annotations

import datetime
import re

from archive.lib.chinese import detect_script, fold
from archive.lib.transcript import cleanup, labels, readers, turns as turn_builder
from archive.lib.transcript.model import (
    Block,
    BlockKind,
    Document,
    Kind,
    ParsedArticle,
    Position,
    Role,
    Speaker,
    TranscriptError,
    Turn,
    Warning,
    format_time,
    gettext_noop,
)

WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)  # never javascript: or data:

__all__ = [
    "Block", "BlockKind", "Document", "Kind", "ParsedArticle", "Position", "Role", "Speaker", "TranscriptError",
    "Turn", "Warning", "WEB_ADDRESS", "format_time", "parse", "parse_bytes", "parse_document",
]


def parse_bytes(data: bytes, *, name: str = "", known_speakers: tuple[str, ...] = (),
                known_outlets: tuple[str, ...] = ()) -> ParsedArticle:
    """Parse a file of any format the archive reads; ``name`` helps tell the
    format and stands in as the title where the format carries none."""
    return parse_document(readers.read(data, name), known_speakers=known_speakers, known_outlets=known_outlets)


def parse(text: str, *, name: str = "", known_speakers: tuple[str, ...] = (), known_outlets: tuple[str, ...] = ()) -> ParsedArticle:
    """Parse decoded text (plain text, Markdown, a recorder export, subtitles
    or a page). ``known_speakers`` and ``known_outlets`` are names already in
    the archive; a label matching one is a speaker label even if it occurs
    only once, and a label matching an outlet asks the questions."""
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    document = readers.BY_NAME[readers.detect_text(text, suffix)].read(text, name)
    return parse_document(document, known_speakers=known_speakers, known_outlets=known_outlets)


def parse_document(doc: Document, *, known_speakers=(), known_outlets=()) -> ParsedArticle:
    """Blocks to an article: cleanup rules, labelling, turns."""
    doc.known_speakers = {fold(name) for name in known_speakers}
    doc.known_outlets = {fold(name) for name in known_outlets}
    if doc.meta.get("outlet"):
        doc.known_outlets.add(fold(str(doc.meta["outlet"])))
    doc.people.update(_front_matter_speakers(doc.meta))
    if not any(block.text for block in doc.blocks):
        raise TranscriptError(gettext_noop("it has no paragraphs of text"))
    cleanup.clean(doc)
    if not doc.blocks:
        raise TranscriptError(gettext_noop("it has no paragraphs of text"))
    article = ParsedArticle(title="", format=doc.format, encoding=doc.encoding)
    turns = turn_builder.build(doc)
    turn_builder.title(doc, article, turns)
    if not any(turn.kind in (Kind.QUESTION, Kind.ANSWER, Kind.NARRATION) for turn in turns):
        raise TranscriptError(gettext_noop("it has no paragraphs of text"))
    article.turns = turns
    article.speakers = turn_builder.speakers(doc, turns)
    article.script = detect_script("".join(turn.text for turn in turns) + article.title)
    article.credits, article.notes = doc.credits, doc.notes
    _metadata(doc, article)
    article.warnings = sorted(doc.warnings, key=lambda w: w.line)
    return article


def _front_matter_speakers(meta: dict) -> dict[str, tuple[str, Role | None, str]]:
    """Front matter ``speakers``: label → name, or label → {name, role, description}."""
    raw = meta.get("speakers") or {}
    if not isinstance(raw, dict):
        raise TranscriptError(gettext_noop("the front matter's speakers must be a mapping of labels to names (问: 星河科技评论)"))
    mapping = {}
    for label, value in raw.items():
        role, description = None, ""
        if isinstance(value, dict):
            name = str(value.get("name") or label)
            description = str(value.get("description") or "").strip()
            role_text = str(value.get("role") or "").strip().lower()
            if role_text:
                role = labels.role_from_word(role_text)
                if role is None:
                    raise TranscriptError(gettext_noop("the front matter gives speaker %(label)s the role “%(role)s”; use asks or answers"),
                                          label=label, role=role_text)
        else:
            name = str(value if value is not None else label)
        mapping[fold(str(label))] = (name.strip(), role, description)
    return mapping


def _metadata(doc: Document, article: ParsedArticle) -> None:
    meta = doc.meta
    if meta.get("title"):
        article.title = str(meta["title"]).strip()
    if meta.get("deck"):
        article.deck = str(meta["deck"]).strip()
    article.outlet = str(meta.get("outlet") or "").strip()
    for field, keys in (("source_url", ("source_url", "url")), ("media_url", ("media_url", "media", "video", "audio"))):
        value = next((str(meta[key]).strip() for key in keys if meta.get(key)), "")
        if value and not WEB_ADDRESS.fullmatch(value):
            doc.warn(1, gettext_noop("%(field)s “%(value)s” is not an http(s) address; it was left out"), field=field, value=value[:80])
            value = ""
        setattr(article, field, value)
    if "published" in meta or "date" in meta:
        article.published = _date(meta.get("published", meta.get("date")))
    for speaker in article.speakers:
        speaker.is_outlet = _is_asking_outlet(doc, speaker, article.credits)
    askers = [s for s in article.speakers if s.role is Role.ASKS]
    if not article.outlet and len(askers) == 1 and askers[0].is_outlet:
        article.outlet = askers[0].name  # an outlet asking in its own interview (not one of many at a press conference)


def _is_asking_outlet(doc: Document, speaker: Speaker, credits: list[str]) -> bool:
    """An asker that is an outlet: marked 《…》, known, or bylined as its 记者."""
    if speaker.role is not Role.ASKS or fold(speaker.label) in labels.ASK_WORDS:
        return False
    bylined = any(f"{fold(speaker.label)}记者" in fold(credit) for credit in credits)
    return bylined or turn_builder.is_outlet(doc, fold(speaker.label))


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = fold(str(value)).strip()
    for pattern in (r"^(\d{4})-(\d{1,2})-(\d{1,2})", r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$", r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"):
        if match := re.match(pattern, text):
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                break
    raise TranscriptError(gettext_noop("the front matter's published date “%(value)s” is not a date (write it as 2024-03-12)"), value=value)
