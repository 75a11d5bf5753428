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
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from whoosh import query as q

from archive.lib.chinese import fold, other_vocabulary
from archive.search import pinyin
from archive.search.analysis import RUNS, is_open, phrase_terms, segment

FIELD = "text"
TURN_FIELDS = (FIELD, "names")  # what a turn says, and who says it
ARTICLE_FIELDS = ("title",)  # the same for every turn of an article
MAX_LENGTH = 200
MAX_CLAUSES = 24
# What a reader typed ranks above what it was read as (pinyin): a match
# of the letters as written earns this much more than any BM25 score can.
AS_TYPED = 1000.0

_TOKENS = re.compile(r'(?P<quoted>["“「『](?P<phrase>[^"”」』]*)["”」』]?)|(?P<word>[^\s"“”「」『』]+)')
_FIELD_PREFIX = re.compile(r"^[a-z_]+:(?=\S)")
_SYNTAX = re.compile(r"[:()\[\]{}^~*?\\/+!&<>=,，。;；、]+")


@dataclass
class Word:
    """One word of the query, for closest matches: its query (in the turn's
    text or speaker) and the strings that mark it."""

    text: str
    query: q.Query
    marks: list[str]


@dataclass
class ParsedQuery:
    query: q.Query | None
    highlight: list[str] = field(default_factory=list)  # folded strings to mark in results
    notes: list[str] = field(default_factory=list)  # what the reader should know about their query
    pinyin: list[tuple[str, list[str]]] = field(default_factory=list)  # (letters typed, Han strings read from them)
    vocabulary: list[tuple[str, list[str]]] = field(default_factory=list)  # (word typed, the other side's words)
    words: list[Word] = field(default_factory=list)  # the words a closest match counts

    @property
    def empty(self) -> bool:
        return self.query is None


@dataclass
class _Built:
    """What one clause contributed."""

    query: q.Query | None
    marks: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    pinyin: list[tuple[str, list[str]]] = field(default_factory=list)
    vocabulary: list[tuple[str, list[str]]] = field(default_factory=list)


def parse_query(text: str, vocabulary: pinyin.Vocabulary | None = None) -> ParsedQuery:
    """The reader's query as a Whoosh query. With ``vocabulary`` (what the
    index holds), words of Latin letters that read as pinyin also find the
    Han text they spell; without it, pinyin is not read."""
    notes = []
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH]
        notes.append(_("Only the first %(count)d characters of the query were used.") % {"count": MAX_LENGTH})
    positive: list[q.Query] = []
    negative: list[q.Query] = []
    parsed = ParsedQuery(None, notes=notes)
    pending_or = False
    for kind, chunk, exclude in _clauses(text, vocabulary):
        if kind == "or":
            pending_or = bool(positive)
            continue
        for built in _pinyin(chunk, vocabulary) if kind == "pinyin" else [_phrase(chunk) if kind == "phrase" else _words(chunk)]:
            if built.query is None:
                continue
            if exclude:
                negative.append(built.query)
                continue
            parsed.highlight += built.marks
            parsed.words += built.words
            parsed.pinyin += built.pinyin
            parsed.vocabulary += built.vocabulary
            if pending_or:
                positive[-1] = q.Or([positive[-1], built.query])
                pending_or = False
            else:
                positive.append(built.query)
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
    parsed.query = query
    parsed.highlight = _unique(parsed.highlight)
    parsed.words = parsed.words[:MAX_CLAUSES]
    return parsed


CLOSEST_SHARE = 0.25  # of a query's words, weighed by how rare each is (matching.search); the best such turns are shown, with how many words each holds


def closest_query(parsed: ParsedQuery) -> q.Query | None:
    """For closest matches: an Or of the query's words (in the turn's text
    or speaker), of which a turn must hold ``CLOSEST_SHARE``, each word
    weighed by its rarity (``matching.search``'s ``at_least``). None when
    the query has fewer than two words."""
    if len(parsed.words) < 2:
        return None
    return q.Or([_in_fields(word.query, TURN_FIELDS) for word in parsed.words])


def _clauses(text: str, vocabulary) -> list[tuple[str, str, bool]]:
    """(kind, text, excluded) for each clause: ``or``, ``phrase``, ``words``,
    or ``pinyin`` for neighbouring words that may spell Han text together
    (``shi jie``)."""
    clauses: list[tuple[str, str, bool]] = []
    for match in _TOKENS.finditer(text):
        word = match["word"]
        if word in ("OR", "|"):
            clauses.append(("or", word, False))
        elif word in ("AND", "&&", "NOT", "-"):
            continue
        elif match["quoted"] is not None:
            clauses.append(("phrase", match["phrase"], False))
        elif word.startswith("-") and len(word) > 1:
            clauses.append(("words", word[1:], True))
        else:
            clauses.append(("words", word, False))
    if vocabulary is None:
        return clauses
    grouped: list[tuple[str, str, bool]] = []
    for clause in clauses:
        spelled = clause[0] == "words" and not clause[2] and pinyin.segmentations([clause[1]])
        if spelled and grouped and grouped[-1][0] == "pinyin":
            grouped[-1] = ("pinyin", f"{grouped[-1][1]} {clause[1]}", False)
        else:
            grouped.append(("pinyin", clause[1], False) if spelled else clause)
    return grouped


def _pinyin(letters: str, vocabulary: pinyin.Vocabulary) -> list[_Built]:
    """Words that read as pinyin: as typed, or as the Han text they spell.

    Each word is first itself (English words in the archive must still be
    found, and first); the Han readings follow. A lone syllable without a
    tone is read only when the index does not hold it as typed (``ai`` is
    AI here, ``mao`` is not a word of the archive). Words that spell
    nothing together are tried one by one, each its own clause as any
    other word is."""
    words = letters.split()
    readings = _readings(words, vocabulary)
    if not readings:
        if len(words) > 1:
            return [built for word in words for built in _pinyin(word, vocabulary)]
        return [_words(words[0])]
    as_typed = _joined([_words(word) for word in words])
    spelled = q.Or([_sequence(phrase_terms(reading)) for reading in readings])
    either = q.Or([as_typed.query, q.ConstantScoreQuery(as_typed.query, AS_TYPED), spelled])
    word = Word(letters, q.Or([as_typed.query, spelled]), [*as_typed.marks, *readings])
    return [_Built(either, [*as_typed.marks, *readings], [word], [(letters, readings)])]


def _readings(words: list[str], vocabulary: pinyin.Vocabulary) -> list[str]:
    segments = pinyin.segmentations(words)
    if all(len(syllables) == 1 and syllables[0].isalpha() for syllables in segments):
        if len(words) > 1 or vocabulary.holds(fold(words[0])):
            return []
    return pinyin.readings(segments, vocabulary)


def _joined(parts: list[_Built]) -> _Built:
    parts = [part for part in parts if part.query is not None]
    if not parts:
        return _Built(None)
    query = parts[0].query if len(parts) == 1 else q.And([part.query for part in parts])
    return _Built(
        query,
        [mark for part in parts for mark in part.marks],
        [word for part in parts for word in part.words],
        [reading for part in parts for reading in part.pinyin],
        [variant for part in parts for variant in part.vocabulary],
    )


def _in_fields(clause: q.Query, names: tuple[str, ...]) -> q.Query:
    return q.Or([_in_field(clause, name) for name in names])


def _in_field(clause: q.Query, name: str) -> q.Query:
    def move(node: q.Query) -> q.Query:
        if getattr(node, "fieldname", None):
            node = copy.copy(node)
            node.fieldname = name
        return node

    return clause.accept(move)


def _words(chunk: str) -> _Built:
    """An unquoted clause: every word in it must match, in any order; a
    word worded differently across the strait matches either way."""
    parts: list[_Built] = []
    chunk = _FIELD_PREFIX.sub("", fold(chunk))  # speaker:王坚 is read as 王坚
    for piece in _SYNTAX.split(chunk):
        for kind, run in _runs(piece):
            if kind == "latin":
                # gpt-4, gemini1.5: letters and numbers written together stay together
                query = _sequence(run)
                parts.append(_Built(query, list(run), [Word(" ".join(run), query, list(run))]))
            else:
                parts.append(_han(run))
    return _joined(parts)


def _han(run: str) -> _Built:
    """A Han run, or the other side's wording of it (晶片 for 芯片)."""
    others = list(_other_vocabulary(run))
    query = _han_words(run)
    if others:
        query = q.Or([query, *(_han_words(other) for other in others)])
    words = _words_of(run)
    return _Built(query, [*words, *others], _closest_words(words), vocabulary=[(run, others)] if others else [])


def _han_words(run: str) -> q.Query:
    """The words of a run must all match, in any order; written together,
    they rank first. A one-character word among longer ones (的, 了, 是) is
    not required: nearly every turn has it, and finding it means reading
    every term that starts with it."""
    words = _words_of(run)
    if len(words) == 1:
        return _sequence(phrase_terms(run))
    required = [word for word in words if len(word) > 1] or words
    every = q.And([_sequence(phrase_terms(word)) for word in required]) if len(required) > 1 else _sequence(phrase_terms(required[0]))
    return q.AndMaybe(every, _sequence(phrase_terms(run), boost=2.0))


def _closest_words(words: list[str]) -> list[Word]:
    """The words a closest match counts: more than one character (one
    character, 的 or 是, is in every turn), each in either wording."""
    found = []
    for word in words:
        if len(word) < 2:
            continue
        variants = [word, *_other_vocabulary(word)]
        queries = [_sequence(phrase_terms(variant)) for variant in variants]
        found.append(Word(word, queries[0] if len(queries) == 1 else q.Or(queries), variants))
    return found


@functools.lru_cache(maxsize=4096)
def _other_vocabulary(run: str) -> tuple[str, ...]:
    return tuple(other_vocabulary(run))


def _phrase(phrase: str) -> _Built:
    sequence = phrase_terms(phrase)
    if not sequence:
        return _Built(None)
    runs = [(match.lastgroup, match.group()) for match in RUNS.finditer(fold(phrase))]
    marks = [run for _, run in runs]
    words = [word for kind, run in runs for word in (_words_of(run) if kind == "han" else [run])]
    return _Built(_sequence(sequence), [" ".join(marks)] if len(marks) > 1 else marks, _closest_words(words))


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
