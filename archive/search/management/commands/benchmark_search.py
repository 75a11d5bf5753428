"""Index and query speed on a synthetic archive built from the seed paragraphs.

Run through ``make bench`` (a scratch data directory). Prints the full-index
time and rate, the index size, and search latency p50/p95 through the JSON
API for a fixed mix of queries, beside haystack's stock Whoosh set-up
(StemmingAnalyzer, stored text, its highlighter) on the same corpus.
"""

import logging
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import QueryParser

from archive.interviews.models import Article, Turn
from archive.search import synthetic
from archive.search.backend import search_backend
from archive.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Benchmark indexing and search on a synthetic archive (use `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=5, help="Times each query is run.")

    def handle(self, *args, turns, rounds, **options):
        if Article.objects.exists():
            raise CommandError("run it in an empty data directory (make bench does)")
        logging.getLogger("archive.requests").setLevel(logging.WARNING)  # a line per timed request would bury the figures
        started = time.perf_counter()
        synthetic.build(turns)
        self.stdout.write(f"corpus: {Turn.objects.count():,} turns in {Article.objects.count():,} articles, built in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        reindex_all()
        elapsed = time.perf_counter() - started
        size = _size(Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"]))
        self.stdout.write(f"ours:  full index {elapsed:.1f} s ({turns / elapsed:,.0f} turns/s), index {size / 2**20:.0f} MiB")
        started = time.perf_counter()
        search_backend().warm_up()
        self.stdout.write(f"ours:  warm-up, once per server process (each segment's columns and lengths): {time.perf_counter() - started:.2f} s")
        self._latency("ours:  search via /api/search/", self._api_search, rounds)

        with tempfile.TemporaryDirectory() as scratch:
            stock = self._stock_index(Path(scratch))
            self._latency("stock: search + highlight", stock, rounds)

    def _api_search(self, params: dict) -> None:
        response = self.client.get("/api/search/", params)
        if response.status_code != 200:
            raise CommandError(f"/api/search/ answered {response.status_code} for {params}")

    def _latency(self, label: str, run, rounds: int) -> None:
        self.client = Client()
        run(synthetic.QUERIES[0][1])  # warm up: jieba, index readers
        timings, by_kind = [], defaultdict(list)
        for _ in range(rounds):
            for kind, params in synthetic.QUERIES:
                started = time.perf_counter()
                run(params)
                timings.append((time.perf_counter() - started) * 1000)
                by_kind[kind].append(timings[-1])
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        self.stdout.write(f"{label}: p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms over {len(timings)} queries")
        kinds = ", ".join(f"{kind} {statistics.median(times):.0f}" for kind, times in by_kind.items())
        self.stdout.write(f"       median ms by kind: {kinds}")

    def _stock_index(self, path: Path):
        """Haystack's defaults, reproduced: StemmingAnalyzer over the stored text."""
        schema = Schema(pk=ID(stored=True), text=TEXT(stored=True, analyzer=StemmingAnalyzer()))
        ix = whoosh_index.create_in(str(path), schema)
        started = time.perf_counter()
        writer = ix.writer(limitmb=256)
        for pk, title, text in Turn.objects.values_list("pk", "article__title", "text").iterator(chunk_size=5000):
            writer.add_document(pk=str(pk), text=f"{title}\n{text}")
        writer.commit()
        elapsed = time.perf_counter() - started
        total = Turn.objects.count()
        self.stdout.write(f"stock: full index {elapsed:.1f} s ({total / elapsed:,.0f} turns/s), index {_size(path) / 2**20:.0f} MiB")
        parser = QueryParser("text", schema)
        searcher = ix.searcher()
        searcher.fragmenter = ContextFragmenter()
        searcher.formatter = HtmlFormatter()

        def run(params: dict) -> None:
            results = searcher.search(parser.parse(params["q"]), limit=20)
            for hit in results:
                hit.highlights("text")

        return run


def _size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
