"""The evaluation set scores full recall: a search change that loses a quote fails here."""

import pytest
import yaml

from archive.interviews.models import Turn
from archive.search.management.commands.evaluate_search import EVALUATION, Command, _score

pytestmark = pytest.mark.django_db


def test_every_evaluation_query_finds_all_its_turns_in_the_top_ten(seeded):
    cases = yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))
    assert len(cases) >= 40
    keys = {turn.pk: f"{turn.article.source_name[:3]}:{turn.seq}" for turn in Turn.objects.select_related("article")}
    recall, mrr, misses = _score(cases, Command()._ours(keys))
    assert [case["q"] for case, _ in misses] == []
    assert recall == 1.0 and mrr > 0.9


def test_each_category_of_the_issue_has_at_least_eight_queries():
    cases = yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))
    counts = {name: sum(case.get("category") == name for case in cases) for name in ("pinyin", "near-quote", "vocabulary")}
    assert min(counts.values()) >= 8, counts
