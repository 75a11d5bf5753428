"""The one way transcripts get into the archive.

``import_transcript`` is called by ``manage.py import_transcripts`` and by the
admin upload. It is atomic (a failure stores nothing), idempotent (the same
source again updates its article rather than adding one) and queues the
article for re-indexing in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from archive.interviews.models import Article, Outlet, Participant, Speaker, SpeakerName, Turn
from archive.lib.chinese import fold, renderings
from archive.lib.transcript import Kind, ParsedArticle, Role, TranscriptError, gettext_noop, parse_bytes
from archive.search import indexing


@dataclass
class Overrides:
    """Metadata an editor sets over what the parser inferred."""

    title: str = ""
    outlet: str = ""
    published: datetime.date | None = None
    source_url: str = ""
    media_url: str = ""
    speakers: dict[str, str] = field(default_factory=dict)  # label → name (an existing speaker's name merges into them)
    roles: dict[str, str] = field(default_factory=dict)  # label → "asks" | "answers"
    kinds: dict[int, str] = field(default_factory=dict)  # turn number, from 1 → kind


@dataclass
class ImportResult:
    article: Article
    created: bool
    parsed: ParsedArticle

    @property
    def status(self) -> str:
        return "created" if self.created else "updated"


def parse_source(data: bytes, overrides: Overrides | None = None, *, name: str = "") -> ParsedArticle:
    """Parse uploaded bytes (any format the registry reads; ``name`` helps tell
    which) against what the archive already knows; stores nothing."""
    if len(data) > settings.TRANSCRIPT_MAX_BYTES:
        raise too_large(len(data))
    parsed = parse_bytes(
        data,
        name=name,
        known_speakers=tuple(SpeakerName.objects.values_list("name", flat=True)),
        known_outlets=tuple(name for outlet in Outlet.objects.all() for name in outlet.all_names()),
    )
    if overrides:
        _apply(overrides, parsed)
    return parsed


def too_large(size: int) -> TranscriptError:
    return TranscriptError(gettext_noop("it is %(size)s bytes; the limit is %(limit)s"),
                           size=f"{size:,}", limit=f"{settings.TRANSCRIPT_MAX_BYTES:,}")


def _apply(overrides: Overrides, parsed: ParsedArticle) -> None:
    for attribute in ("title", "outlet", "published", "source_url", "media_url"):
        if value := getattr(overrides, attribute):
            setattr(parsed, attribute, value)
    names = {fold(label): name for label, name in overrides.speakers.items() if name}
    roles = {fold(label): Role(role) for label, role in overrides.roles.items() if role}
    for speaker in parsed.speakers:
        speaker.name = names.get(fold(speaker.label), speaker.name)
        speaker.role = roles.get(fold(speaker.label), speaker.role)
    for turn in parsed.turns:  # a speaker who asks asks questions
        speaker = parsed.speaker_for(turn)
        if speaker and turn.kind in (Kind.QUESTION, Kind.ANSWER):
            turn.kind = speaker.role.kind
    for number, kind in overrides.kinds.items():
        if 0 < number <= len(parsed.turns):
            parsed.turns[number - 1].kind = Kind(kind)


def import_transcript(data: bytes, *, name: str = "", overrides: Overrides | None = None) -> ImportResult:
    return save_parsed(parse_source(data, overrides, name=name), data, name=name)


def existing_article(parsed: ParsedArticle, data: bytes) -> Article | None:
    """The article this source was imported as before, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return Article.objects.filter(source_hash=digest).first() or Article.objects.filter(import_ref=import_ref(parsed)).first()


def import_ref(parsed: ParsedArticle) -> str:
    """A corrected re-upload keeps its source URL, or its outlet and title."""
    if parsed.source_url:
        return parsed.source_url
    return f"{fold(parsed.outlet)}/{fold(parsed.title)}"


@transaction.atomic
def save_parsed(parsed: ParsedArticle, data: bytes, *, name: str = "") -> ImportResult:
    if not parsed.title:
        raise TranscriptError(gettext_noop("it has no title; give one in the front matter (title: …)"))
    article = existing_article(parsed, data)
    created = article is None
    article = article or Article()
    article.title = parsed.title
    article.outlet = _outlet(parsed)
    article.published = parsed.published
    article.source_url = parsed.source_url
    article.media_url = parsed.media_url
    article.notes = parsed.notes
    article.deck = parsed.deck
    article.credits = parsed.credits
    article.script = parsed.script.value
    article.import_ref = import_ref(parsed)
    article.source = data
    article.source_name = name
    article.source_encoding = parsed.encoding
    article.source_hash = hashlib.sha256(data).hexdigest()
    article.warnings = [warning.as_json() for warning in parsed.warnings]
    article.save()

    speakers = {speaker.label: _speaker(speaker.name, speaker.description) for speaker in parsed.speakers}
    article.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(article=article, speaker=speakers[s.label], role=s.role.value, label=s.label) for s in parsed.speakers
    )
    if article.outlet:
        _learn_short_names(article.outlet, parsed)

    article.turns.all().delete()
    turns = []
    for seq, turn in enumerate(parsed.turns, 1):
        text_hans, text_hant = renderings(turn.text, parsed.script)
        turns.append(
            Turn(
                article=article,
                seq=seq,
                kind=turn.kind.value,
                speaker=speakers.get(turn.label),
                text=turn.text,
                text_hans=text_hans,
                text_hant=text_hant,
                source_line=turn.line,
                start=turn.start,
                end=turn.end,
            )
        )
    Turn.objects.bulk_create(turns)
    indexing.queue([article.pk])
    return ImportResult(article=article, created=created, parsed=parsed)


def _outlet(parsed: ParsedArticle) -> Outlet | None:
    if not parsed.outlet:
        return None
    return Outlet.objects.named(parsed.outlet) or Outlet.objects.create(name=parsed.outlet)


def _speaker(name: str, description: str) -> Speaker:
    speaker = Speaker.objects.named(name)
    if speaker is None:
        return Speaker.objects.create(name=name, description=description)
    speaker.add_name(name)
    if description and not speaker.description:  # an editor's description wins
        speaker.description = description
        speaker.save(update_fields=["description"])
    return speaker


def _learn_short_names(outlet: Outlet, parsed: ParsedArticle) -> None:
    """南都 asking in a 南方都市报 interview is 南方都市报's short name."""
    for speaker in parsed.speakers:
        if speaker.is_outlet and speaker.role is Role.ASKS and outlet.add_short_name(speaker.name):
            outlet.save(update_fields=["short_names"])
