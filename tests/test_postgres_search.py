"""Search on PostgreSQL (SEARCH_BACKEND=postgres) answers as Whoosh does:
the same hits in the same order, the same totals, facets and closest
matches, for every evaluation and benchmark query; and its index follows
writes, counts included. The query translation is checked everywhere; the
rest needs PostgreSQL (make test-postgres)."""

import threading

import pytest
from django.db import connection
from whoosh import query as q

from archive.interviews.models import Turn
from archive.search import postgres
from archive.search.backend import turn_index, whoosh_backend
from archive.search.models import SearchDocument, SearchTerm
from archive.search.query import parse_query
from archive.search.service import SearchRequest, search
from tests.test_matching import requests

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search needs a PostgreSQL database (make test-postgres runs these)"
)


def test_a_phrase_becomes_followed_by_and_a_last_lone_character_a_prefix():
    sql, params = postgres.where(q.Sequence([q.Term("text", "大模"), q.Term("text", "模型"), q.Prefix("text", "的")]))
    assert sql == '"text" @@ %s::tsquery' and params == ["('大模' <-> '模型' <-> '的':*)"]


def test_clauses_of_one_field_make_one_tsquery_and_of_several_an_sql_condition():
    both = q.And([q.Term("text", "算力"), q.Or([q.Term("text", "芯片"), q.Term("text", "晶片")])])
    assert postgres.where(both) == ('"text" @@ %s::tsquery', ["('算力' & ('芯片' | '晶片'))"])
    sql, params = postgres.where(q.And([q.Or([q.Term("text", "王坚"), q.Term("names", "王坚")]), q.Not(q.Term("title", "云"))]))
    assert sql == '(("text" @@ %s::tsquery OR "names" @@ %s::tsquery) AND NOT "title" @@ %s::tsquery)'
    assert params == ["'王坚'", "'王坚'", "'云'"]


def test_filters_become_column_conditions():
    sql, params = postgres.where(q.And([q.Term("article", "7"), q.TermRange("published", "2024-01-01", None), q.Not(q.TermRange("published", None, None))]))
    assert sql == "(article_id = %s AND (published IS NOT NULL AND published >= %s) AND NOT (published IS NOT NULL))"
    assert params == [7, "2024-01-01"]
    assert postgres.where(q.NullQuery) == ("FALSE", [])


def test_every_query_the_parser_builds_translates():
    for params in requests():
        parsed = parse_query(params["q"])
        if not parsed.empty:
            sql, values = postgres.where(parsed.query)
            assert sql.count("%s") == len(values), params


def test_a_vector_holds_the_terms_with_positions_from_one():
    literal, length, terms = postgres.vector("大模型 GPT-4")
    assert literal == "'大模':1 '模型':2 '型':3 'gpt':4 '4':5" and length == 5 and terms == ["大模", "模型", "型", "gpt", "4"]


@pytest.fixture
def both_indexed(seeded):
    """The seeds in Whoosh's index and in PostgreSQL's."""
    whoosh_backend().rebuild(turn_index().documents(Turn.objects.all()))
    postgres.backend.rebuild(turn_index().documents(Turn.objects.all()))
    return seeded


def answer(settings, backend: str, params: dict):
    settings.SEARCH_BACKEND = backend
    page = search(SearchRequest.from_params(params))
    return {
        "hits": [hit.turn.pk for hit in page.hits],
        "total": page.total,
        "facets": page.facets,
        "closest": [(hit.turn.pk, hit.matched) for hit in page.closest],
        "pinyin": page.pinyin,
    }


@on_postgres
def test_postgres_answers_every_query_as_whoosh_does(both_indexed, settings):
    found = 0
    for params in [*requests(), *({**params, "sort": "newest"} for params in requests()[:10])]:
        expected = answer(settings, "whoosh", params)
        assert answer(settings, "postgres", params) == expected, params
        found += bool(expected["hits"] or expected["closest"])
    assert found > len(requests()) * 0.8  # the comparison is of answers, not of empty pages


@on_postgres
def test_a_write_keeps_the_term_counts_those_of_the_documents(seeded, settings, django_capture_on_commit_callbacks):
    settings.SEARCH_BACKEND = "postgres"
    postgres.backend.rebuild(turn_index().documents(Turn.objects.all()))
    article = next(iter(seeded.values()))
    turn = article.turns.order_by("seq").first()
    turn.text = "一段全新的回答，说到量子计算和鸡蛋"
    with django_capture_on_commit_callbacks(execute=True):
        turn.save()
    from_scratch = {}
    for document in turn_index().documents(Turn.objects.all()):
        for field in postgres.SEARCHED:
            for term in postgres.vector(document[field])[2]:
                from_scratch[(field, term)] = from_scratch.get((field, term), 0) + 1
    kept = {(row.field, row.term): row.documents for row in SearchTerm.objects.filter(documents__gt=0)}
    assert kept == from_scratch
    assert SearchDocument.objects.count() == Turn.objects.count() == postgres.backend.document_count()
    assert [hit.turn.pk for hit in search(SearchRequest(q="量子计算 鸡蛋")).hits] == [turn.pk]


@on_postgres
def test_every_write_makes_a_new_version_for_answers_kept_per_process(seeded, settings):
    settings.SEARCH_BACKEND = "postgres"
    backend = postgres.backend
    before = backend.retrying(backend.snapshot_key)
    backend.write([], delete=[("article", str(next(iter(seeded.values())).pk))])
    after = backend.retrying(backend.snapshot_key)
    assert before != after and backend.document_count() < Turn.objects.count()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_one_writer_at_a_time_across_connections(settings):
    settings.SEARCH_BACKEND = "postgres"
    answers = []

    def other_host():
        with postgres.backend.single_writer() as allowed:
            answers.append(allowed)
        connection.close()

    with postgres.backend.single_writer() as first:
        thread = threading.Thread(target=other_host)
        thread.start()
        thread.join()
    assert first and answers == [False]
    with postgres.backend.single_writer() as again:
        assert again


def test_a_load_test_of_several_hosts_needs_search_on_postgresql(db, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.SEARCH_BACKEND = "whoosh"
    with pytest.raises(CommandError, match="SEARCH_BACKEND=postgres"):
        call_command("loadtest", hosts=2)
