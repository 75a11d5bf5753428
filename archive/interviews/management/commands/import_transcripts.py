"""Import transcript files (and folders of them) into the archive: text and
Markdown, saved web pages, Word files, subtitles and recorder exports, each
read by the format its content shows (archive/lib/transcript/readers).

Each file is imported on its own, atomically: a file that fails is reported
with the reason and leaves the archive as it was, and the others still go in.
The exit status is non-zero if any file failed, so scripts can tell.

Re-importing is safe to script: the same file again is "unchanged" and
writes nothing; a corrected file keeps turn numbers and editors' work.
Where an editor changed something the corrected file changes too, the
editor's version is kept (nothing is lost: the source is stored whole, and
the turn remembers what the source now says) and each such turn is listed;
``--take-source`` takes the file's version instead. The admin's upload
preview asks, turn by turn.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.interviews.importer import EDITOR, SOURCE, import_transcript, parse_source
from archive.lib.transcript import TranscriptError, readers


def transcript_files(paths: list[str]) -> list[Path]:
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and readers.accepts(p.name))
        else:
            files.append(path)
    return files


class Command(BaseCommand):
    help = "Import transcripts (.txt, .md, .html, .docx, .srt, .vtt) from files and folders; re-importing a source updates its article."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or folders to search for transcripts.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and print the structure; store nothing.")
        parser.add_argument("--take-source", action="store_true",
                            help="Where an editor changed what the corrected file changes too, take the file's version "
                                 "(by default the editor's is kept and listed).")

    def handle(self, *args, paths, dry_run=False, take_source=False, **options):
        failures = []
        for path in transcript_files(paths):
            try:
                data = path.read_bytes()
                if dry_run:
                    parsed = parse_source(data, name=path.name)
                    self.stdout.write(f"== {path}\n{parsed.describe()}\n")
                    continue
                result = import_transcript(data, name=path.name, prefer=SOURCE if take_source else EDITOR)
            except (TranscriptError, OSError) as error:
                reason = error.strerror if isinstance(error, OSError) else str(error)
                failures.append(f"{path}: {reason}")
                self.stderr.write(self.style.ERROR(f"failed   {path}: {reason}"))
                continue
            parsed = result.parsed
            counts = result.plan.counts()
            detail = ", ".join(f"{counts[key]} {key}" for key in ("kept", "changed", "added", "removed")) if result.status == "updated" else ""
            self.stdout.write(
                f"{result.status:<9} {path}: {len(parsed.turns)} turns{f' ({detail})' if detail else ''}, {len(parsed.warnings)} warnings"
                f" → {result.article.get_absolute_url()}"
            )
            for conflict in result.plan.conflicts:
                whose = "took the file's version" if conflict.takes_source else "kept the editor's version"
                self.stdout.write(f"          {path}: {whose} of {conflict.describe()} (an editor and the file both changed it)")
            if options["verbosity"] > 1:
                for warning in parsed.warnings:
                    self.stdout.write(f"         {warning}")
        if failures:
            raise CommandError(f"{len(failures)} file(s) failed:\n" + "\n".join(failures))
