"""Marking matched words in the text as it was published.

Queries and documents are compared in folded form (Simplified, half-width,
lower case); ``fold_aligned`` keeps character i of the folded text at
position i of the original, so a match found in the folded text marks the
original characters: a Simplified query highlights Traditional text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.lib.chinese import fold_aligned

_LATIN = re.compile(r"[a-z0-9.]")


def spans(text: str, marks: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of ``text`` that match any mark."""
    if not marks:
        return []  # the interview page renders every paragraph through here, mostly without a query
    return list(_spans(text, tuple(marks)))


@functools.lru_cache(maxsize=4096)  # a page's 20 results again for a repeated search: folding was most of highlighting
def _spans(text: str, marks: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    folded = fold_aligned(text)
    found = []
    for mark in {token for phrase in marks for token in phrase.split()}:
        if _LATIN.match(mark):
            # Whole words only: "ai" must not light up "said".
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(mark)}(?![a-z])")
        else:
            pattern = re.compile(re.escape(mark))
        found += [(m.start(), m.end()) for m in pattern.finditer(folded)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def mark(text: str, marks: list[str], changed: Collection[int] = (), found: list[tuple[int, int]] | None = None) -> SafeString:
    """The whole text, escaped, with matches in <mark> and the characters at
    ``changed`` positions in <span class="changed">; ``found``: the spans,
    if already known."""
    return _render(text, spans(text, marks) if found is None else found, 0, len(text), changed)


def snippet(text: str, marks: list[str], length: int = 120, found: list[tuple[int, int]] | None = None) -> SafeString:
    """A window of the text around its first match, escaped, with matches in <mark>."""
    if found is None:
        found = spans(text, marks)
    if len(text) <= length:
        return _render(text, found, 0, len(text))
    first = found[0][0] if found else 0
    start = max(0, min(first - length // 4, len(text) - length))
    newline = text.rfind("\n", start, first)
    if newline != -1:
        start = newline + 1
    end = min(len(text), start + length)
    return _render(text, found, start, end)


def _render(text: str, found: list[tuple[int, int]], start: int, end: int, changed: Collection[int] = ()) -> SafeString:
    out = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in found:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(_changed(text, cursor, span_start, changed))
        out.append(f"<mark>{_changed(text, span_start, span_end, changed)}</mark>")
        cursor = span_end
    out.append(_changed(text, cursor, end, changed))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))


def _changed(text: str, start: int, end: int, changed: Collection[int]) -> str:
    """text[start:end] escaped, runs of characters at ``changed`` positions underlined."""
    if not changed:
        return escape(text[start:end])
    out, run_start = [], start
    for i in range(start, end + 1):
        if i < end and (i in changed) == (run_start in changed):
            continue
        if i > run_start:
            html = escape(text[run_start:i])
            out.append(f'<span class="changed">{html}</span>' if run_start in changed else html)
        run_start = i
    return "".join(out)


def keyword_in_context(text: str, marks: list[str], width: int = 40) -> tuple[str, str, str]:
    """(before, match, after): the first match with up to ``width`` characters
    either side, on one line, as a concordance shows it; ("", "", start of
    text) when nothing in the text is marked (a match on the speaker's name)."""
    found = spans(text, marks)
    line = text.replace("\n", " ")
    if not found:
        return "", "", line[: 2 * width]
    start, end = found[0]
    return line[max(0, start - width) : start], line[start:end], line[end : end + width]
