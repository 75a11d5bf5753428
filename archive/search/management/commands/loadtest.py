"""Drive the site under gunicorn with a bounded mixed load while transcripts
are imported, then check that nothing was lost.

Run through ``make loadtest`` (a scratch data directory). It builds a
synthetic archive (``--turns``) beside the seeds, starts gunicorn on a free
loopback port with the production settings, and runs ``--clients`` clients
for ``--seconds``, each waiting ``--think`` seconds on average between
requests (a reader reading; ``--think 0`` saturates the server): searches through the API and the search page,
interview pages and permalinks, the home, speaker and outlet pages. Meanwhile
a separate process imports ``--imports`` new transcripts one after another.
It reports requests per second, latency percentiles per kind of request and
errors, then checks every imported article is in the database and found by
search. Exit status 1 on any error or lost update.

With ``--hosts 2`` (``make loadtest-hosts``) it starts that many gunicorns,
each over a data directory of its own as separate machines would have, all
on the one PostgreSQL database and searching it (``SEARCH_BACKEND=postgres``);
the clients are spread over them, the transcripts are imported on the first,
and each import is looked for on the last, which reports how soon every
import was found there.
"""

from __future__ import annotations

import http.client
import io
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from archive.interviews.models import Article, Speaker, Turn
from archive.search import measuring, synthetic
from archive.search.indexing import reindex_all
from archive.search.models import PendingUpdate

MARKER = "loadmark{:04d}"  # one English word per imported transcript, found by search afterwards


class Command(BaseCommand):
    help = "Load-test the site under gunicorn with concurrent imports (use `make loadtest`)."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=10_000, help="Synthetic turns beside the seeds.")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--imports", type=int, default=30)
        parser.add_argument("--think", type=float, default=1.0, help="Mean pause between a client's requests, in seconds.")
        parser.add_argument("--hosts", type=int, default=1, help="Web hosts sharing the database, each with a data directory of its own.")

    def handle(self, *args, turns, clients, seconds, imports, think, hosts, **options):
        if Article.objects.exists():
            raise CommandError("run it in an empty data directory (make loadtest does)")
        if hosts < 1 or hosts > 1 and settings.SEARCH_BACKEND != "postgres":
            raise CommandError("several hosts share one index only with SEARCH_BACKEND=postgres (make loadtest-hosts)")
        synthetic.build(turns)
        # The seeds after: their speakers join the synthetic ones of the same name.
        call_command("import_transcripts", str(settings.BASE_DIR / "fixtures"), stdout=io.StringIO())
        reindex_all()
        self.stdout.write(f"archive: {Article.objects.count():,} articles, {Turn.objects.count():,} turns")
        pages = _pages()
        ports: list[int] = []
        while len(ports) < hosts:
            if (port := measuring.free_port()) not in ports:
                ports.append(port)
        with tempfile.TemporaryDirectory() as elsewhere:
            servers = []
            try:
                for number, port in enumerate(ports):
                    data_dir = None if number == 0 else Path(elsewhere) / f"host-{number + 1}"
                    if data_dir:
                        data_dir.mkdir()
                    servers.append(measuring.start("gunicorn", port, data_dir))
                for number, (port, server) in enumerate(zip(ports, servers), 1):
                    measuring.wait_until_up(port, server, f"gunicorn (host {number})")
                with tempfile.TemporaryDirectory() as scratch:
                    files = _transcripts(Path(scratch), imports)
                    importer = subprocess.Popen(
                        [sys.executable, "manage.py", "import_transcripts", *map(str, files)],
                        cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                    )
                    seen = _Seen(ports[-1]) if hosts > 1 else None
                    reader = threading.Thread(target=_imported, args=(importer, seen), daemon=True)
                    reader.start()
                    results = _drive(ports, pages, clients, seconds, think)
                    import_errors = importer.communicate()[1] if importer.stderr else ""
                    reader.join()
                    if seen:
                        seen.finish()
                lost = sorted({number for port in ports for number in _lost_imports(port, imports)})
            finally:
                server_log = "".join(measuring.stop(server) for server in servers)
        self._report(results, seconds, clients, think, imports, lost, importer.returncode, import_errors, server_log, ports, seen)

    def _report(self, results, seconds, clients, think, imports, lost, import_status, import_errors, server_log, ports, seen):
        errors = [r for r in results if r.error]
        hosts = f" on {len(ports)} hosts sharing PostgreSQL" if len(ports) > 1 else ""
        self.stdout.write(
            f"load: {clients} clients{hosts}, {think:g} s mean pause, for {seconds} s: {len(results):,} requests, "
            f"{len(results) / seconds:,.1f} requests/s, {len(errors)} errors; search backend: {settings.SEARCH_BACKEND}"
        )
        by_kind = defaultdict(list)
        for result in results:
            by_kind[result.kind].append(result.ms)
        by_kind["all"] = [r.ms for r in results]
        for kind, times in sorted(by_kind.items()):
            times.sort()
            self.stdout.write(
                f"  {kind:<14} {len(times):>6,}  p50 {measuring.percentile(times, 50):6.0f} ms  p95 {measuring.percentile(times, 95):6.0f} ms  p99 {measuring.percentile(times, 99):6.0f} ms"
            )
        searches = sorted(by_kind["search API"] + by_kind["search page"])
        goal = "met" if searches and measuring.percentile(searches, 95) < 200 else "NOT met"
        self.stdout.write(f"searches: p95 {measuring.percentile(searches, 95):.0f} ms (goal < 200 ms: {goal})")
        if len(ports) > 1:
            for number, port in enumerate(ports, 1):
                mine = sorted(r.ms for r in results if r.port == port and r.kind in ("search API", "search page"))
                self.stdout.write(f"  host {number}: searches p50 {measuring.percentile(mine, 50):.0f} ms, p95 {measuring.percentile(mine, 95):.0f} ms ({len(mine)})")
        self.stdout.write(f"imports: {imports - len(lost)}/{imports} in the database and found by search on every host; lost: {lost or 'none'}")
        unseen = []
        if seen is not None:
            delays = sorted(seen.delays())
            unseen = sorted(set(seen.imported) - set(seen.found))
            self.stdout.write(
                f"imported on host 1, found on host {len(ports)}: {len(delays)}/{len(seen.imported)} imports, after p50 "
                f"{measuring.percentile(delays, 50):.2f} s, max {max(delays, default=0):.2f} s; never found: {unseen or 'none'}"
            )
        for error in errors[:10]:
            self.stdout.write(f"  error: {error.kind} {error.path}: {error.error}")
        tracebacks = server_log.count("Traceback")
        if tracebacks:
            first = server_log[server_log.index("Traceback"):][:3000]
            self.stdout.write(f"server: {tracebacks} tracebacks in its log; the first:\n{first}")
        if errors or lost or unseen or import_status or tracebacks:
            raise CommandError(f"load test failed (import status {import_status}: {import_errors.strip()[-500:]})")


class Result:
    __slots__ = ("kind", "path", "ms", "error", "port")

    def __init__(self, kind, path, ms, error="", port=0):
        self.kind, self.path, self.ms, self.error, self.port = kind, path, ms, error, port


class _Seen:
    """When each import was finished on the first host, and when the last
    host's search first found it (polled every 0.1 s)."""

    def __init__(self, port: int):
        self.port = port
        self.imported: dict[int, float] = {}
        self.found: dict[int, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def finish(self, patience: float = 60) -> None:
        """Stop looking once every import is found, or ``patience`` seconds after the last."""
        self._done.set()
        self._thread.join(patience + 5)

    def delays(self) -> list[float]:
        return [self.found[number] - self.imported[number] for number in self.found]

    def _watch(self, patience: float = 60) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        deadline = None
        while True:
            waiting = [number for number in list(self.imported) if number not in self.found]
            if self._done.is_set():
                deadline = deadline or time.monotonic() + patience
                if not waiting or time.monotonic() > deadline:
                    break
            for number in waiting:
                connection.request("GET", f"{reverse('api:search')}?{urlencode({'q': MARKER.format(number)})}")
                if json.loads(connection.getresponse().read())["count"]:
                    self.found[number] = time.monotonic()
            time.sleep(0.1)
        connection.close()


def _imported(importer: subprocess.Popen, seen: _Seen | None) -> None:
    """Note when the importer reports each transcript stored (and indexed:
    a command applies the queue as it commits)."""
    for line in importer.stdout:
        if seen is not None and line.startswith("created") and (match := re.search(r"load-(\d+)\.txt", line)):
            seen.imported[int(match[1])] = time.monotonic()


def _pages() -> dict[str, list[str]]:
    articles = list(Article.objects.all())
    permalinks = Turn.objects.filter(article__in=articles[:500], seq__in=(1, 2, 7))
    return {
        "search API": [f"{reverse('api:search')}?{urlencode(params)}" for _, params in synthetic.QUERIES],
        "search page": [f"{reverse('search')}?{urlencode(params)}" for _, params in synthetic.QUERIES],
        "interview": [article.get_absolute_url() for article in articles],
        "permalink": [turn.permalink_path() for turn in permalinks],
        "other page": [reverse("interviews:home"), reverse("feed"), *[speaker.get_absolute_url() for speaker in Speaker.objects.all()[:200]]],
        "API": [reverse("api:article", args=[article.slug]) for article in articles[:500]],
    }


MIX = {"search API": 30, "search page": 15, "interview": 25, "permalink": 10, "other page": 10, "API": 10}


def _drive(ports: list[int], pages: dict[str, list[str]], clients: int, seconds: int, think: float) -> list[Result]:
    results: list[Result] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    kinds, weights = zip(*MIX.items())

    def client(number: int) -> None:
        rng = random.Random(number)
        port = ports[number % len(ports)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            path = rng.choice(pages[kind])
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                error = "" if response.status == 200 else f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as problem:
                error = f"{type(problem).__name__}: {problem}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(Result(kind, path, (time.perf_counter() - started) * 1000, error, port))
            if think:
                time.sleep(rng.uniform(0, 2 * think))
        connection.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _transcripts(folder: Path, count: int) -> list[Path]:
    paragraphs = synthetic.seed_paragraphs()
    rng = random.Random(7)
    files = []
    for number in range(count):
        lines = [f"负载测试访谈 {number}", ""]
        for turn in range(6):
            lines += [f"记者：{rng.choice(paragraphs)}？", "", f"受访者{number}：{rng.choice(paragraphs)} {MARKER.format(number)}", ""]
        path = folder / f"load-{number:04d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def _lost_imports(port: int, count: int) -> list[int]:
    """The imports missing from the database or the index, once the queue is empty."""
    deadline = time.monotonic() + 60
    while PendingUpdate.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    lost = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for number in range(count):
        stored = Turn.objects.filter(text__contains=MARKER.format(number)).count()
        connection.request("GET", f"{reverse('api:search')}?{urlencode({'q': MARKER.format(number)})}")
        found = json.loads(connection.getresponse().read())["count"]
        if not stored or found != stored:
            lost.append(number)
    return lost
