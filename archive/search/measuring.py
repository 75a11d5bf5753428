"""Measuring the archive as a reader meets it: the servers the README starts
(``make run``'s runserver, ``make serve``'s gunicorn), requests timed through
HTTP, and one way of taking percentiles. Used by ``benchmark_search`` and
``loadtest``; both run in a scratch data directory of their own.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

SERVERS = ("runserver", "gunicorn")


def percentile(values: list[float], percent: float) -> float:
    """The ``percent``-th percentile, interpolated between the nearest ranks
    (numpy's and ``statistics.quantiles(method="inclusive")``'s way)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * percent / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):5.0f} ms  p95 {percentile(values, 95):5.0f} ms  ({len(values)} requests)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(server: str, port: int, data_dir: Path | None = None) -> subprocess.Popen:
    """``server`` as the Makefile starts it, on ``port``, over this process's
    data directory or ``data_dir`` (another host's: the same database and
    secret key): ``make run``'s runserver (DEBUG on, the autoreloader
    watching files) or ``make serve``'s gunicorn (DEBUG off, static files
    collected)."""
    manage = [sys.executable, "manage.py"]
    host = {} if data_dir is None else {"ARCHIVE_DATA_DIR": str(data_dir), "SECRET_KEY": settings.SECRET_KEY}
    if server == "runserver":
        command, env = [*manage, "runserver", f"127.0.0.1:{port}"], {}
    elif server == "gunicorn":
        if data_dir is None:
            call_command("collectstatic", interactive=False, verbosity=0)
        else:
            subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], cwd=settings.BASE_DIR, env={**os.environ, **host}, check=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-c", "python:archive.serving", "archive.wsgi"]
        env = {"BIND": f"127.0.0.1:{port}", "DEBUG": "false"}
    else:
        raise CommandError(f"no server {server!r}; one of {', '.join(SERVERS)}")
    env = {**os.environ, "LOG_LEVEL": "WARNING", **host, **env}
    # A session of its own: runserver's autoreloader runs the server in a
    # child process, and both must stop together.
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def wait_until_up(port: int, server: subprocess.Popen, name: str = "the server", timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"{name} exited: {server.stderr.read()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"{name} did not answer /healthz within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> str:
    """Stop a server started by ``start`` (its process group) and return what
    it wrote to stderr."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        return server.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        return server.communicate()[1]
    except ProcessLookupError:
        return server.communicate()[1]


def timed_get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[float, int]:
    """(milliseconds, status) of one GET on a new connection, as a reader's
    browser opening a results page makes one."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, response.status


def resident_mib(server: subprocess.Popen) -> list[tuple[float, float]]:
    """(resident, proportional) memory in MiB of each process of a server
    started by ``start`` (its session: gunicorn's master and workers,
    runserver's reloader and server), largest first. Proportional memory
    counts a page shared by n processes (gunicorn's workers share what the
    master loaded before forking) as 1/n in each."""
    sizes = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if os.getsid(int(process.name)) != server.pid:
                continue
            sizes.append((_kib(process / "status", "VmRSS") / 1024, _kib(process / "smaps_rollup", "Pss") / 1024))
        except (OSError, ValueError, KeyError):  # ended meanwhile, or a kernel thread
            continue
    return sorted(sizes, reverse=True)


def _kib(path: Path, field: str) -> int:
    """A "Field:   123 kB" line's number in a /proc file."""
    for line in path.read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise KeyError(field)
