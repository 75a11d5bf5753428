"""The back office: upload → preview → confirm, and editing that keeps the
Simplified/Traditional renderings and the search index in step."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, F
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archive.interviews import upload as uploads
from archive.interviews.forms import PreviewForm, UploadForm
from archive.interviews.models import Article, Outlet, Participant, Speaker, SpeakerName, StagedUpload, Turn
from archive.lib.transcript import TranscriptError
from archive.search import indexing


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
    fields = ("seq", "kind", "speaker", "text", "renderings")
    readonly_fields = ("renderings",)
    autocomplete_fields = ("speaker",)
    ordering = ("seq",)

    @admin.display(description=_("Simplified / Traditional"))
    def renderings(self, turn: Turn) -> str:
        return format_html('<div lang="zh-Hans">{}</div><div lang="zh-Hant">{}</div>', turn.text_hans, turn.text_hant)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("speaker",)


HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("title", "outlet", "published", "script", "turn_count", "warning_count", "updated")
    list_filter = ("outlet", "script", ("published", admin.DateFieldListFilter))
    search_fields = ("title", "deck", "source_url", "source_name")
    date_hierarchy = "published"
    readonly_fields = ("slug", "import_ref", "source_name", "source_encoding", "source_hash", "source_link", "warnings", "created", "updated")
    exclude = ("source",)
    inlines = (ParticipantInline, TurnInline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("outlet").annotate(turn_total=Count("turns"))

    @admin.display(description=_("turns"), ordering="turn_total")
    def turn_count(self, article: Article) -> int:
        return article.turn_total

    @admin.display(description=_("warnings"))
    def warning_count(self, article: Article) -> int:
        return len(article.warnings)

    @admin.display(description=_("source"))
    def source_link(self, article: Article) -> str:
        if not article.pk:
            return "-"
        url = reverse("admin:interviews_article_source", args=[article.pk])
        return format_html('<a href="{}">{}</a> ({}, {})', url, article.source_name or "source", article.source_encoding, f"{len(article.source):,} bytes")

    def save_formset(self, request, form, formset, change):
        """Turns are saved in the order their numbers give (re-rendered as they
        are saved); save_related then queues the article for re-indexing."""
        if isinstance(formset, TurnFormSet):
            formset.save_turns()
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        indexing.queue([form.instance.pk])

    def delete_model(self, request, article):
        pk = article.pk
        with transaction.atomic():
            super().delete_model(request, article)
            indexing.queue([pk])

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            indexing.queue(pks)

    # The upload flow

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="interviews_article_upload"),
            path("upload/<int:pk>/", view(self.preview_view), name="interviews_article_preview"),
            path("<int:pk>/source/", view(self.source_view), name="interviews_article_source"),
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
            parsed, existing = uploads.preview(staged, base)
        except TranscriptError as error:  # the limits or parser changed since it was staged
            messages.error(request, f"{staged.name}: {uploads.Problem.of(staged.name, error).display}")
            staged.delete()
            return redirect("admin:interviews_article_upload")
        form = PreviewForm(request.POST or None, parsed=parsed)
        if request.method == "POST" and "discard" in request.POST:
            staged.delete()
            messages.info(request, _("%(name)s was discarded; nothing was stored.") % {"name": staged.name})
            return redirect("admin:interviews_article_upload")
        if request.method == "POST" and form.is_valid():
            corrected = form.overrides(base)
            staged.overrides = uploads.overrides_data(corrected)
            if "confirm" in request.POST:
                try:
                    result = uploads.confirm(staged, corrected)
                except TranscriptError as error:
                    messages.error(request, f"{staged.name}: {uploads.Problem.of(staged.name, error).display}")
                else:
                    _log(request, result.article, ADDITION if result.created else CHANGE,
                         f"{'Imported' if result.created else 'Re-imported'} {staged.name} ({result.parsed.encoding}, {len(result.parsed.turns)} turns)")
                    done = _("%(title)s was added with %(turns)s turns.") if result.created else _("%(title)s was updated; it has %(turns)s turns.")
                    messages.success(request, done % {"title": result.article.title, "turns": len(result.parsed.turns)})
                    return redirect("admin:interviews_article_change", result.article.pk)
            else:
                staged.save(update_fields=["overrides"])
                return redirect("admin:interviews_article_preview", staged.pk)
        context = {
            **self.admin_site.each_context(request), "title": _("Preview: %(name)s") % {"name": staged.name},
            "opts": self.model._meta, "staged": staged, "parsed": parsed, "form": form, "existing": existing,
            "change": uploads.changes(existing, parsed) if existing else None,
            "script": dict(Article.SCRIPTS)[parsed.script.value],
            "speaker_rows": [(*row, Speaker.objects.named(row[0].name)) for row in form.speaker_rows()],
            "known_speakers": SpeakerName.objects.order_by("name").values_list("name", flat=True).distinct(),
        }
        return TemplateResponse(request, "admin/interviews/article/preview.html", context)

    def source_view(self, request, pk: int):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        response = HttpResponse(bytes(article.source), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{article.source_name.rsplit("/", 1)[-1] or f"article-{pk}.txt"}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _log(request, obj, action: int, message: str) -> None:
    """A line in Django's admin history, for changes made outside its forms."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk, queryset=[obj], action_flag=action, change_message=message, single_object=True
    )


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
        return super().get_queryset(request).prefetch_related("names").annotate(article_total=Count("participations", distinct=True))

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
        articles = merge_speakers(keep, others)
        _log(request, keep, CHANGE, f"Merged {', '.join(s.name for s in others)} into {keep.name}")
        messages.success(request, _("Merged %(count)s speakers into %(name)s; %(articles)s interviews re-indexed.") % {
            "count": len(others), "name": keep.name, "articles": len(articles)})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        indexing.queue(form.instance.turns.values_list("article_id", flat=True).distinct())


@transaction.atomic
def merge_speakers(keep: Speaker, others: list[Speaker]) -> set[int]:
    """Move every name, turn and part of ``others`` to ``keep``; returns the articles touched."""
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
    indexing.queue(articles)
    return articles


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "short_names", "url")
    search_fields = ("name", "short_names")
    readonly_fields = ("slug",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            indexing.queue(obj.articles.values_list("pk", flat=True))


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
