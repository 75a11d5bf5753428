"""What a reader types, as a Whoosh query.

Words separated by spaces must all match; ``"quoted phrases"`` (also “…” and
「…」) match as phrases; ``-word`` excludes; ``OR`` (or ``|``) between two
clauses matches either. Anything else is text: field syntax, brackets and
stray operators are read as the words around them, so no input is an error.
Within a clause, a Han run is split by jieba into words that must all match,
each found as its character pairs in sequence.

Each clause may match the turn's text, its speaker's names or the article's
title and outlet, but at least one must match the text or the speaker: a
word that is only in the title would otherwise return every turn of the
article.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from whoosh import query as q

from archive.lib.chinese import fold
from archive.search.analysis import RUNS, is_open, phrase_terms, segment

FIELD = "text"
TURN_FIELDS = (FIELD, "names")  # what a turn says, and who says it
ARTICLE_FIELDS = ("title",)  # the same for every turn of an article
MAX_LENGTH = 200
MAX_CLAUSES = 24

_TOKENS = re.compile(r'(?P<quoted>["“「『](?P<phrase>[^"”」』]*)["”」』]?)|(?P<word>[^\s"“”「」『』]+)')
_FIELD_PREFIX = re.compile(r"^[a-z_]+:(?=\S)")
_SYNTAX = re.compile(r"[:()\[\]{}^~*?\\/+!&<>=,，。;；、]+")


@dataclass
class ParsedQuery:
    query: q.Query | None
    highlight: list[str] = field(default_factory=list)  # folded strings to mark in results
    notes: list[str] = field(default_factory=list)  # what the reader should know about their query

    @property
    def empty(self) -> bool:
        return self.query is None


def parse_query(text: str) -> ParsedQuery:
    notes = []
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH]
        notes.append(_("Only the first %(count)d characters of the query were used.") % {"count": MAX_LENGTH})
    positive: list[q.Query] = []
    negative: list[q.Query] = []
    highlight: list[str] = []
    pending_or = False
    for match in _TOKENS.finditer(text):
        word = match["word"]
        if word in ("OR", "|"):
            pending_or = bool(positive)
            continue
        if word in ("AND", "&&", "NOT", "-"):
            continue
        exclude = bool(word and word.startswith("-") and len(word) > 1)
        if match["quoted"] is not None:
            clause, marks = _phrase(match["phrase"])
        else:
            clause, marks = _words(word[1:] if exclude else word)
        if clause is None:
            continue
        if exclude:
            negative.append(clause)
            continue
        highlight += marks
        if pending_or:
            positive[-1] = q.Or([positive[-1], clause])
            pending_or = False
        else:
            positive.append(clause)
    if len(positive) + len(negative) > MAX_CLAUSES:
        notes.append(_("Only the first %(count)d words were used.") % {"count": MAX_CLAUSES})
        positive, negative = positive[:MAX_CLAUSES], negative[: max(0, MAX_CLAUSES - len(positive))]
    if not positive:
        if negative:
            notes.append(_("A query of excluded words (-word) alone finds nothing: add a word to look for."))
        return ParsedQuery(None, [], notes)
    anchor = q.Or([_in_fields(clause, TURN_FIELDS) for clause in positive])
    if len(positive) == 1:
        query = anchor  # one clause: it must match the turn, and the title cannot add a match
    else:
        query = q.And([*(_in_fields(clause, TURN_FIELDS + ARTICLE_FIELDS) for clause in positive), anchor])
    if negative:
        # Not AndNot: Whoosh 2.7's AndNotMatcher keeps the first positive
        # document when the excluded list starts before it (_find_first
        # compares ids without skipping), so 英伟达 -周鸿祎 could return his turn.
        query = q.And([query, q.Not(q.Or([_in_fields(clause, TURN_FIELDS + ARTICLE_FIELDS) for clause in negative]))])
    return ParsedQuery(query, _unique(highlight), notes)


def _in_fields(clause: q.Query, names: tuple[str, ...]) -> q.Query:
    return q.Or([_in_field(clause, name) for name in names])


def _in_field(clause: q.Query, name: str) -> q.Query:
    def move(node: q.Query) -> q.Query:
        if getattr(node, "fieldname", None):
            node = copy.copy(node)
            node.fieldname = name
        return node

    return clause.accept(move)


def _words(chunk: str) -> tuple[q.Query | None, list[str]]:
    """An unquoted clause: every word in it must match, in any order."""
    parts: list[q.Query] = []
    marks: list[str] = []
    chunk = _FIELD_PREFIX.sub("", fold(chunk))  # speaker:王坚 is read as 王坚
    for piece in _SYNTAX.split(chunk):
        for run in _runs(piece):
            if run[0] == "latin":
                # gpt-4, gemini1.5: letters and numbers written together stay together
                parts.append(_sequence(run[1]))
                marks += [term for term in run[1]]
                continue
            words = _words_of(run[1])
            if len(words) == 1:
                parts.append(_sequence(phrase_terms(run[1])))
            else:
                # the words must all match; written together, they rank first
                every = q.And([_sequence(phrase_terms(word)) for word in words])
                parts.append(q.AndMaybe(every, _sequence(phrase_terms(run[1]), boost=2.0)))
            marks += words
    if not parts:
        return None, []
    return (parts[0] if len(parts) == 1 else q.And(parts)), marks


def _phrase(phrase: str) -> tuple[q.Query | None, list[str]]:
    sequence = phrase_terms(phrase)
    if not sequence:
        return None, []
    marks = [match.group() for match in RUNS.finditer(fold(phrase))]
    return _sequence(sequence), [" ".join(marks)] if len(marks) > 1 else marks


def _words_of(han: str) -> list[str]:
    """jieba's words, with runs of single characters it could not place joined
    again: an unknown name (周鸿祎 → 周/鸿/祎) must still match as one."""
    words: list[str] = []
    for word in segment(han):
        if len(word) == 1 and words and words[-1].endswith("\x00"):
            words[-1] = words[-1][:-1] + word + "\x00"
        else:
            words.append(word + "\x00" if len(word) == 1 else word)
    return [word.rstrip("\x00") for word in words]


def _runs(text: str) -> list[tuple[str, object]]:
    """Han runs alone; neighbouring letter and number runs grouped (gpt-4 → [gpt, 4])."""
    runs: list[tuple[str, object]] = []
    last_end = None
    for match in RUNS.finditer(text):
        if match.lastgroup == "han":
            runs.append(("han", match.group()))
        elif runs and runs[-1][0] == "latin" and last_end is not None and match.start() - last_end <= 1:
            runs[-1][1].append(match.group())
        else:
            runs.append(("latin", [match.group()]))
        last_end = match.end()
    return runs


def _sequence(terms: list[str], boost: float = 1.0) -> q.Query:
    """Terms at consecutive positions; a last lone character matches as a prefix."""
    last = q.Prefix(FIELD, terms[-1]) if is_open(terms[-1]) else q.Term(FIELD, terms[-1])
    if len(terms) == 1:
        last.boost = boost
        return last
    if isinstance(last, q.Prefix):
        return q.Sequence([*(q.Term(FIELD, term) for term in terms[:-1]), last], boost=boost)
    return q.Phrase(FIELD, terms, boost=boost)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
