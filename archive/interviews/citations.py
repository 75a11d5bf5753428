"""Citations of an interview or of one turn: plain text, BibTeX, RIS, CSL-JSON.

Each names who said it, the interview's title, outlet and date, the turn's
permanent number (t4817, as its permalink /t/4817/ has it), the permalink
and the day it was accessed, so that a reader can find the words again. A
turn's position in the interview changes when a corrected source adds or
drops turns above it, so a citation names it only beside the number, as
where the turn stood when it was accessed. URLs come from the models'
methods (permalinks may change form; citations follow).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from archive.interviews.models import Article, Turn

FORMATS = {
    # format: (media type, file extension)
    "text": ("text/plain", "txt"),
    "bibtex": ("application/x-bibtex", "bib"),
    "ris": ("application/x-research-info-systems", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json", "json"),
}


@dataclass
class Source:
    """What every format says, gathered once."""

    article: Article
    turn: Turn | None
    url: str  # absolute permalink
    accessed: datetime.date

    @classmethod
    def of(cls, article: Article, turn: Turn | None, absolute) -> Source:
        """``absolute`` turns a path into a full URL (``request.build_absolute_uri``)."""
        url = absolute(turn.get_absolute_url() if turn else article.get_absolute_url())
        return cls(article, turn, url, timezone.localdate())

    @property
    def authors(self) -> list[str]:
        if self.turn:
            return [self.turn.speaker.name] if self.turn.speaker else []
        return [speaker.name for speaker in self.article.people()]

    @property
    def outlet(self) -> str:
        return self.article.outlet.name if self.article.outlet else ""

    @property
    def key(self) -> str:
        """A BibTeX key: the slug, and the turn's permanent number."""
        key = re.sub(r"[^a-z0-9]+", "", self.article.slug.replace("-", ""))[:40] or "interview"
        return f"{key}{self.turn.reference}" if self.turn else key

    @property
    def title(self) -> str:
        """The interview's title; for a turn, with the turn's permanent number."""
        return self.article.title + (f", turn {self.turn.reference}" if self.turn else "")

    @property
    def note(self) -> str:
        """The turn's number, and where it stood when accessed (reference
        managers' note field; in English, as the files' field names are)."""
        if not self.turn:
            return ""
        return f"Turn {self.turn.reference} (position {self.turn.seq} when accessed)"


def plain(source: Source) -> str:
    """The quote (for a turn) with who said it, where, when, the turn number,
    the permalink and the access date, for pasting into a document."""
    article, turn = source.article, source.turn
    parts = []
    if turn:
        parts.append(f"“{turn.text.replace(chr(10), ' ')}”")
    details = [*source.authors, f"《{article.title}》", source.outlet]
    if article.published:
        details.append(article.published.isoformat())
    if turn:
        details.append(_("turn %(number)s (position %(position)s when accessed)") % {
            "number": turn.reference, "position": turn.seq})
    parts.append(("——" if turn else "") + "，".join(filter(None, details)))
    parts.append(_("%(url)s (accessed %(date)s)") % {"url": source.url, "date": source.accessed.isoformat()})
    return "\n".join(parts)


def bibtex(source: Source) -> str:
    article = source.article
    fields = {
        "author": " and ".join(f"{{{name}}}" for name in source.authors),
        "title": f"{{{source.title}}}",
        "howpublished": source.outlet,
        "year": str(article.published.year) if article.published else "",
        "month": str(article.published.month) if article.published else "",
        "date": article.published.isoformat() if article.published else "",
        "url": source.url,
        "urldate": source.accessed.isoformat(),
        "note": source.note,
    }
    lines = [f"  {name} = {{{_bibtex_escape(value) if name != 'url' else value}}}," for name, value in fields.items() if value]
    return "@misc{" + source.key + ",\n" + "\n".join(lines) + "\n}\n"


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", value)


def ris(source: Source) -> str:
    article = source.article
    lines = [("TY", "ELEC")]
    lines += [("AU", name) for name in source.authors]
    lines.append(("TI", source.title))
    if source.outlet:
        lines.append(("T2", source.outlet))
    if article.published:
        lines += [("PY", str(article.published.year)), ("DA", article.published.strftime("%Y/%m/%d"))]
    lines += [("UR", source.url), ("Y2", source.accessed.strftime("%Y/%m/%d"))]
    if source.note:
        lines.append(("N1", source.note))
    lines.append(("ER", ""))
    return "\r\n".join(f"{tag}  - {value}".rstrip() for tag, value in lines) + "\r\n"


def csl(source: Source) -> str:
    article = source.article
    item = {
        "id": source.key,
        "type": "interview",
        "title": source.title,
        "author": [{"literal": name} for name in source.authors],
        "URL": source.url,
        "accessed": {"date-parts": [[source.accessed.year, source.accessed.month, source.accessed.day]]},
    }
    if source.outlet:
        item["container-title"] = source.outlet
    if article.published:
        item["issued"] = {"date-parts": [[article.published.year, article.published.month, article.published.day]]}
    if source.turn:
        item["locator"] = source.turn.reference
        item["note"] = source.note
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


WRITERS = {"text": plain, "bibtex": bibtex, "ris": ris, "csl": csl}


def cite(source: Source, form: str) -> str:
    return WRITERS[form](source)
