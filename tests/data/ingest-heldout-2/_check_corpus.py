"""Check the second blind ingest corpus against the contract of tests/data/ingest/README.md.

    .venv/bin/python tests/data/ingest-heldout-2/_check_corpus.py
    .venv/bin/python tests/data/ingest-heldout-2/_check_corpus.py --table   # README's table

Runs the first corpus's own checks (tests/data/ingest/_check_corpus.py) on
this folder, so every corpus is held to one reading of the schema: valid
annotation, every ``starts_with`` literally in the decoded source, times the
source gives, speakers in order of first turn, kinds that follow roles. The
loop that reports them is the held-out corpus's (tests/data/ingest-heldout/
_check_corpus.py), pointed at this folder rather than copied; only the
coverage goal differs: 16 files cover every format at least twice and every
shape and encoding at least once. Exits non-zero on any problem.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELD_OUT = HERE.parent / "ingest-heldout" / "_check_corpus.py"

spec = importlib.util.spec_from_file_location("held_out_corpus_check", HELD_OUT)
held_out = importlib.util.module_from_spec(spec)
spec.loader.exec_module(held_out)
held_out.HERE = HERE  # its orphan check reads this folder
held_out.first.HERE = HERE  # and the first checker's transcripts() and table() too
held_out.LEAST = {"format": 2, "shape": 1, "encoding": 1}

if __name__ == "__main__":
    sys.exit(held_out.main())
