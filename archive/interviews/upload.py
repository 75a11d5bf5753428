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
import difflib
import io
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from archive.interviews.fetching import fetch_page
from archive.interviews.importer import ImportResult, Overrides, existing_article, parse_source, save_parsed, too_large
from archive.interviews.models import Article, StagedUpload, Turn
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


def preview(upload: StagedUpload, overrides: Overrides) -> tuple[ParsedArticle, Article | None]:
    """The upload parsed with the editor's corrections, and the article it would update."""
    parsed = parse_source(bytes(upload.data), overrides, name=upload.name)
    return parsed, existing_article(parsed, bytes(upload.data))


def confirm(upload: StagedUpload, overrides: Overrides) -> ImportResult:
    """Import the upload with the editor's corrections, atomically, and drop it from staging."""
    with transaction.atomic():
        result = save_parsed(parse_source(bytes(upload.data), overrides, name=upload.name), bytes(upload.data), name=upload.name)
        upload.delete()
    return result


@dataclass
class Change:
    """What re-importing would change in an existing article."""

    fields: list[tuple[str, str, str]]  # (field's name, now, after)
    turns_before: int
    turns_after: int
    changed_turns: list[tuple[str, SafeString, SafeString]]  # (replace|delete|insert, before, after), only the changed characters marked

    @property
    def nothing(self) -> bool:
        return not self.fields and not self.changed_turns

    def rows(self, limit: int = 20) -> list[tuple[str, SafeString, SafeString]]:
        """The changed passages as the preview shows them, what happened in words."""
        said = {"replace": gettext("changed"), "delete": gettext("removed"), "insert": gettext("added")}
        return [(said[tag], before, after) for tag, before, after in self.changed_turns[:limit]]


def changes(article: Article, parsed: ParsedArticle) -> Change:
    fields = []
    for label, now, after in (
        ("title", article.title, parsed.title),
        ("outlet", article.outlet.name if article.outlet else "", parsed.outlet),
        ("published", str(article.published or ""), str(parsed.published or "")),
        ("source_url", article.source_url, parsed.source_url),
        ("media_url", article.media_url, parsed.media_url),
    ):
        if now != after:
            fields.append((Article._meta.get_field(label).verbose_name, now, after))
    kinds = dict(Turn.Kind.choices)
    before = [f"{kinds[turn.kind]}: {turn.text}" for turn in article.turns.all()]
    after = [f"{kinds[turn.kind.value]}: {turn.text}" for turn in parsed.turns]
    changed = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            changed.append((tag, *inline_diff("\n".join(before[i1:i2]), "\n".join(after[j1:j2]))))
    return Change(fields, len(before), len(after), changed)


def inline_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, with only the characters that differ marked:
    <del> in the first, <ins> in the second (a changed word, not a whole
    turn struck out)."""
    old, new = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            old.append(escape(before[i1:i2]))
            new.append(escape(after[j1:j2]))
            continue
        if i2 > i1:
            old.append(f"<del>{escape(before[i1:i2])}</del>")
        if j2 > j1:
            new.append(f"<ins>{escape(after[j1:j2])}</ins>")
    return mark_safe("".join(old).replace("\n", "<br>")), mark_safe("".join(new).replace("\n", "<br>"))


def overrides_from(data: dict) -> Overrides:
    values = dict(data or {})
    if values.get("published"):
        values["published"] = datetime.date.fromisoformat(values["published"])
    values["kinds"] = {int(number): kind for number, kind in (values.get("kinds") or {}).items()}
    return Overrides(**values)


def overrides_data(overrides: Overrides) -> dict:
    """``overrides`` as JSON for ``StagedUpload.overrides``; ``overrides_from`` reads it back."""
    values = asdict(overrides)
    values["published"] = overrides.published.isoformat() if overrides.published else None
    return values
