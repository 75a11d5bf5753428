"""How the index keeps postings on disk: Whoosh's codec with packed blocks
(``PackedCodec``).

Whoosh pickles each posting block as tuples of Python numbers and one
bytes object per posting; unpickling them was two thirds of a common
word's search time, and a block of plain uint32 arrays (this module's
first form) still took 16 bytes a posting: 2.5 GB of postings per million
turns. A packed block holds, after a fixed header, the gaps between its
document numbers, each document's count of positions, and the positions,
each as the narrowest unsigned integers that hold the block's largest
(mostly one and two bytes), so a posting takes about five bytes. The
weights are not stored where they equal the counts (a text field's term
frequency) or are all 1 (an ID field). ``matching`` decodes a whole list
with a few numpy calls per block (``PackedLeafMatcher.arrays``); Whoosh's
own matchers (deleting by term) read the same blocks as Python numbers.
"""

from __future__ import annotations

import functools
import itertools
import struct
import sys
from array import array

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Positions
from whoosh.matching import ReadTooFar
from whoosh.writing import PostingPool

from archive.search.analysis import positions

BLOCK_POSTINGS = 1024  # postings per block: per-block work is most of reading a common word's list
_WIDTHS = (np.dtype("<u1"), np.dtype("<u2"), np.dtype("<u4"))
# length of the data after the header (its complement in a list's last block),
# postings, first and last document, largest weight, widths and weights
_HEADER = struct.Struct("<iHIIfB")
_ALL_ONE, _COUNTS, _STORED = 0, 1, 2  # where a block's weights come from


class PositionArray(Positions):
    """A posting's positions as little-endian uint32s rather than Whoosh's
    pickled deltas, as the field hands them to the postings writer."""

    def encode(self, poslist) -> bytes:
        return _packed("I", poslist)

    def decode_positions(self, valuestring) -> list[int]:
        return _unpacked("I", valuestring).tolist()

    def decode_frequency(self, valuestring) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


def text_postings(value: str):
    """A text field's postings for Whoosh's ``FieldType.index``: (term,
    frequency, weight, positions) straight from ``analysis.positions``,
    without Whoosh's token objects (a tenth of the indexing time)."""
    encode = PositionArray().encode
    for term, places in positions(value).items():
        posting = _one_position(places[0]) if len(places) == 1 else encode(places)
        yield term.encode("utf-8"), len(places), float(len(places)), posting


@functools.lru_cache(maxsize=4096)
def _one_position(position: int) -> bytes:
    """Most terms occur once in a turn; their postings repeat (a tenth of the time)."""
    return PositionArray().encode([position])


class PackedCodec(W3Codec):
    """Whoosh's codec with packed posting blocks (see the module), and
    without per-block length statistics: looking up each posting's document
    length for them took a fifth of the indexing time, and they only let
    BM25 skip blocks sooner; scores are unchanged."""

    length_stats = False

    def __init__(self, blocklimit=BLOCK_POSTINGS, compression=0, inlinelimit=1):
        assert blocklimit < 2**16, "a block header counts postings in 16 bits"
        super().__init__(blocklimit=blocklimit, compression=0, inlinelimit=1)

    def field_writer(self, storage, segment):
        return PackedFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:
            raise NotImplementedError("term vectors are not packed (the schema has none)")
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class GroupedPool(PostingPool):
    """Whoosh's pool of a segment's postings, kept as a list per term.

    Whoosh's pool holds every posting as a tuple and sorts them all before
    writing (a quarter of a rebuild's time at a million turns), then hands
    them over one at a time. Documents arrive in order, so a term's
    postings are in order as they come: only the terms are sorted, and
    ``PackedFieldWriter`` takes each term's postings as arrays. Where the
    pool outgrows its memory, it spills sorted runs as Whoosh's does and
    merges them the same way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._terms: dict[tuple[str, bytes], tuple[array, array, list]] = {}

    def add(self, item):
        fieldname, btext, docnum, weight, vbytes = item
        postings = self._terms.get((fieldname, btext))
        if postings is None:
            postings = self._terms[fieldname, btext] = (array("I"), array("f"), [])
            self.fieldnames.add(fieldname)
            self.currentsize += 200 + len(btext)
        postings[0].append(docnum)
        postings[1].append(weight)
        if vbytes:
            postings[2].append(vbytes)
            self.currentsize += 16 + len(vbytes)
        else:
            self.currentsize += 8
        if self.currentsize > self.limit:
            self.save()

    def save(self):
        if self._terms:
            path, run = self._new_run()
            self._write_run(run, iter(GroupedPostings(self._terms)))
            self._add_run(path)
            self._terms = {}
        self.currentsize = 0

    def items(self, maxfiles=128):
        if not self.runs:
            return GroupedPostings(self._terms)
        return super().items(maxfiles)


class GroupedPostings:
    """A ``GroupedPool``'s postings: in Whoosh's order of (field, term,
    document, weight, value) tuples when iterated, by term from ``terms``."""

    def __init__(self, terms: dict):
        self._terms = terms

    def terms(self):
        """(field, term, document numbers, weights, values) in field and term order."""
        for (fieldname, btext), (ids, weights, values) in sorted(self._terms.items()):
            yield fieldname, btext, ids, weights, values

    def __iter__(self):
        for fieldname, btext, ids, weights, values in self.terms():
            for docnum, weight, vbytes in zip(ids, weights, values or itertools.repeat(b"")):
                yield fieldname, btext, docnum, weight, vbytes


class PackedFieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """A ``GroupedPool``'s postings a term at a time (Whoosh's writer takes
        each posting through five calls); anything else as Whoosh does."""
        if not isinstance(items, GroupedPostings):
            return super().add_postings(schema, lengths, items)
        field = None
        for fieldname, btext, ids, weights, values in items.terms():
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field = fieldname
            self.start_term(btext)
            self._postwriter.add_postings(ids, weights, values)
            self.finish_term()
        if field is not None:
            self.finish_field()


class PackedPostingsWriter(W3PostingsWriter):
    def add_postings(self, ids: array, weights: array, values: list[bytes]) -> None:
        """A term's postings at once, in document order (``PackedFieldWriter``)."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if self._ids:
                self._write_block()
            self._ids, self._weights, self._values = ids[start : start + limit], weights[start : start + limit], values[start : start + limit]

    def add_posting(self, id_, weight, vbytes, length=None):
        # Whoosh's checks each argument's type, a fifth of this call's time
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if vbytes:
            self._values.append(vbytes)

    def _write_block(self, last=False):
        ids = np.frombuffer(self._ids, dtype=np.uint32)
        if (ids[1:] <= ids[:-1]).any():
            raise ValueError(f"postings out of document order: {ids.tolist()}")
        weights = np.frombuffer(self._weights, dtype=np.float32)
        self._maxweight = float(weights.max())
        self._terminfo.add_block(self)
        id_width, gaps = _narrowest(np.diff(ids))
        parts = [gaps]
        if self._values:
            if len(self._values) != len(ids):
                raise ValueError(f"{self._format!r}: a packed block holds a value for every posting or none")
            counts = np.fromiter(map(len, self._values), dtype=np.uint32, count=len(ids)) >> 2
            count_width, packed_counts = _narrowest(counts)
            position_width, packed_positions = _narrowest(np.frombuffer(b"".join(self._values), dtype="<u4"))
            parts += [packed_counts, packed_positions]
        else:
            counts, count_width, position_width = None, 0, 0
        if (weights == 1).all():
            source = _ALL_ONE
        elif counts is not None and np.array_equal(weights, counts):
            source = _COUNTS
        else:
            source = _STORED
            parts.append(weights.astype("<f4").tobytes())
        data = b"".join(parts)
        widths = id_width | count_width << 2 | position_width << 4 | source << 6
        length = ~len(data) if last else len(data)
        self._postfile.write(_HEADER.pack(length, len(ids), int(ids[0]), int(ids[-1]), self._maxweight, widths))
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class PackedLeafMatcher(W3LeafMatcher):
    """Reads ``PackedPostingsWriter``'s blocks: ``arrays`` for
    ``matching``, Whoosh's matcher interface for everything else."""

    def _read_header(self):
        self._baseoffset = self._startoffset  # no magic number before the first block

    def _goto(self, position):
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        length, count, first, last, maxweight, widths = _HEADER.unpack(self._postfile.get(position, _HEADER.size))
        self._lastblock = length < 0
        self._dataoffset = position + _HEADER.size
        self._nextoffset = self._dataoffset + (~length if self._lastblock else length)
        self._blocklength, self._first, self._maxid, self._maxweight, self._widths = count, first, last, maxweight, widths
        self._compression = self._minlength = self._maxlength = 0

    def _read_data(self):
        """This block as (document numbers as int64, weights as float64,
        positions per document as int64 or None, positions as unsigned
        integers or None)."""
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        count, widths = self._blocklength, self._widths
        id_width, count_width, position_width = (_WIDTHS[widths >> shift & 3] for shift in (0, 2, 4))
        gaps = np.frombuffer(data, dtype=id_width, count=count - 1)
        at = gaps.nbytes
        ids = np.empty(count, dtype=np.int64)
        ids[0] = self._first
        np.cumsum(gaps, out=ids[1:])
        ids[1:] += self._first
        counts = places = None
        if self._fixedsize is None or self._fixedsize < 0:
            counts = np.frombuffer(data, dtype=count_width, count=count, offset=at).astype(np.int64)
            at += count * count_width.itemsize
            places = np.frombuffer(data, dtype=position_width, count=int(counts.sum()), offset=at)
            at += places.nbytes
        source = widths >> 6
        if source == _ALL_ONE:
            weights = np.ones(count)
        elif source == _COUNTS:
            weights = counts.astype(np.float64)
        else:
            weights = np.frombuffer(data, dtype="<f4", count=count, offset=at).astype(np.float64)
        self._data = ids, weights, counts, places

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
        """The rest of this posting list, from the current posting, as
        ``_read_data``'s arrays joined; the matcher is at its end after."""
        blocks = []
        while self.is_active():
            if self._data is None:
                self._read_data()
            blocks.append(_from(self._data, self._i))
            self._next_block()
        if not blocks:
            raise ReadTooFar
        ids, weights, counts, places = zip(*blocks)
        if counts[0] is None:
            return np.concatenate(ids), np.concatenate(weights), None, None
        return np.concatenate(ids), np.concatenate(weights), np.concatenate(counts), np.concatenate(places)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = self._data[0].tolist()

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        self._weights = self._data[1].tolist()

    def _read_values(self):
        if self._data is None:
            self._read_data()
        ids, _, counts, places = self._data
        if counts is None:
            self._values = (b"",) * len(ids)
            return
        ends = np.cumsum(counts) * 4
        joined = places.astype("<u4").tobytes()
        self._values = tuple(joined[start:end] for start, end in zip([0, *ends.tolist()], ends.tolist()))


def _from(block: tuple, start: int) -> tuple:
    """``_read_data``'s arrays from the ``start``th posting on."""
    if not start:
        return block
    ids, weights, counts, places = block
    if counts is None:
        return ids[start:], weights[start:], None, None
    return ids[start:], weights[start:], counts[start:], places[int(counts[:start].sum()) :]


def _narrowest(numbers: np.ndarray) -> tuple[int, bytes]:
    """The code of the narrowest of ``_WIDTHS`` that holds every one of
    ``numbers`` (unsigned), and their bytes in it."""
    top = int(numbers.max()) if len(numbers) else 0
    code = 0 if top < 2**8 else 1 if top < 2**16 else 2
    return code, numbers.astype(_WIDTHS[code]).tobytes()


def _packed(typecode: str, numbers) -> bytes:
    """Little-endian bytes of ``numbers`` (as ``numpy.frombuffer`` with ``<u4`` reads them)."""
    packed = array(typecode, numbers)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpacked(typecode: str, data: bytes) -> array:
    unpacked = array(typecode)
    unpacked.frombytes(data)
    if sys.byteorder == "big":
        unpacked.byteswap()
    return unpacked
