"""Uploads in the admin: files in, staged uploads and named problems out.

``stage`` takes what an editor sent (files in any format the parser's
registry reads, a .zip of them, pasted text, web addresses to fetch),
checks each file and parses it without storing anything of the archive; a
file that parses is kept as a ``StagedUpload`` for the editor to preview,
correct and confirm (``confirm``); a file that does not is reported with its
name and what is wrong with it. Good files in a batch go through whatever
happens to the bad ones.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from archive.interviews.fetching import fetch_page
from archive.interviews import bulk, importer
from archive.interviews.history import inline_diff
from archive.interviews.importer import ImportResult, Overrides, Plan, parse_source, too_large
from archive.interviews.models import Article, Speaker, StagedUpload, Turn
from archive.lib.transcript import ParsedArticle, TranscriptError, gettext_noop, readers

SUFFIXES = readers.SUFFIXES
MAX_FILES_PER_ZIP = 200
PASTED = "pasted text"  # the name a pasted transcript goes by


@dataclass
class Problem:
    """A file that was not staged, and why: ``message`` in English (logs,
    tests), ``display`` in the editor's interface language."""

    name: str
    template: str
    params: dict = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, error: TranscriptError) -> Problem:
        return cls(name, error.template, error.params)

    @property
    def message(self) -> str:
        return self.template % self.params if self.params else self.template

    @property
    def display(self) -> str:
        return gettext(self.template) % self.params if self.params else gettext(self.template)

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass
class Staged:
    upload: StagedUpload
    parsed: ParsedArticle


@dataclass
class Batch:
    staged: list[Staged] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def stage(files: list[tuple[str, bytes]], overrides: Overrides, user=None, urls: list[str] = ()) -> Batch:
    batch = Batch()
    for name, data in files:
        for member, content in _unpack(name, data, batch.problems):
            _stage_one(batch, member, content, overrides, user)
    for url in urls:
        try:
            content, fetched_from = fetch_page(url)
        except TranscriptError as error:
            batch.problems.append(Problem.of(url, error))
            continue
        _stage_one(batch, url, content, dataclasses.replace(overrides, source_url=fetched_from), user)
    return batch


def _stage_one(batch: Batch, name: str, content: bytes, overrides: Overrides, user) -> None:
    try:
        parsed = parse_source(content, overrides, name=name)
        if not parsed.title:
            raise TranscriptError(gettext_noop("it has no title; give one in the form or in front matter (title: …)"))
    except TranscriptError as error:
        batch.problems.append(Problem.of(name, error))
        return
    upload = StagedUpload.objects.create(name=name, data=content, overrides=overrides_data(overrides), uploaded_by=user)
    batch.staged.append(Staged(upload, parsed))


_ONLY = gettext_noop("only %(suffixes)s files or a .zip of them can be uploaded")


def _unpack(name: str, data: bytes, problems: list[Problem]) -> list[tuple[str, bytes]]:
    """The transcripts in one uploaded file: itself, or the members of a zip
    (a Word file is a zip too, and is a transcript)."""
    if readers.is_zip_of_transcripts(data, name):
        return _members(name, data, problems)
    if not readers.accepts(name) and name != PASTED:
        problems.append(Problem(name, _ONLY, {"suffixes": ", ".join(SUFFIXES)}))
        return []
    if len(data) > settings.TRANSCRIPT_MAX_BYTES:
        problems.append(Problem.of(name, too_large(len(data))))
        return []
    return [(name, data)]


def _members(name: str, data: bytes, problems: list[Problem]) -> list[tuple[str, bytes]]:
    limit = settings.TRANSCRIPT_MAX_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as error:
        problems.append(Problem(name, gettext_noop("it is not a readable zip file (%(problem)s)"), {"problem": str(error)}))
        return []
    if len(infos) > MAX_FILES_PER_ZIP:
        problems.append(Problem(name, gettext_noop("it holds %(count)s files; at most %(limit)s at a time"),
                                {"count": len(infos), "limit": MAX_FILES_PER_ZIP}))
        return []
    members = []
    for info in infos:
        member = f"{name}/{info.filename}"
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or len(path.parts) > 1:
            problems.append(Problem(member, gettext_noop("files must sit at the top of the zip: no folders, no absolute or ../ paths")))
        elif not readers.accepts(path.name):
            problems.append(Problem(member, gettext_noop("only %(suffixes)s files are imported from a zip"), {"suffixes": ", ".join(SUFFIXES)}))
        elif info.file_size > limit:
            problems.append(Problem.of(member, too_large(info.file_size)))
        else:
            try:
                members.append((member, archive.read(info)))
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:  # corrupt or encrypted member
                problems.append(Problem(member, gettext_noop("it cannot be read from the zip (%(problem)s)"), {"problem": str(error)}))
    return members


def preview(upload: StagedUpload, overrides: Overrides) -> Plan:
    """What confirming would store: the upload parsed with the editor's
    corrections, the article it would update, and where the editor must decide."""
    data = bytes(upload.data)
    return importer.plan(parse_source(data, overrides, name=upload.name), data, name=upload.name, resolutions=overrides.resolutions)


def confirm(upload: StagedUpload, overrides: Overrides, user=None) -> ImportResult:
    """Import the upload with the editor's corrections and decisions, atomically, and drop it from staging."""
    with transaction.atomic():
        result = importer.apply(preview(upload, overrides), user=user)
        upload.delete()
    return result


def confirm_many(uploads: list[StagedUpload], user=None) -> list[bulk.Outcome]:
    """Import staged uploads as they stand, each with the corrections saved
    with it, through the bulk import (in batches, each indexed once); where
    an editor's change and a re-uploaded source disagree, the editor's
    version is kept, as ``import_transcripts`` keeps it. Imported uploads
    leave staging; one that fails stays, for its preview to show why.

    Parsed in this process: a web request must not start processes, and
    the upload form's limits keep a batch small."""
    sources = [bulk.Source(upload.name, data=bytes(upload.data), overrides=overrides_from(upload.overrides)) for upload in uploads]
    outcomes = list(bulk.import_many(sources, user=user, processes=1))
    StagedUpload.objects.filter(pk__in=[upload.pk for upload, outcome in zip(uploads, outcomes) if not outcome.failed]).delete()
    return outcomes


@dataclass
class TurnRow:
    """One line of what a re-import would change: a turn by its permanent number."""

    status: str  # "changed", "added", "removed", "back" (a removed turn's words and number back)
    number: int | None
    before: str
    after: str

    @property
    def marked(self) -> tuple[SafeString, SafeString]:
        """Before and after, with only the characters that differ marked."""
        return inline_diff(self.before, self.after)


@dataclass
class Change:
    """What re-importing would change in an existing article."""

    fields: list[tuple[str, str, str]]  # (field's name, now, after)
    counts: dict[str, int]
    rows: list[TurnRow]

    @property
    def nothing(self) -> bool:
        return not self.fields and not self.rows


def changes(plan: Plan) -> Change:
    article = plan.article
    fields = []
    for name in ("title", "outlet_id", "published", "source_url", "media_url", "deck"):
        now, after = getattr(article, name), plan.values.get(name)
        if name == "outlet_id":
            now, after = article.outlet.name if article.outlet else "", _outlet_name(after)
        if str(now or "") != str(after or ""):
            fields.append((Article._meta.get_field(name.removesuffix("_id")).verbose_name, str(now or ""), str(after or "")))
    rows = []
    for step in plan.turns:
        if step.turn is not None and step.source is not None and step.changed:
            rows.append(TurnRow("changed", step.turn.number, step.turn.text, step.values["text"]))
        elif step.turn is None:
            rows.append(TurnRow("back" if step.number else "added", step.number, "", step.values["text"]))
    rows += [TurnRow("removed", turn.number, turn.text, "") for turn in plan.removed]
    return Change(fields, plan.counts(), rows)


def _outlet_name(value) -> str:
    from archive.interviews.models import Outlet

    if isinstance(value, int):
        return Outlet.objects.filter(pk=value).values_list("name", flat=True).first() or ""
    return str(value or "")


def shown_conflict(conflict: importer.Conflict) -> importer.Conflict:
    """The conflict with its three values as the editor reads them."""
    conflict.shown_before = shown(conflict, conflict.source_before)
    conflict.shown_editor = shown(conflict, conflict.editor)
    conflict.shown_now = shown(conflict, conflict.source_now)
    conflict.editor_diff = inline_diff(conflict.shown_before, conflict.shown_editor)[1]
    conflict.source_diff = inline_diff(conflict.shown_before, conflict.shown_now)[1]
    return conflict


def shown(conflict: importer.Conflict, value) -> str:
    """A conflicting value as the editor reads it: a speaker by name, an outlet by name."""
    if conflict.field == "speaker_id" and isinstance(value, int):
        return Speaker.objects.filter(pk=value).values_list("name", flat=True).first() or ""
    if conflict.field == "outlet_id":
        return _outlet_name(value)
    if conflict.field == "kind" and value:
        return str(Turn.Kind(value).label)
    return "" if value is None else str(value)


def overrides_from(data: dict) -> Overrides:
    values = dict(data or {})
    if values.get("published"):
        values["published"] = datetime.date.fromisoformat(values["published"])
    values["kinds"] = {int(number): kind for number, kind in (values.get("kinds") or {}).items()}
    return Overrides(**{name: value for name, value in values.items() if name in Overrides.__dataclass_fields__})


def overrides_data(overrides: Overrides) -> dict:
    """``overrides`` as JSON for ``StagedUpload.overrides``; ``overrides_from`` reads it back."""
    values = asdict(overrides)
    values["published"] = overrides.published.isoformat() if overrides.published else None
    return values
