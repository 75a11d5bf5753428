"""Does search agree with the database? Used after every kind of write."""

from __future__ import annotations

import re

from archive.interviews.models import Turn
from archive.search.backend import search_backend
from archive.search.service import SearchRequest, search

HAN_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


def indexed_documents() -> dict[int, dict]:
    return search_backend().stored()


def disagreements(sample_text: int | None = None) -> list[str]:
    """What the index says differently from the database: missing or extra
    documents, stale stored fields, and turns whose current words do not
    find them (each turn by a phrase from its text, within its interview)."""
    documents, problems = indexed_documents(), []
    turns = {turn.pk: turn for turn in Turn.objects.select_related("article", "speaker")}
    if missing := set(turns) - set(documents):
        problems.append(f"not indexed: turns {sorted(missing)}")
    if extra := set(documents) - set(turns):
        problems.append(f"indexed but gone: turns {sorted(extra)}")
    checked = 0
    for pk, turn in turns.items():
        stored = documents.get(pk)
        if stored is None:
            continue
        expected = {"article": str(turn.article_id), "kind": turn.kind, "speaker": turn.speaker.slug if turn.speaker else None}
        if {key: stored.get(key) for key in expected} != expected:
            problems.append(f"turn {pk}: index has {stored}, database {expected}")
        if sample_text is not None and checked >= sample_text:
            continue
        if run := max(HAN_RUN.findall(turn.text_hans), key=len, default=""):
            checked += 1
            found = search(SearchRequest(q=f'"{run[:8]}"', article=turn.article.slug, page_size=100))
            if pk not in {hit.turn.pk for hit in found.hits}:
                problems.append(f"turn {pk}: its words {run[:8]!r} do not find it")
    return problems
