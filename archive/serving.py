"""gunicorn's configuration (``gunicorn -c python:archive.serving archive.wsgi``,
as ``make serve`` runs it). Every value can be set from the environment;
docs/deployment.md lists them.

Searching is CPU-bound Python, so processes give the parallelism and a few
threads per process keep page views flowing while one thread searches. The
app is loaded before forking, so jieba's dictionary and OpenCC's tables
are read once and shared by every worker.
"""

import os

from archive.lib.env import envchoice, envint

bind = os.getenv("BIND", "127.0.0.1:8000")
workers = envint("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1), minimum=1)
worker_class = "gthread"
threads = envint("WEB_THREADS", 4, minimum=1)
preload_app = True
timeout = envint("WEB_TIMEOUT", 30, minimum=1)
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Bounded requests: a header line or field larger than this is refused
# before Django sees it (uploads are bounded in settings).
limit_request_line = 8190
limit_request_fields = 100
accesslog = None  # archive.middleware.RequestLog writes one structured line per request
errorlog = "-"
control_socket_disable = True  # several instances (a load test beside a server) must not share one socket
loglevel = envchoice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")).lower()

if envchoice("LOG_FORMAT", "json", ("text", "json")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "archive.lib.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False}},
    }


def post_worker_init(worker):
    """Start this worker's index thread now: it applies whatever a crashed
    worker left queued, without waiting for the next change; and open its
    first searcher (the master did the first searches before forking, see
    archive/wsgi.py), so that its first reader does not wait for that."""
    from archive.search.backend import search_backend
    from archive.search.indexing import worker as index_worker

    index_worker.wake()
    search_backend().open_searcher()
