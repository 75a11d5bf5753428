import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLES = Path(__file__).resolve().parent / "samples"


@pytest.fixture(autouse=True)
def fresh_content_types():
    """A restore flushes and remakes content types under new ids; when the
    test's transaction rolls that back, the old ids return, and Django's
    cache of them must not outlive the test."""
    yield
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def whoosh(settings, monkeypatch):
    """Whoosh as the search backend whatever SEARCH_BACKEND says, for tests
    of what only Whoosh has (its files, searchers and segments); processes
    the test starts inherit it."""
    settings.SEARCH_BACKEND = "whoosh"
    monkeypatch.setenv("SEARCH_BACKEND", "whoosh")


@pytest.fixture
def search_index(settings):
    """An empty search index for this test."""
    from archive.search.backend import search_backend

    backend = search_backend()
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def seeded(db, search_index, django_capture_on_commit_callbacks):
    """The three seed interviews from fixtures/, imported and indexed."""
    from archive.interviews.importer import import_transcript

    results = {}
    with django_capture_on_commit_callbacks(execute=True):
        for path in sorted(FIXTURES.glob("*.txt")):
            results[path.name[:3]] = import_transcript(path.read_bytes(), name=path.name).article
    return results


def settle_constraints() -> None:
    """Check the foreign keys this test's transaction deferred, as a commit
    would: PostgreSQL refuses to flush tables (restore --replace) with checks
    still pending, which outside a test's transaction never happens."""
    from django.db import connection

    connection.check_constraints()


def indexed() -> int:
    """How many documents the search index holds."""
    from archive.search.backend import search_backend

    return search_backend().document_count()


def fixture_bytes(number: str) -> bytes:
    return next(FIXTURES.glob(f"{number}-*.txt")).read_bytes()


def raw_seed(number: str) -> str:
    """The seed as scraped: the fixture without the front matter it adds."""
    text = fixture_bytes(number).decode("utf-8")
    return text.split("\n---\n", 1)[1]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, launched once for the session."""
    from tests.browser import ARGS, CHROMIUM

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the Django
    # calls the tests make between page actions are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A desktop-sized page in a fresh context (empty storage)."""
    from tests.browser import DESKTOP

    context = browser.new_context(**DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def background_worker(monkeypatch):
    """The web server's index worker thread, polling often, stopped after the test."""
    from archive.search import indexing

    monkeypatch.setattr(indexing, "POLL_SECONDS", 0.2)
    monkeypatch.setattr(indexing.worker, "enabled", True)
    yield indexing.worker
    indexing.worker.stop()


def wait_for(condition, timeout: float = 20.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
