"""The one way transcripts get into the archive.

``import_transcript`` is called by ``manage.py import_transcripts`` and by the
admin upload. It is atomic (a failure stores nothing) and never duplicates:

- the same bytes again are ``unchanged`` and nothing is written;
- a corrected source updates its article in place (``plan`` then ``apply``):
  its turns are aligned with the stored ones (``archive.lib.alignment``), so
  the same or nearly the same words keep their turn and its permanent
  number; turns the source no longer has are removed (their permalinks then
  say so), new ones get new numbers, and a removed turn the source brings
  back gets its old number back;
- an editor's work is never overwritten silently. A field an editor changed
  (``SourceTracked.edits``) keeps the editor's value while the source still
  says what it said when the editor changed it; where the source changed it
  too, that is a ``Conflict``, decided by ``resolutions`` (the upload
  preview asks the editor) or else by ``prefer`` — the editor's version by
  default. Turns an editor added are kept in place; turns an editor removed
  stay removed, and turns an editor changed stay when the source drops them,
  unless the editor takes the source's.

Every import is a version of the article (``archive.interviews.history``).
The search index follows by itself (``archive.interviews.signals``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F

from archive.interviews import history
from archive.interviews.models import Article, Outlet, Participant, RemovedTurn, Speaker, SpeakerName, Turn, json_value
from archive.lib.alignment import THRESHOLD, align, similarity
from archive.lib.chinese import fold
from archive.lib.transcript import Kind, ParsedArticle, Role, TranscriptError, gettext_noop, parse_bytes
from archive.lib.transcript import Turn as ParsedTurn

EDITOR, SOURCE = "editor", "source"  # who wins a conflict


@dataclass
class Overrides:
    """Metadata an editor sets over what the parser inferred, and how they
    decided the conflicts the preview showed them."""

    title: str = ""
    outlet: str = ""
    published: datetime.date | None = None
    source_url: str = ""
    media_url: str = ""
    speakers: dict[str, str] = field(default_factory=dict)  # label → name (an existing speaker's name merges into them)
    roles: dict[str, str] = field(default_factory=dict)  # label → "asks" | "answers"
    kinds: dict[int, str] = field(default_factory=dict)  # turn number, from 1 → kind
    resolutions: dict[str, str] = field(default_factory=dict)  # Conflict.key → EDITOR | SOURCE


@dataclass(frozen=True)
class Known:
    """What the parser is told the archive already knows: speakers' names
    (a label that is one is a speaker's, even if it occurs once) and
    outlets' names (a label that is one asks the questions); and the
    largest transcript it may read."""

    speakers: tuple[str, ...]
    outlets: tuple[str, ...]
    limit: int

    @classmethod
    def now(cls) -> Known:
        return cls(
            speakers=tuple(SpeakerName.objects.values_list("name", flat=True)),
            outlets=tuple(name for outlet in Outlet.objects.all() for name in outlet.all_names()),
            limit=settings.TRANSCRIPT_MAX_BYTES,
        )


def parse_source(data: bytes, overrides: Overrides | None = None, *, name: str = "", known: Known | None = None) -> ParsedArticle:
    """Parse uploaded bytes (any format the registry reads; ``name`` helps tell
    which) against what the archive already knows (``known``: read from the
    database unless given, as a bulk import's worker processes are); stores
    nothing."""
    known = known or Known.now()
    if len(data) > known.limit:
        raise too_large(len(data), known.limit)
    parsed = parse_bytes(data, name=name, known_speakers=known.speakers, known_outlets=known.outlets)
    if overrides:
        _apply(overrides, parsed)
    return parsed


def too_large(size: int, limit: int | None = None) -> TranscriptError:
    return TranscriptError(gettext_noop("it is %(size)s bytes; the limit is %(limit)s"),
                           size=f"{size:,}", limit=f"{limit or settings.TRANSCRIPT_MAX_BYTES:,}")


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


def existing_article(parsed: ParsedArticle, data: bytes) -> Article | None:
    """The article this source was imported as before, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return Article.objects.filter(source_hash=digest).first() or Article.objects.filter(import_ref=import_ref(parsed)).first()


def import_ref(parsed: ParsedArticle) -> str:
    """A corrected re-upload keeps its source URL, or its outlet and title."""
    if parsed.source_url:
        return parsed.source_url
    return f"{fold(parsed.outlet)}/{fold(parsed.title)}"


# What a source says, field by field. A new field read from transcripts is
# added here (and, if editors may correct it, to the model's TRACKED).


def article_values(parsed: ParsedArticle, outlet: Outlet | None) -> dict:
    return {
        "title": parsed.title, "outlet_id": outlet.pk if outlet else None, "published": parsed.published,
        "source_url": parsed.source_url, "media_url": parsed.media_url, "deck": parsed.deck, "credits": parsed.credits,
        "notes": parsed.notes, "script": parsed.script.value,
    }


def turn_values(turn: ParsedTurn, speaker) -> dict:
    """``speaker``: a Speaker's pk, or ``NewSpeaker`` until it is stored."""
    return {"kind": turn.kind.value, "speaker_id": speaker, "text": turn.text, "source_line": turn.line,
            "start": turn.start, "end": turn.end}


@dataclass(frozen=True)
class NewSpeaker:
    """A speaker the source names who is not in the archive yet (made by ``apply``)."""

    name: str
    description: str = ""

    def __str__(self) -> str:
        return self.name


# Planning: what an import would do, without writing anything.


@dataclass
class Conflict:
    """Something an editor changed that the corrected source changed too."""

    key: str  # for Overrides.resolutions: "article:title", "turn:4817:text", "turn:4817:removed", "turn:4817:dropped"
    number: int | None  # the turn's permanent number; None for the article's fields
    field: str  # attname; "removed": an editor removed a turn the source still has; "dropped": the source
    # no longer has a turn an editor changed
    editor: object  # the editor's value now (None: removed)
    source_before: object  # what the source said when the editor changed it
    source_now: object  # what the corrected source says
    choice: str = EDITOR

    @property
    def takes_source(self) -> bool:
        return self.choice == SOURCE

    def describe(self) -> str:
        """In English, for the import command's output."""
        where = f"turn t{self.number}" if self.number else "the article"
        return f"{where}: {self.field.removesuffix('_id')}"

    @property
    def label(self) -> str:
        """What disagrees, in the reader's language (the preview)."""
        return history.conflict_label(self.number, self.field)

    def as_record(self) -> dict:
        """As a version's comment keeps it (``history.describe`` names it in the reader's language)."""
        return {"number": self.number, "field": self.field}


@dataclass
class TurnPlan:
    values: dict  # every field to store, the editor's where they win
    edits: dict  # what the turn's ``edits`` becomes
    turn: Turn | None = None  # the stored turn this continues; None: a new turn
    source: ParsedTurn | None = None  # None: a turn an editor added, kept as it is
    number: int | None = None  # a removed turn's number, brought back
    conflicts: list[Conflict] = field(default_factory=list)
    changed: bool = False  # a stored turn whose words, kind or speaker change

    def __post_init__(self):
        if self.turn is not None:
            self.changed = any(json_value(getattr(self.turn, name)) != json_value(value)
                               for name, value in self.values.items() if name != "source_line")


@dataclass
class Plan:
    parsed: ParsedArticle
    data: bytes
    name: str
    article: Article | None
    unchanged: bool = False
    values: dict = field(default_factory=dict)  # the article's fields
    edits: dict = field(default_factory=dict)
    article_conflicts: list[Conflict] = field(default_factory=list)
    turns: list[TurnPlan] = field(default_factory=list)  # in the new reading order
    removed: list[Turn] = field(default_factory=list)  # stored turns the source no longer has
    kept_removed: list[Conflict] = field(default_factory=list)  # turns an editor removed or changed that the source disagrees on

    @property
    def conflicts(self) -> list[Conflict]:
        return [*self.article_conflicts, *(c for t in self.turns for c in t.conflicts), *self.kept_removed]

    def counts(self) -> dict[str, int]:
        kept = [t for t in self.turns if t.turn is not None]
        return {"kept": len(kept), "changed": sum(t.changed for t in kept),
                "added": sum(t.turn is None and t.source is not None for t in self.turns), "removed": len(self.removed)}


def plan(parsed: ParsedArticle, data: bytes, *, name: str = "", resolutions: dict[str, str] | None = None,
         prefer: str = EDITOR) -> Plan:
    """What importing ``parsed`` would store; writes nothing (the preview shows it)."""
    if not parsed.title:
        raise TranscriptError(gettext_noop("it has no title; give one in the front matter (title: …)"))
    resolutions = resolutions or {}
    article = existing_article(parsed, data)
    result = Plan(parsed, data, name, article)
    if article is not None and article.source_hash == hashlib.sha256(data).hexdigest():
        result.unchanged = True
        return result
    outlet = Outlet.objects.named(parsed.outlet) if parsed.outlet else None
    values = article_values(parsed, outlet) | ({"outlet_id": NewOutlet(parsed.outlet)} if parsed.outlet and not outlet else {})
    result.values, result.edits, result.article_conflicts = merge(article, values, "article", None, resolutions, prefer)
    speakers = {s.label: Speaker.objects.named(s.name) or NewSpeaker(s.name, s.description) for s in parsed.speakers}
    sources = [turn_values(turn, _pk(speakers.get(turn.label))) for turn in parsed.turns]
    if article is None:
        result.turns = [TurnPlan(values, {}, source=turn) for turn, values in zip(parsed.turns, sources)]
        return result
    _plan_turns(result, article, sources, resolutions, prefer)
    return result


@dataclass(frozen=True)
class NewOutlet:
    name: str

    def __str__(self) -> str:
        return self.name


def _pk(speaker):
    return speaker.pk if isinstance(speaker, Speaker) else speaker


def merge(obj, new: dict, prefix: str, number: int | None, resolutions: dict, prefer: str) -> tuple[dict, dict, list[Conflict]]:
    """Three-way merge of a stored object's fields with what the corrected
    source now says: the values to store, the ``edits`` to keep, the conflicts."""
    if obj is None:
        return dict(new), {}, []
    values, edits, conflicts = {}, dict(obj.edits), []
    for name, source_now in new.items():
        if name not in obj.edits:
            values[name] = source_now
            continue
        mine, source_before = getattr(obj, name), obj.edits[name]
        if _same(source_now, source_before):  # the source did not change it: the editor's stays
            values[name] = mine
        elif _same(source_now, mine):  # the source now says what the editor wrote
            values[name] = mine
            del edits[name]
        else:
            conflict = Conflict(f"{prefix}:{name}", number, name, mine, source_before, source_now)
            conflict.choice = resolutions.get(conflict.key, prefer)
            conflicts.append(conflict)
            if conflict.takes_source:
                values[name] = source_now
                del edits[name]
            else:
                values[name] = mine
                edits[name] = source_now  # the editor's change is now based on what the source says
    return values, edits, conflicts


def _same(a, b) -> bool:
    return not isinstance(a, (NewSpeaker, NewOutlet)) and not isinstance(b, (NewSpeaker, NewOutlet)) and json_value(a) == json_value(b)


def _plan_turns(result: Plan, article: Article, sources: list[dict], resolutions: dict, prefer: str) -> None:
    stored = list(article.turns.order_by("seq"))
    from_source = [turn for turn in stored if not turn.added_by_editor]
    pairs = dict(align([turn.source_value("text") for turn in from_source], [values["text"] for values in sources]))
    continues = {j: from_source[i] for i, j in pairs.items()}
    kept_by_editor = set()
    for i, turn in enumerate(from_source):
        if i in pairs:
            continue
        if turn.edits:  # an editor changed a turn the corrected source no longer has
            conflict = Conflict(f"turn:{turn.number}:dropped", turn.number, "dropped", turn.text, turn.source_value("text"), None)
            conflict.choice = resolutions.get(conflict.key, prefer)
            result.kept_removed.append(conflict)
            if not conflict.takes_source:
                kept_by_editor.add(turn.pk)  # kept as the editor's own turn, where it was
                continue
        result.removed.append(turn)
    comebacks = _comebacks(article, {j: sources[j] for j in range(len(sources)) if j not in continues})
    plans_by_turn = {}
    for j, (parsed_turn, values) in enumerate(zip(result.parsed.turns, sources)):
        turn = continues.get(j)
        if turn is not None:
            merged, edits, conflicts = merge(turn, values, f"turn:{turn.number}", turn.number, resolutions, prefer)
            plans_by_turn[turn.pk] = plan_ = TurnPlan(merged, edits, turn=turn, source=parsed_turn, conflicts=conflicts)
        elif (removed := comebacks.get(j)) is not None and not removed.by_source:
            # an editor removed this turn and the source still has it
            conflict = Conflict(f"turn:{removed.number}:removed", removed.number, "removed", None, removed.source_text, values["text"])
            conflict.choice = resolutions.get(conflict.key, prefer)
            result.kept_removed.append(conflict)
            if not conflict.takes_source:
                continue
            plan_ = TurnPlan(values, {}, source=parsed_turn, number=removed.number)
        else:
            plan_ = TurnPlan(values, {}, source=parsed_turn, number=removed.number if removed else None)
        result.turns.append(plan_)
    # An editor's own turns stay after the turn they followed.
    anchor, following = None, {}
    for turn in stored:
        if turn.added_by_editor or turn.pk in kept_by_editor:
            following.setdefault(anchor, []).append(TurnPlan({"added_by_editor": True}, {}, turn=turn))
        elif turn.pk in plans_by_turn:
            anchor = turn.pk
    ordered = following.get(None, [])
    for plan_ in result.turns:
        ordered.append(plan_)
        if plan_.turn is not None:
            ordered += following.get(plan_.turn.pk, [])
    result.turns = ordered


def _comebacks(article: Article, unmatched: dict[int, dict]) -> dict[int, RemovedTurn]:
    """New turns of the source that are the words of one of this article's
    removed turns: they take back its number."""
    if not unmatched:
        return {}
    candidates = [r for r in RemovedTurn.objects.filter(article_id=article.pk) if r.source_text]
    found, used = {}, set()
    for j, values in unmatched.items():
        scored = [(similarity(r.source_text, values["text"]), r) for r in candidates if r.number not in used]
        best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best[1] is not None and best[0] >= THRESHOLD:
            found[j] = best[1]
            used.add(best[1].number)
    return found


# Applying a plan


@dataclass
class ImportResult:
    article: Article
    status: str  # "created", "updated" or "unchanged"
    parsed: ParsedArticle
    plan: Plan

    @property
    def created(self) -> bool:
        return self.status == "created"


def import_transcript(data: bytes, *, name: str = "", overrides: Overrides | None = None, prefer: str = EDITOR,
                      user=None) -> ImportResult:
    return import_parsed(parse_source(data, overrides, name=name), data, name=name, overrides=overrides, prefer=prefer, user=user)


def import_parsed(parsed: ParsedArticle, data: bytes, *, name: str = "", overrides: Overrides | None = None, prefer: str = EDITOR,
                  user=None) -> ImportResult:
    """Import a source already parsed (``parse_source``): plan it against
    what is stored now, and apply the plan."""
    return apply(plan(parsed, data, name=name, resolutions=overrides.resolutions if overrides else None, prefer=prefer), user=user)


@transaction.atomic
def apply(plan: Plan, user=None) -> ImportResult:
    """Store what ``plan`` says, as one version of the article."""
    if plan.unchanged:
        return ImportResult(plan.article, "unchanged", plan.parsed, plan)
    parsed, created = plan.parsed, plan.article is None
    if created:
        action, details = "import", {"turns": len(parsed.turns)}
    else:
        decided = {choice: [c.as_record() for c in plan.conflicts if c.choice == choice] for choice in (EDITOR, SOURCE)}
        action, details = "reimport", plan.counts() | {"editor_kept": decided[EDITOR], "source_taken": decided[SOURCE]}
    with history.revision(action, user, name=plan.name, **details):
        article = plan.article or Article()
        outlet = plan.values["outlet_id"]
        made = {outlet: Outlet.objects.create(name=outlet.name).pk} if isinstance(outlet, NewOutlet) else {}
        for name, value in plan.values.items():
            setattr(article, name, _stored(value, made))
        article.edits = {name: json_value(_stored(value, made)) for name, value in plan.edits.items()}
        article.import_ref = import_ref(parsed)
        article.source = plan.data
        article.source_name = plan.name
        article.source_encoding = parsed.encoding
        article.source_hash = hashlib.sha256(plan.data).hexdigest()
        article.warnings = [warning.as_json() for warning in parsed.warnings]
        article.save(from_source=True)
        speakers = _store_speakers(article, parsed)
        _store_turns(article, plan, speakers)
        if article.outlet:
            _learn_short_names(article.outlet, parsed)
        history.snapshot(article)
    return ImportResult(article, "created" if created else "updated", parsed, plan)


def _store_speakers(article: Article, parsed: ParsedArticle) -> dict[str, Speaker]:
    """The source's speakers, made where new, and their parts in the article.
    Parts of speakers who still speak in it (an editor's attributions) stay."""
    speakers = {s.label: _speaker(s.name, s.description) for s in parsed.speakers}
    parts = {part.speaker_id: part for part in article.participants.all()}
    for s in parsed.speakers:
        speaker = speakers[s.label]
        part = parts.pop(speaker.pk, None)
        if part is None:
            Participant.objects.create(article=article, speaker=speaker, role=s.role.value, label=s.label)
        elif (part.role, part.label) != (s.role.value, s.label):
            part.role, part.label = s.role.value, s.label
            part.save(update_fields=["role", "label"])
    still_speaking = set(article.turns.values_list("speaker_id", flat=True))
    for speaker_id, part in parts.items():
        if speaker_id not in still_speaking:
            part.delete()
    return speakers


def _stored(value, made: dict):
    """A planned value as stored: a speaker or outlet made by this import as its pk."""
    return made[value] if isinstance(value, (NewSpeaker, NewOutlet)) else value


def _store_turns(article: Article, plan: Plan, speakers: dict[str, Speaker]) -> None:
    made = {NewSpeaker(s.name, s.description): speakers[s.label].pk for s in plan.parsed.speakers}
    Turn.objects.filter(pk__in=[turn.pk for turn in plan.removed]).delete()
    RemovedTurn.objects.filter(number__in=[turn.number for turn in plan.removed]).update(by_source=True)
    article.turns.update(seq=F("seq") + 1_000_000)  # out of the way of the new order
    changed, new = [], []
    for seq, step in enumerate(plan.turns, 1):
        turn = step.turn or Turn(article=article, number=step.number)
        for name, value in step.values.items():
            setattr(turn, name, _stored(value, made))
        turn.article, turn.seq = article, seq
        turn.edits = {name: json_value(_stored(value, made)) for name, value in step.edits.items()}
        turn.render()
        (changed if step.turn else new).append(turn)
    Turn.objects.bulk_update(changed, ["seq", "kind", "speaker", "text", "text_hans", "text_hant", "source_line", "start", "end",
                                       "edits", "added_by_editor"])
    Turn.objects.bulk_create(new)


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
