"""Checking an ``.npy`` blob before anything allocates for it (standard library only).

An array that comes back from a learner's process is a header and raw bytes.
The header declares a dtype and a shape; a hostile header can declare 256 GiB
in a blob of a few bytes, or hold any Python literal at all. ``check`` is total:
it returns ``(dtype, shape)`` or raises ``NpyError``, nothing else, on any bytes.

It does not evaluate the header (``ast.literal_eval`` raises TypeError, MemoryError
or RecursionError on some literals, and differs between Python versions); it
matches it against the one form ``numpy.save`` writes, with a regular expression
that cannot backtrack far (every part is bounded and the header is at most 4 KiB):

    {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }   + spaces + newline

It accepts only plain numeric little-endian dtypes in C order, format versions
1.0, 2.0 and 3.0, and requires the declared size to equal the bytes that are
really there, so that whatever it accepts ``numpy.load`` reads, allocating
exactly what it was given (the fuzzer in tests/fuzz checks that implication).
"""

from __future__ import annotations

import re
import struct

MAGIC = b"\x93NUMPY"
# Plain numeric dtypes only: booleans, integers and floats, one byte or little-endian.
ITEM_SIZES = {
    "|b1": 1,
    "|i1": 1,
    "|u1": 1,
    "<i2": 2,
    "<u2": 2,
    "<f2": 2,
    "<i4": 4,
    "<u4": 4,
    "<f4": 4,
    "<i8": 8,
    "<u8": 8,
    "<f8": 8,
}
MAX_DIMS = 32
MAX_HEADER = 4096
MAX_EXTENT = 2**62  # the bytes the declared shape spans, zero dimensions counted as one (NumPy's own limit is 2**63)
_HEADER = re.compile(
    rb"\{'descr': *'([|<][a-z][0-9])', *'fortran_order': *(False|True), *"
    rb"'shape': *\(([0-9, ]*)\) *(?:, *)?\} *\n?\Z"
)
_DIM = re.compile(rb"(?:0|[1-9][0-9]{0,18})\Z")


class NpyError(ValueError):
    """The blob is not a plain numeric .npy whose header matches its bytes."""


def check(blob: bytes) -> tuple[str, tuple[int, ...]]:
    """(dtype, shape) of a well-formed plain numeric .npy; NpyError otherwise (and nothing else)."""
    size = len(blob)
    head = bytes(blob[: 12 + MAX_HEADER])  # everything the header may span; the data is only counted
    if len(head) < 10 or head[:6] != MAGIC:
        raise NpyError("not an .npy blob")
    major, minor = head[6], head[7]
    if major not in (1, 2, 3) or minor != 0:
        raise NpyError("unknown .npy version")
    if major == 1:
        (header_len,), start = struct.unpack_from("<H", head, 8), 10
    else:
        if len(head) < 12:
            raise NpyError("truncated .npy header")
        (header_len,), start = struct.unpack_from("<I", head, 8), 12
    if header_len > MAX_HEADER or start + header_len > size:
        raise NpyError("bad .npy header length")
    match = _HEADER.match(head, start, start + header_len)
    if match is None:
        raise NpyError("the .npy header is not the one numpy.save writes for a plain array")
    descr, fortran, dims = match.group(1).decode("ascii"), match.group(2), match.group(3)
    if descr not in ITEM_SIZES:
        raise NpyError("not a plain numeric dtype")
    if fortran != b"False":
        raise NpyError("only C-ordered arrays are accepted")
    shape = _shape(dims)
    count, extent = 1, ITEM_SIZES[descr]
    for dim in shape:
        count *= dim
        extent *= max(dim, 1)
        if extent > MAX_EXTENT:
            raise NpyError("the declared shape is too large")
    if count * ITEM_SIZES[descr] != size - start - header_len:
        raise NpyError("the declared shape does not match the bytes")
    return descr, shape


def _shape(text: bytes) -> tuple[int, ...]:
    """A tuple literal of non-negative integers, as Python writes it: (), (3,), (2, 3)."""
    if not text.strip(b" "):
        return ()
    parts = [part.strip(b" ") for part in text.split(b",")]
    if len(parts) == 1:
        raise NpyError("bad shape")  # (3) is an integer, not a tuple
    if parts[-1] == b"":
        parts.pop()  # a trailing comma
    if len(parts) > MAX_DIMS or not all(_DIM.match(part) for part in parts):
        raise NpyError("bad shape")
    return tuple(int(part) for part in parts)
