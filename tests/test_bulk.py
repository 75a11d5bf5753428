"""Importing many transcripts at once (``archive.interviews.bulk``): parsed
in worker processes yet read exactly as one file at a time would be,
stored in batches each indexed once, a bad file reported and skipped, and
re-imports keeping turns and editors' work as a single import does."""

import os
from pathlib import Path

import pytest

from archive.interviews.bulk import Source, import_many, sources_in
from archive.interviews.importer import import_transcript
from archive.interviews.models import Article, Turn
from archive.search import indexing
from archive.search.backend import search_backend
from archive.search.service import SearchRequest, search
from tests.conftest import FIXTURES
from tests.transcripts import ANSWERS, corrected_with_new_question_at_top, interview, transcript

pytestmark = pytest.mark.django_db

# 林晓舟 answers once here, so the parser takes his line for a speaker's only
# when the archive already knows him (robots.md, earlier in the same run,
# names him in its front matter).
WAREHOUSE = """---
title: 仓库机器人的一天
outlet: 星河科技评论
---
记者：你们的机器人一天能搬多少箱子？

林晓舟：大约两千箱，比人工稳定。

记者：夜班怎么安排？

王立：夜里只留一个人值班。

记者：明年呢？

王立：明年我们打算再开两个仓库。
"""


def filler(number: int) -> bytes:
    return f"---\ntitle: 填充访谈 {number}\n---\n问：第{number}个问题？\n\n答：第{number}个回答，关于芯片和算力。\n".encode()


def folder(path: Path) -> Path:
    (path / "a-robots.md").write_bytes(transcript(interview()))
    (path / "b-warehouse.md").write_text(WAREHOUSE, encoding="utf-8")
    for number in range(10):
        (path / f"c-filler-{number}.md").write_bytes(filler(number))
    return path


def shape(article: Article) -> list[tuple]:
    return list(article.turns.order_by("seq").values_list("kind", "speaker__name", "text"))


def test_worker_processes_read_each_file_as_one_at_a_time_would(tmp_path, search_index):
    outcomes = list(import_many(sources_in([folder(tmp_path)]), processes=2))
    assert [outcome.result.status for outcome in outcomes] == ["created"] * 12
    warehouse = Article.objects.get(title="仓库机器人的一天")
    # Parsed ahead, before robots.md had added 林晓舟; read again once he was known.
    assert ("answer", "林晓舟", "大约两千箱，比人工稳定。") in shape(warehouse)
    parallel = {article.title: shape(article) for article in Article.objects.all()}
    Article.objects.all().delete()
    Turn.objects.all().delete()
    for source in sources_in([tmp_path]):
        import_transcript(source.read(10**7), name=source.name)
    assert {article.title: shape(article) for article in Article.objects.all()} == parallel


def test_a_bad_file_is_named_and_skipped_and_the_rest_go_in(tmp_path, search_index):
    folder(tmp_path)
    (tmp_path / "b-zz-empty.md").write_bytes(b"")
    (tmp_path / "b-zz-untitled.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\n", encoding="utf-8")
    outcomes = list(import_many(sources_in([tmp_path, tmp_path / "missing.md"]), processes=2))
    failed = {Path(outcome.source.name).name: outcome.reason for outcome in outcomes if outcome.failed}
    assert failed.keys() == {"b-zz-empty.md", "b-zz-untitled.srt", "missing.md"}
    assert failed["b-zz-empty.md"] == "the file is empty" and failed["missing.md"] == "No such file or directory"
    assert Article.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_the_index_is_updated_once_per_batch_not_once_per_file(tmp_path, search_index, monkeypatch):
    writes = []
    real = indexing.reindex_articles
    monkeypatch.setattr(indexing, "reindex_articles", lambda ids: (writes.append(sorted(ids)), real(ids)))
    outcomes = list(import_many(sources_in([folder(tmp_path)]), processes=1, batch_turns=20))
    assert len(outcomes) == 12 and len(writes) == 2  # robots.md's 12 turns and 8 fillers', then the rest
    assert sum(map(len, writes)) == 12
    assert search(SearchRequest(q="两千箱")).total == 1 and search(SearchRequest(q="第9个回答")).total == 1


@pytest.mark.django_db(transaction=True)
def test_batches_are_indexed_in_a_process_of_their_own_while_the_next_is_stored(tmp_path, search_index, monkeypatch):
    parent = os.getpid()
    real = indexing.reindex_articles

    def reindex(ids):  # the forked process's calls are seen in the files it leaves
        (tmp_path / f"wrote-{os.getpid()}-{min(ids)}").write_text(",".join(map(str, ids)))
        return real(ids)

    monkeypatch.setattr(indexing, "reindex_articles", reindex)
    (tmp_path / "in").mkdir()
    outcomes = list(import_many(sources_in([folder(tmp_path / "in")]), processes=2, batch_turns=20))
    writers = sorted(tmp_path.glob("wrote-*"))
    assert len(outcomes) == 12 and len(writers) == 2  # a process per batch
    assert all(f"-{parent}-" not in path.name for path in writers)
    assert sorted(int(pk) for path in writers for pk in path.read_text().split(",")) == sorted(Article.objects.values_list("pk", flat=True))
    assert not indexing.PendingUpdate.objects.exists()
    assert search(SearchRequest(q="两千箱")).total == 1 and search(SearchRequest(q="第9个回答")).total == 1
    assert search_backend().document_count() == Turn.objects.count()  # each turn indexed once


@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_index_write_fails_stays_queued_and_nothing_stored_is_lost(tmp_path, search_index, monkeypatch, caplog):
    real = indexing.reindex_articles
    monkeypatch.setattr(indexing, "reindex_articles", lambda ids: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    outcomes = list(import_many(sources_in([folder(tmp_path)]), processes=2, batch_turns=20))
    assert [outcome.result.status for outcome in outcomes] == ["created"] * 12
    assert Article.objects.count() == 12
    assert set(indexing.PendingUpdate.objects.values_list("article_id", flat=True)) == set(Article.objects.values_list("pk", flat=True))
    monkeypatch.setattr(indexing, "reindex_articles", real)
    indexing.process_pending()  # the index worker's next run
    assert not indexing.PendingUpdate.objects.exists()
    assert search(SearchRequest(q="两千箱")).total == 1


def test_progress_is_reported_file_by_file(tmp_path, search_index):
    seen = []
    outcomes = list(import_many(sources_in([folder(tmp_path)]), processes=1, progress=seen.append))
    assert seen == outcomes


def test_re_imports_in_bulk_keep_turns_and_editors_work(tmp_path, search_index):
    robots = import_transcript(transcript(interview()), name="robots.md").article
    edited = robots.turns.get(seq=8)
    edited = Turn.objects.get(pk=edited.pk)
    edited.text = ANSWERS[3].replace("三年", "五年")
    edited.save()
    kept = robots.turns.get(seq=2)
    sources = [
        Source("robots.md", data=transcript(corrected_with_new_question_at_top(interview()))),
        *(Source(path.name, path=path) for path in sorted(FIXTURES.glob("*.txt"))),
        Source("robots-again.md", data=transcript(corrected_with_new_question_at_top(interview()))),  # the same bytes again
    ]
    outcomes = list(import_many(sources, processes=1))
    assert [outcome.result.status for outcome in outcomes] == ["updated", "created", "created", "created", "unchanged"]
    [conflict] = outcomes[0].result.plan.conflicts
    assert conflict.key == f"turn:{edited.number}:text"
    edited.refresh_from_db()
    assert "五年" in edited.text and "收回成本" in edited.edits["text"]
    assert Turn.objects.get(pk=kept.pk).number == kept.number and Article.objects.count() == 4
