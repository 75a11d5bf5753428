"""Import transcript files (folders of them, zip files of them) into the
archive: text and Markdown, saved web pages, Word files, subtitles and
recorder exports, each read by the format its content shows
(archive/lib/transcript/readers).

Thousands of files go in at a time (``archive.interviews.bulk``): parsed by
a process per core, stored in batches, each batch indexed once, with a
progress bar on a terminal and a summary at the end. Each file is imported
on its own, atomically: a file that fails is reported with the reason and
leaves the archive as it was, and the others still go in. The exit status
is non-zero if any file failed, so scripts can tell.

Re-importing is safe to script: the same file again is "unchanged" and
writes nothing; a corrected file keeps turn numbers and editors' work.
Where an editor changed something the corrected file changes too, the
editor's version is kept (nothing is lost: the source is stored whole, and
the turn remembers what the source now says) and each such turn is listed;
``--take-source`` takes the file's version instead. The admin's upload
preview asks, turn by turn.

The progress bar is tqdm's: it keeps one line at the bottom of the
terminal (rate, time left) while the files' lines scroll above it, and
stays silent when the output is not a terminal; Django's output wrappers
end every write with a newline, which a bar cannot use.
"""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive.interviews.bulk import Outcome, import_many, sources_in
from archive.interviews.importer import EDITOR, SOURCE, Known, parse_source
from archive.lib.transcript import TranscriptError


class Command(BaseCommand):
    help = ("Import transcripts (.txt, .md, .html, .docx, .srt, .vtt) from files, folders and zip files; "
            "re-importing a source updates its article.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders to search for transcripts, or zip files of them.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and print the structure; store nothing.")
        parser.add_argument("--take-source", action="store_true",
                            help="Where an editor changed what the corrected file changes too, take the file's version "
                                 "(by default the editor's is kept and listed).")
        parser.add_argument("--processes", type=int, default=None,
                            help="Processes that parse files (default: one per core, or none for a few files).")

    def handle(self, *args, paths, dry_run=False, take_source=False, processes=None, **options):
        sources = sources_in(paths)
        if dry_run:
            return self._dry_run(sources)
        started = time.perf_counter()
        bar = tqdm(total=len(sources), unit="file", file=self.stderr._out, disable=None if options["verbosity"] else True,
                   dynamic_ncols=True, smoothing=0.1)
        tally, turns = Tally(), 0

        def stored(outcome: Outcome) -> None:
            nonlocal turns
            turns += len(outcome.result.parsed.turns) if outcome.result else 0
            bar.update(1)
            bar.set_postfix_str(f"{turns:,} turns", refresh=False)

        with bar:
            for outcome in import_many(sources, prefer=SOURCE if take_source else EDITOR, processes=processes, progress=stored):
                tally.add(outcome)
                self._report(outcome, bar, options["verbosity"])
        if options["verbosity"]:
            self.stdout.write(tally.summary(time.perf_counter() - started))
        failures = tally.failures
        if failures:
            raise CommandError(f"{len(failures)} file(s) failed:\n" + "\n".join(failures))

    def _report(self, outcome: Outcome, bar: tqdm, verbosity: int) -> None:
        """The file's line (and its conflicts and, at -v 2, warnings), above the bar."""
        name = outcome.source.name
        if outcome.failed:
            self._write(self.stderr, self.style.ERROR(f"failed   {name}: {outcome.reason}"), bar)
            return
        if not verbosity:
            return
        result = outcome.result
        parsed, counts = result.parsed, result.plan.counts()
        detail = ", ".join(f"{counts[key]} {key}" for key in ("kept", "changed", "added", "removed")) if result.status == "updated" else ""
        lines = [f"{result.status:<9} {name}: {len(parsed.turns)} turns{f' ({detail})' if detail else ''}, {len(parsed.warnings)} warnings"
                 f" → {result.article.get_absolute_url()}"]
        for conflict in result.plan.conflicts:
            whose = "took the file's version" if conflict.takes_source else "kept the editor's version"
            lines.append(f"          {name}: {whose} of {conflict.describe()} (an editor and the file both changed it)")
        if verbosity > 1:
            lines += [f"         {warning}" for warning in parsed.warnings]
        for line in lines:
            self._write(self.stdout, line, bar)

    @staticmethod
    def _write(stream, line: str, bar: tqdm) -> None:
        if bar.disable:
            stream.write(line)
        else:
            bar.write(line, file=stream._out)

    def _dry_run(self, sources) -> None:
        failures = []
        known = Known.now()
        for source in sources:
            try:
                parsed = parse_source(source.read(known.limit), source.overrides, name=source.name, known=known)
            except (TranscriptError, OSError) as error:
                reason = error.strerror if isinstance(error, OSError) else str(error)
                failures.append(f"{source.name}: {reason}")
                self.stderr.write(self.style.ERROR(f"failed   {source.name}: {reason}"))
                continue
            self.stdout.write(f"== {source.name}\n{parsed.describe()}\n")
        if failures:
            raise CommandError(f"{len(failures)} file(s) failed:\n" + "\n".join(failures))


class Tally:
    """What the summary needs of each outcome, and no more: keeping the
    outcomes held every parsed turn of the run until the end."""

    def __init__(self):
        self.statuses: Counter[str] = Counter()
        self.turns = 0
        self.failures: list[str] = []

    def add(self, outcome: Outcome) -> None:
        if outcome.failed:
            self.statuses["failed"] += 1
            self.failures.append(f"{outcome.source.name}: {outcome.reason}")
            return
        self.statuses[outcome.result.status] += 1
        if outcome.result.status != "unchanged":
            self.turns += len(outcome.result.parsed.turns)

    def summary(self, seconds: float) -> str:
        """One line: how many files went which way, the turns stored, the rate."""
        counts = ", ".join(f"{self.statuses[status]} {status}" for status in ("created", "updated", "unchanged", "failed"))
        files = sum(self.statuses.values())
        return f"{files:,} files in {seconds:.1f} s: {counts}; {self.turns:,} turns stored ({self.turns / max(seconds, 1e-9):,.0f} turns/s)"
