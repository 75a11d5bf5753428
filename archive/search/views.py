import datetime
from dataclasses import replace
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from archive.search import service

UNAVAILABLE = _("Search is unavailable for a moment while its index is repaired. Every interview can still be read.")
FACET_LABELS = {"speaker": _("Speaker"), "outlet": _("Outlet"), "year": _("Year")}
FILTER_LABELS = {
    "speaker": _("Speaker"), "outlet": _("Outlet"), "article": _("Interview"), "kind": _("Kind"),
    "script": _("Published script"), "date_from": _("From"), "date_to": _("To"),
}


def search(request: HttpRequest) -> HttpResponse:
    try:
        wanted = service.SearchRequest.from_params(request.GET)
    except service.InvalidSearch as invalid:
        context = {"error": str(invalid), "q": request.GET.get("q", "")}
        return render(request, "search/results.html", context, status=400)
    try:
        found = service.search(wanted)
    except service.SearchUnavailable:
        context = {"error": UNAVAILABLE, "q": wanted.q}
        return render(request, "search/results.html", context, status=503)
    return render(
        request,
        "search/results.html",
        {
            "found": found,
            "q": wanted.q,
            "facets": _facets(found),
            "filters": [
                {"label": FILTER_LABELS[name], "value": value, "remove": _url(wanted.without(name))}
                for name, value in wanted.active_filters().items()
            ],
            "suggestions": [{**s, "url": _url(s["request"])} for s in found.suggestions],
            "previous": _url(wanted, page=wanted.page - 1) if wanted.page > 1 else "",
            "next": _url(wanted, page=wanted.page + 1) if wanted.page < found.pages else "",
        },
    )


def _facets(found: service.SearchPage) -> list[dict]:
    wanted = found.request
    groups = []
    for name, values in found.facets.items():
        field = "date_from" if name == "year" else name
        items = []
        for value in values:
            if name == "year":
                narrowed = replace(wanted, date_from=_year_start(value), date_to=_year_end(value))
            else:
                narrowed = replace(wanted, **{field: value["value"]})
            items.append({**value, "url": _url(narrowed)})
        if items:
            groups.append({"label": FACET_LABELS[name], "items": items})
    return groups


def _year_start(value: dict) -> datetime.date:
    return datetime.date(int(value["value"]), 1, 1)


def _year_end(value: dict) -> datetime.date:
    return datetime.date(int(value["value"]), 12, 31)


def _url(wanted: service.SearchRequest, page: int = 1) -> str:
    params = wanted.as_params()
    if page > 1:
        params["page"] = str(page)
    return "?" + urlencode(params)
