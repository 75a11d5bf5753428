"""The reader's pages: home, interview, turn permalink, speaker, outlet."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

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


def article(request: HttpRequest, slug: str, seq: int | None = None) -> HttpResponse:
    article = _article(slug)
    turns = list(article.turns.all())
    target = next((turn for turn in turns if turn.seq == seq), None) if seq is not None else None
    if seq is not None and target is None:
        return render(request, "404.html", {"message": f"This interview has no turn {seq}."}, status=404)
    marks = parse_query(request.GET.get("q", "")).highlight
    for turn in turns:
        turn.hans = [highlight.mark(paragraph, marks) for paragraph in turn.text_hans.split("\n")]
        turn.hant = [highlight.mark(paragraph, marks) for paragraph in turn.text_hant.split("\n")]
    return render(
        request, "interviews/article.html", {"article": article, "turns": turns, "target": target, "q": request.GET.get("q", "")}
    )


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
    articles = Article.objects.with_listing().filter(outlet=outlet).newest_first()
    return render(request, "interviews/outlet.html", {"outlet": outlet, "articles": articles})
