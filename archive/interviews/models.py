"""Outlets, speakers, articles and their turns.

Nothing of a source is lost: an article keeps the verbatim uploaded bytes and
their hash, and each turn keeps the cleaned original text beside its
Simplified and Traditional renderings, computed once when it is saved.

Nothing cited is lost either: every turn has a permanent ``number`` (its
permalink, ``/t/<number>/``), a removed turn leaves a ``RemovedTurn`` with
its words, the sequence-number links issued before numbers existed are kept
as ``LegacyLink`` rows, and an article's old slugs as ``FormerSlug`` rows.
An editor's change to what a source said is remembered in ``edits``
(``SourceTracked``), so that re-importing never overwrites it silently.

Every QuerySet here announces bulk writes (``ArchiveQuerySet``) and
``archive.interviews.signals`` announces single saves and deletes, so that
derived state (the search index) follows every write.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from archive.lib.chinese import Script, fold, renderings, to_simplified, to_traditional
from archive.lib.transcript import format_time


def media_moment(url: str, seconds: float) -> str:
    """``url`` at ``seconds``: the ``t=`` parameter YouTube and Bilibili read,
    a media fragment (``#t=``) for an audio or video file."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    whole = int(seconds)
    if host == "youtu.be" or host.endswith(("youtube.com", "bilibili.com", "b23.tv")):
        query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "t"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("t", str(whole))]), fragment=""))
    return urlunsplit(parts._replace(fragment=f"t={seconds:g}"))


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None, max_length: int = 50, taken=lambda slug: False) -> str:
    """An ASCII slug in pinyin (周鸿祎 → zhou-hong-yi): readable, and unchanged when a link is copied."""
    spelled = " ".join(lazy_pinyin(to_simplified(text)))
    words = slugify(re.sub(r"[^\w\s-]", " ", spelled)).split("-")
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > max_length:
            break
        base = f"{base}-{word}" if base else word
    base = base or model._meta.model_name
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    slug, number = base, 2
    while others.filter(slug=slug).exists() or taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


class Slugged(models.Model):
    """A model whose slug is made once, in pinyin, from ``slug_source()``; later edits keep links stable."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        abstract = True

    def slug_source(self) -> str:
        raise NotImplementedError

    def slug_taken(self, slug: str) -> bool:
        """Whether ``slug`` is spoken for elsewhere than in the slug column."""
        return False

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.slug_source(), exclude_pk=self.pk, taken=self.slug_taken)
        super().save(*args, **kwargs)


def json_value(value):
    """A field value as ``edits`` stores it (JSON: dates as ISO strings)."""
    return value.isoformat() if isinstance(value, datetime.date) else value


class SourceTracked(models.Model):
    """A model some of whose fields come from an imported source and may be
    corrected by an editor. Saving (other than by the importer, which passes
    ``from_source=True``) compares each of ``TRACKED`` with the value loaded
    from the database and records in ``edits`` what the source had said, so
    that a re-import can tell the editor's work from the source's and ask
    when both changed (``archive.interviews.importer``)."""

    TRACKED: tuple[str, ...] = ()

    edits = models.JSONField(
        default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder,
        help_text="Fields an editor changed, each with the value the source had given.",
    )

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {name: getattr(instance, name) for name in cls.TRACKED if name in field_names}
        return instance

    def note_edits(self) -> None:
        """Mark what changed since loading as the editor's; a field set back to
        what the source says is the source's again."""
        edits = dict(self.edits)
        for name, before in getattr(self, "_loaded", {}).items():
            now = getattr(self, name)
            if json_value(now) == json_value(before):
                continue
            if name not in edits:
                edits[name] = json_value(before)
            elif edits[name] == json_value(now):
                del edits[name]
        self.edits = edits

    def save(self, *args, from_source: bool = False, **kwargs):
        if not from_source:
            self.note_edits()
        super().save(*args, **kwargs)
        self._loaded = {name: getattr(self, name) for name in self.TRACKED}

    def source_value(self, name: str):
        """What the source gave for ``name`` (the field itself, unless an editor changed it)."""
        return self.edits[name] if name in self.edits else json_value(getattr(self, name))


class ArchiveQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes announce the articles they touch
    (``signals.articles_changed``), as saves and deletes do through model
    signals: derived state such as the search index follows any write,
    whichever code makes it. ``delete()`` needs nothing here: with signal
    receivers connected, Django deletes object by object and sends
    ``post_delete`` for each."""

    def article_ids(self) -> set[int]:
        """The articles whose stored data these rows are part of."""
        raise NotImplementedError

    def _announce(self, article_ids) -> None:
        from archive.interviews.signals import articles_changed

        if ids := {pk for pk in article_ids if pk is not None}:
            articles_changed.send(sender=self.model, article_ids=ids)

    def _by_pk(self, pks) -> set[int]:
        return self.model._default_manager.filter(pk__in=list(pks)).article_ids()

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        before = self._by_pk(pks)
        count = super().update(**kwargs)
        self._announce(before | self._by_pk(pks))  # rows may have moved to other articles
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        self._announce(self._by_pk(obj.pk for obj in created if obj.pk is not None))
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        pks = [obj.pk for obj in objs]
        before = self._by_pk(pks)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        self._announce(before | self._by_pk(pks))
        return count


class Counter(models.Model):
    """A number that only grows, for public identifiers that must never be
    reused (turn numbers). A row of the database rather than a database
    sequence, so that it travels in backups and restores exactly: a number
    given to a turn since deleted is never given again."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"

    @classmethod
    def take(cls, name: str, count: int = 1) -> range:
        """The next ``count`` numbers. The row stays locked until the caller's
        transaction ends, so concurrent imports never get the same numbers."""
        with transaction.atomic():
            cls.objects.get_or_create(name=name)
            cls.objects.filter(name=name).update(value=models.F("value") + count)
            last = cls.objects.get(name=name).value
        return range(last - count + 1, last + 1)


class OutletQuerySet(ArchiveQuerySet):
    def article_ids(self) -> set[int]:
        return set(Article.objects.filter(outlet__in=self).values_list("pk", flat=True))

    def named(self, name: str) -> Outlet | None:
        """The outlet whose name or a short name is ``name`` in either script."""
        key = fold(name)
        return next((outlet for outlet in self if key in {fold(known) for known in outlet.all_names()}), None)

    def name_keys(self) -> set[str]:
        """Every name and short name of these outlets, folded."""
        return {fold(name) for outlet in self for name in outlet.all_names()}


class Outlet(Slugged):
    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("The publication's full name, e.g. 南方都市报."))
    short_names = models.JSONField(_("short names"), default=list, blank=True, help_text=_("Names it is quoted by, e.g. 南都."))
    url = models.URLField(_("web address"), blank=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name

    def slug_source(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interviews:outlet", args=[self.slug])

    def all_names(self) -> list[str]:
        return [self.name, *self.short_names]

    def add_short_name(self, name: str) -> bool:
        if fold(name) in {fold(known) for known in self.all_names()}:
            return False
        self.short_names = [*self.short_names, name]
        return True


class SpeakerQuerySet(ArchiveQuerySet):
    def article_ids(self) -> set[int]:
        return set(Turn.objects.filter(speaker__in=self).values_list("article_id", flat=True)) | set(
            Participant.objects.filter(speaker__in=self).values_list("article_id", flat=True)
        )

    def get_by_natural_key(self, name: str) -> Speaker:
        """By name, or by any name it was ever written as: history (django-reversion)
        refers to speakers so, and a speaker merged away is found in the one it joined."""
        speaker = self.filter(name=name).first() or self.filter(names__key=fold(name)).first()
        if speaker is None:
            raise Speaker.DoesNotExist(f"no speaker named {name!r}")
        return speaker

    def with_counts(self):
        """Each speaker's interviews and turns, counted by a subquery each:
        joining both tables multiplied every part by every turn before
        counting (a speaker of 25 interviews and 2,500 turns: 62,500 rows)."""
        return self.with_article_counts().annotate(turn_count=count_of(Turn, "speaker"))

    def with_article_counts(self):
        return self.annotate(article_count=count_of(Participant, "speaker"))

    def named(self, name: str) -> Speaker | None:
        """The speaker any of whose names is ``name`` in either script."""
        return self.filter(names__key=fold(name)).first()

    def people(self):
        """Speakers who are persons: not an outlet asking in its own interviews (南都, 中國企業家)."""
        return self.exclude(names__key__in=Outlet.objects.name_keys())


class Speaker(Slugged):
    name = models.CharField(_("name"), max_length=200, help_text=_("Display name, in the script the archive shows it in."))
    description = models.CharField(_("description"), max_length=300, blank=True, help_text=_("e.g. 360集团创始人"))

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    def slug_source(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.add_name(self.name)

    def get_absolute_url(self) -> str:
        return reverse("interviews:speaker", args=[self.slug])

    @property
    def name_hans(self) -> str:
        return to_simplified(self.name)

    @property
    def name_hant(self) -> str:
        return to_traditional(self.name)

    def variants(self) -> list[str]:
        return [name.name for name in self.names.all()]

    def add_name(self, name: str) -> None:
        SpeakerName.objects.get_or_create(speaker=self, name=name, defaults={"key": fold(name)})


class SpeakerNameQuerySet(ArchiveQuerySet):
    def article_ids(self) -> set[int]:
        return Speaker.objects.filter(names__in=self).article_ids()


class SpeakerName(models.Model):
    """Every way a transcript has written a speaker's name (周鸿祎, 周鴻祎)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="names", verbose_name=_("speaker"))
    name = models.CharField(_("name"), max_length=200, unique=True)
    key = models.CharField(_("search key"), max_length=200, db_index=True, help_text=_("The name folded to Simplified lower case."))

    objects = SpeakerNameQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("spelling of a name")
        verbose_name_plural = _("spellings of the name")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = fold(self.name)
        super().save(*args, **kwargs)


class ArticleQuerySet(ArchiveQuerySet):
    def article_ids(self) -> set[int]:
        return set(self.values_list("pk", flat=True))

    def newest_first(self):
        return self.order_by(models.F("published").desc(nulls_last=True), "-created")

    def with_listing(self):
        return self.select_related("outlet").prefetch_related("participants__speaker")

    def with_lead(self):
        """Each article's lead (``Article.lead``) from one subquery, rather
        than every turn of every listed article (200 each, loaded whole)."""
        first = Turn.objects.filter(article=models.OuterRef("pk"), kind__in=LEAD_KINDS).order_by("seq").values("text")[:1]
        return self.annotate(lead_text=Substr(models.Subquery(first), 1, LEAD_CHARS))


class Article(SourceTracked, Slugged):
    TRACKED = ("title", "outlet_id", "published", "source_url", "media_url", "deck", "credits", "notes")
    SCRIPTS = [(Script.SIMPLIFIED.value, _("Simplified")), (Script.TRADITIONAL.value, _("Traditional"))]

    title = models.CharField(_("title"), max_length=300)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles", verbose_name=_("outlet"))
    published = models.DateField(_("published"), null=True, blank=True, help_text=_("Publication date, if known."))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    media_url = models.URLField(
        _("recording URL"), max_length=500, blank=True,
        help_text=_("The recording (a YouTube or Bilibili page, or an audio or video file); turn times link into it."),
    )
    deck = models.TextField(_("lead"), blank=True, help_text=_("The standfirst under the title."))
    credits = models.JSONField(_("credits"), default=list, blank=True, help_text=_("Bylines, photo credits, datelines, one per item."))
    notes = models.JSONField(
        _("notes"), default=list, blank=True,
        help_text=_("Reprint and copyright notices, “not reviewed by the guest” notes and platform footers, one per item."),
    )
    script = models.CharField(_("published script"), max_length=4, choices=SCRIPTS, default=Script.SIMPLIFIED.value)

    import_ref = models.CharField(_("import reference"), max_length=300, unique=True, help_text=_("What identifies the source on re-import."))
    source = models.BinaryField(_("source"), help_text=_("The uploaded file, byte for byte."))
    source_name = models.CharField(_("source file name"), max_length=300, blank=True)
    source_encoding = models.CharField(_("source encoding"), max_length=20, blank=True)
    source_hash = models.CharField(_("source hash"), max_length=64, db_index=True, help_text=_("SHA-256 of the source bytes."))
    warnings = models.JSONField(_("parser warnings"), default=list, blank=True)

    created = models.DateTimeField(_("added"), auto_now_add=True)
    updated = models.DateTimeField(_("changed"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-created"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        # Listings (home, outlet, speaker, admin) are newest first, the undated
        # last: SQLite's DESC order (NULL is smallest); PostgreSQL sorts them.
        indexes = [
            models.Index(fields=["-published", "-created"], name="article_newest_first"),
            # the feed of new interviews: without it every interview's lead
            # was looked up before sorting (180 ms at 20,000 interviews)
            models.Index(fields=["-created"], name="article_newest_added"),
        ]

    def __str__(self) -> str:
        return self.title

    def slug_source(self) -> str:
        return self.title

    def slug_taken(self, slug: str) -> bool:
        return FormerSlug.objects.filter(slug=slug).exclude(article_id=self.pk).exists()

    def get_absolute_url(self) -> str:
        return reverse("interviews:article", args=[self.slug])

    @property
    def published_script(self) -> Script:
        return Script(self.script)

    @property
    def title_hans(self) -> str:
        return renderings(self.title, self.published_script)[0]

    @property
    def title_hant(self) -> str:
        return renderings(self.title, self.published_script)[1]

    def speakers(self) -> list[Speaker]:
        return [participant.speaker for participant in self.participants.all()]

    def people(self) -> list[Speaker]:
        """The speakers other than the outlet itself, which the byline already names."""
        outlet = {fold(name) for name in self.outlet.all_names()} if self.outlet else set()
        return [speaker for speaker in self.speakers() if fold(speaker.name) not in outlet]

    def headings(self) -> list[Turn]:
        """The heading turns, in order: the interview's table of contents."""
        return [turn for turn in self.turns.all() if turn.kind == Turn.Kind.HEADING]

    def lead(self) -> str:
        """The first narration or answer paragraph, for listings (from
        ``with_lead`` where the listing has it)."""
        if hasattr(self, "lead_text"):
            text = self.lead_text
        else:
            text = next((turn.text for turn in self.turns.all() if turn.kind in LEAD_KINDS), None)
        return text.split("\n")[0] if text else self.deck


class ParticipantQuerySet(ArchiveQuerySet):
    def article_ids(self) -> set[int]:
        return set(self.values_list("article_id", flat=True))


class Participant(models.Model):
    """A speaker's part in one article: asks or answers, and the label used."""

    class Role(models.TextChoices):
        ASKS = "asks", _("asks")
        ANSWERS = "answers", _("answers")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="participants", verbose_name=_("interview"))
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="participations", verbose_name=_("speaker"))
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    label = models.CharField(_("label"), max_length=200, help_text=_("The label as the transcript writes it."))

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["article", "speaker"], name="one_part_per_speaker")]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.get_role_display()})"  # within its article's page; in the reader's language


class TurnQuerySet(ArchiveQuerySet):
    def article_ids(self) -> set[int]:
        return set(self.values_list("article_id", flat=True))

    def answers(self):
        return self.filter(kind=Turn.Kind.ANSWER)

    def bulk_create(self, objs, *args, **kwargs):
        """New turns get their permanent numbers here when not given one."""
        objs = list(objs)
        unnumbered = [turn for turn in objs if turn.number is None]
        returning = [turn.number for turn in objs if turn.number is not None]  # removed turns brought back
        for turn, number in zip(unnumbered, Counter.take("turn", len(unnumbered)) if unnumbered else ()):
            turn.number = number
        created = super().bulk_create(objs, *args, **kwargs)
        RemovedTurn.objects.filter(number__in=returning).delete()
        return created


def turn_permalink(number: int) -> str:
    """The one place a turn's address is made: its permalink, with the anchor
    that scrolls the interview to it."""
    return f"{reverse('interviews:turn', args=[number])}#{turn_anchor(number)}"


def turn_anchor(number: int) -> str:
    """The turn's id on the interview page: the name readers see (#t4817)."""
    return turn_reference(number)


def turn_reference(number: int) -> str:
    """A turn as readers and citations name it: t<permanent number>."""
    return f"t{number}"


class Turn(SourceTracked):
    TRACKED = ("text", "kind", "speaker_id", "start", "end")

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        ANSWER = "answer", _("answer")
        NARRATION = "narration", _("narration")
        HEADING = "heading", _("heading")
        CAPTION = "caption", _("caption")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="turns", verbose_name=_("interview"))
    number = models.PositiveBigIntegerField(
        _("permanent number"), unique=True, editable=False,
        help_text=_("The turn's permalink, /t/<number>/: never changes, never given to another turn."),
    )
    seq = models.PositiveIntegerField(_("number"), help_text=_("Position in reading order, from 1."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.PROTECT, related_name="turns", verbose_name=_("speaker"))
    text = models.TextField(_("text"), help_text=_("The cleaned original; paragraphs separated by newlines."))
    text_hans = models.TextField(_("Simplified"), editable=False)
    text_hant = models.TextField(_("Traditional"), editable=False)
    source_line = models.PositiveIntegerField(
        _("source position"), null=True, blank=True,
        help_text=_("Where in the source it starts: a line, a subtitle cue or a Word paragraph."),
    )
    start = models.FloatField(_("start"), null=True, blank=True, help_text=_("Seconds into the recording where the turn starts."))
    end = models.FloatField(_("end"), null=True, blank=True, help_text=_("Seconds into the recording where the turn ends, if known."))
    added_by_editor = models.BooleanField(
        _("added by an editor"), default=False, editable=False,
        help_text=_("Added in the admin, not read from the source: re-imports keep it."),
    )

    objects = TurnQuerySet.as_manager()

    class Meta:
        ordering = ["article", "seq"]
        verbose_name = _("turn")
        verbose_name_plural = _("turns")
        constraints = [models.UniqueConstraint(fields=["article", "seq"], name="one_turn_per_position")]
        indexes = [models.Index(fields=["speaker", "kind"], name="turn_speaker_kind")]  # a speaker's answers

    def __str__(self) -> str:
        words = self.text.split("\n")[0]
        return f"{self.reference} {words[:24]}{'…' if len(words) > 24 else ''}"

    def save(self, *args, from_source: bool = False, **kwargs):
        if self._state.adding:
            self.number = self.number or Counter.take("turn")[0]
            self.added_by_editor = self.added_by_editor or not from_source
        self.render()
        super().save(*args, from_source=from_source, **kwargs)

    def render(self) -> None:
        """Compute the Simplified and Traditional renderings from the original."""
        self.text_hans, self.text_hant = renderings(self.text, self.article.published_script)

    @property
    def anchor(self) -> str:
        return turn_anchor(self.number)

    @property
    def reference(self) -> str:
        """How a reader names the turn (t4817): its permanent number, which
        its permalink carries and no correction changes; ``seq`` is only
        where it stands now."""
        return turn_reference(self.number)

    def permalink_path(self) -> str:
        return reverse("interviews:turn", args=[self.number])

    def get_absolute_url(self) -> str:
        return turn_permalink(self.number)

    def paragraph_anchor(self, number: int) -> str:
        """The id of the turn's paragraph ``number`` (from 1) on the interview page."""
        return f"{self.anchor}-p{number}"

    def paragraphs(self) -> list[str]:
        return self.text.split("\n")

    @property
    def time(self) -> str:
        """The start as players show it (1:02:03, 2:03); empty without one."""
        return format_time(self.start)

    def media_link(self) -> str:
        """The article's recording at this turn's moment, if both are known."""
        if self.start is None or not self.article.media_url:
            return ""
        return media_moment(self.article.media_url, self.start)


class RemovedTurn(models.Model):
    """The words of a turn that is gone, kept under its number so that its
    permalink can still say what it cited and that it was removed (or lead
    to the turn that now holds those words). Written whenever a turn is
    deleted (``archive.interviews.signals``), whoever deletes it; no foreign
    key, so it outlives its article."""

    number = models.PositiveBigIntegerField(unique=True)
    article_id = models.BigIntegerField(null=True, db_index=True)
    article_slug = models.CharField(max_length=80, db_index=True)
    article_title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Turn.Kind.choices)
    speaker_name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    text_hans = models.TextField()
    text_hant = models.TextField()
    source_text = models.TextField(blank=True, help_text="What the source said, if the turn came from one.")
    by_source = models.BooleanField(default=False, help_text="Removed because a corrected source no longer has it.")
    removed = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("removed turn")
        verbose_name_plural = _("removed turns")
        ordering = ["-removed", "-number"]

    def __str__(self) -> str:
        return f"{turn_reference(self.number)} (removed from {self.article_slug})"

    @classmethod
    def of(cls, turn: Turn) -> RemovedTurn:
        article = Article.objects.filter(pk=turn.article_id).values("slug", "title").first() or {"slug": "", "title": ""}
        speaker = Speaker.objects.filter(pk=turn.speaker_id).values_list("name", flat=True).first() or ""
        return cls(
            number=turn.number, article_id=turn.article_id, article_slug=article["slug"], article_title=article["title"],
            kind=turn.kind, speaker_name=speaker, text=turn.text, text_hans=turn.text_hans, text_hant=turn.text_hant,
            source_text="" if turn.added_by_editor else turn.source_value("text"),
        )

    def get_absolute_url(self) -> str:
        return turn_permalink(self.number)

    def article(self) -> Article | None:
        return Article.objects.filter(pk=self.article_id).first() if self.article_id else None

    def successor(self) -> Turn | None:
        """The turn of the same interview that now holds these words, if one
        does (an editor merged this turn into its neighbour, or a corrected
        source joined two turns)."""
        from archive.lib.alignment import containment

        if not self.article_id:
            return None
        best, share = None, SUCCESSOR_SHARE
        for turn in Turn.objects.filter(article_id=self.article_id).select_related("article"):
            if (found := containment(self.text, turn.text)) >= share:
                best, share = turn, found
        return best


LEAD_KINDS = (Turn.Kind.NARRATION, Turn.Kind.ANSWER)
LEAD_CHARS = 600  # of the first such turn: its first paragraph, as listings show it


def count_of(model: type[models.Model], key: str) -> models.Func:
    """How many rows of ``model`` have ``key`` equal to the outer row's pk, as a subquery."""
    counted = model.objects.filter(**{key: models.OuterRef("pk")}).order_by().values(key).annotate(n=models.Count("pk")).values("n")
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)


SUCCESSOR_SHARE = 0.9  # a removed turn's words are "there" when this much of them is, in order


class LegacyLink(models.Model):
    """A permalink issued before turns had numbers, /interviews/<slug>/<seq>/,
    and the turn it pointed at when numbers were given (migration 0005), so
    that it leads to those words for ever, wherever they move."""

    slug = models.CharField(max_length=80)
    seq = models.PositiveIntegerField()
    number = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("old turn link")
        verbose_name_plural = _("old turn links")
        ordering = ["slug", "seq"]
        constraints = [models.UniqueConstraint(fields=["slug", "seq"], name="one_legacy_link_per_position")]

    def __str__(self) -> str:
        return f"{self.slug}/{self.seq} → {turn_reference(self.number)}"

    def get_absolute_url(self) -> str:
        return turn_permalink(self.number)


class FormerSlug(models.Model):
    """A slug an article was known by: its old addresses redirect to the new."""

    slug = models.SlugField(max_length=80, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    until = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.slug} → {self.article.slug}"


class StagedUpload(models.Model):
    """An uploaded transcript awaiting an editor's confirmation in the admin.

    Only the upload itself is kept: nothing in the archive changes until the
    editor confirms the preview, which imports it and deletes this row.
    """

    name = models.CharField(_("file name"), max_length=300)
    data = models.BinaryField(_("data"))
    overrides = models.JSONField(_("corrections"), default=dict, blank=True, help_text=_("What the editor set in the upload form."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("uploaded by"))
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("upload awaiting confirmation")
        verbose_name_plural = _("uploads awaiting confirmation")

    def __str__(self) -> str:
        return self.name
