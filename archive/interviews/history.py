"""Every change to an article is a version that can be listed, compared and
restored: django-reversion, with the article, its turns and its speakers'
parts saved together as one revision, with who made it and what it was.

Why django-reversion rather than django-simple-history: a version of an
interview is the article *with its turns*. Reversion stores them together in
one revision (``follow``), and restoring it puts back the whole set;
simple-history keeps one history table per model, so a past interview would
have to be pieced together turn table by article table, and bulk writes
(the importer's) need its separate bulk helpers to be recorded at all.

Revisions are made explicitly (``revision()`` + ``snapshot()``) by the paths
that change articles: import and re-import, the admin's edits, speaker
merges, deletion and restoring. Their comment is a small JSON record
(``{"action": ...}``) rendered in the reader's language by ``describe``; an
admin edit keeps Django's own change message, which Django translates.

Turns refer to their speaker by name in a version (``Speaker.natural_key``),
so a version made before two speakers were merged restores onto the speaker
that now carries that name.
"""

from __future__ import annotations

import datetime
import difflib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Revision, Version

from archive.interviews.models import Article, Participant, Turn, turn_reference

reversion.register(Turn, use_natural_foreign_keys=True)
reversion.register(Participant, use_natural_foreign_keys=True)
reversion.register(Article, follow=("turns", "participants"), use_natural_foreign_keys=True)


@contextmanager
def revision(action: str, user=None, **details):
    """A revision of whatever is ``snapshot`` inside the block, saved when it
    ends (in the caller's transaction), with who and what."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user if user is not None and user.is_authenticated else None)
        reversion.set_comment(json.dumps({"action": action, **details}, ensure_ascii=False, default=str))
        yield


def note(**details) -> None:
    """Add details to the comment of the revision being made."""
    if reversion.is_active():
        record = _record(reversion.get_comment()) or {}
        reversion.set_comment(json.dumps(record | details, ensure_ascii=False, default=str))


def snapshot(article: Article) -> None:
    """Record the article as it is now, with its turns and parts, in the current revision."""
    if reversion.is_active() and article.pk:
        # Each turn names its speaker (a natural key): loaded with it, not by
        # a query per turn (nine tenths of an import's time for versions).
        current = Article.objects.prefetch_related(
            Prefetch("turns", queryset=Turn.objects.select_related("speaker")),
            Prefetch("participants", queryset=Participant.objects.select_related("speaker")),
        ).get(pk=article.pk)
        reversion.add_to_revision(current)


def versions_of(article_id: int):
    """The article's versions, newest first."""
    return (Version.objects.get_for_object_reference(Article, article_id)
            .select_related("revision", "revision__user").order_by("-revision__date_created", "-pk"))


def deleted_articles():
    """The last version of each article that no longer exists, newest first."""
    return Version.objects.get_deleted(Article).select_related("revision", "revision__user").order_by("-revision__date_created")


def _record(comment: str) -> dict | None:
    try:
        record = json.loads(comment)
    except ValueError:
        return None
    return record if isinstance(record, dict) and "action" in record else None


def describe(revision: Revision) -> str:
    """What a revision did, in the reader's language."""
    record = _record(revision.comment)
    if record is None:  # an admin edit: Django's change message, which it translates
        message = LogEntry(change_message=revision.comment).get_change_message()
        return _("Edited in the admin: %(change)s") % {"change": message} if message else _("Edited in the admin")
    action = record["action"]
    if action == "import":
        return ngettext("Imported from %(name)s: %(count)s turn", "Imported from %(name)s: %(count)s turns",
                        record.get("turns", 0)) % {"name": record.get("name") or "-", "count": record.get("turns", 0)}
    if action == "reimport":
        text = _("Re-imported from %(name)s: %(kept)s turns kept (%(changed)s changed), %(added)s added, %(removed)s removed") % {
            "name": record.get("name") or "-", **{key: record.get(key, 0) for key in ("kept", "changed", "added", "removed")}}
        if record.get("editor_kept"):
            text += "; " + _("the editor's version kept where the source also changed: %(what)s") % {"what": _decisions(record["editor_kept"])}
        if record.get("source_taken"):
            text += "; " + _("the source's version taken over the editor's: %(what)s") % {"what": _decisions(record["source_taken"])}
        return text
    if action == "merge":
        return _("Speakers merged: %(others)s into %(keep)s") % {"others": "、".join(record.get("others", [])), "keep": record.get("keep", "")}
    if action == "delete":
        return _("Deleted")
    if action == "restore":
        return _("Restored the version of %(date)s") % {"date": _moment(record.get("date", ""))}
    if action == "edit":
        return _("Edited in the admin")
    return action


def conflict_label(number: int | None, field: str) -> str:
    """What an editor and a corrected source disagree on, in the reader's
    language: what became of the turn, or the field's name (a turn's when
    ``number`` is given, else the article's)."""
    if field == "removed":
        return _("turn removed by an editor")
    if field == "dropped":
        return _("turn changed by an editor, no longer in the source")
    return str((Turn if number else Article)._meta.get_field(field).verbose_name)


def _decisions(items: list) -> str:
    """A re-import's decisions as its comment keeps them ({"number", "field"})."""
    named = []
    for item in items:
        if isinstance(item, str):  # a version recorded before decisions were kept as data: in English
            named.append(item)
        elif item.get("number"):
            named.append(f"{turn_reference(item['number'])} {conflict_label(item['number'], item['field'])}")
        else:
            named.append(conflict_label(None, item["field"]))
    return ", ".join(named)


def _moment(recorded: str) -> str:
    """A moment a comment keeps in ISO form, as the reader's language writes it."""
    try:
        moment = datetime.datetime.fromisoformat(recorded)
    except (TypeError, ValueError):  # recorded already written out, before moments were kept in ISO form
        return recorded
    return localize(localtime(moment))


# Reading a version back


@dataclass
class State:
    """An article as a version recorded it."""

    version: Version
    fields: dict
    turns: list[dict] = field(default_factory=list)  # in reading order, each with "number"
    participants: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.fields.get("title", "")


def _members(version: Version) -> list[Version]:
    """The turns' and parts' versions saved with this article version."""
    article_id = int(version.object_id)
    members = []
    for member in version.revision.version_set.exclude(pk=version.pk):
        if member._model in (Turn, Participant) and _data(member).get("article") == article_id:
            members.append(member)
    return members


def _data(version: Version) -> dict:
    """A version's stored fields, without resolving what they refer to."""
    return json.loads(version.serialized_data)[0]["fields"]


def state(version: Version) -> State:
    members = _members(version)
    turns = sorted((_data(m) | {"pk": int(m.object_id)} for m in members if m._model is Turn), key=lambda t: t["seq"])
    parts = [_data(m) for m in members if m._model is Participant]
    return State(version, _data(version), turns, parts)


# Comparing

COMPARED_FIELDS = ("title", "outlet", "published", "source_url", "media_url", "deck", "credits", "notes", "slug")


@dataclass
class TurnChange:
    number: int
    status: str  # "added", "removed", "changed", "moved"
    before: dict | None
    after: dict | None

    @property
    def marked(self) -> tuple[SafeString, SafeString]:
        return inline_diff((self.before or {}).get("text", ""), (self.after or {}).get("text", ""))


@dataclass
class Comparison:
    older: State
    newer: State
    fields: list[tuple[str, object, object]]
    turns: list[TurnChange]
    unchanged: int


def compare(older: Version, newer: Version) -> Comparison:
    a, b = state(older), state(newer)
    fields = [(name, a.fields.get(name), b.fields.get(name)) for name in COMPARED_FIELDS if a.fields.get(name) != b.fields.get(name)]
    before = {turn["number"]: turn for turn in a.turns}
    after = {turn["number"]: turn for turn in b.turns}
    order = {number: index for index, number in enumerate(after)}
    changes, unchanged = [], 0
    for number in [*after, *(n for n in before if n not in after)]:
        old, new = before.get(number), after.get(number)
        if old is None:
            changes.append(TurnChange(number, "added", None, new))
        elif new is None:
            changes.append(TurnChange(number, "removed", old, None))
        elif any(old.get(key) != new.get(key) for key in ("text", "kind", "speaker")):
            changes.append(TurnChange(number, "changed", old, new))
        else:
            unchanged += 1
    changes.sort(key=lambda change: order.get(change.number, len(order)))
    return Comparison(a, b, fields, changes, unchanged)


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


# Restoring


class RestoreError(Exception):
    """A version cannot be put back; the message says why."""


@transaction.atomic
def restore(version: Version, user=None) -> Article:
    """Put the article back as ``version`` recorded it, turns and parts
    included, as a new version. Turns keep their numbers, so their permalinks
    lead to the restored words; turns added since are removed (their
    permalinks then say so)."""
    if version._model is not Article:
        raise RestoreError(_("This is not a version of an article."))
    article_id = int(version.object_id)
    members = _members(version)
    keep_turns = {int(m.object_id) for m in members if m._model is Turn}
    keep_parts = {int(m.object_id) for m in members if m._model is Participant}
    with revision("restore", user, date=version.revision.date_created.isoformat()):
        Turn.objects.filter(article_id=article_id).exclude(pk__in=keep_turns).delete()
        Participant.objects.filter(article_id=article_id).exclude(pk__in=keep_parts).delete()
        Turn.objects.filter(article_id=article_id).update(seq=F("seq") + 1_000_000)  # out of the restored numbers' way
        try:
            version.revert()
            for member in sorted(members, key=lambda m: m._model is Turn):  # parts first, then turns
                member.revert()
        except ObjectDoesNotExist as error:  # a speaker whose every name is gone
            raise RestoreError(_("This version refers to something no longer in the archive (%(error)s).") % {"error": error}) from None
        except Exception as error:
            if "slug" in str(error).lower():
                raise RestoreError(_("Another article now has this version's address (slug); change one of them first.")) from None
            raise
        article = Article.objects.get(pk=article_id)
        snapshot(article)
    return article


def revision_summary(version: Version) -> SafeString:
    """Who and when, for listings."""
    user = version.revision.user.get_username() if version.revision.user else "—"
    return format_html("{} · {}", localize(localtime(version.revision.date_created)), user)
