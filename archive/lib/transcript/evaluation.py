"""``make ingest-eval``: exact-structure accuracy of the parser on the corpus
in ``tests/data/ingest/`` (each transcript beside ``<file>.yaml`` with its
expected structure; the schema is that folder's README) and on the three
seeds (``tests/data/seeds/``), per format and per shape, with the field that
differed for every inexact file; then the time to parse a 1 MB transcript.

Run: ``.venv/bin/python -m archive.lib.transcript.evaluation [--show-exact]``.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.lib.transcript import Kind, ParsedArticle, TranscriptError, parse_bytes

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "ingest"
SEEDS = ROOT / "tests" / "data" / "seeds"  # expectations for fixtures/*.txt

# The decoder names what it decoded with; the corpus names the bytes.
_ENCODINGS = {"cp950": "big5", "big5hkscs": "big5", "utf-16": "utf-16", "gb18030": "gb18030"}


@dataclass
class Result:
    path: Path
    expected: dict
    differences: list[str]

    @property
    def exact(self) -> bool:
        return not self.differences


def cases() -> list[tuple[Path, Path]]:
    """(transcript, expectation) pairs: the corpus, then the seeds."""
    pairs = [(path.with_suffix(""), path) for path in sorted(CORPUS.glob("*.yaml")) if not path.name.startswith("_")]
    pairs += [(ROOT / "fixtures" / path.name.removesuffix(".yaml"), path) for path in sorted(SEEDS.glob("*.yaml"))]
    return [(transcript, expectation) for transcript, expectation in pairs if transcript.exists()]


def evaluate(transcript: Path, expectation: Path) -> Result:
    expected = yaml.safe_load(expectation.read_text(encoding="utf-8"))
    data = transcript.read_bytes()
    try:
        parsed = parse_bytes(data, name=transcript.name)
    except TranscriptError as error:
        return Result(transcript, expected, [f"refused: {error}"])
    return Result(transcript, expected, differences(expected, parsed, data))


def differences(expected: dict, parsed: ParsedArticle, data: bytes) -> list[str]:
    found = []

    def check(field: str, want, got) -> None:
        if want != got:
            found.append(f"{field}: expected {want!r}, got {got!r}")

    check("format", expected["format"], parsed.format)
    if expected.get("encoding") is not None:
        check("encoding", expected["encoding"], encoding_of(parsed.encoding, data))
    check("title", expected["title"], parsed.title)
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
    want_turns, got_turns = expected["turns"], parsed.turns
    if len(want_turns) != len(got_turns):
        found.append(f"turns: expected {len(want_turns)}, got {len(got_turns)}")
    for number, (want, turn) in enumerate(zip(want_turns, got_turns), 1):
        problems = turn_differences(want, turn, parsed)
        if problems:
            found.append(f"turn {number} ({turn.unit} {turn.line}): " + "; ".join(problems))
            break  # later turns usually follow from the first that differs
    return found


def turn_differences(want: dict, turn, parsed: ParsedArticle) -> list[str]:
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
    if not turn.paragraphs[0].startswith(str(want["starts_with"])):
        problems.append(f"starts_with {want['starts_with']!r} ≠ {turn.paragraphs[0][:12]!r}")
    return problems


def encoding_of(decoded_with: str, data: bytes) -> str:
    if decoded_with == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    return _ENCODINGS.get(decoded_with, decoded_with)


def parse_time_for_a_megabyte() -> tuple[float, int, int]:
    """Median seconds of five parses of a 1 MB transcript (the seed 000's
    conversation again and again, each line numbered by its round so that no
    paragraph repeats and no cache flatters the figure), its size in bytes
    and the turns it gives."""
    seed = next((ROOT / "fixtures").glob("000-*.txt")).read_text(encoding="utf-8")
    front, body = seed.split("\n---\n", 1)
    lines = body.split("\n")[1:]
    rounds = 1_000_000 // len("\n".join(lines).encode()) + 1
    conversation = "\n".join(f"{line} {round}" if line.strip() else line for round in range(rounds) for line in lines)
    data = (front + "\n---\n" + "标题\n" + conversation).encode()
    timings, turns = [], 0
    for _ in range(5):
        began = time.perf_counter()
        turns = len(parse_bytes(data, name="big.txt").turns)
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), len(data), turns


def report(results: list[Result], out=sys.stdout) -> None:
    def table(title: str, groups: dict[str, list[Result]]) -> None:
        print(f"\n{title:<24}{'exact':>7}{'files':>7}{'accuracy':>10}", file=out)
        for name in sorted(groups):
            group = groups[name]
            exact = sum(result.exact for result in group)
            print(f"{name:<24}{exact:>7}{len(group):>7}{exact / len(group):>10.0%}", file=out)

    by_format, by_shape = defaultdict(list), defaultdict(list)
    for result in results:
        by_format[result.expected["format"]].append(result)
        for shape in result.expected.get("shapes") or []:
            by_shape[shape].append(result)
    exact = sum(result.exact for result in results)
    print(f"exact structure: {exact} of {len(results)} files ({exact / max(len(results), 1):.0%})", file=out)
    table("format", by_format)
    table("shape", by_shape)
    inexact = [result for result in results if not result.exact]
    if inexact:
        print("\ninexact files (the first field that differed):", file=out)
        for result in inexact:
            print(f"  {result.path.relative_to(ROOT) if result.path.is_relative_to(ROOT) else result.path}", file=out)
            for difference in result.differences:
                print(f"      {difference}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-timing", action="store_true", help="skip the 1 MB parse timing")
    args = parser.parse_args(argv)
    results = [evaluate(transcript, expectation) for transcript, expectation in cases()]
    report(results)
    if not args.no_timing:
        seconds, size, turns = parse_time_for_a_megabyte()
        print(f"\nparse time for a {size / 1e6:.2f} MB transcript ({turns} turns): {seconds:.2f} s (median of 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
