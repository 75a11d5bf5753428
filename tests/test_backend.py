"""The searchers a process shares: one thread at a time on each, opened only
when none is idle, brought up to date when the index changes; and the
results kept per process never outlive the index they came from."""

import threading

import pytest

from archive.search import backend as backend_module
from archive.search.backend import search_backend
from archive.search.service import SearchRequest, search

# Whoosh's own index files, searchers and segments, whichever backend the suite runs on.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whoosh")]


def opened(monkeypatch) -> list:
    """Record every searcher the pool opens."""
    calls = []
    real = backend_module.SearcherPool.acquire

    def acquire(self, index):
        searcher = real(self, index)
        calls.append(searcher)
        return searcher

    monkeypatch.setattr(backend_module.SearcherPool, "acquire", acquire)
    return calls


def test_a_thread_per_request_reuses_the_processs_searcher(seeded, monkeypatch):
    with search_backend().searching() as first:
        pass
    calls = opened(monkeypatch)
    for _ in range(5):  # runserver starts a thread for each request
        thread = threading.Thread(target=lambda: search(SearchRequest(q="芯片 光刻机")))
        thread.start()
        thread.join()
    assert len(calls) == 5 and all(searcher is first for searcher in calls)


def test_threads_searching_at_once_each_get_a_searcher_of_their_own(seeded):
    backend, inside, release = search_backend(), threading.Barrier(3), threading.Event()
    held = []

    def hold():
        with backend.searching() as searcher:
            held.append(searcher)
            inside.wait(timeout=10)
            release.wait(timeout=10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait(timeout=10)
    release.set()
    for thread in threads:
        thread.join()
    assert len({id(searcher) for searcher in held}) == 2


def test_a_changed_index_is_searched_at_once_and_not_answered_from_the_results_kept(seeded, django_capture_on_commit_callbacks):
    from archive.interviews.importer import import_transcript

    assert search(SearchRequest(q="万元户")).total == 1
    text = "---\ntitle: 又一篇\n---\n问：万元户是什么？\n答：改革开放初期的富裕人家。\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(text.encode(), name="more.txt")
    assert search(SearchRequest(q="万元户")).total == 2  # the new question


def test_a_failed_searcher_is_not_given_out_again(seeded):
    backend = search_backend()
    with pytest.raises(RuntimeError), backend.searching() as broken:
        raise RuntimeError("a read failed")
    with backend.searching() as searcher:
        assert searcher is not broken


def test_health_counts_documents_on_the_processs_searcher(client, seeded, monkeypatch):
    with search_backend().searching() as first:
        pass
    calls = opened(monkeypatch)
    assert client.get("/healthz").json()["checks"]["search"]["documents"] == 86
    assert calls == [first]  # Whoosh's Index.doc_count opened every segment each time


def test_the_results_kept_are_bounded_by_their_facets_as_well_as_their_number():
    from archive.search.service import _Results

    kept = _Results(size=3, weight=100)
    for number in range(4):
        kept.put(number, f"answer {number}")
    assert [kept.get(number) for number in range(4)] == [None, "answer 1", "answer 2", "answer 3"]
    kept.put("common word", "an answer with a facet value per interview", weight=90)
    assert kept.get("common word") and kept.get(1) is None
    kept.put("another", "another such answer", weight=90)  # the two together weigh too much: the older goes
    assert kept.get("another") and kept.get("common word") is None
