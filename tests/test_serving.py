"""Production serving: the documented settings pass Django's deploy checks,
gunicorn serves pages and static files with DEBUG off, the health endpoint
tells a load balancer what works, and logs are one JSON object per line."""

import http.client
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
from unittest import mock

import pytest

from archive.lib.logs import JsonFormatter
from archive.search import analysis
from tests.conftest import ROOT, wait_for

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "archive.example.org",
    "SITE_URL": "https://archive.example.org",
    "HTTPS": "true",
}


def server_environment(**settings) -> dict[str, str]:
    """This process's environment without what the test session sets for
    itself (the browser tests' async override, the test database and the
    search backend on it)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SEARCH_BACKEND")}
    return env | settings


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    env = server_environment(**PRODUCTION, ARCHIVE_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def test_without_a_secret_key_one_is_made_once_and_kept_private(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"} | {"ARCHIVE_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-c", "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"]
    keys = [subprocess.run(command, cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "archive.settings"}, capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert keys[0] == keys[1] and len(keys[0].strip()) > 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_health_reports_the_database_and_the_index(client, seeded):
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["checks"]["search"]["documents"] == 86 and health["checks"]["search"]["pending_updates"] == 0


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_unreachable(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OSError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["database"]["status"] == "error"


def test_log_records_are_json_with_their_extra_fields():
    record = logging.makeLogRecord({"name": "archive.requests", "levelname": "INFO", "msg": "GET %s", "args": ("/",),
                                    "status": 200, "duration_ms": 3.5})
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /" and entry["status"] == 200 and entry["duration_ms"] == 3.5 and entry["time"]


@pytest.mark.django_db
def test_every_request_is_logged_with_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="archive.requests"):
        client.get("/no-such-page/")
    (record,) = [r for r in caplog.records if r.name == "archive.requests"]
    assert record.status == 404 and record.path == "/no-such-page/" and record.duration_ms >= 0


def test_jiebas_cache_lives_in_the_data_directory(settings):
    assert analysis.segmenter().tmp_dir == str(settings.DATA_DIR)


def test_gunicorn_serves_pages_static_files_and_health_with_debug_off(tmp_path):
    env = server_environment(ARCHIVE_DATA_DIR=str(tmp_path), DEBUG="false", LOG_FORMAT="json")  # a scratch SQLite of its own
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["createcachetable"], ["seed"], ["ensure_index"], ["collectstatic", "--noinput"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-c", "python:archive.serving", "archive.wsgi"],
                              cwd=ROOT, env=env | {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
                              stderr=subprocess.PIPE, text=True)

    def get(path: str):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type"), response.read()
        finally:
            connection.close()  # no kept-alive connection left for the workers to wait on at shutdown

    def answers() -> bool:
        try:
            return get("/healthz")[0] == 200
        except OSError:
            return False

    try:
        assert wait_for(answers, timeout=60), "gunicorn did not start"
        assert json.loads(get("/healthz")[2])["checks"]["search"]["documents"] == 86
        status, _, body = get("/")
        assert status == 200 and "Sora" in body.decode()
        status, kind, _ = get("/static/css/archive.css")
        assert status == 200 and kind.startswith("text/css")
        status, _, body = get("/no-such-page/")
        assert status == 404 and b"Traceback" not in body  # DEBUG is off
    finally:
        server.send_signal(signal.SIGTERM)
        # gunicorn's contract: workers still busy after graceful_timeout
        # (30 s, archive/serving.py) are killed; wait a little beyond it.
        log = server.communicate(timeout=45)[1]
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(line.get("path") == "/" and line.get("status") == 200 for line in lines)
