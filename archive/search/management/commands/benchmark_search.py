"""Index and search speed on a synthetic archive built from the seed paragraphs,
searched through HTTP against the servers the README starts.

Run through ``make bench`` (a scratch data directory). Prints the full-index
time and rate and the index size; then, for ``make run``'s runserver and
``make serve``'s gunicorn in turn, started over that data directory as the
Makefile starts them: the time until the server answers, and search latency
through HTTP (a new connection per request, as a browser opening a results
page) for the mix in ``synthetic.QUERIES`` (common and rare words, one
character, phrases, English, pinyin, near-quotes, the other side's
vocabulary, queries that find nothing, filters, cross-script, several
words), each on the results page and the JSON API: the first pass (every
query new to the server) and ``--rounds`` repeated passes in a shuffled
order, by kind, with the later half of the repeats (warm) and its common
queries apart. ``--stock`` adds
haystack's stock Whoosh set-up (StemmingAnalyzer, stored text, its
highlighter) on the same corpus, in-process.
"""

import logging
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import QueryParser

from archive.interviews.models import Article, Turn
from archive.search import measuring, synthetic
from archive.search.backend import search_backend
from archive.search.indexing import reindex_all

ENDPOINTS = ("/search/", "/api/search/")


class Command(BaseCommand):
    help = "Benchmark indexing, and search through HTTP on runserver and gunicorn, on a synthetic archive (use `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=8, help="Repeated passes over the query mix after the first.")
        parser.add_argument("--servers", default=",".join(measuring.SERVERS), help="Which servers, comma-separated.")
        parser.add_argument("--stock", action="store_true", help="Also index and search the stock haystack way, in-process.")

    def handle(self, *args, turns, rounds, servers, stock, **options):
        if Article.objects.exists():
            raise CommandError("run it in an empty data directory (make bench does)")
        logging.getLogger("archive.requests").setLevel(logging.WARNING)
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
        failures = []
        for server in servers.split(","):
            failures += self._through(server.strip(), rounds)
        if stock:
            with tempfile.TemporaryDirectory() as scratch:
                self._stock(Path(scratch), rounds)
        if failures:
            raise CommandError(f"{len(failures)} requests failed, e.g. {failures[:3]}")

    def _through(self, server: str, rounds: int) -> list[str]:
        """Time the query mix through HTTP on one server; returns the failed requests."""
        port = measuring.free_port()
        started = time.perf_counter()
        process = measuring.start(server, port)
        failures = []
        try:
            measuring.wait_until_up(port, process, server)
            self.stdout.write(f"{server}: answering /healthz {time.perf_counter() - started:.1f} s after start")
            paths = [(kind, f"{endpoint}?{urlencode(params)}") for kind, params in synthetic.QUERIES for endpoint in ENDPOINTS]
            first, repeated, slowest = [], [], []
            for kind, path in paths:
                first.append(self._get(port, kind, path, failures))
                slowest.append((first[-1][1], unquote(path)))
            shuffled = random.Random(13)
            for round_ in range(rounds):
                for kind, path in shuffled.sample(paths, len(paths)):
                    repeated.append((round_, *self._get(port, kind, path, failures)))
            health = [measuring.timed_get(port, "/healthz")[0] for _ in range(20)]
        finally:
            measuring.stop(process)
        everything = first + [(kind, ms) for _, kind, ms in repeated]
        # gunicorn's processes each keep their own searchers and results, and
        # a request goes to any of them: the later half of the repeats is
        # what a warmed-up server answers.
        warm = [(kind, ms) for round_, kind, ms in repeated if round_ >= rounds // 2]
        self.stdout.write(f"{server}: all searches        {measuring.summary([ms for _, ms in everything])}")
        self.stdout.write(f"{server}: first pass (cold)   {measuring.summary([ms for _, ms in first])}")
        self.stdout.write(f"{server}: warm (last {rounds - rounds // 2} passes) {measuring.summary([ms for _, ms in warm])}")
        self.stdout.write(f"{server}: warm common queries {measuring.summary([ms for kind, ms in warm if kind == 'common'])}")
        self.stdout.write(f"{server}: /healthz            {measuring.summary(health)}")
        worst = ", ".join(f"{path} {ms:.0f}" for ms, path in sorted(slowest, reverse=True)[:5])
        self.stdout.write(f"{server}: slowest cold, ms: {worst}")
        by_kind = defaultdict(list)
        for kind, ms in everything:
            by_kind[kind].append(ms)
        kinds = ", ".join(f"{kind} {measuring.percentile(times, 50):.0f}/{measuring.percentile(times, 95):.0f}" for kind, times in by_kind.items())
        self.stdout.write(f"{server}: p50/p95 ms by kind: {kinds}")
        return failures

    def _get(self, port: int, kind: str, path: str, failures: list[str]) -> tuple[str, float]:
        ms, status = measuring.timed_get(port, path)
        if status != 200:
            failures.append(f"{path}: HTTP {status}")
        return kind, ms

    def _stock(self, path: Path, rounds: int) -> None:
        run = self._stock_index(path)
        timings = []
        for _ in range(rounds):
            for _, params in synthetic.QUERIES:
                started = time.perf_counter()
                run(params)
                timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(f"stock: search + highlight, in-process {measuring.summary(timings)}")

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
