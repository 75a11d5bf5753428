# Two commands do everything on a fresh machine with Python 3.11:
#   make run    serve the archive, seeded, on http://127.0.0.1:8000
#   make test   run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test test-postgres install setup browser eval eval-postgres ingest-eval bench bench-page loadtest loadtest-hosts backup restore messages screenshots clean

$(VENV)/installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/installed

setup: install
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) createcachetable
	$(MANAGE) seed
	$(MANAGE) ensure_index

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

# Production serving: gunicorn (archive/serving.py), DEBUG off, static files
# by whitenoise, JSON logs. Settings come from the environment (docs/deployment.md).
serve: export DEBUG ?= false
serve: setup
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn -c python:archive.serving archive.wsgi

# Chromium and CJK fonts for the browser tests, where this machine can install
# them; the browser tests skip with the reason where it cannot.
browser:
	@bash .ci/install-browser

test: install browser
	$(BIN)/python -m pytest

# The same suite on a throwaway PostgreSQL cluster (installed from Debian's
# packages if missing); make test keeps SQLite.
test-postgres: install browser
	bash .ci/test-postgres

# Search quality on archive/search/evaluation.yaml, in a scratch data directory.
eval: install
	export ARCHIVE_DATA_DIR=$$(mktemp -d) && $(MANAGE) migrate --verbosity 0 && $(MANAGE) seed --verbosity 0 \
	  && $(MANAGE) evaluate_search --show-misses; status=$$?; rm -rf "$$ARCHIVE_DATA_DIR"; exit $$status

# make eval on a throwaway PostgreSQL cluster (TEST_PGPORT), searching through
# PostgreSQL: it must print the same figures as make eval (issue 17).
eval-postgres: install
	SEARCH_BACKEND=postgres bash .ci/with-postgres $(MAKE) --no-print-directory eval

# The parser on each corpus apart (development: tests/data/ingest/ and the
# seeds; tuning: tests/data/ingest-tuning/; held-out: tests/data/ingest-heldout/;
# held-out-2: tests/data/ingest-heldout-2/): exact-structure accuracy per format and per shape, every
# difference with the turns aligned, and the time to parse a 1 MB transcript.
ingest-eval: install
	$(BIN)/python -m archive.lib.transcript.evaluation

# Index and search speed on 100,000 synthetic turns, in a scratch data directory.
bench: install
	export ARCHIVE_DATA_DIR=$$(mktemp -d) && $(MANAGE) migrate --verbosity 0 \
	  && $(MANAGE) benchmark_search $(BENCH_ARGS); status=$$?; rm -rf "$$ARCHIVE_DATA_DIR"; exit $$status

# The search page's views, exports and feed on the same synthetic archive.
bench-page: install
	export ARCHIVE_DATA_DIR=$$(mktemp -d) && $(MANAGE) migrate --verbosity 0 \
	  && $(MANAGE) benchmark_page $(BENCH_ARGS); status=$$?; rm -rf "$$ARCHIVE_DATA_DIR"; exit $$status

# Many clients against gunicorn on loopback while transcripts are imported;
# reports throughput, latency and errors, then checks nothing was lost.
loadtest: install
	export ARCHIVE_DATA_DIR=$$(mktemp -d) && $(MANAGE) migrate --verbosity 0 && $(MANAGE) createcachetable \
	  && $(MANAGE) loadtest $(LOADTEST_ARGS); status=$$?; rm -rf "$$ARCHIVE_DATA_DIR"; exit $$status

# make loadtest with two web hosts (gunicorns over data directories of their
# own) sharing a throwaway PostgreSQL cluster (TEST_PGPORT) and searching on
# it: imports on the first are looked for on the second (issue 17).
loadtest-hosts: install
	SEARCH_BACKEND=postgres bash .ci/with-postgres $(MAKE) --no-print-directory loadtest LOADTEST_ARGS="--hosts 2 $(LOADTEST_ARGS)"

# The database and every source, into backups/; restore with
# make restore BACKUP=backups/archive-….tar.gz (the index is rebuilt).
backup: install
	$(MANAGE) backup --output backups

restore: install
	test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/archive-….tar.gz"; exit 2; }
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) createcachetable
	$(MANAGE) restore --replace "$(BACKUP)"

# docs/screenshots/: the reading pages at desktop and phone widths, in Chromium.
# SCREENSHOTS="preview ingest" shoots only those sets (reading, admin, ingest, preview).
screenshots: install browser
	export ARCHIVE_DATA_DIR=$$(mktemp -d) && $(MANAGE) migrate --verbosity 0 && $(MANAGE) createcachetable && $(MANAGE) seed --verbosity 0 \
	  && $(MANAGE) ensure_index && export DJANGO_SUPERUSER_PASSWORD=$$($(BIN)/python -c "import secrets; print(secrets.token_hex(12))") \
	  && $(MANAGE) createsuperuser --noinput --username editor --email editor@example.com \
	  && $(BIN)/python tests/screenshots.py; status=$$?; rm -rf "$$ARCHIVE_DATA_DIR"; exit $$status

# The interface catalogs: English message ids, Simplified translations kept by
# hand in locale/zh_Hans, Traditional made from them with OpenCC. Needs GNU
# gettext (apt-get install gettext); the compiled .mo files are committed, so
# running the archive does not.
messages: install
	$(MANAGE) makemessages -l zh_Hans --ignore ".venv/*" --ignore "tests/*" --no-obsolete
	$(MANAGE) traditional_catalog
	$(MANAGE) compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) var
