"""The Atom feed of a search: ``/search/feed/?q=…`` with the page's filters."""

from __future__ import annotations

import datetime
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from archive.interviews.feeds import interview_date
from archive.search import service


class SearchFeed(Feed):
    """Atom: the newest turns matching a search (filters included), each
    dated by its interview's date, so a reader subscribed to a query learns
    of new interviews that match it."""

    feed_type = Atom1Feed
    LENGTH = 30

    def get_object(self, request: HttpRequest) -> service.SearchPage:
        try:
            wanted = service.SearchRequest.from_params(request.GET)
        except service.InvalidSearch as invalid:
            raise Http404(str(invalid)) from None
        if service.parse_query(wanted.q).empty:
            raise Http404(_("A search feed needs a query: /search/feed/?q=…"))
        found = service.search(replace(wanted, sort="newest", page=1, page_size=self.LENGTH))
        for hit in found.hits:  # the entry's id: the turn's permalink, whole (this instance serves every request)
            hit.guid = request.build_absolute_uri(hit.turn.get_absolute_url())
        return found

    def title(self, found: service.SearchPage) -> str:
        return _("AI Interview Archive: “%(query)s”") % {"query": found.request.q}

    def subtitle(self, found: service.SearchPage) -> str:
        return _("Turns matching this search, newest interviews first.")

    def link(self, found: service.SearchPage) -> str:
        return f"{reverse('search')}?{urlencode(found.request.as_params())}"

    def items(self, found: service.SearchPage) -> list[service.Hit]:
        return found.hits

    def item_title(self, hit: service.Hit) -> str:
        speaker = f"{hit.turn.speaker.name}：" if hit.turn.speaker else ""
        return f"{speaker}{hit.turn.article.title} {hit.turn.reference}"

    def item_description(self, hit: service.Hit) -> str:
        return hit.turn.text  # plain text: the feed generator escapes it

    def item_link(self, hit: service.Hit) -> str:
        return hit.url

    def item_guid(self, hit: service.Hit) -> str:
        return hit.guid

    item_guid_is_permalink = True

    def item_pubdate(self, hit: service.Hit) -> datetime.datetime:
        return interview_date(hit.turn.article)

    def item_updateddate(self, hit: service.Hit) -> datetime.datetime:
        return interview_date(hit.turn.article)

    def item_author_name(self, hit: service.Hit) -> str:
        return hit.turn.speaker.name if hit.turn.speaker else ""

    def item_categories(self, hit: service.Hit) -> list[str]:
        return [hit.turn.article.outlet.name] if hit.turn.article.outlet else []
