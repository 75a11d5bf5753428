"""What terms the index holds, for reading pinyin (``archive.search.pinyin``).

Kept with the searcher it reads, so used by one thread at a time: a
searcher is replaced when the index changes, so what is remembered here
never outlives the index it describes.

The characters that start a term are found per segment (segments never
change once written) by seeking from one character to the next in the
sorted term list, a few thousand seeks rather than a read of every term.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from archive.search.matching import per_segment
from archive.search.query import FIELD

_HAN_START = "\u3400"


class Lexicon:
    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self._pairs: dict[str, dict[str, int]] = {}
        self._characters: frozenset[str] | None = None

    @classmethod
    def of(cls, searcher: Searcher) -> Lexicon:
        """The lexicon kept with this searcher (made on first use)."""
        lexicon = getattr(searcher, "_archive_lexicon", None)
        if lexicon is None:
            lexicon = searcher._archive_lexicon = cls(searcher)
        return lexicon

    def characters(self) -> frozenset[str]:
        if self._characters is None:
            held: set[str] = set()
            for reader, _ in self.searcher.reader().leaf_readers():
                held |= per_segment(reader, f"first-characters:{FIELD}", lambda reader=reader: _first_characters(reader))
            self._characters = frozenset(held)
        return self._characters

    def holds(self, term: str) -> bool:
        return (FIELD, term) in self.searcher.reader()

    def pairs(self, char: str) -> dict[str, int]:
        """The two-character terms starting with ``char``, with how many turns hold each."""
        if char not in self._pairs:
            reader = self.searcher.reader()
            found = {}
            for term in reader.expand_prefix(FIELD, char):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if len(text) == 2:
                    found[text] = reader.doc_frequency(FIELD, term)
            self._pairs[char] = found
        return self._pairs[char]


def _first_characters(reader) -> frozenset[str]:
    held = set()
    start = _HAN_START
    while True:
        term = next(reader.terms_from(FIELD, start), None)
        if term is None or term[0] != FIELD:
            break
        text = term[1].decode("utf-8") if isinstance(term[1], bytes) else term[1]
        held.add(text[0])
        start = chr(ord(text[0]) + 1)
    return frozenset(held)
