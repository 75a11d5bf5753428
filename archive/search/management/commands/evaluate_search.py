"""Score quote search on archive/search/evaluation.yaml: recall@10 and MRR,
overall and per category (exact words, pinyin, near-quote, vocabulary).

Beside our search, the same turns are indexed and queried the way the stock
set-ups would: haystack's Whoosh default (StemmingAnalyzer, Whoosh's query
parser) and jieba's ChineseAnalyzer without any normalisation. All three get
the same filters. Ours is scored on what the results page lists: the exact
hits, then the closest matches. Run it through ``make eval``, which uses a
scratch data directory with the seed interviews.
"""

import tempfile
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from jieba.analyse import ChineseAnalyzer as JiebaAnalyzer
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.qparser import QueryParser

from archive.interviews.models import Article, Turn
from archive.search.service import SearchRequest, filter_query, search

EVALUATION = Path(__file__).resolve().parents[2] / "evaluation.yaml"
K = 10


class Command(BaseCommand):
    help = "Measure search quality (recall@10, MRR) against the stock set-ups."

    def add_arguments(self, parser):
        parser.add_argument("--show-misses", action="store_true", help="List the queries our search does not fully answer.")

    def handle(self, *args, show_misses=False, **options):
        if not Article.objects.exists():
            raise CommandError("the archive is empty; run it through `make eval`, which loads the seed interviews")
        cases = yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))
        keys = {turn.pk: f"{turn.article.source_name[:3]}:{turn.seq}" for turn in Turn.objects.select_related("article")}
        systems = {"ours (n-grams + jieba + OpenCC)": self._ours(keys)}
        with tempfile.TemporaryDirectory() as scratch:
            systems["haystack stock (StemmingAnalyzer)"] = self._baseline(Path(scratch) / "stock", StemmingAnalyzer(), keys)
            systems["jieba ChineseAnalyzer, no normalisation"] = self._baseline(Path(scratch) / "jieba", JiebaAnalyzer(), keys)
            categories = list(dict.fromkeys(category(case) for case in cases))
            self.stdout.write(f"search backend: {settings.SEARCH_BACKEND} (SEARCH_BACKEND); database: {connection.vendor}")
            self.stdout.write(f"{len(cases)} queries, {Turn.objects.count()} turns; recall@{K} = found / min(expected, {K})\n")
            self.stdout.write(f"{'':<42}{'all':>15}" + "".join(f"{name:>15}" for name in categories))
            self.stdout.write(f"{'system':<42}" + f"{'recall   MRR':>15}" * (len(categories) + 1))
            for name, run in systems.items():
                found = {case["q"]: run(case) for case in cases}
                figures = [_score(cases, found)] + [_score([c for c in cases if category(c) == wanted], found) for wanted in categories]
                self.stdout.write(f"{name:<42}" + "".join(f"{recall:>9.3f}{mrr:>6.3f}" for recall, mrr, _ in figures))
                if show_misses and name.startswith("ours"):
                    for case, hits in figures[0][2]:
                        self.stdout.write(f"  missed {case['q']!r}: expected {case['expect']}, got {hits[:K]}")
            self.stdout.write(f"\ncategories: {', '.join(f'{name} {sum(category(c) == name for c in cases)}' for name in categories)}")

    def _ours(self, keys):
        def run(case):
            wanted = SearchRequest.from_params({"q": case["q"], "page_size": str(K), **case.get("filters", {})})
            page = search(wanted)
            return [keys[hit.turn.pk] for hit in page.hits + page.closest]

        return run

    def _baseline(self, path: Path, analyzer, keys):
        path.mkdir()
        schema = Schema(
            pk=ID(stored=True), text=TEXT(analyzer=analyzer), speaker=ID, outlet=ID, kind=ID, script=ID,
            article=NUMERIC(numtype=int), published=DATETIME,
        )
        ix = whoosh_index.create_in(str(path), schema)
        writer = ix.writer()
        for turn in Turn.objects.select_related("article__outlet", "speaker"):
            article = turn.article
            writer.add_document(
                pk=str(turn.pk),
                # what a stock haystack template would index: title, speaker, text as published
                text="\n".join([article.title, turn.speaker.name if turn.speaker else "", turn.text]),
                speaker=turn.speaker.slug if turn.speaker else None,
                outlet=article.outlet.slug if article.outlet else None,
                kind=turn.kind,
                script=article.script,
                article=article.pk,
                published=_datetime(article.published),
            )
        writer.commit()
        parser = QueryParser("text", schema)

        def run(case):
            wanted = SearchRequest.from_params({"q": case["q"], **case.get("filters", {})})
            with ix.searcher() as searcher:
                hits = searcher.search(parser.parse(case["q"]), limit=K, filter=filter_query(wanted))
                return [keys[int(hit["pk"])] for hit in hits]

        return run


def _datetime(date):
    import datetime

    return datetime.datetime.combine(date, datetime.time.min) if date else None


def category(case) -> str:
    return case.get("category", "exact")


def _score(cases, found_by_query):
    """(recall@10, MRR, the cases not fully found with what was found) over
    ``cases``, given what each query found, best first."""
    recalls, reciprocal_ranks, misses = [], [], []
    for case in cases:
        found = found_by_query[case["q"]] if isinstance(found_by_query, dict) else found_by_query(case)
        expected = set(case["expect"])
        top = found[:K]
        recalls.append(len(expected & set(top)) / min(len(expected), K))
        rank = next((i for i, key in enumerate(top, 1) if key in expected), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if recalls[-1] < 1:
            misses.append((case, found))
    return sum(recalls) / len(recalls), sum(reciprocal_ranks) / len(reciprocal_ranks), misses
