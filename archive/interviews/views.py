"""The reader's pages: home, interview, turn permalink, speaker, outlet."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.shortcuts import get_object_or_404, render

from archive.lib.chinese import differing
from archive.interviews.models import Article, Outlet, Speaker, Turn
from archive.search import highlight
from archive.search.query import parse_query


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_listing().prefetch_related("turns").newest_first()
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "interviews/home.html",
        {
            "page": page,
            "speakers": Speaker.objects.with_counts().filter(article_count__gt=0).order_by("-article_count", "name"),
            "outlets": Outlet.objects.all(),
        },
    )


def _article(slug: str) -> Article:
    queryset = Article.objects.with_listing().prefetch_related(
        Prefetch("turns", queryset=Turn.objects.select_related("speaker"))
    )
    return get_object_or_404(queryset, slug=slug)


@dataclass
class Column:
    """One rendering of a turn: its script, whether it is the published one,
    and its paragraphs as HTML (query matches marked; in the other rendering,
    the characters that differ from the original underlined)."""

    script: str
    lang: str
    original: bool
    paragraphs: list[SafeString]


def columns(turn: Turn, marks: list[str]) -> list[Column]:
    original = turn.article.script
    texts = {"hans": turn.text_hans.split("\n"), "hant": turn.text_hant.split("\n")}
    result = []
    for script, lang in (("hans", "zh-Hans"), ("hant", "zh-Hant")):
        paragraphs = []
        for index, paragraph in enumerate(texts[script]):
            source = texts[original][index] if index < len(texts[original]) else paragraph
            changed = differing(source, paragraph) if script != original else ()
            paragraphs.append(highlight.mark(paragraph, marks, changed))
        result.append(Column(script, lang, script == original, paragraphs))
    return result


def article(request: HttpRequest, slug: str, seq: int | None = None) -> HttpResponse:
    article = _article(slug)
    turns = list(article.turns.all())
    target = next((turn for turn in turns if turn.seq == seq), None) if seq is not None else None
    if seq is not None and target is None:
        raise Http404(_("This interview has no turn %(seq)s.") % {"seq": seq})
    q = request.GET.get("q", "")
    marks = parse_query(q).highlight
    for turn in turns:
        turn.article = article  # already loaded; columns and citations read it
        turn.columns = columns(turn, marks)
        turn.citation = citation(request, turn)
    description = " ".join((target.text if target else article.lead()).split())
    context = {"article": article, "turns": turns, "target": target, "q": q, "description": description}
    return render(request, "interviews/article.html", context)


def citation(request: HttpRequest, turn: Turn) -> str:
    """The quote with speaker, outlet, date, title and permalink, for pasting."""
    article = turn.article
    parts = [f"“{turn.text.replace(chr(10), ' ')}”"]
    source = [turn.speaker.name if turn.speaker else "", f"《{article.title}》"]
    if article.outlet:
        source.append(article.outlet.name)
    if article.published:
        source.append(article.published.isoformat())
    parts.append("——" + "，".join(filter(None, source)))
    parts.append(request.build_absolute_uri(turn.get_absolute_url()))
    return "\n".join(parts)


def speaker(request: HttpRequest, slug: str) -> HttpResponse:
    speaker = get_object_or_404(Speaker.objects.prefetch_related("names"), slug=slug)
    articles = Article.objects.with_listing().filter(participants__speaker=speaker).distinct().newest_first()
    answers = (
        Turn.objects.answers()
        .filter(speaker=speaker)
        .select_related("article__outlet")
        .order_by("-article__published", "-article__created", "seq")
    )
    page = Paginator(answers, 30).get_page(request.GET.get("page"))
    return render(request, "interviews/speaker.html", {"speaker": speaker, "articles": articles, "page": page})


def outlet(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = get_object_or_404(Outlet, slug=slug)
    articles = Article.objects.with_listing().prefetch_related("turns").filter(outlet=outlet).newest_first()
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "interviews/outlet.html", {"outlet": outlet, "page": page})
