"""The search page.

Everything works without JavaScript: the filters are a form, the views
(list, by interview, concordance) are links, the timeline is SVG drawn
here. The header's search box carries the active filters, so a new query
keeps them until their chip is removed.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import replace
from html import escape
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.interviews.models import Article, Outlet, Speaker, Turn
from archive.search import service

UNAVAILABLE = gettext_lazy("Search is unavailable for a moment while its index is repaired. Every interview can still be read.")
FACET_SHOWN = 12  # speakers and outlets linked on the page, most turns first (a link each for 200 speakers was most of the page's time)
FACET_LABELS = {"speaker": gettext_lazy("Speaker"), "outlet": gettext_lazy("Outlet"), "year": gettext_lazy("Year")}
FILTER_LABELS = {
    "speaker": gettext_lazy("Speaker"), "outlet": gettext_lazy("Outlet"), "article": gettext_lazy("Interview"),
    "kind": gettext_lazy("Kind"), "script": gettext_lazy("Published script"), "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"), "undated": gettext_lazy("Date"),
}
VIEWS = {"list": gettext_lazy("List"), "grouped": gettext_lazy("By interview"), "context": gettext_lazy("Concordance")}
SORT_LABELS = {"relevance": gettext_lazy("Best match"), "newest": gettext_lazy("Newest first"), "oldest": gettext_lazy("Oldest first")}


def search(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "list"
    q = request.GET.get("q", "")
    if name := request.GET.get("speaker_name", "").strip():
        return _to_speaker(request, name)
    try:
        wanted = service.SearchRequest.from_params(request.GET)
    except service.InvalidSearch as invalid:
        return render(request, "search/results.html", {"error": str(invalid), "q": q}, status=400)
    context = {"q": wanted.q, "wanted": wanted, "view": view, "carry": _carried(wanted, view)}
    if not wanted.q.strip():
        return render(request, "search/results.html", {**context, "help": True})
    try:
        found = service.search_grouped(wanted) if view == "grouped" else service.search(wanted)
    except service.InvalidSearch as invalid:  # a page past the last
        return render(request, "search/results.html", {**context, "error": str(invalid), "first": _url(wanted, view)}, status=400)
    except service.SearchUnavailable:
        return render(request, "search/results.html", {**context, "error": UNAVAILABLE}, status=503)
    return render(request, "search/results.html", {**context, **_results(found, view)})


def _to_speaker(request: HttpRequest, name: str) -> HttpResponse:
    """The filter form's "another speaker" box: the speaker with that name
    (any spelling, either script), as the same search filtered by their slug,
    the address every other link uses."""
    params = request.GET.copy()
    del params["speaker_name"]
    params.pop("page", None)
    speaker = Speaker.objects.named(name)
    if speaker is None:
        message = _("No speaker in the archive is named “%(name)s”.") % {"name": name}
        return render(request, "search/results.html", {"error": message, "q": params.get("q", ""), "first": f"?{params.urlencode()}"}, status=400)
    params["speaker"] = speaker.slug
    return redirect(f"{reverse('search')}?{params.urlencode()}")


def _results(found: service.SearchPage, view: str) -> dict:
    wanted = found.request
    params = urlencode(wanted.as_params())
    for group in found.groups:
        group.all_url = _url(replace(wanted, article=group.article.slug))
    for hit in (*found.hits, *found.closest, *(hit for group in found.groups for hit in group.hits)):
        hit.shown = _shown(hit)
    return {
        "found": found,
        "facets": _facets(found, view),
        "filters": [
            {"label": FILTER_LABELS[name], "value": _filter_name(name, value), "remove": _url(wanted.without(name), view)}
            for name, value in wanted.active_filters().items()
        ],
        "refine": _refine(found),
        "views": [{"name": name, "label": label, "url": _url(wanted, name), "current": name == view} for name, label in VIEWS.items()],
        "sorts": SORT_LABELS.items(),
        "timeline": timeline(found, view),
        "suggestions": [{**s, "url": _url(s["request"], view)} for s in found.suggestions],
        "previous": _url(wanted, view, page=wanted.page - 1) if wanted.page > 1 else "",
        "next": _url(wanted, view, page=wanted.page + 1) if wanted.page < found.pages else "",
        "export": {form: f"{reverse('api:search')}?{params}&format={form}" for form in ("csv", "json")},
        "feed": f"{reverse('search_feed')}?{params}",
    }


def _shown(hit: service.Hit) -> dict:
    """What a result shows, read once: the template looks up plain values.
    Through model instances, each step of a lookup like
    ``hit.turn.article.published`` is first tried as a mapping and fails;
    that was half of what a page of 20 results cost to render."""
    turn, article = hit.turn, hit.turn.article
    return {
        "kind": turn.kind, "kind_label": turn.get_kind_display(), "speaker": turn.speaker.name if turn.speaker else "",
        "article_url": article.get_absolute_url(), "title": article.title,
        "published": article.published.isoformat() if article.published else "",
        "lang": "zh-Hant" if article.script == "hant" else "zh-Hans",
        "url": hit.url, "reference": turn.reference, "snippet": hit.snippet, "matched": hit.matched,
        "timed": turn.start is not None,
    }


def _carried(wanted: service.SearchRequest, view: str) -> list[tuple[str, str]]:
    """What the header's search box sends besides the query: the filters,
    the order and the view, so that they survive a new query."""
    params = [(name, value) for name, value in wanted.as_params().items() if name != "q"]
    return params + ([("view", view)] if view != "list" else [])


def _filter_name(name: str, value) -> str:
    """A filter as a reader knows it: names and titles, not slugs."""
    if name == "speaker":
        return Speaker.objects.filter(slug=value).values_list("name", flat=True).first() or value
    if name == "outlet":
        return Outlet.objects.filter(slug=value).values_list("name", flat=True).first() or value
    if name == "article":
        return Article.objects.filter(slug=value).values_list("title", flat=True).first() or value
    if name == "kind":
        return Turn.Kind(value).label
    if name == "script":
        return _("Simplified") if value == "hans" else _("Traditional")
    if name == "undated":
        return _("date unknown")
    return value.isoformat()


def _refine(found: service.SearchPage) -> dict:
    """The filter form's choices: the speakers with most hits and every
    outlet among the results; the other speakers as suggestions for a box
    that takes a name (a list of every speaker among 45,000 hits, 200 of
    them, was the page's costliest part and no way to find one)."""
    wanted = found.request
    speakers = found.facets.get("speaker", [])
    return {
        "speakers": speakers[:FACET_SHOWN],
        # one join, not format_html per option: there may be hundreds
        "other_speakers": mark_safe("".join(f'<option value="{escape(s["name"])}">({s["count"]})</option>' for s in speakers[FACET_SHOWN:])),
        "outlets": found.facets.get("outlet", []),
        "answers_only": wanted.kind == Turn.Kind.ANSWER,
        "other_kind": wanted.kind if wanted.kind not in ("", Turn.Kind.ANSWER) else "",
    }


def _facets(found: service.SearchPage, view: str) -> list[dict]:
    wanted = found.request
    groups = []
    for name in ("speaker", "outlet", "year"):
        items = []
        values = found.facets.get(name, [])
        for value in values if name == "year" else values[:FACET_SHOWN]:
            if name == "year" and value["value"] == service.UNKNOWN:
                narrowed = replace(wanted, date_from=None, date_to=None, undated=True)
                value = {**value, "name": _("date unknown")}
            elif name == "year":
                year = int(value["value"])
                narrowed = replace(wanted, date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31), undated=False)
            else:
                narrowed = replace(wanted, **{name: value["value"]})
            items.append({**value, "url": _url(narrowed, view)})
        if items:
            groups.append({"label": FACET_LABELS[name], "items": items})
    return groups


BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 28, 6, 80


def timeline(found: service.SearchPage, view: str) -> dict | None:
    """Hits by year, or by month when they fall within two years: bars for
    an SVG drawn in the template, each a link that narrows to its period."""
    wanted = found.request
    years = [item for item in found.facets.get("year", []) if item["value"] != service.UNKNOWN]
    if not years:
        return None
    first, last = min(int(y["value"]) for y in years), max(int(y["value"]) for y in years)
    if last - first <= 1:
        counts = {item["value"]: item["count"] for item in found.facets.get("month", [])}
        periods = [f"{year}-{month:02d}" for year in range(first, last + 1) for month in range(1, 13)]
        first_month = min(counts)
        last_month = max(counts)
        periods = [p for p in periods if first_month <= p <= last_month]
        label = _("Hits by month")
    else:
        counts = {item["value"]: item["count"] for item in years}
        periods = [str(year) for year in range(first, last + 1)]
        label = _("Hits by year")
    tallest = max(counts.values())
    bars = []
    for index, period in enumerate(periods):
        count = counts.get(period, 0)
        height = round(CHART_HEIGHT * count / tallest) if count else 0
        start, end = _period(period)
        bars.append({
            "period": period, "count": count, "x": index * (BAR_WIDTH + BAR_GAP), "width": BAR_WIDTH,
            "y": CHART_HEIGHT - height, "height": height, "label_x": index * (BAR_WIDTH + BAR_GAP) + BAR_WIDTH / 2,
            "short": period[5:] if len(period) == 7 else period if len(periods) <= 12 else period[2:],
            "url": _url(replace(wanted, date_from=start, date_to=end, undated=False), view) if count else "",
        })
    undated = next((item["count"] for item in found.facets.get("year", []) if item["value"] == service.UNKNOWN), 0)
    return {
        "label": label, "bars": bars, "width": len(periods) * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT + 20,
        "baseline": CHART_HEIGHT, "text_y": CHART_HEIGHT + 15, "undated": undated,
        "range": f"{periods[0]} – {periods[-1]}" if len(periods) > 1 else periods[0],
    }


def _period(period: str) -> tuple[datetime.date, datetime.date]:
    if len(period) == 4:
        return datetime.date(int(period), 1, 1), datetime.date(int(period), 12, 31)
    year, month = int(period[:4]), int(period[5:])
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return datetime.date(year, month, 1), following - datetime.timedelta(days=1)


def _url(wanted: service.SearchRequest, view: str = "list", page: int = 1) -> str:
    params = wanted.as_params()
    if view != "list":
        params["view"] = view
    if page > 1:
        params["page"] = str(page)
    return "?" + urlencode(params)


def warm_up() -> None:
    """A web server's first searches through each page, at its start
    (archive/wsgi.py): a process's first request compiled templates, loaded
    the catalogs and taught jieba the speakers' names, 150–300 ms that a
    reader waited for. Logged, never raised: a server that cannot warm up
    still serves."""
    from django.db import connections
    from django.test import RequestFactory
    from django.utils import translation

    from archive.interviews import api

    factory = RequestFactory()
    try:
        for language in ("zh-hans", "zh-hant", "en"):
            with translation.override(language):
                request = factory.get("/search/", {"q": "预热 yure"})
                search(request)
                api.search(factory.get("/api/search/", {"q": "预热 yure"}))
    except Exception:
        logging.getLogger(__name__).warning("warming up the search pages failed", exc_info=True)
    finally:
        connections.close_all()
