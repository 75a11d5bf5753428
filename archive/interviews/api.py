"""The read-only public JSON API.

Plain function views returning JsonResponse; every error is JSON too, with a
message and the matching status, so API clients never get an HTML page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from archive.interviews.models import Article, Speaker, Turn
from archive.search import service


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error_response(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def api_view(view):
    """GET only; ApiError becomes a JSON error response."""

    @require_GET
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return JsonResponse(view(request, *args, **kwargs), json_dumps_params={"ensure_ascii": False})
        except ApiError as error:
            return error_response(str(error), error.status)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def positive_int(request: HttpRequest, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" and at most {maximum}" if maximum else ""
        raise ApiError(f"{name} must be at least 1{limit}; got {value}")
    return value


def paginate(request: HttpRequest, items, serialise) -> dict:
    page_size = positive_int(request, "page_size", 20, settings.API_MAX_PAGE_SIZE)
    number = positive_int(request, "page", 1)
    paginator = Paginator(items, page_size)
    if number > paginator.num_pages:
        raise ApiError(f"page {number} does not exist; there are {paginator.num_pages}", status=404)
    page = paginator.page(number)
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "results": [serialise(request, item) for item in page.object_list],
    }


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def article_summary(request: HttpRequest, article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "outlet": article.outlet.name if article.outlet else None,
        "published": article.published.isoformat() if article.published else None,
        "script": article.script,
        "speakers": [participant.speaker.name for participant in article.participants.all()],
        "url": absolute(request, article.get_absolute_url()),
    }


@api_view
def articles(request: HttpRequest) -> dict:
    return paginate(request, Article.objects.with_listing().newest_first(), article_summary)


@api_view
def article_detail(request: HttpRequest, slug: str) -> dict:
    article = (
        Article.objects.with_listing()
        .prefetch_related(Prefetch("turns", queryset=Turn.objects.select_related("speaker")))
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise ApiError(f"no article {slug!r}", status=404)
    return {
        **article_summary(request, article),
        "source_url": article.source_url or None,
        "media_url": article.media_url or None,
        "notes": article.notes,
        "deck": article.deck,
        "credits": article.credits,
        "speakers": [
            {"name": p.speaker.name, "slug": p.speaker.slug, "role": p.role} for p in article.participants.all()
        ],
        "turns": [
            {
                "seq": turn.seq,
                "kind": turn.kind,
                "speaker": turn.speaker.name if turn.speaker else None,
                "text": turn.text,
                "text_hans": turn.text_hans,
                "text_hant": turn.text_hant,
                "start": turn.start,
                "end": turn.end,
                "url": absolute(request, turn.get_absolute_url()),
            }
            for turn in article.turns.all()
        ],
    }


def speaker_summary(request: HttpRequest, speaker: Speaker) -> dict:
    return {
        "slug": speaker.slug,
        "name": speaker.name,
        "names": [name.name for name in speaker.names.all()],
        "description": speaker.description,
        "articles": speaker.article_count,
        "turns": speaker.turn_count,
        "url": absolute(request, speaker.get_absolute_url()),
    }


@api_view
def speakers(request: HttpRequest) -> dict:
    listing = Speaker.objects.with_counts().prefetch_related("names").order_by("-article_count", "name")
    return paginate(request, listing, speaker_summary)


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return error_response(f"no API endpoint {request.path}", 404)


@api_view
def search(request: HttpRequest) -> dict:
    """Turns matching ?q=, best first, with highlights in the published script and facets."""
    try:
        found = service.search(service.SearchRequest.from_params(request.GET))
    except service.InvalidSearch as error:
        raise ApiError(str(error)) from None
    except service.SearchUnavailable:
        raise ApiError("search is unavailable for a moment while its index is repaired", 503) from None
    return {
        "count": found.total,
        "page": found.request.page,
        "pages": found.pages,
        "notes": found.notes,
        "results": [
            {
                "article": hit.turn.article.slug,
                "article_title": hit.turn.article.title,
                "seq": hit.turn.seq,
                "kind": hit.turn.kind,
                "speaker": hit.turn.speaker.name if hit.turn.speaker else None,
                "text": hit.turn.text,
                "highlighted": str(hit.highlighted),
                "snippet": str(hit.snippet),
                "start": hit.turn.start,
                "url": absolute(request, hit.url),
            }
            for hit in found.hits
        ],
        "facets": found.facets,
        "suggestions": [
            {key: value for key, value in suggestion.items() if key != "request"} for suggestion in found.suggestions
        ],
    }
