"""Check the held-out ingest corpus against the contract of tests/data/ingest/README.md.

    .venv/bin/python tests/data/ingest-heldout/_check_corpus.py
    .venv/bin/python tests/data/ingest-heldout/_check_corpus.py --table   # README's table

Runs the first corpus's own checker (tests/data/ingest/_check_corpus.py) on
this folder, so both corpora are held to one reading of the schema: valid
annotation, every ``starts_with`` literally in the decoded source, times the
source gives, speakers in order of first turn. Only the coverage goal
differs: this half covers every format at least once (the 24 files as
written covered every format three times and every shape once). Exits
non-zero on any problem.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = HERE.parent / "ingest" / "_check_corpus.py"

spec = importlib.util.spec_from_file_location("first_corpus_check", FIRST)
first = importlib.util.module_from_spec(spec)
spec.loader.exec_module(first)
first.HERE = HERE  # transcripts() and the orphan check read this folder instead

LEAST = {"format": 1, "shape": 0, "encoding": 0}  # a half: each format at least once


def main() -> int:
    if sys.argv[1:] == ["--table"]:
        print(first.table())
        return 0
    shapes: Counter = Counter()
    formats: Counter = Counter()
    encodings: Counter = Counter()
    failed = 0
    files = first.transcripts()
    for path in files:
        problems = first.check(path, shapes, formats, encodings)
        failed += bool(problems)
        for problem in problems:
            print(f"{path.name}: {problem}")
    orphans = sorted(p.name for p in HERE.glob("*.yaml") if not p.with_suffix("").exists())
    for orphan in orphans:
        print(f"{orphan}: no transcript beside it")
    failed += len(orphans)
    print(f"{len(files)} transcripts")
    for kind, vocabulary, counts in (
        ("format", first.FORMATS, formats),
        ("shape", first.SHAPES, shapes),
        ("encoding", first.ENCODINGS, encodings),
    ):
        short = {name: counts[name] for name in sorted(vocabulary) if counts[name] < LEAST[kind]}
        for name, count in short.items():
            print(f"corpus: {kind} {name} is covered {count} times, needs {LEAST[kind]}")
        failed += len(short)
        print(f"{kind}s: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=str)))
    print("ok" if not failed else f"{failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
