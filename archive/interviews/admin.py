"""The back office: upload → preview → confirm, editing that keeps the
Simplified/Traditional renderings in step, and every article's history
(list, compare, restore; archive.interviews.history). The search index
follows every save by itself (archive.interviews.signals)."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.models import Version

from archive.interviews import history
from archive.interviews import upload as uploads
from archive.interviews.forms import PreviewForm, UploadForm
from archive.interviews.models import Article, FormerSlug, Outlet, Participant, Speaker, SpeakerName, StagedUpload, Turn, count_of
from archive.interviews.templatetags.ingest import translated
from archive.lib.transcript import TranscriptError


class TurnFormSet(BaseInlineFormSet):
    """Turn numbers say where a turn goes, not who it is: two turns may give
    the same number (a split) and are made consecutive on save."""

    def validate_unique(self):
        pass  # (article, seq) is unique only after renumbering; see save_turns

    def save_turns(self) -> None:
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if f.is_valid() and not (self.can_delete and self._should_delete_form(f))]
        order = sorted(range(len(kept)), key=lambda i: (kept[i].cleaned_data["seq"], kept[i].instance.pk is None, i))
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []  # for the admin's history
        with transaction.atomic():
            for deleted in self.deleted_forms:
                if deleted.instance.pk:
                    self.deleted_objects.append(deleted.instance)
                    deleted.instance.delete()
            Turn.objects.filter(article=self.instance).update(seq=F("seq") + 1_000_000)
            for seq, i in enumerate(order, 1):
                form = kept[i]
                turn = form.save(commit=False)
                new = turn.pk is None
                turn.article, turn.seq = self.instance, seq
                turn.save()
                if new:
                    self.new_objects.append(turn)
                elif form.has_changed():
                    self.changed_objects.append((turn, form.changed_data))


class TurnInline(admin.StackedInline):
    """Turns in reading order. To split a turn, shorten it and add a turn with
    the same number holding the rest; to merge two, append one's text to the
    other and delete it. Numbers are made consecutive again on save."""

    model = Turn
    formset = TurnFormSet
    extra = 0
    verbose_name_plural = _("turns (split: add a turn with the same number; merge: append the text and delete the other)")
    fields = ("seq", "kind", "speaker", "text", "renderings", "origin")
    readonly_fields = ("renderings", "origin")
    autocomplete_fields = ("speaker",)
    ordering = ("seq",)

    @admin.display(description=_("Simplified / Traditional"))
    def renderings(self, turn: Turn) -> str:
        return format_html('<div lang="zh-Hans">{}</div><div lang="zh-Hant">{}</div>', turn.text_hans, turn.text_hant)

    @admin.display(description=_("permalink and source"))
    def origin(self, turn: Turn) -> str:
        """Its permanent number, and what the source said where an editor changed it:
        a re-import keeps the editor's version and asks when the source changes too."""
        if not turn.pk:
            return "-"
        link = format_html('<a href="{}">{}</a>', turn.get_absolute_url(), turn.reference)
        if turn.added_by_editor:
            return format_html("{} · {}", link, _("added by an editor"))
        if not turn.edits:
            return link
        return format_html("{}<div><strong>{}</strong> {}</div>", link, _("edited; the source says:"), turn.source_value("text"))


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("speaker",)


HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def _https_urls(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ArticleForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Article
        exclude = ("source", "warnings")  # the file itself is downloaded, its warnings shown in words (parser_warnings)
        help_texts = {"slug": _("The last part of its address, /interviews/…/. Old addresses keep working: they redirect to the new one.")}

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if FormerSlug.objects.filter(slug=slug).exclude(article=self.instance.pk).exists():
            raise forms.ValidationError(_("Another interview was once at this address; its old links must keep leading there."))
        return slug


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    formfield_overrides = HTTPS_URLS
    list_display = ("title", "outlet", "published", "script", "turn_count", "warning_count", "updated")
    list_filter = ("outlet", "script", ("published", admin.DateFieldListFilter))
    search_fields = ("title", "deck", "source_url", "source_name")
    date_hierarchy = "published"
    readonly_fields = ("import_ref", "source_name", "source_encoding", "source_hash", "source_link", "parser_warnings", "created", "updated")
    inlines = (ParticipantInline, TurnInline)
    object_history_template = "admin/interviews/article/history.html"

    def get_queryset(self, request):
        # Counted per listed row by a subquery (a join counted every turn of
        # the archive for each page), and without the uploaded file.
        return super().get_queryset(request).select_related("outlet").defer("source").annotate(turn_total=count_of(Turn, "article"))

    @admin.display(description=_("turns"), ordering="turn_total")
    def turn_count(self, article: Article) -> int:
        return article.turn_total

    @admin.display(description=_("warnings"))
    def warning_count(self, article: Article) -> int:
        return len(article.warnings)

    @admin.display(description=_("parser warnings"))
    def parser_warnings(self, article: Article) -> str:
        """What the parser dropped, moved or guessed, in the reader's language (stored as templates and values)."""
        if not article.warnings:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((translated(warning),) for warning in article.warnings)))

    @admin.display(description=_("source"))
    def source_link(self, article: Article) -> str:
        if not article.pk:
            return "-"
        url = reverse("admin:interviews_article_source", args=[article.pk])
        return format_html('<a href="{}">{}</a> ({}, {})', url, article.source_name or _("source"), article.source_encoding, filesizeformat(len(article.source)))

    def save_formset(self, request, form, formset, change):
        """Turns are saved in the order their numbers give (re-rendered as they are saved)."""
        if isinstance(formset, TurnFormSet):
            formset.save_turns()
        else:
            super().save_formset(request, form, formset, change)

    # Every edit is a version, made once the article and its turns are saved.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with history.revision("edit", request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        history.snapshot(form.instance)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message or "[]")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message or "[]")
        return entry

    @transaction.atomic
    def delete_model(self, request, article):
        with history.revision("delete", request.user):  # saved before the deletion: reversion keeps versions of rows that exist
            history.snapshot(article)  # the article as it was, to restore from "Deleted interviews"
        super().delete_model(request, article)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    # History: list, compare, restore

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied if article else Http404
        versions = list(history.versions_of(article.pk))
        for version in versions:
            version.description = history.describe(version.revision)
        context = {**self.admin_site.each_context(request), "title": _("History: %(title)s") % {"title": article.title},
                   "opts": self.model._meta, "object": article, "versions": versions,
                   "can_restore": self.has_change_permission(request, article)}
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, pk: int):
        article_versions = history.versions_of(pk)
        older = get_object_or_404(article_versions, pk=request.GET.get("from") or 0)
        newer = get_object_or_404(article_versions, pk=request.GET.get("to") or 0)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        comparison = history.compare(older, newer)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "comparison": comparison,
                   "title": _("Compare versions: %(title)s") % {"title": comparison.newer.title}, "article_id": pk,
                   "older_description": history.describe(older.revision), "newer_description": history.describe(newer.revision),
                   "can_restore": self.has_change_permission(request)}
        return TemplateResponse(request, "admin/interviews/article/compare.html", context)

    def restore_view(self, request, version_id: int):
        version = get_object_or_404(Version.objects.get_for_model(Article), pk=version_id)
        if not (self.has_change_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        try:
            article = history.restore(version, request.user)
        except history.RestoreError as error:
            messages.error(request, str(error))
            return redirect("admin:interviews_article_changelist")
        messages.success(request, _("“%(title)s” is back as it was on %(date)s; its permalinks lead to those words.") % {
            "title": article.title, "date": history.revision_summary(version)})
        return redirect("admin:interviews_article_history", article.pk)

    def deleted_view(self, request):
        if not (self.has_change_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        versions = list(history.deleted_articles())
        for version in versions:
            version.description = history.describe(version.revision)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "versions": versions,
                   "title": _("Deleted interviews")}
        return TemplateResponse(request, "admin/interviews/article/deleted.html", context)

    # The upload flow

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="interviews_article_upload"),
            path("upload/<int:pk>/", view(self.preview_view), name="interviews_article_preview"),
            path("upload/confirm/", view(require_POST(self.confirm_many_view)), name="interviews_article_confirm_many"),
            path("<int:pk>/source/", view(self.source_view), name="interviews_article_source"),
            path("<int:pk>/history/compare/", view(self.compare_view), name="interviews_article_compare"),
            path("history/<int:version_id>/restore/", view(require_POST(self.restore_view)), name="interviews_article_restore"),
            path("deleted/", view(self.deleted_view), name="interviews_article_deleted"),
            *super().get_urls(),
        ]

    def _require_add(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def upload_view(self, request):
        self._require_add(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        batch = None
        if request.method == "POST" and form.is_valid():
            files = [(file.name, file.read()) for file in form.cleaned_data["files"]]
            if form.cleaned_data["text"].strip():
                files.append((uploads.PASTED, form.cleaned_data["text"].encode("utf-8")))
            batch = uploads.stage(files, form.overrides(), user=request.user, urls=form.cleaned_data["urls"])
            if len(batch.staged) == 1 and not batch.problems:
                return redirect("admin:interviews_article_preview", batch.staged[0].upload.pk)
        context = {**self.admin_site.each_context(request), "title": _("Upload transcripts"), "form": form,
                   "batch": batch, "opts": self.model._meta, "pending": StagedUpload.objects.all()}
        return TemplateResponse(request, "admin/interviews/article/upload.html", context)

    def preview_view(self, request, pk: int):
        self._require_add(request)
        staged = get_object_or_404(StagedUpload, pk=pk)
        base = uploads.overrides_from(staged.overrides)
        try:
            plan = uploads.preview(staged, base)
        except TranscriptError as error:  # the limits or parser changed since it was staged
            messages.error(request, f"{staged.name}: {uploads.Problem.of(staged.name, error).display}")
            staged.delete()
            return redirect("admin:interviews_article_upload")
        parsed, existing = plan.parsed, plan.article
        form = PreviewForm(request.POST or None, parsed=parsed, conflicts=plan.conflicts)
        if request.method == "POST" and "discard" in request.POST:
            staged.delete()
            messages.info(request, _("%(name)s was discarded; nothing was stored.") % {"name": staged.name})
            return redirect("admin:interviews_article_upload")
        if request.method == "POST" and form.is_valid():
            corrected = form.overrides(base)
            staged.overrides = uploads.overrides_data(corrected)
            if "confirm" in request.POST:
                try:
                    result = uploads.confirm(staged, corrected, user=request.user)
                except TranscriptError as error:
                    messages.error(request, f"{staged.name}: {uploads.Problem.of(staged.name, error).display}")
                else:
                    if result.status != "unchanged":  # what the file and its turns were: the article's history (a version)
                        _log(request, result.article, ADDITION if result.created else CHANGE,
                             [{"added": {}}] if result.created else [{"changed": {"fields": [_kept_in_english(Article._meta.get_field("source").verbose_name)]}}])
                    messages.success(request, STATUS_MESSAGES[result.status] % {
                        "title": result.article.title, "turns": len(result.parsed.turns)})
                    return redirect("admin:interviews_article_change", result.article.pk)
            else:
                staged.save(update_fields=["overrides"])
                return redirect("admin:interviews_article_preview", staged.pk)
        context = {
            **self.admin_site.each_context(request), "title": _("Preview: %(name)s") % {"name": staged.name},
            "opts": self.model._meta, "staged": staged, "parsed": parsed, "form": form, "existing": existing, "plan": plan,
            "change": uploads.changes(plan) if existing and not plan.unchanged else None,
            "conflict_rows": [(uploads.shown_conflict(conflict), choice) for conflict, choice in form.conflict_rows()],
            "script": dict(Article.SCRIPTS)[parsed.script.value],
            "speaker_rows": [(*row, Speaker.objects.named(row[0].name)) for row in form.speaker_rows()],
            "known_speakers": SpeakerName.objects.order_by("name").values_list("name", flat=True).distinct(),
        }
        return TemplateResponse(request, "admin/interviews/article/preview.html", context)

    def confirm_many_view(self, request):
        """Import the checked uploads as they stand (``uploads.confirm_many``)."""
        self._require_add(request)
        staged = list(StagedUpload.objects.filter(pk__in=request.POST.getlist("upload")).order_by("pk"))
        outcomes = uploads.confirm_many(staged, user=request.user)
        statuses = [outcome.result.status for outcome in outcomes if not outcome.failed]
        for outcome in outcomes:
            if outcome.failed:
                error = outcome.error
                problem = uploads.Problem.of(outcome.source.name, error).display if isinstance(error, TranscriptError) else outcome.reason
                messages.error(request, f"{outcome.source.name}: {problem}")
            elif outcome.result.status != "unchanged":
                result = outcome.result
                _log(request, result.article, ADDITION if result.created else CHANGE,
                     f"{'Imported' if result.created else 'Re-imported'} {outcome.source.name} ({result.parsed.encoding}, {len(result.parsed.turns)} turns)")
                for conflict in result.plan.conflicts:
                    messages.warning(request, _("%(name)s: the editor's version of %(what)s was kept; the new source changes it too.") % {
                        "name": outcome.source.name, "what": conflict.describe()})
        if statuses:
            messages.success(request, _("Imported %(created)s new interviews, updated %(updated)s, %(unchanged)s unchanged.") % {
                status: statuses.count(status) for status in ("created", "updated", "unchanged")})
        return redirect("admin:interviews_article_upload")

    def source_view(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        response = HttpResponse(bytes(article.source), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{article.source_name.rsplit("/", 1)[-1] or f"article-{pk}.txt"}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


STATUS_MESSAGES = {
    "created": _("%(title)s was added with %(turns)s turns."),
    "updated": _("%(title)s was updated; it has %(turns)s turns."),
    "unchanged": _("%(title)s is unchanged: the archive already has this exact file."),
}


def _log(request, obj, action: int, message: list[dict]) -> None:
    """A line in Django's admin history, for changes made outside its forms.
    ``message`` is in the JSON form Django's forms store (``[{"added": …}]``,
    ``[{"changed": {"fields": […]}}]``, with English names), which
    ``LogEntry.get_change_message`` translates when it is shown."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk, queryset=[obj], action_flag=action, change_message=message, single_object=True
    )


def _kept_in_english(name) -> str:
    """A model's or field's name as Django's change messages keep it: the
    English message id, translated when the message is shown."""
    with translation.override(None):
        return str(name)


class SpeakerNameInline(admin.TabularInline):
    model = SpeakerName
    extra = 0
    fields = ("name",)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "names", "article_count")
    search_fields = ("name", "names__name", "names__key", "description")
    readonly_fields = ("slug",)
    inlines = (SpeakerNameInline,)
    actions = ("merge",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names").annotate(article_total=count_of(Participant, "speaker"))

    @admin.display(description=_("names"))
    def names(self, speaker: Speaker) -> str:
        return "、".join(speaker.variants())

    @admin.display(description=_("interviews"), ordering="article_total")
    def article_count(self, speaker: Speaker) -> int:
        return speaker.article_total

    @admin.action(description=_("Merge the selected speakers into the first one (by name)"), permissions=("change",))
    def merge(self, request, queryset):
        speakers = list(queryset.order_by("name", "pk"))
        if len(speakers) < 2:
            messages.warning(request, _("Select at least two speakers to merge."))
            return
        keep, others = speakers[0], speakers[1:]
        names = list(SpeakerName.objects.filter(speaker__in=others).values_list("name", flat=True))
        described = keep.description
        articles = merge_speakers(keep, others, user=request.user)
        spelling, description = (_kept_in_english(name) for name in (SpeakerName._meta.verbose_name, Speaker._meta.get_field("description").verbose_name))
        _log(request, keep, CHANGE, [{"added": {"name": spelling, "object": name}} for name in names]
             + ([{"changed": {"fields": [description]}}] if keep.description != described else []))
        LogEntry.objects.log_actions(user_id=request.user.pk, queryset=others, action_flag=DELETION)
        messages.success(request, _("Merged %(count)s speakers into %(name)s; %(articles)s interviews re-indexed.") % {
            "count": len(others), "name": keep.name, "articles": len(articles)})



@transaction.atomic
def merge_speakers(keep: Speaker, others: list[Speaker], user=None) -> set[int]:
    """Move every name, turn and part of ``others`` to ``keep``; returns the
    articles touched, each of which gets a version."""
    with history.revision("merge", user, keep=keep.name, others=[s.name for s in others]):
        articles = _merge(keep, others)
        for article in Article.objects.filter(pk__in=articles):
            history.snapshot(article)
    return articles


def _merge(keep: Speaker, others: list[Speaker]) -> set[int]:
    ids = [speaker.pk for speaker in others]
    articles = set(Turn.objects.filter(speaker_id__in=ids).values_list("article_id", flat=True))
    articles |= set(Participant.objects.filter(speaker_id__in=ids).values_list("article_id", flat=True))
    SpeakerName.objects.filter(speaker_id__in=ids).update(speaker=keep)  # every spelling stays findable
    Turn.objects.filter(speaker_id__in=ids).update(speaker=keep)
    for participant in Participant.objects.filter(speaker_id__in=ids):
        if Participant.objects.filter(article_id=participant.article_id, speaker=keep).exists():
            participant.delete()  # both were in one interview: keep's part stays
        else:
            participant.speaker = keep
            participant.save(update_fields=["speaker"])
    if not keep.description:
        keep.description = next((s.description for s in others if s.description), "")
        keep.save(update_fields=["description"])
    Speaker.objects.filter(pk__in=ids).delete()
    return articles


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "short_names", "url")
    search_fields = ("name", "short_names")
    readonly_fields = ("slug",)


@admin.register(StagedUpload)
class StagedUploadAdmin(admin.ModelAdmin):
    list_display = ("name", "uploaded_by", "created", "preview_link")
    readonly_fields = ("name", "uploaded_by", "created", "overrides")
    exclude = ("data",)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("preview"))
    def preview_link(self, upload: StagedUpload) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:interviews_article_preview", args=[upload.pk]), _("preview"))
