"""The index queue: applied off the committing thread in the web server,
one writer at a time, and nothing lost when the writer is busy."""

import pytest

from archive.interviews.importer import import_transcript
from archive.search import indexing
from archive.search.models import PendingUpdate
from tests.conftest import fixture_bytes, indexed, wait_for


@pytest.mark.django_db(transaction=True)
def test_the_web_server_indexes_in_the_background_without_the_request_waiting(search_index, background_worker):
    with indexing._single_writer() as holding:  # another process is writing the index
        assert holding
        article = import_transcript(fixture_bytes("000")).article  # returns although the index is locked
        assert PendingUpdate.objects.filter(article_id=article.pk).exists() and indexed() == 0
    assert wait_for(lambda: indexed() == 18 and not PendingUpdate.objects.exists())


@pytest.mark.django_db(transaction=True)
def test_a_failed_background_write_is_retried_until_it_succeeds(search_index, background_worker, monkeypatch):
    real, calls = indexing.reindex_articles, []

    def flaky(article_ids):
        calls.append(article_ids)
        if len(calls) == 1:
            raise OSError("disk full")
        real(article_ids)

    monkeypatch.setattr(indexing, "reindex_articles", flaky)
    import_transcript(fixture_bytes("003"))
    assert wait_for(lambda: not PendingUpdate.objects.exists())
    assert len(calls) == 2 and indexed() > 0


def test_outside_the_web_server_the_queue_is_applied_when_the_change_commits(db, search_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(fixture_bytes("000"))
    assert indexed() == 18 and not PendingUpdate.objects.exists()
