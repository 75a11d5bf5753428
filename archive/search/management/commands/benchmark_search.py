"""Import, index and search speed on a synthetic archive built from the seed
paragraphs, searched through HTTP against the servers the README starts.

Run through ``make bench`` (a scratch data directory; ``BENCH_ARGS="--turns
1000000"`` for a million turns). Writes ``--turns`` turns as transcript files
of 200 turns (``synthetic.write_transcripts``) and imports them with
``manage.py import_transcripts`` as an editor would (parsed, stored and
indexed a batch at a time), then rebuilds the index from the database;
prints the rate of each, and the index size. Then, for ``make run``'s
runserver and ``make serve``'s gunicorn in turn, started over that data
directory as the Makefile starts them: the time until the server answers,
and search latency through HTTP (a new connection per request, as a browser opening a results
page) for the mix in ``synthetic.QUERIES`` (common and rare words, one
character, phrases, English, pinyin, near-quotes, the other side's
vocabulary, queries that find nothing, filters, cross-script, several
words), each on the results page and the JSON API: the first pass (every
query new to the server) and ``--rounds`` repeated passes in a shuffled
order, by kind, with the later half of the repeats (warm) and its common
queries apart; each process's resident and proportional memory after
those searches (the warm-up); and the listing pages at that size (home, a
speaker with thousands of answers, an outlet, an interview, the feed, the
API and the admin's lists), each ``--rounds`` times. ``--stock`` adds
haystack's stock Whoosh set-up (StemmingAnalyzer, stored text, its
highlighter) on the same corpus, in-process.
"""

import logging
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from importlib import import_module
from pathlib import Path
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import QueryParser

from archive.interviews.models import Article, Outlet, Speaker, Turn, count_of
from archive.search import measuring, synthetic
from archive.search.backend import search_backend
from archive.search.indexing import reindex_all

ENDPOINTS = ("/search/", "/api/search/")


class Command(BaseCommand):
    help = ("Benchmark importing, indexing, and search and listing pages through HTTP on runserver and gunicorn, "
            "on a synthetic archive (use `make bench`).")

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=8, help="Repeated passes over the query mix after the first.")
        parser.add_argument("--servers", default=",".join(measuring.SERVERS), help="Which servers, comma-separated.")
        parser.add_argument("--stock", action="store_true", help="Also index and search the stock haystack way, in-process.")

    def handle(self, *args, turns, rounds, servers, stock, **options):
        if Article.objects.exists():
            raise CommandError("run it in an empty data directory (make bench does)")
        logging.getLogger("archive.requests").setLevel(logging.WARNING)
        with tempfile.TemporaryDirectory() as scratch:
            self._import(Path(scratch) / "transcripts", turns)
        turns = Turn.objects.count()
        started = time.perf_counter()
        reindex_all()
        elapsed = time.perf_counter() - started
        size = _size(Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"]))
        self.stdout.write(f"ours:  full rebuild {elapsed:.1f} s ({turns / elapsed:,.0f} turns/s), index {size / 2**20:.0f} MiB"
                          f" ({size / 2**20 / turns * 1e6:,.0f} MiB per million turns)")
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

    def _import(self, folder: Path, turns: int) -> None:
        """Write the corpus as transcript files and import them the way an editor does."""
        started = time.perf_counter()
        files = synthetic.write_transcripts(folder, turns)
        self.stdout.write(f"corpus: {turns:,} turns in {len(files):,} transcript files, written in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "manage.py", "import_transcripts", str(folder)], cwd=settings.BASE_DIR,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode:
            raise CommandError(f"import_transcripts failed: {done.stderr[-2000:]}")
        stored = Turn.objects.count()
        self.stdout.write(f"import: {stored:,} turns in {Article.objects.count():,} interviews in {elapsed:.1f} s"
                          f" ({stored / elapsed:,.0f} turns/s: parsed, stored and indexed); its summary: {done.stdout.splitlines()[-1]}")

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
            resident = measuring.resident_mib(process)
            pages = self._pages(port, rounds, failures)
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
        memory = ", ".join(f"{rss:.0f} ({pss:.0f})" for rss, pss in resident)
        self.stdout.write(f"{server}: memory after the searches, MiB by process, resident (proportional): {memory}")
        for label, timings in pages:
            self.stdout.write(f"{server}: page {label:<28} p50 {measuring.percentile(timings, 50):5.0f} ms  slowest {max(timings):5.0f} ms")
        return failures

    def _pages(self, port: int, rounds: int, failures: list[str]) -> list[tuple[str, list[float]]]:
        """Each listing page at this size, ``rounds`` times, the admin's signed in."""
        timed = []
        signed_in = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={_editor_session()}"}
        for label, path in _listing_pages():
            headers = signed_in if path.startswith(reverse("admin:index")) else None
            timings = []
            for _ in range(rounds):
                ms, status = measuring.timed_get(port, path, headers)
                if status != 200:
                    failures.append(f"{path}: HTTP {status}")
                timings.append(ms)
            timed.append((label, timings))
        return timed

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


def _listing_pages() -> list[tuple[str, str]]:
    """The pages that list interviews, speakers and answers, where the archive is largest."""
    speaker = Speaker.objects.annotate(answers=count_of(Turn, "speaker")).order_by("-answers").first()
    outlet = Outlet.objects.annotate(interviews=Count("articles")).order_by("-interviews").first()
    article = Article.objects.order_by("pk").first()
    home = reverse("interviews:home")
    return [
        ("home", home),
        ("home, page 100", f"{home}?page=100"),
        (f"speaker ({speaker.answers:,} answers)", speaker.get_absolute_url()),
        ("speaker, answers page 50", f"{speaker.get_absolute_url()}?page=50"),
        ("outlet", outlet.get_absolute_url()),
        ("interview (200 turns)", article.get_absolute_url()),
        ("feed", reverse("feed")),
        ("API interviews", reverse("api:articles")),
        ("API speakers", reverse("api:speakers")),
        ("admin interviews", reverse("admin:interviews_article_changelist")),
        ("admin speakers", reverse("admin:interviews_speaker_changelist")),
        ("admin outlets", reverse("admin:interviews_outlet_changelist")),
    ]


def _editor_session() -> str:
    """A signed-in superuser's session key, as the admin's sign-in leaves one."""
    editor = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", "bench@example.com", None)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.save()
    return session.session_key


def _size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
