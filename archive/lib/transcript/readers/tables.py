"""Tables in a document, as any reader with tables (Word, web pages) meets them.

A **Q&A table** — a header row naming a question and an answer column
(``问题 | 回答``, ``Q | A``), or two columns whose left cells mostly ask
something — gives, for each row, the question cell as a question block and
the answer cell's paragraphs as plain paragraphs after it; the header row is
no text. A **form** — two columns whose left cells are all short names of
fields (``时间 | 2025年9月3日``, ``参会人 | …``) — gives a ``field：value`` line
per row, as a header written in text would be. Any other table gives one
paragraph per row, its cells joined.
"""

from __future__ import annotations

import re

from archive.lib.chinese import fold
from archive.lib.transcript.labels import asks
from archive.lib.transcript.model import BlockKind

_QUESTION_HEADS = {"问题", "问", "提问", "q", "question", "questions", "记者提问", "采访问题"}
_ANSWER_HEADS = {"回答", "答", "答复", "a", "answer", "answers", "嘉宾回答", "受访者回答"}

Cell = list[str]  # a cell's paragraphs


def blocks(rows: list[list[Cell]]) -> list[tuple[BlockKind, str]]:
    """The table's rows as (kind, text) items in reading order."""
    rows = [[[text.strip() for text in cell if text.strip()] for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    columns = _qa_columns(rows)
    if columns is None and _is_form(rows):
        return [(BlockKind.PARAGRAPH, f"{row[0][0]}：{' '.join(row[1])}") for row in rows]
    if columns is None:
        return [(BlockKind.PARAGRAPH, " ".join(" ".join(cell) for cell in row if cell)) for row in rows]
    question, answer, header = columns
    items: list[tuple[BlockKind, str]] = []
    for row in rows[1 if header else 0:]:
        if question < len(row) and row[question]:
            items.append((BlockKind.QUESTION, " ".join(row[question])))
        if answer < len(row):
            items.extend((BlockKind.PARAGRAPH, text) for text in row[answer])
    return items


def _qa_columns(rows: list[list[Cell]]) -> tuple[int, int, bool] | None:
    """(question column, answer column, whether the first row is a header), or None."""
    if len(rows) < 2:
        return None
    heads = [fold(" ".join(cell)).replace("*", "").strip(" :：") for cell in rows[0]]
    question = next((index for index, head in enumerate(heads) if head in _QUESTION_HEADS), None)
    answer = next((index for index, head in enumerate(heads) if head in _ANSWER_HEADS), None)
    if question is not None and answer is not None and question != answer:
        return question, answer, True
    two_columns = [row for row in rows if len(row) == 2 and all(row)]
    asking = sum(asks(row[0][-1]) for row in two_columns)
    if len(two_columns) == len(rows) and asking * 3 >= len(rows) * 2:
        return 0, 1, False
    return None


def _is_form(rows: list[list[Cell]]) -> bool:
    """Two columns, each left cell one short field name (no sentence, no number)."""
    return len(rows) >= 2 and all(
        len(row) == 2 and len(row[0]) == 1 and row[1] and _FIELD.match(row[0][0]) for row in rows)


_FIELD = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z ]{0,5}[:：]?$")
