"""Faults a server meets: the index writer killed mid-update, the index
removed or corrupted, the disk full. Pages keep being served, search says
it is unavailable instead of failing, and the next update or a rebuild
brings back a complete index."""

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.interviews.models import Turn
from archive.search import indexing
from archive.search.backend import search_backend, turn_index
from archive.search.models import PendingUpdate
from tests.conftest import ROOT, indexed, wait_for

# Whoosh's own index files, searchers and segments, whichever backend the suite runs on.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whoosh")]

SLOW_WRITER = """
import pickle, sys, time
import django
django.setup()
from archive.search import indexing
from archive.search.backend import search_backend

documents, started = pickle.load(open(sys.argv[1], "rb")), sys.argv[2]

def slowly():
    for number, document in enumerate(documents):
        if number == 3:
            open(started, "w").close()
        time.sleep(0.2)
        yield document

with indexing._single_writer(wait=True):
    search_backend().write(slowly(), delete=[("article", sys.argv[3])])
"""


def index_dir() -> Path:
    return Path(search_backend().path)


def hits(client, q: str):
    return client.get("/api/search/", {"q": q})


def test_a_writer_killed_mid_update_leaves_the_old_index_and_the_queue_repairs_it(client, seeded, tmp_path):
    article = seeded["003"]
    turn = article.turns.filter(kind="answer").first()
    turn.text += "独角兽测试"
    turn.save()
    PendingUpdate.objects.create(article_id=article.pk)  # what the importer queues with the change
    documents = tmp_path / "documents.pickle"
    documents.write_bytes(pickle.dumps(list(turn_index().documents(article.turns.all()))))
    started = tmp_path / "started"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings", "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(documents), str(started), str(article.pk)], env=env, cwd=ROOT)
    try:
        assert wait_for(started.exists, timeout=60), "the writer never started"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert indexed() == 86  # the old index, untouched
    assert client.get(article.get_absolute_url()).status_code == 200
    assert hits(client, "独角兽测试").json()["count"] == 0
    assert indexing.process_pending() == 1
    assert indexed() == 86 and hits(client, "独角兽测试").json()["count"] == 1


def test_a_removed_index_degrades_search_with_a_message_and_a_rebuild_restores_it(client, seeded):
    shutil.rmtree(index_dir())
    assert client.get(seeded["000"].get_absolute_url()).status_code == 200
    for _ in range(2):  # and again, once the backend has made a new empty index
        page = client.get("/search/", {"q": "鸡蛋"}, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 503 and "Search is unavailable" in page.content.decode()
        api = hits(client, "鸡蛋")
        assert api.status_code == 503 and api.json()["error"]
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert hits(client, "鸡蛋").json()["count"] == 1 and indexed() == 86


def test_a_corrupted_index_degrades_search_and_ensure_index_on_restart_rebuilds_it(client, seeded):
    for path in index_dir().iterdir():
        if path.is_file():
            path.write_bytes(os.urandom(200))
    assert client.get("/").status_code == 200
    assert client.get("/search/", {"q": "鸡蛋"}).status_code == 503
    assert client.get("/healthz").json()["status"] == "degraded"
    call_command("ensure_index", verbosity=0)  # what `make run` / `make serve` do on start
    assert hits(client, "鸡蛋").json()["count"] == 1 and client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_in_the_web_server_a_failed_search_has_the_index_rebuilt_in_the_background(client, search_index, background_worker, monkeypatch):
    from tests.browser import seed_live

    seed_live()
    wait_for(lambda: not PendingUpdate.objects.exists())
    # From now on the worker runs only when woken, so that it is the failed
    # search that wakes it (its poll could otherwise repair the index first).
    monkeypatch.setattr(indexing, "POLL_SECONDS", 3600)
    time.sleep(0.5)  # the poll already under way ends
    shutil.rmtree(index_dir())
    assert client.get("/search/", {"q": "鸡蛋"}).status_code == 503
    assert wait_for(lambda: hits(client, "鸡蛋").status_code == 200 and indexed() == Turn.objects.count())


@pytest.fixture
def small_disk():
    """The index directory on a 2 MiB tmpfs (root only: mount)."""
    target = index_dir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(target)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    search_backend().setup_complete = False
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)
        search_backend().setup_complete = False


def test_a_full_disk_keeps_the_update_queued_and_the_old_index_searchable(client, small_disk, db, django_capture_on_commit_callbacks):
    from archive.interviews.importer import import_transcript
    from tests.conftest import fixture_bytes

    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(fixture_bytes("000"))
    assert indexed() == 18
    filler = small_disk / "filler"
    with open(filler, "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
        except OSError:
            pass  # the disk is full
    with django_capture_on_commit_callbacks(execute=True):
        article = import_transcript(fixture_bytes("003")).article
    pending = PendingUpdate.objects.get(article_id=article.pk)
    assert pending.attempts == 1 and pending.last_error
    assert client.get(article.get_absolute_url()).status_code == 200
    assert hits(client, "鸡蛋").status_code == 200 and indexed() == 18  # the old index still answers
    filler.unlink()
    assert indexing.process_pending() == 1
    assert indexed() == Turn.objects.count() and not PendingUpdate.objects.exists()
    assert hits(client, "開源").json()["count"] >= 1  # in the article the full disk held back


def test_a_search_that_fails_once_is_retried_on_a_reopened_index(seeded, client, monkeypatch):
    backend = search_backend()
    real, calls = backend._find, []

    def flaky(*args):
        calls.append(args)
        if len(calls) == 1:
            raise FileNotFoundError("a segment merged away while the searcher opened it")
        return real(*args)

    monkeypatch.setattr(backend, "_find", flaky)
    assert hits(client, "鸡蛋").json()["count"] == 1 and len(calls) == 2
