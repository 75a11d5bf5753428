"""The reader's pages: home, interview, turn permalink, speaker, outlet."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.shortcuts import get_object_or_404, render

from archive.interviews import citations
from archive.interviews.models import Article, Outlet, Speaker, Turn
from archive.lib.chinese import differing
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
            "speakers": Speaker.objects.people().with_counts().filter(article_count__gt=0).order_by("-article_count", "name"),
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


def article(request: HttpRequest, slug: str, seq: int | None = None) -> HttpResponse:
    article = _article(slug)
    turns = list(article.turns.all())
    target = next((turn for turn in turns if turn.seq == seq), None) if seq is not None else None
    if seq is not None and target is None:
        raise Http404(_("This interview has no turn %(seq)s.") % {"seq": seq})
    for turn in turns:
        turn.article = article  # already loaded; columns and citations read it
    if form := request.GET.get("cite"):
        return cite(request, article, target, form)
    q = request.GET.get("q", "")
    marks = parse_query(q).highlight
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
    name = slugify(article.slug) + (f"-{turn.seq}" if turn else "")
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    return response


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
