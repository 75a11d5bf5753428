"""How a matching turn is scored: the one place for it.

BM25F, as Whoosh computes it, with two changes for an archive of
interviews (issue 13):

- **Shortness earns nothing.** BM25 divides a term's weight by the field's
  length relative to the average, so a six-character caption or heading
  beat the answer a reader came for. Here a field shorter than the average
  counts as average; longer ones are still normalised as BM25 does.
- **Answers first.** A turn's score is multiplied by its kind's weight
  (``KIND_WEIGHTS``): the quotes people look for are answers, so a
  question, narration, heading or caption must match clearly better to
  rank above one.

``ArchiveWeighting`` is what Whoosh's searcher uses (so Whoosh's own
matchers score exactly what ``archive.search.matching`` scores, and the
tests compare the two); ``matching`` calls ``bm25`` and ``KIND_WEIGHTS``
over whole arrays.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

B, K1 = 0.75, 1.2  # BM25's length normalisation and term saturation (Whoosh's defaults)
KIND_WEIGHTS = {"answer": 1.0, "question": 0.7, "narration": 0.7, "heading": 0.5, "caption": 0.5}


def bm25(idf, tf, length, average: float, b: float, k1: float):
    """BM25 of term frequencies ``tf`` in fields of ``length`` (arrays or numbers)."""
    length = np.maximum(length, average)
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / average)))


def idf(documents: int, frequency: int) -> float:
    """A term's weight in an index of ``documents`` documents, ``frequency``
    of which hold it (Whoosh's formula)."""
    return math.log(documents / (frequency + 1)) + 1


STORED_LENGTHS = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)


def stored_lengths(lengths) -> np.ndarray:
    """Fields' lengths (in terms) as scored: Whoosh keeps each document's in
    one byte (``length_to_byte``), exact for short fields and coarser above,
    and scores with that; so must any other backend that is to rank alike."""
    codes = np.searchsorted(STORED_LENGTHS, np.asarray(lengths, dtype=np.float64), side="left")
    return STORED_LENGTHS[np.minimum(codes, len(STORED_LENGTHS) - 1)]


def kind_weight(kind: str | None) -> float:
    return KIND_WEIGHTS.get(kind or "", 1.0)


class ArchiveWeighting(BM25F):
    use_final = True

    def __init__(self):
        super().__init__(B=B, K1=K1)

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        return _Scorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)

    def final(self, searcher, docnum, score):
        """Whoosh's per-document hook (slow, one stored-field read per match;
        ``matching`` does the same over arrays)."""
        return score * kind_weight(searcher.stored_fields(docnum).get("kind"))


class _Scorer(BM25FScorer):
    def _score(self, weight, length):
        return float(bm25(self.idf, weight, length, self.avgfl, self.B, self.K1))
