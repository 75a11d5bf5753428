"""Haystack's Whoosh backend, fixed for Chinese.

The stock backend indexes the document field with a stemming analyzer that
sees a whole Chinese sentence as one word (so one-character queries find
nothing) and stores the full text a second time as a sortable column. Here
the document field uses ``ChineseTokenizer`` and is not stored, the filter
fields are exact sortable IDs (for filters and facets), and ``find`` runs a
query built by ``archive.search.query`` with filters and facet counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh import sorting
from whoosh.fields import ID, TEXT

from archive.search.analysis import ChineseAnalyzer

SEARCHED_FIELDS = ("names", "title")
EXACT_FIELDS = ("kind", "speaker", "outlet", "year", "script")
FACETS = ("speaker", "outlet", "year")


@dataclass
class Found:
    ids: list[int]  # Turn primary keys, best first
    total: int
    facets: dict[str, dict[str, int]]


class ChineseWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in (content_field_name, *SEARCHED_FIELDS):
            schema.remove(name)
            schema.add(name, TEXT(analyzer=ChineseAnalyzer(), phrase=True, stored=False))
        for name in EXACT_FIELDS:
            if name in schema:
                schema.remove(name)
                schema.add(name, ID(stored=True, sortable=True))
        return content_field_name, schema

    def find(self, query, *, filter_query=None, page: int = 1, page_size: int = 20, facets=FACETS) -> Found:
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        with self.index.searcher() as searcher:
            groups = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in facets}
            results = searcher.search_page(query, page, pagelen=page_size, filter=filter_query, groupedby=groups or None)
            ids = [int(hit["django_id"]) for hit in results]
            counts = {name: {key: n for key, n in results.results.groups(name).items() if key} for name in facets}
            return Found(ids=ids, total=results.total, facets=counts)

    def document_count(self) -> int:
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index.doc_count()


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshBackend


def search_backend() -> ChineseWhooshBackend:
    return connections["default"].get_backend()


def turn_index():
    """The haystack SearchIndex for turns."""
    from archive.interviews.models import Turn

    return connections["default"].get_unified_index().get_index(Turn)
