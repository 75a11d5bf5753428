"""``make ingest-eval``: exact-structure accuracy of the parser, per corpus,
per format and per shape, in files and in turns (a turn is exact when its
kind, speaker, paragraphs, times and first words are as expected), with every difference of every inexact file and a
turn-by-turn alignment of what was expected with what was parsed; then the
time to parse a 1 MB transcript.

The corpora (each transcript beside ``<file>.yaml`` with its expected
structure; the schema is ``tests/data/ingest/README.md``):

- **development**: ``tests/data/ingest/`` and the three seeds
  (``tests/data/seeds/``), written while the parser was built;
- **tuning**: ``tests/data/ingest-tuning/``, written by someone who had not
  read the parser; the parser may be improved against it;
- **held-out**: ``tests/data/ingest-heldout/``: the other half of those
  files, measured once unseen, since used for tuning;
- **held-out-2**: ``tests/data/ingest-heldout-2/``: 16 more files written
  blind, measured once unseen (docs/ingest.md), since tuned on.

Run: ``.venv/bin/python -m archive.lib.transcript.evaluation [--corpus tuning] [--no-timing]``.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from archive.lib.transcript import Kind, ParsedArticle, TranscriptError, Turn, parse_bytes

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
SEEDS = DATA / "seeds"  # expectations for fixtures/*.txt


@dataclass(frozen=True)
class Corpus:
    name: str
    folder: Path
    seeds: bool = False  # the seeds in fixtures/ belong to it too

    def cases(self) -> list[tuple[Path, Path]]:
        """(transcript, expectation) pairs."""
        pairs = [(path.with_suffix(""), path) for path in sorted(self.folder.glob("*.yaml")) if not path.name.startswith("_")]
        if self.seeds:
            pairs += [(ROOT / "fixtures" / path.name.removesuffix(".yaml"), path) for path in sorted(SEEDS.glob("*.yaml"))]
        return [(transcript, expectation) for transcript, expectation in pairs if transcript.exists()]


CORPORA = (
    Corpus("development", DATA / "ingest", seeds=True),
    Corpus("tuning", DATA / "ingest-tuning"),
    Corpus("held-out", DATA / "ingest-heldout"),
    Corpus("held-out-2", DATA / "ingest-heldout-2"),
)
BY_CORPUS = {corpus.name: corpus for corpus in CORPORA}

# The decoder names what it decoded with; the corpus names the bytes.
_ENCODINGS = {"cp950": "big5", "big5hkscs": "big5", "utf-16": "utf-16", "gb18030": "gb18030"}


@dataclass
class Row:
    """One step of the alignment of expected with parsed turns: a pair (the
    same turn, as expected or not), an expected turn missing, or a parsed
    turn no one expected. Indexes count from 1."""

    want: dict | None
    want_number: int | None
    got: Turn | None
    got_number: int | None
    problems: list[str] = field(default_factory=list)
    where: str = ""  # for a missing turn: where its words went

    @property
    def exact(self) -> bool:
        return self.want is not None and self.got is not None and not self.problems


@dataclass
class Result:
    path: Path
    expected: dict
    fields: list[str]  # article-level differences (title, speakers…), or why it was refused
    rows: list[Row] = field(default_factory=list)

    @property
    def differences(self) -> list[str]:
        return self.fields + [describe_row(row) for row in self.rows if not row.exact]

    @property
    def exact(self) -> bool:
        return not self.differences

    @property
    def exact_turns(self) -> int:
        """Expected turns parsed exactly as expected: one wrong closing note
        makes a whole file inexact, and this says how much of it is right."""
        return sum(row.exact for row in self.rows)

    @property
    def expected_turns(self) -> int:
        return len(self.expected["turns"])


def turn_figure(results: list[Result]) -> str:
    exact, expected = sum(r.exact_turns for r in results), sum(r.expected_turns for r in results)
    return f"{exact} of {expected} turns ({exact / max(expected, 1):.0%})"


def cases(corpus: str | None = None) -> list[tuple[Path, Path]]:
    """(transcript, expectation) pairs of one corpus, or of all of them."""
    chosen = [BY_CORPUS[corpus]] if corpus else CORPORA
    return [case for each in chosen for case in each.cases()]


def evaluate(transcript: Path, expectation: Path) -> Result:
    expected = yaml.safe_load(expectation.read_text(encoding="utf-8"))
    data = transcript.read_bytes()
    try:
        parsed = parse_bytes(data, name=transcript.name)
    except TranscriptError as error:
        return Result(transcript, expected, [f"refused: {error}"])
    return Result(transcript, expected, field_differences(expected, parsed, data), align(expected["turns"], parsed))


def field_differences(expected: dict, parsed: ParsedArticle, data: bytes) -> list[str]:
    found = []

    def check(name: str, want, got) -> None:
        if want != got:
            found.append(f"{name}: expected {want!r}, got {got!r}")

    check("format", expected["format"], parsed.format)
    if expected.get("encoding") is not None:
        check("encoding", expected["encoding"], encoding_of(parsed.encoding, data))
    check("title", expected["title"], parsed.title)
    if "deck" in expected or parsed.deck:
        check("deck", expected.get("deck"), parsed.deck or None)
    check("outlet", expected["outlet"], parsed.outlet or None)
    want_date = expected["published"]
    check("published", want_date.isoformat() if isinstance(want_date, datetime.date) else want_date,
          parsed.published.isoformat() if parsed.published else None)
    check("media_url", expected["media_url"], parsed.media_url or None)
    if "credits" in expected:
        check("credits", expected["credits"] or [], parsed.credits)
    check("notes", expected["notes"], len(parsed.notes))
    speakers = [{"name": s.name, "role": s.role.value, **({"description": s.description} if s.description else {})}
                for s in parsed.speakers]
    check("speakers", [dict(s) for s in expected["speakers"]], speakers)
    if len(expected["turns"]) != len(parsed.turns):
        found.append(f"turns: expected {len(expected['turns'])}, got {len(parsed.turns)}")
    return found


def turn_differences(want: dict, turn: Turn, parsed: ParsedArticle) -> list[str]:
    problems = []
    if want["kind"] != turn.kind.value:
        problems.append(f"kind {want['kind']} ≠ {turn.kind.value}")
    speaker = parsed.speaker_for(turn)
    if turn.kind in (Kind.QUESTION, Kind.ANSWER) or "speaker" in want:
        if want.get("speaker") != (speaker.name if speaker else None):
            problems.append(f"speaker {want.get('speaker')} ≠ {speaker.name if speaker else None}")
    paragraphs = want.get("paragraphs", 1 if want["kind"] in ("question", "heading", "caption") else None)
    if paragraphs is not None and paragraphs != len(turn.paragraphs):
        problems.append(f"paragraphs {paragraphs} ≠ {len(turn.paragraphs)}")
    for edge in ("start", "end"):
        want_time, got_time = want.get(edge), getattr(turn, edge)
        if (want_time is None) != (got_time is None) or want_time is not None and abs(want_time - got_time) > 0.01:
            problems.append(f"{edge} {want_time} ≠ {got_time}")
    if not _begins(want, turn):
        problems.append(f"starts_with {want['starts_with']!r} ≠ {turn.paragraphs[0][:12]!r}")
    return problems


def _begins(want: dict, turn: Turn) -> bool:
    return turn.paragraphs[0].startswith(str(want["starts_with"]))


def align(wanted: list[dict], parsed: ParsedArticle) -> list[Row]:
    """Expected and parsed turns side by side: turns that begin with the
    expected words are anchors (the longest such common sequence); between
    two anchors the others pair up in order, and what is left over is
    missing (with where its words went) or extra."""
    got = parsed.turns
    # lengths[i][j]: the longest anchored sequence of wanted[i:] and got[j:]
    lengths = [[0] * (len(got) + 1) for _ in range(len(wanted) + 1)]
    for i in range(len(wanted) - 1, -1, -1):
        for j in range(len(got) - 1, -1, -1):
            lengths[i][j] = lengths[i + 1][j + 1] + 1 if _begins(wanted[i], got[j]) else max(lengths[i + 1][j], lengths[i][j + 1])
    anchors, i, j = [], 0, 0
    while i < len(wanted) and j < len(got):
        if _begins(wanted[i], got[j]) and lengths[i][j] == lengths[i + 1][j + 1] + 1:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    rows: list[Row] = []
    previous = (-1, -1)
    for anchor in [*anchors, (len(wanted), len(got))]:
        unmatched_wanted = range(previous[0] + 1, anchor[0])
        unmatched_got = range(previous[1] + 1, anchor[1])
        for offset in range(max(len(unmatched_wanted), len(unmatched_got))):
            w = unmatched_wanted[offset] if offset < len(unmatched_wanted) else None
            g = unmatched_got[offset] if offset < len(unmatched_got) else None
            rows.append(_row(wanted, got, parsed, w, g))
        if anchor[0] < len(wanted):
            rows.append(_row(wanted, got, parsed, *anchor))
        previous = anchor
    return rows


def _row(wanted: list[dict], got: list[Turn], parsed: ParsedArticle, w: int | None, g: int | None) -> Row:
    want = wanted[w] if w is not None else None
    turn = got[g] if g is not None else None
    row = Row(want, None if w is None else w + 1, turn, None if g is None else g + 1)
    if want is not None and turn is not None:
        row.problems = turn_differences(want, turn, parsed)
    elif want is not None:
        row.where = _where_it_went(str(want["starts_with"]), parsed)
    return row


def _where_it_went(words: str, parsed: ParsedArticle) -> str:
    for number, turn in enumerate(parsed.turns, 1):
        if words in turn.text:
            return f"inside parsed turn {number}"
    for name, texts in (("title", [parsed.title]), ("deck", [parsed.deck]), ("credits", parsed.credits), ("notes", parsed.notes)):
        if any(words in text for text in texts):
            return f"in the {name}"
    return "not in the parsed article"


def _expected(want: dict) -> str:
    who = f" {want['speaker']}" if want.get("speaker") else ""
    return f"{want['kind']}{who} “{want['starts_with']}”"


def _parsed(turn: Turn) -> str:
    who = f" {turn.label}" if turn.label else ""
    return f"{turn.kind.value}{who} “{turn.paragraphs[0][:14]}”"


def describe_row(row: Row) -> str:
    if row.want is not None and row.got is not None:
        return f"turn {row.want_number} ≈ parsed {row.got_number} ({row.got.unit} {row.got.line}): " + "; ".join(row.problems)
    if row.want is not None:
        return f"turn {row.want_number} missing: {_expected(row.want)} — {row.where}"
    return f"parsed turn {row.got_number} not expected ({row.got.unit} {row.got.line}): {_parsed(row.got)}"


def encoding_of(decoded_with: str, data: bytes) -> str:
    if decoded_with == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    return _ENCODINGS.get(decoded_with, decoded_with)


def a_megabyte_transcript() -> bytes:
    """A 1 MB transcript: the seed 000's conversation again and again, each
    line numbered by its round so that no paragraph repeats and no cache
    flatters the figure."""
    seed = next((ROOT / "fixtures").glob("000-*.txt")).read_text(encoding="utf-8")
    front, body = seed.split("\n---\n", 1)
    lines = body.split("\n")[1:]
    rounds = 1_000_000 // len("\n".join(lines).encode()) + 1
    conversation = "\n".join(f"{line} {round}" if line.strip() else line for round in range(rounds) for line in lines)
    return (front + "\n---\n" + "标题\n" + conversation).encode()


def many_tiny_turns() -> bytes:
    """The slowest shape per byte: a million characters of one-line turns
    (100,000 of them), as tests/test_fuzz.py feeds the parser."""
    return ("甲：问？\n乙：答。\n" * 50_000).encode()


def parse_time(data: bytes) -> tuple[float, int]:
    """Median seconds of five parses of ``data``, and the turns it gives."""
    timings, turns = [], 0
    for _ in range(5):
        began = time.perf_counter()
        turns = len(parse_bytes(data, name="big.txt").turns)
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), turns


def report(results: list[Result], out=sys.stdout, title: str = "") -> None:
    """Accuracy per format and per shape, then every inexact file with all
    its differences and the alignment of its turns."""

    def table(heading: str, groups: dict[str, list[Result]]) -> None:
        print(f"\n{heading:<24}{'exact':>7}{'files':>7}{'accuracy':>10}{'exact':>9}{'turns':>7}{'accuracy':>10}", file=out)
        print(f"{'':<24}{'(files)':>24}{'(turns)':>26}", file=out)
        for name in sorted(groups):
            group = groups[name]
            exact = sum(result.exact for result in group)
            turns, expected = sum(r.exact_turns for r in group), sum(r.expected_turns for r in group)
            print(f"{name:<24}{exact:>7}{len(group):>7}{exact / len(group):>10.0%}"
                  f"{turns:>9}{expected:>7}{turns / max(expected, 1):>10.0%}", file=out)

    by_format, by_shape = defaultdict(list), defaultdict(list)
    for result in results:
        by_format[result.expected["format"]].append(result)
        for shape in result.expected.get("shapes") or []:
            by_shape[shape].append(result)
    exact = sum(result.exact for result in results)
    prefix = f"{title}: " if title else ""
    print(f"{prefix}exact structure: {exact} of {len(results)} files ({exact / max(len(results), 1):.0%}); "
          f"turns exactly as expected: {turn_figure(results)}", file=out)
    table("format", by_format)
    table("shape", by_shape)
    inexact = [result for result in results if not result.exact]
    if inexact:
        print("\ninexact files (every difference, then the turns aligned: = as expected, ≈ differs, − missing, + not expected):", file=out)
        for result in inexact:
            _report_file(result, out)


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _report_file(result: Result, out) -> None:
    print(f"\n  {_shown(result.path)}", file=out)
    for difference in result.fields:
        print(f"      {difference}", file=out)
    if not result.rows:
        return
    counts = defaultdict(int)
    for row in result.rows:
        counts["=" if row.exact else "≈" if row.want is not None and row.got is not None else "−" if row.want is not None else "+"] += 1
    print(f"      turns: {counts['=']} as expected, {counts['≈']} differ, {counts['−']} missing, {counts['+']} not expected", file=out)
    run: list[Row] = []

    def flush() -> None:
        if len(run) >= 3:
            print(f"        =  {run[0].want_number}–{run[-1].want_number} as expected", file=out)
        else:
            for row in run:
                print(f"        =  {row.want_number:>3}  {_expected(row.want)}", file=out)
        run.clear()

    for row in result.rows:
        if row.exact:
            run.append(row)
            continue
        flush()
        if row.want is not None and row.got is not None:
            print(f"        ≈  {row.want_number:>3}  {_expected(row.want)} → parsed {row.got_number} "
                  f"({row.got.unit} {row.got.line}): {'; '.join(row.problems)}", file=out)
        elif row.want is not None:
            print(f"        −  {row.want_number:>3}  {_expected(row.want)}: {row.where}", file=out)
        else:
            print(f"        +    ·  parsed {row.got_number} ({row.got.unit} {row.got.line}): {_parsed(row.got)}", file=out)
    flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=[corpus.name for corpus in CORPORA], action="append",
                        help="only this corpus (may be repeated); all that exist by default")
    parser.add_argument("--folder", type=Path, action="append", default=[],
                        help="also measure this folder of annotated transcripts (e.g. new files before they join a corpus)")
    parser.add_argument("--no-timing", action="store_true", help="skip the 1 MB parse timing")
    args = parser.parse_args(argv)
    summary = []
    chosen = [corpus for corpus in CORPORA if not args.corpus and not args.folder or args.corpus and corpus.name in args.corpus]
    for corpus in chosen + [Corpus(str(folder), folder.resolve()) for folder in args.folder]:
        pairs = corpus.cases()
        if not pairs:
            print(f"== {corpus.name}: {_shown(corpus.folder)} has no transcripts (not measured)\n")
            continue
        results = [evaluate(transcript, expectation) for transcript, expectation in pairs]
        print(f"== {corpus.name} ({_shown(corpus.folder)}{' and the seeds' if corpus.seeds else ''})")
        report(results, title=corpus.name)
        print()
        turns = f"{sum(r.exact_turns for r in results)}/{sum(r.expected_turns for r in results)} turns"
        summary.append(f"{corpus.name} {sum(r.exact for r in results)}/{len(results)} files, {turns}")
    print("exact, per corpus: " + "; ".join(summary))
    if not args.no_timing:
        print()
        for what, data in (("transcript", a_megabyte_transcript()), ("transcript of one-line turns", many_tiny_turns())):
            seconds, turns = parse_time(data)
            print(f"parse time for a {len(data) / 1e6:.2f} MB {what} ({turns:,} turns): {seconds:.2f} s (median of 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
