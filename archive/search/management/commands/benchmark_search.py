"""Index and query speed on a synthetic archive built from the seed paragraphs.

Run through ``make bench`` (a scratch data directory). Prints the full-index
time and rate, the index size, and search latency p50/p95 through the JSON
API for a fixed mix of queries, beside haystack's stock Whoosh set-up
(StemmingAnalyzer, stored text, its highlighter) on the same corpus.
"""

import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import QueryParser

from archive.interviews.models import Article, Outlet, Participant, Speaker, Turn
from archive.lib.chinese import Script, renderings
from archive.search.indexing import reindex_all

QUERIES = [
    ("common", {"q": "大模型"}),
    ("common", {"q": "算力"}),
    ("rare", {"q": "疯牛病"}),
    ("rare", {"q": "万元户"}),
    ("one character", {"q": "猫"}),
    ("one character", {"q": "雪"}),
    ("phrase", {"q": '"百模大战"'}),
    ("phrase", {"q": '"大模型的红利期"'}),
    ("English", {"q": "openai"}),
    ("English", {"q": "GPT-4"}),
    ("filter", {"q": "算力", "speaker": "wang-jian"}),
    ("filter", {"q": "开源", "kind": "answer", "from": "2024-01-01"}),
    ("cross-script", {"q": "雞蛋"}),
    ("cross-script", {"q": "瘋牛病 OR 開源"}),
    ("several words", {"q": "王坚 开源 -周鸿祎"}),
]


class Command(BaseCommand):
    help = "Benchmark indexing and search on a synthetic archive (use `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--turns", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=5, help="Times each query is run.")

    def handle(self, *args, turns, rounds, **options):
        if Article.objects.exists():
            raise CommandError("run it in an empty data directory (make bench does)")
        random.seed(20240312)
        started = time.perf_counter()
        self._build(turns)
        self.stdout.write(f"corpus: {Turn.objects.count():,} turns in {Article.objects.count():,} articles, built in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        reindex_all()
        elapsed = time.perf_counter() - started
        size = _size(Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"]))
        self.stdout.write(f"ours:  full index {elapsed:.1f} s ({turns / elapsed:,.0f} turns/s), index {size / 2**20:.0f} MiB")
        self._latency("ours:  search via /api/search/", self._api_search, rounds)

        with tempfile.TemporaryDirectory() as scratch:
            stock = self._stock_index(Path(scratch))
            self._latency("stock: search + highlight", stock, rounds)

    def _build(self, count: int) -> None:
        paragraphs = _seed_paragraphs()
        outlets = [Outlet.objects.create(name=f"媒体{i}") for i in range(20)]
        speakers = [Speaker.objects.create(name=name) for name in ("王坚", "周鸿祎", "南都", "中国企业家")]
        speakers += [Speaker.objects.create(name=f"嘉宾{i}") for i in range(200)]
        per_article = 50
        with transaction.atomic():
            for start in range(0, count, per_article):
                number = start // per_article
                script = Script.TRADITIONAL if number % 3 == 0 else Script.SIMPLIFIED
                article = Article.objects.create(
                    title=f"合成访谈 {number}", slug=f"bench-{number}", outlet=random.choice(outlets),
                    published=f"202{number % 5}-0{number % 9 + 1}-1{number % 9}", script=script.value,
                    import_ref=f"bench/{number}", source=b"", source_hash=f"{number:064d}",
                )
                asker, answerer = random.sample(speakers, 2)
                Participant.objects.bulk_create([
                    Participant(article=article, speaker=asker, role="asks", label=asker.name),
                    Participant(article=article, speaker=answerer, role="answers", label=answerer.name),
                ])
                rows = []
                for seq in range(1, min(per_article, count - start) + 1):
                    text = "\n".join(random.sample(paragraphs, random.randint(1, 3)))
                    hans, hant = renderings(text, Script.SIMPLIFIED)
                    original = hant if script is Script.TRADITIONAL else hans
                    asking = seq % 2
                    rows.append(Turn(
                        article=article, seq=seq, kind="question" if asking else "answer",
                        speaker=asker if asking else answerer, text=original, text_hans=hans, text_hant=hant,
                    ))
                Turn.objects.bulk_create(rows)

    def _api_search(self, params: dict) -> None:
        response = self.client.get("/api/search/", params)
        if response.status_code != 200:
            raise CommandError(f"/api/search/ answered {response.status_code} for {params}")

    def _latency(self, label: str, run, rounds: int) -> None:
        self.client = Client()
        run(QUERIES[0][1])  # warm up: jieba, index readers
        timings, by_kind = [], defaultdict(list)
        for _ in range(rounds):
            for kind, params in QUERIES:
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


def _seed_paragraphs() -> list[str]:
    from archive.lib.transcript import parse

    paragraphs = []
    for path in sorted((settings.BASE_DIR / "fixtures").glob("*.txt")):
        article = parse(path.read_text(encoding="utf-8"))
        paragraphs += [renderings(p, article.script)[0] for turn in article.turns for p in turn.paragraphs]
    return paragraphs


def _size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
