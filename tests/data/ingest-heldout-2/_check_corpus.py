"""Check the second blind ingest corpus against the contract of tests/data/ingest/README.md.

    .venv/bin/python tests/data/ingest-heldout-2/_check_corpus.py
    .venv/bin/python tests/data/ingest-heldout-2/_check_corpus.py --table   # README's table

Runs the first corpus's own checker (tests/data/ingest/_check_corpus.py) on
this folder, so every corpus is held to one reading of the schema: valid
annotation, every ``starts_with`` literally in the decoded source, times the
source gives, speakers in order of first turn, kinds that follow roles. Only
the coverage goal differs: 16 files cover every format at least twice and
every shape and encoding at least once. Exits non-zero on any problem.
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
first.HERE = HERE  # transcripts() and table() read this folder instead

LEAST = {"format": 2, "shape": 1, "encoding": 1}


def main() -> int:
    if sys.argv[1:] == ["--table"]:
        print(first.table())
        return 0
    counts = {"format": Counter(), "shape": Counter(), "encoding": Counter()}
    failed = 0
    files = first.transcripts()
    for path in files:
        problems = first.check(path, counts["shape"], counts["format"], counts["encoding"])
        failed += bool(problems)
        for problem in problems:
            print(f"{path.name}: {problem}")
    orphans = sorted(p.name for p in HERE.glob("*.yaml") if not p.with_suffix("").exists())
    for orphan in orphans:
        print(f"{orphan}: no transcript beside it")
    failed += len(orphans)
    print(f"{len(files)} transcripts")
    vocabularies = {"format": first.FORMATS, "shape": first.SHAPES, "encoding": first.ENCODINGS}
    for kind, vocabulary in vocabularies.items():
        short = {name: counts[kind][name] for name in sorted(vocabulary) if counts[kind][name] < LEAST[kind]}
        for name, count in short.items():
            print(f"corpus: {kind} {name} is covered {count} times, needs {LEAST[kind]}")
        failed += len(short)
        print(f"{kind}s: " + ", ".join(f"{name} {count}" for name, count in sorted(counts[kind].items(), key=str)))
    print("ok" if not failed else f"{failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
