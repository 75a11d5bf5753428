"""Check the ingest corpus against its own contract (README.md). Run by hand:

    .venv/bin/python tests/data/ingest/_check_corpus.py
    .venv/bin/python tests/data/ingest/_check_corpus.py --table   # README's table

Not a test and not a parser: it checks that every transcript has a valid
annotation, that every ``starts_with`` is literally in the decoded source,
that times are times the source gives, and that every format and shape of
the vocabulary is covered at least twice. Exits non-zero on any problem.
"""

from __future__ import annotations

import datetime
import html
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

FORMATS = {"text", "markdown", "html", "docx", "srt", "vtt", "timecoded"}
ENCODINGS = {"utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"}
SHAPES = {
    "one-to-one", "panel", "podcast", "role-name-labels", "affiliation-labels", "colon-forms",
    "labels-own-line", "header-lines", "questions-marked-only", "emoji-damage", "boilerplate",
    "front-matter-colon", "no-title", "time-codes", "rolling-captions", "captions", "headings",
    "english", "traditional",
}
KINDS = {"question", "answer", "narration", "heading", "caption"}
REQUIRED = ("format", "encoding", "shapes", "title", "outlet", "published", "media_url", "notes", "speakers", "turns")
TIMED = {"srt", "vtt", "timecoded"}
EXTENSIONS = {
    "text": {".txt"}, "timecoded": {".txt"}, "markdown": {".md"}, "html": {".html", ".htm"},
    "docx": {".docx"}, "srt": {".srt"}, "vtt": {".vtt"},
}
TIME = re.compile(r"(?<![\d:])(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[,.](\d{3}))?(?![\d:])")


def transcripts() -> list[Path]:
    return sorted(
        path for path in HERE.iterdir()
        if path.is_file() and not path.name.startswith("_") and path.suffix != ".yaml" and path.name != "README.md"
    )


def decoded(path: Path, meta: dict, problems: list[str]) -> str:
    data = path.read_bytes()
    if meta["format"] == "docx":
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
        return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)
    encoding = meta["encoding"]
    boms = {"utf-8-sig": b"\xef\xbb\xbf", "utf-16": (b"\xff\xfe", b"\xfe\xff")}
    if encoding in boms and not data.startswith(boms[encoding]):
        problems.append(f"encoding {encoding} but no byte-order mark")
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        problems.append("encoding utf-8 but the file starts with a BOM (say utf-8-sig)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        problems.append(f"does not decode as {encoding}: {error}")
        return ""
    if encoding == "gb18030":
        try:
            data.decode("gbk")  # the corpus's GBK files must be plain GBK
        except UnicodeDecodeError:
            problems.append("declared gb18030 but not valid GBK")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if meta["format"] in ("html", "vtt"):
        text = text + "\n" + html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def seconds(match: re.Match) -> float:
    hours, minutes, secs, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis or 0) / 1000


def check(path: Path, shapes: Counter, formats: Counter, encodings: Counter) -> list[str]:
    problems: list[str] = []
    annotation = path.with_name(path.name + ".yaml")
    if not annotation.exists():
        return [f"no {annotation.name}"]
    try:
        meta = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        return [f"{annotation.name} is not valid YAML: {error}"]
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        return [f"missing keys: {', '.join(missing)}"]
    if meta["format"] not in FORMATS:
        return [f"unknown format {meta['format']!r}"]
    if path.suffix not in EXTENSIONS[meta["format"]]:
        problems.append(f"format {meta['format']} in a {path.suffix} file")
    if meta["format"] == "docx":
        if meta["encoding"] is not None:
            problems.append("a .docx has encoding null")
    elif meta["encoding"] not in ENCODINGS:
        problems.append(f"unknown encoding {meta['encoding']!r}")
    formats[meta["format"]] += 1
    encodings[meta["encoding"]] += 1
    for shape in meta["shapes"]:
        if shape not in SHAPES:
            problems.append(f"unknown shape {shape!r}")
        shapes[shape] += 1
    if not isinstance(meta["title"], str) or not meta["title"].strip():
        problems.append("title must be a non-empty string")
    if "no-title" in meta["shapes"] and meta["title"] != path.stem:
        problems.append(f"no-title file: the title must be the file name without extension, {path.stem!r}")
    if meta["published"] is not None and not isinstance(meta["published"], datetime.date):
        problems.append("published must be a YYYY-MM-DD date or null")
    if not isinstance(meta["notes"], int) or meta["notes"] < 0:
        problems.append("notes must be a count")
    if "deck" in meta and not isinstance(meta["deck"], str):
        problems.append("deck must be a string")
    if "credits" in meta and not all(isinstance(c, str) for c in meta["credits"]):
        problems.append("credits must be strings")

    text = decoded(path, meta, problems)
    names = []
    for speaker in meta["speakers"]:
        if set(speaker) - {"name", "role", "description"} or speaker.get("role") not in ("asks", "answers"):
            problems.append(f"bad speaker {speaker}")
        names.append(speaker["name"])
    first_seen: list[str] = []
    times = {round(seconds(m), 3) for m in TIME.finditer(text)}
    previous_start = -1.0
    timed = meta["format"] in TIMED
    for number, turn in enumerate(meta["turns"], 1):
        where = f"turn {number}"
        kind = turn.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind {kind!r}")
        start_text = str(turn.get("starts_with", ""))
        if not 4 <= len(start_text) <= 10:
            problems.append(f"{where}: starts_with {start_text!r} is {len(start_text)} characters, not 4-10")
        if start_text not in text:
            problems.append(f"{where}: starts_with {start_text!r} is not in the source")
        if kind in ("question", "answer"):
            speaker = turn.get("speaker")
            if speaker not in names:
                problems.append(f"{where}: speaker {speaker!r} is not in speakers")
            elif speaker not in first_seen:
                first_seen.append(speaker)
            role = next((s["role"] for s in meta["speakers"] if s["name"] == speaker), None)
            if role and (role == "asks") != (kind == "question"):
                problems.append(f"{where}: a {kind} by {speaker}, who {role}")
        elif "speaker" in turn:
            problems.append(f"{where}: a {kind} has no speaker")
        if kind in ("answer", "narration") and not isinstance(turn.get("paragraphs"), int):
            problems.append(f"{where}: a {kind} needs paragraphs")
        if timed and kind != "heading":
            if "start" not in turn:
                problems.append(f"{where}: no start in a time-coded file")
            if meta["format"] in ("srt", "vtt") and "end" not in turn:
                problems.append(f"{where}: no end in a subtitle file")
        for key in ("start", "end"):
            if key in turn and round(float(turn[key]), 3) not in times:
                problems.append(f"{where}: {key} {turn[key]} is not a time the source gives")
        if "start" in turn:
            if turn["start"] < previous_start:
                problems.append(f"{where}: start goes backwards")
            previous_start = turn["start"]
            if "end" in turn and turn["end"] <= turn["start"]:
                problems.append(f"{where}: ends before it starts")
    if first_seen != names:
        problems.append(f"speakers must be listed in order of first turn: {first_seen} vs {names}")
    if timed and "time-codes" not in meta["shapes"]:
        problems.append("a time-coded format without the time-codes shape")
    count = len(meta["turns"])
    if not 8 <= count <= 45:
        problems.append(f"{count} turns; the corpus keeps files to 8-45")
    return problems


def table() -> str:
    """The README's file table, from the annotations."""
    rows = ["| file | format | encoding | turns | shapes |", "| --- | --- | --- | --- | --- |"]
    for path in transcripts():
        meta = yaml.safe_load(path.with_name(path.name + ".yaml").read_text(encoding="utf-8"))
        rows.append(
            f"| `{path.name}` | {meta['format']} | {meta['encoding'] or '-'} | {len(meta['turns'])} | {', '.join(meta['shapes'])} |"
        )
    formats: Counter = Counter()
    shapes: Counter = Counter()
    for path in transcripts():
        meta = yaml.safe_load(path.with_name(path.name + ".yaml").read_text(encoding="utf-8"))
        formats[meta["format"]] += 1
        shapes.update(meta["shapes"])
    rows += ["", "Files per format: " + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())) + "."]
    rows += ["", "Files per shape: " + ", ".join(f"{k} {v}" for k, v in sorted(shapes.items())) + "."]
    return "\n".join(rows)


def main() -> int:
    if sys.argv[1:] == ["--table"]:
        print(table())
        return 0
    shapes: Counter = Counter()
    formats: Counter = Counter()
    encodings: Counter = Counter()
    failed = 0
    files = transcripts()
    for path in files:
        problems = check(path, shapes, formats, encodings)
        failed += bool(problems)
        for problem in problems:
            print(f"{path.name}: {problem}")
    for kind, vocabulary, counts in (("format", FORMATS, formats), ("shape", SHAPES, shapes), ("encoding", ENCODINGS, encodings)):
        least = 1 if kind == "encoding" else 2
        for name in sorted(vocabulary):
            if counts[name] < least:
                print(f"corpus: {kind} {name} is covered {counts[name]} times, needs {least}")
                failed += 1
    orphans = [p.name for p in HERE.glob("*.yaml") if not p.with_suffix("").exists()]
    for orphan in orphans:
        print(f"{orphan}: no transcript beside it")
    failed += len(orphans)
    print(f"{len(files)} transcripts; formats {dict(sorted(formats.items()))}")
    print(f"shapes {dict(sorted(shapes.items()))}")
    print(f"encodings {dict(sorted(encodings.items(), key=str))}")
    print("ok" if not failed else f"{failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
