"""The read-only public JSON API.

Plain function views returning JsonResponse; every error is JSON too, with a
message and the matching status, so API clients never get an HTML page.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from urllib.parse import quote

import yaml

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.text import slugify
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
    """GET only; a dict becomes JSON, ApiError a JSON error response; messages
    in English whatever the reader's interface language (a client parses them)."""

    @require_GET
    def wrapper(request: HttpRequest, *args, **kwargs):
        with translation.override("en"):
            try:
                body = view(request, *args, **kwargs)
            except ApiError as error:
                return error_response(str(error), error.status)
        if isinstance(body, HttpResponse):
            return body
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})

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
                "id": turn.number,
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


@functools.cache
def openapi_document() -> dict:
    """The API's description (openapi.yaml beside this file), read once."""
    return yaml.safe_load((Path(__file__).with_name("openapi.yaml")).read_text(encoding="utf-8"))


@api_view
def schema(request: HttpRequest) -> dict:
    """The OpenAPI 3.1 document describing this API."""
    return openapi_document()


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return error_response(f"no API endpoint {request.path}", 404)


EXPORT_FORMATS = ("csv", "json")
EXPORT_COLUMNS = ("article", "article_title", "outlet", "published", "id", "seq", "kind", "speaker", "text", "start", "url")


@api_view
def search(request: HttpRequest) -> dict | HttpResponse:
    """Turns matching ?q=, best first (or by date: sort=newest|oldest), with
    highlights in the published script and facets; how pinyin and the other
    side's wording were read; when the exact words find few turns, the
    closest matches; with format=csv or format=json, the whole result set
    (up to 10,000 turns) as a download."""
    export = request.GET.get("format", "")
    if export and export not in EXPORT_FORMATS:
        raise ApiError(f"format must be csv or json, not {export!r}")
    try:
        wanted = service.SearchRequest.from_params(request.GET)
        found = service.export(wanted) if export else service.search(wanted)
    except service.InvalidSearch as error:
        raise ApiError(str(error)) from None
    except service.SearchUnavailable:
        raise ApiError("search is unavailable for a moment while its index is repaired", 503) from None
    if export:
        return _download(request, found, export)
    return {
        "count": found.total,
        "page": found.request.page,
        "pages": found.pages,
        "notes": found.notes,
        "results": [_shown(request, hit) for hit in found.hits],
        "pinyin": found.pinyin,
        "vocabulary": found.vocabulary,
        "closest": [{**_shown(request, hit), "words_held": hit.matched, "words": found.words} for hit in found.closest],
        "facets": dict(found.facets),
        "suggestions": [
            {key: value for key, value in suggestion.items() if key != "request"} for suggestion in found.suggestions
        ],
    }


def _shown(request: HttpRequest, hit: service.Hit) -> dict:
    return {**_exported(request, hit), "highlighted": str(hit.highlighted), "snippet": str(hit.snippet)}


def _exported(request: HttpRequest, hit: service.Hit) -> dict:
    """One result as the API, the CSV and the JSON export give it."""
    article = hit.turn.article
    return {
        "article": article.slug,
        "article_title": article.title,
        "outlet": article.outlet.name if article.outlet else None,
        "published": article.published.isoformat() if article.published else None,
        "id": hit.turn.number,  # the turn's permanent number: /t/<id>/
        "seq": hit.turn.seq,
        "kind": hit.turn.kind,
        "speaker": hit.turn.speaker.name if hit.turn.speaker else None,
        "text": hit.turn.text,
        "start": hit.turn.start,  # seconds into the recording, if known
        "url": absolute(request, hit.url),
    }


def _download(request: HttpRequest, found: service.SearchPage, export: str) -> HttpResponse:
    """The result set as a UTF-8 file named for the query: CSV with a header
    row (and a byte-order mark, so spreadsheet programs read it as UTF-8), or
    JSON with the query and its filters."""
    rows = [_exported(request, hit) for hit in found.hits]
    if export == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        body = {
            "query": found.request.as_params(),
            "count": found.total,
            "exported": len(rows),
            "limit": service.EXPORT_LIMIT,
            "results": rows,
        }
        response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
    name = slugify(found.request.q, allow_unicode=True) or "search"
    response["Content-Disposition"] = f"attachment; filename=\"search.{export}\"; filename*=UTF-8''{quote(name, safe='')}.{export}"
    return response

