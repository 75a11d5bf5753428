"""YAML front matter (``---`` … ``---``) at the top of a text transcript.

Editors write it by hand, and a title such as ``title: 对话李航: 机器人的下一步``
is not valid YAML (a colon inside an unquoted value). Such front matter is read
again line by line, each such value taken whole, with a warning, instead of
being refused.
"""

from __future__ import annotations

import json
import re

import yaml

from archive.lib.transcript.model import Document, TranscriptError, gettext_noop

_KEY_VALUE = re.compile(r"^(?P<indent>\s*)(?P<key>[^\s:#'\"\-][^:#]*?)\s*:\s+(?P<value>.*\S)\s*$")


def split(lines: list[str]) -> tuple[str | None, int]:
    """The front matter block's text (None if there is none) and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 1
    return None, 0  # a lone rule at the top, not front matter


def read(block: str, doc: Document) -> dict:
    """Front matter as a dict with lower-case keys; warns if it had to be read line by line."""
    if not block.strip():
        return {}
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as error:
        repaired, first = _quote_values_with_colons(block)
        try:
            meta = yaml.safe_load(repaired) if first else None
        except yaml.YAMLError:
            meta = None
        if meta is None:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            if mark:
                raise TranscriptError(gettext_noop("line %(line)s: the front matter is not valid YAML (%(problem)s)"),
                                      line=mark.line + 2, problem=problem) from None
            raise TranscriptError(gettext_noop("the front matter is not valid YAML (%(problem)s)"), problem=problem) from None
        doc.warn(first + 1, gettext_noop("the front matter is not valid YAML (a colon inside a value?); "
                                         "it was read line by line, each value to the end of its line: check them"))
    if not isinstance(meta, dict):
        raise TranscriptError(gettext_noop("line 1: the front matter must be a mapping of keys to values (title: …, outlet: …)"))
    return {str(key).strip().lower(): value for key, value in meta.items()}


def _quote_values_with_colons(block: str) -> tuple[str, int]:
    """The block with every ``key: value`` whose value holds a colon quoted;
    and the (1-based, within the block) line of the first one, 0 if none."""
    lines, first = [], 0
    for number, line in enumerate(block.split("\n"), 1):
        match = _KEY_VALUE.match(line)
        value = match["value"] if match else ""
        if match and re.search(r"[:：]\s|[:：]$", value) and value[0] not in "'\"[{|>&*!":
            line = f"{match['indent']}{match['key']}: {json.dumps(value, ensure_ascii=False)}"
            first = first or number
        lines.append(line)
    return "\n".join(lines), first
