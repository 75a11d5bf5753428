"""What the parser produces and what flows between its steps.

Readers turn a file into a ``Document``: a stream of ``Block``s plus the
metadata the format carries. Cleanup rules and labelling transform that
document; ``ParsedArticle`` with its ``Turn``s and ``Speaker``s comes out.

Messages (warnings and errors) are English templates with ``%(name)s``
parameters, marked with ``gettext_noop`` so that the Django layer's catalogue
picks them up and shows them translated; the core itself stays free of Django.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum

from archive.lib.chinese import Script, fold
from archive.lib.decoding import gettext_noop


class TranscriptError(ValueError):
    """The input cannot be read as a transcript; the message says why.

    ``template`` and ``params`` let an interface show it in its own language;
    ``str(error)`` is the English text."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(template % params if params else template)


class Kind(str, Enum):
    QUESTION = "question"
    ANSWER = "answer"
    NARRATION = "narration"
    HEADING = "heading"
    CAPTION = "caption"


class Role(str, Enum):
    ASKS = "asks"
    ANSWERS = "answers"

    @property
    def kind(self) -> Kind:
        return Kind.QUESTION if self is Role.ASKS else Kind.ANSWER


UNITS = {"line": gettext_noop("line %(number)s"), "cue": gettext_noop("cue %(number)s"),
         "paragraph": gettext_noop("paragraph %(number)s")}


@dataclass(frozen=True)
class Position:
    """Where in the source a block comes from: a line of text, a subtitle cue,
    a paragraph of a Word file."""

    unit: str = "line"
    number: int = 0

    def __str__(self) -> str:
        return UNITS[self.unit] % {"number": self.number} if self.number else ""


@dataclass(frozen=True)
class Warning:
    """Something the parser dropped, moved or guessed, and where."""

    line: int  # the number of the line (or cue, or paragraph); 0 for the whole file
    template: str
    params: tuple = ()  # (name, value) pairs, hashable
    unit: str = "line"

    @property
    def message(self) -> str:
        return self.template % dict(self.params) if self.params else self.template

    @property
    def where(self) -> str:
        return str(Position(self.unit, self.line))

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.line else self.message

    def as_json(self) -> dict:
        return {"line": self.line, "unit": self.unit, "message": self.message, "template": self.template,
                "params": dict(self.params)}


class BlockKind(str, Enum):
    """What the format says a block is."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    IMAGE = "image"  # text: its caption (alt text, or a caption line the format attaches)
    CAPTION = "caption"
    RULE = "rule"
    QUESTION = "question"  # the format says it is a question: a Q&A table's question column
    LEAD = "lead"  # an editor's note introducing the piece (set by a cleanup rule)


@dataclass
class Block:
    """One unit of text from a reader. Inline bold is kept as Markdown's
    ``**…**``, the one inline mark labelling needs (bold labels, bold questions)."""

    text: str
    position: Position
    kind: BlockKind = BlockKind.PARAGRAPH
    speaker: str | None = None  # a speaker the format names explicitly (WebVTT <v>, a recorder's speaker line)
    start: float | None = None  # seconds into the recording
    end: float | None = None
    group: int | None = None  # lines of one blank-line-separated paragraph of plain text share a group
    continues: bool = False  # running speech (subtitle cues): joins the paragraph before unless a new speaker starts
    source: str = ""  # an image's address, for messages
    set_apart: bool = False  # the whole paragraph is set apart from the body: italic, or a block quote (bold stays inline as **…**)


@dataclass
class Speaker:
    label: str  # as the text writes it, e.g. 《中國企業家》 → 中國企業家
    name: str  # who it is; the label unless front matter or the label itself says otherwise
    role: Role
    is_outlet: bool = False  # an interviewing publication (南都, 《中國企業家》), not a person
    description: str = ""  # e.g. 360集团创始人

    @property
    def key(self) -> str:
        return fold(self.name)


@dataclass
class Turn:
    kind: Kind
    line: int  # where it starts in the source (a line, cue or paragraph number: see ``unit``)
    paragraphs: list[str] = field(default_factory=list)
    label: str | None = None
    start: float | None = None
    end: float | None = None
    unit: str = "line"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Document:
    """A file as a reader gives it: blocks, and what the format says about the piece."""

    blocks: list[Block]
    format: str
    meta: dict = field(default_factory=dict)  # front matter or page metadata: title, outlet, published, speakers…
    name: str = ""
    encoding: str = "utf-8"
    carries_title: bool = True  # False for subtitles and bare recorder exports: the file name stands in
    title_line: bool = True  # the first line is where the title is written (plain text), not body (a page, a Word file)
    credits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    # Filled in by the steps after the reader:
    people: dict = field(default_factory=dict)  # folded label → (name, role, description): front matter, header lines
    labels: set = field(default_factory=set)  # folded labels accepted as speakers
    known_speakers: set = field(default_factory=set)
    known_outlets: set = field(default_factory=set)
    marked_outlets: set = field(default_factory=set)  # folded labels written 《…》: outlets asking
    named_roles: dict = field(default_factory=dict)  # folded role word → the name it stood before (记者林晓 → 记者: 林晓)
    found_labels: dict = field(default_factory=dict)  # text → its accepted label (or None), once the labels are accepted

    def warn(self, where: Position | int, template: str, **params) -> None:
        if isinstance(where, int):
            where = Position("line", where)
        self.warnings.append(Warning(where.number, template, tuple(params.items()), where.unit))


@dataclass
class ParsedArticle:
    title: str
    deck: str = ""
    outlet: str = ""
    published: datetime.date | None = None
    source_url: str = ""
    media_url: str = ""
    format: str = "text"
    credits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reprint notices, review disclaimers, platform footers
    script: Script = Script.SIMPLIFIED
    encoding: str = "utf-8"
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def speaker_for(self, turn: Turn) -> Speaker | None:
        return next((s for s in self.speakers if s.label == turn.label), None) if turn.label else None

    def count(self, kind: Kind) -> int:
        return sum(turn.kind is kind for turn in self.turns)

    def describe(self) -> str:
        """A plain-text outline, for --dry-run and for reading test failures."""
        lines = [
            f"title:     {self.title}",
            f"deck:      {self.deck}" if self.deck else None,
            f"outlet:    {self.outlet or '(unknown)'}",
            f"published: {self.published or '(unknown)'}",
            f"media:     {self.media_url}" if self.media_url else None,
            f"script:    {self.script.value}   encoding: {self.encoding}   format: {self.format}",
            *(f"credit:    {credit}" for credit in self.credits),
            *(f"note:      {note}" for note in self.notes),
            *(f"speaker:   {s.name} ({s.role.value}, written {s.label})" for s in self.speakers),
        ]
        for number, turn in enumerate(self.turns, 1):
            speaker = self.speaker_for(turn)
            who = f" {speaker.name}" if speaker else ""
            first = turn.paragraphs[0]
            preview = first[:40] + ("…" if len(first) > 40 else "")
            time = f" @{format_time(turn.start)}" if turn.start is not None else ""
            lines.append(f"{number:>3} {turn.kind.value:<9}{who} [{len(turn.paragraphs)}¶, {turn.unit} {turn.line}{time}] {preview}")
        lines += [f"warning:   {warning}" for warning in self.warnings]
        return "\n".join(line for line in lines if line is not None)


def format_time(seconds: float | None) -> str:
    """1:02:03 or 2:03, as players show a position."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
