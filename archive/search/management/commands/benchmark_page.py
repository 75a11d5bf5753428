"""What the search page's own work costs, on the synthetic archive that
``benchmark_search`` uses: a results page in each view and order, the
exports of a whole result set (up to 10,000 turns) and the search feed,
through the Django test client. Run through ``make bench-page`` (a scratch
data directory); prints the median and slowest of a few runs of each.
"""

import logging
import statistics
import time
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from archive.interviews.models import Article, Turn
from archive.search import synthetic
from archive.search.backend import search_backend
from archive.search.indexing import reindex_all

COMMON, RARE = "大模型", "鸡蛋"  # a word in nearly half the synthetic turns, and one in few
REQUESTS = [
    ("list, best first", "/search/", {"q": COMMON}),
    ("list, newest first", "/search/", {"q": COMMON, "sort": "newest"}),
    ("list, oldest first, page 50", "/search/", {"q": COMMON, "sort": "oldest", "page": "50"}),
    ("by interview", "/search/", {"q": COMMON, "view": "grouped"}),
    ("concordance", "/search/", {"q": COMMON, "view": "context"}),
    ("answers only, dated", "/search/", {"q": COMMON, "kind": "answer", "from": "2024-01-01", "to": "2024-12-31"}),
    ("rare word", "/search/", {"q": RARE}),
    ("no hits", "/search/", {"q": "量子纠缠"}),
    ("feed", "/search/feed/", {"q": COMMON}),
    ("export CSV (10,000 turns)", "/api/search/", {"q": COMMON, "format": "csv"}),
    ("export JSON (10,000 turns)", "/api/search/", {"q": COMMON, "format": "json"}),
]


class Command(BaseCommand):
    help = "Time the search page's views, exports and feed on a synthetic archive (use `make bench-page`)."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=3, help="Times each request is made.")

    def handle(self, *args, turns, rounds, **options):
        if Article.objects.exists():
            raise CommandError("run it in an empty data directory (make bench-page does)")
        logging.getLogger("archive.requests").setLevel(logging.WARNING)
        synthetic.build(turns)
        reindex_all()
        search_backend().warm_up()
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
        total = client.get("/api/search/", {"q": COMMON}).json()["count"]
        self.stdout.write(f"corpus: {Turn.objects.count():,} turns; {COMMON} matches {total:,}")
        for label, path, params in REQUESTS:
            timings = []
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.get(path, params)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{path}?{urlencode(params)} answered {response.status_code}")
            size = len(response.content)
            self.stdout.write(f"{label:<30} median {statistics.median(timings):7.0f} ms, slowest {max(timings):7.0f} ms, {size / 1024:,.0f} KiB")
