"""The reader's pages: home, interview, turn permalink, speaker, outlet.

Addresses stay good: a turn's permalink (/t/<number>/) shows it, or leads
to where its words are now, or says they were removed and shows them; the
sequence-number links issued before permanent numbers, and an interview's
former slugs, redirect permanently."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.interviews import citations
from archive.interviews.models import Article, FormerSlug, LegacyLink, Outlet, RemovedTurn, Speaker, Turn
from archive.lib.chinese import differing
from archive.search import highlight
from archive.search.service import highlight_marks


HOME_SPEAKERS = HOME_OUTLETS = 30  # the most interviewed; every one is a search filter away
SPEAKER_INTERVIEWS = 50  # newest; their answers are paged below


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_listing().with_lead().newest_first()
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    speakers = Speaker.objects.people().with_article_counts().filter(article_count__gt=0).order_by("-article_count", "name")
    outlets = Outlet.objects.annotate(article_count=Count("articles")).filter(article_count__gt=0).order_by("-article_count", "name")
    return render(
        request,
        "interviews/home.html",
        {"page": page, "speakers": speakers[:HOME_SPEAKERS], "outlets": outlets[:HOME_OUTLETS]},
    )


def _article(**lookup) -> Article | None:
    queryset = Article.objects.with_listing().prefetch_related(
        Prefetch("turns", queryset=Turn.objects.select_related("speaker"))
    )
    return queryset.filter(**lookup).first()


def _moved(request: HttpRequest, url: str) -> HttpResponse:
    """A permanent redirect that keeps the query (?q= highlights) before the anchor."""
    path, hash_, anchor = url.partition("#")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{path}{'?' + query if query else ''}{hash_}{anchor}", permanent=True)


@dataclass
class Column:
    """One rendering of a turn: its script, whether it is the published one,
    and its paragraphs as (anchor, HTML) (query matches marked; in the other
    rendering, the characters that differ from the original underlined)."""

    script: str
    lang: str
    original: bool
    paragraphs: list[tuple[str, SafeString]]


def columns(turn: Turn, marks: list[str]) -> list[Column]:
    original = turn.article.script
    texts = {"hans": turn.text_hans.split("\n"), "hant": turn.text_hant.split("\n")}
    result = []
    for script, lang in (("hans", "zh-Hans"), ("hant", "zh-Hant")):
        paragraphs = []
        for index, paragraph in enumerate(texts[script]):
            source = texts[original][index] if index < len(texts[original]) else paragraph
            changed = differing(source, paragraph) if script != original else ()
            paragraphs.append((turn.paragraph_anchor(index + 1), highlight.mark(paragraph, marks, changed)))
        result.append(Column(script, lang, script == original, paragraphs))
    return result


def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = _article(slug=slug)
    if found is not None:
        return _interview(request, found)
    former = FormerSlug.objects.filter(slug=slug).select_related("article").first()
    if former is not None:
        return _moved(request, former.article.get_absolute_url())
    removed = RemovedTurn.objects.filter(article_slug=slug).order_by("-removed").first()
    if removed is not None and not Article.objects.filter(pk=removed.article_id).exists():
        return render(request, "interviews/removed.html", {"article_title": removed.article_title, "when": removed.removed}, status=410)
    raise Http404(_("No interview is at this address."))


def turn(request: HttpRequest, number: int) -> HttpResponse:
    """A turn's permalink: the interview at that turn; or, if the turn is
    gone, a permanent redirect to the turn that now holds its words, or a
    page (410 Gone) that says it was removed and shows what it said."""
    found = Turn.objects.filter(number=number).values_list("article_id", flat=True).first()
    if found is not None:
        return _interview(request, _article(pk=found), target=number)
    removed = get_object_or_404(RemovedTurn, number=number)
    if (successor := removed.successor()) is not None:
        return _moved(request, successor.get_absolute_url())
    context = {"removed": removed, "article": removed.article(), "article_title": removed.article_title, "when": removed.removed}
    return render(request, "interviews/removed.html", context, status=410)


def legacy_turn(request: HttpRequest, slug: str, seq: int) -> HttpResponse:
    """/interviews/<slug>/<seq>/, as turn permalinks were before they had numbers."""
    link = LegacyLink.objects.filter(slug=slug, seq=seq).first()
    if link is None:
        raise Http404(_("This interview has no turn %(seq)s.") % {"seq": seq})
    return _moved(request, link.get_absolute_url())


def _interview(request: HttpRequest, article: Article, target: int | None = None) -> HttpResponse:
    turns = list(article.turns.all())
    target = next((turn for turn in turns if turn.number == target), None) if target is not None else None
    for turn in turns:
        turn.article = article  # already loaded; columns and citations read it
    if form := request.GET.get("cite"):
        return cite(request, article, target, form)
    q = request.GET.get("q", "")
    marks = highlight_marks(q) if q else []
    for turn in turns:
        turn.columns = columns(turn, marks)
        turn.citation = citations.plain(citations.Source.of(article, turn, request.build_absolute_uri))
        turn.cite_links = citation_links(turn.permalink_path())
    description = " ".join((target.text if target else article.lead()).split())
    context = {
        "article": article, "turns": turns, "target": target, "q": q, "description": description,
        "contents": article.headings(),
        "cite_formats": citation_links(target.permalink_path() if target else article.get_absolute_url()),
    }
    return render(request, "interviews/article.html", context)


CITATION_LABELS = {"text": gettext_lazy("Plain text"), "bibtex": "BibTeX", "ris": "RIS", "csl": "CSL-JSON"}


def citation_links(path: str) -> list[tuple[str, str]]:
    """(label, URL) of each citation format of the interview or turn at ``path``."""
    return [(label, f"{path}?cite={form}") for form, label in CITATION_LABELS.items()]


def cite(request: HttpRequest, article: Article, turn: Turn | None, form: str) -> HttpResponse:
    """The citation of the interview, or of the turn, as a file in ``form``."""
    if form not in citations.FORMATS:
        raise Http404(_("There is no citation format %(format)s; use text, bibtex, ris or csl.") % {"format": form})
    media_type, extension = citations.FORMATS[form]
    text = citations.cite(citations.Source.of(article, turn, request.build_absolute_uri), form)
    response = HttpResponse(text, content_type=f"{media_type}; charset=utf-8")
    name = slugify(article.slug) + (f"-t{turn.number}" if turn else "")
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    return response


def speaker(request: HttpRequest, slug: str) -> HttpResponse:
    speaker = get_object_or_404(Speaker.objects.prefetch_related("names"), slug=slug)
    interviews = Article.objects.filter(participants__speaker=speaker)
    articles = interviews.with_listing().newest_first()[:SPEAKER_INTERVIEWS]
    answers = (
        Turn.objects.answers()
        .filter(speaker=speaker)
        .select_related("article__outlet")
        .order_by("-article__published", "-article__created", "seq")
    )
    page = Paginator(answers, 30).get_page(request.GET.get("page"))
    context = {"speaker": speaker, "articles": articles, "interview_count": interviews.count(), "page": page}
    return render(request, "interviews/speaker.html", context)


def outlet(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = get_object_or_404(Outlet, slug=slug)
    articles = Article.objects.with_listing().with_lead().filter(outlet=outlet).newest_first()
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "interviews/outlet.html", {"outlet": outlet, "page": page})
