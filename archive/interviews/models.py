"""Outlets, speakers, articles and their turns.

Nothing of a source is lost: an article keeps the verbatim uploaded bytes and
their hash, and each turn keeps the cleaned original text beside its
Simplified and Traditional renderings, computed once when it is saved.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import models
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


def unique_slug(model: type[models.Model], text: str, *, exclude_pk=None, max_length: int = 50) -> str:
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
    while others.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class Slugged(models.Model):
    """A model whose slug is made once, in pinyin, from ``slug_source()``; later edits keep links stable."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        abstract = True

    def slug_source(self) -> str:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.slug_source(), exclude_pk=self.pk)
        super().save(*args, **kwargs)


class OutletQuerySet(models.QuerySet):
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


class SpeakerQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            article_count=models.Count("participations__article", distinct=True),
            turn_count=models.Count("turns", distinct=True),
        )

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


class SpeakerName(models.Model):
    """Every way a transcript has written a speaker's name (周鸿祎, 周鴻祎)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="names", verbose_name=_("speaker"))
    name = models.CharField(_("name"), max_length=200, unique=True)
    key = models.CharField(_("search key"), max_length=200, db_index=True, help_text=_("The name folded to Simplified lower case."))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("spelling of a name")
        verbose_name_plural = _("spellings of the name")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = fold(self.name)
        super().save(*args, **kwargs)


class ArticleQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(models.F("published").desc(nulls_last=True), "-created")

    def with_listing(self):
        return self.select_related("outlet").prefetch_related("participants__speaker")


class Article(Slugged):
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

    def __str__(self) -> str:
        return self.title

    def slug_source(self) -> str:
        return self.title

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
        """The first narration or answer paragraph, for listings."""
        for turn in self.turns.all():
            if turn.kind in (Turn.Kind.NARRATION, Turn.Kind.ANSWER):
                return turn.text.split("\n")[0]
        return self.deck


class Participant(models.Model):
    """A speaker's part in one article: asks or answers, and the label used."""

    class Role(models.TextChoices):
        ASKS = "asks", _("asks")
        ANSWERS = "answers", _("answers")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="participants", verbose_name=_("interview"))
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="participations", verbose_name=_("speaker"))
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    label = models.CharField(_("label"), max_length=200, help_text=_("The label as the transcript writes it."))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["article", "speaker"], name="one_part_per_speaker")]

    def __str__(self) -> str:
        return f"{self.speaker} {self.role} in {self.article}"


class TurnQuerySet(models.QuerySet):
    def answers(self):
        return self.filter(kind=Turn.Kind.ANSWER)


class Turn(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        ANSWER = "answer", _("answer")
        NARRATION = "narration", _("narration")
        HEADING = "heading", _("heading")
        CAPTION = "caption", _("caption")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="turns", verbose_name=_("interview"))
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

    objects = TurnQuerySet.as_manager()

    class Meta:
        ordering = ["article", "seq"]
        verbose_name = _("turn")
        verbose_name_plural = _("turns")
        constraints = [models.UniqueConstraint(fields=["article", "seq"], name="one_turn_per_position")]

    def __str__(self) -> str:
        return f"{self.article.slug} #{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self) -> None:
        """Compute the Simplified and Traditional renderings from the original."""
        self.text_hans, self.text_hant = renderings(self.text, self.article.published_script)

    @property
    def anchor(self) -> str:
        return f"t{self.seq}"

    def permalink_path(self) -> str:
        return reverse("interviews:turn", args=[self.article.slug, self.seq])

    def get_absolute_url(self) -> str:
        return f"{self.permalink_path()}#{self.anchor}"

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
