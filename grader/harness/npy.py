"""Checking an ``.npy`` blob before anything allocates for it (standard library only).

An array that comes back from a learner's process is a header and raw bytes.
The header declares a dtype and a shape; a hostile header can declare 256 GiB
in a blob of a few bytes. ``check`` reads the header with ``ast.literal_eval``
(no code runs), accepts only plain numeric little-endian dtypes in C order,
and requires the declared size to equal the bytes that are really there, so a
later ``numpy.load`` allocates exactly what it was given.
"""

from __future__ import annotations

import ast
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


class NpyError(ValueError):
    """The blob is not a plain numeric .npy whose header matches its bytes."""


def check(blob: bytes) -> tuple[str, tuple[int, ...]]:
    """(dtype, shape) of a well-formed plain numeric .npy; NpyError otherwise."""
    if len(blob) < 10 or blob[:6] != MAGIC:
        raise NpyError("not an .npy blob")
    major = blob[6]
    if major == 1:
        (header_len,), start = struct.unpack_from("<H", blob, 8), 10
    elif major in (2, 3):
        if len(blob) < 12:
            raise NpyError("truncated .npy header")
        (header_len,), start = struct.unpack_from("<I", blob, 8), 12
    else:
        raise NpyError("unknown .npy version")
    if header_len > 4096 or start + header_len > len(blob):
        raise NpyError("bad .npy header length")
    try:
        header = ast.literal_eval(blob[start : start + header_len].decode("latin1"))
    except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        raise NpyError("unreadable .npy header") from exc
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise NpyError("unexpected .npy header keys")
    descr, fortran, shape = header["descr"], header["fortran_order"], header["shape"]
    if not isinstance(descr, str) or descr not in ITEM_SIZES:
        raise NpyError("not a plain numeric dtype")
    if fortran is not False:
        raise NpyError("only C-ordered arrays are accepted")
    if not isinstance(shape, tuple) or len(shape) > MAX_DIMS:
        raise NpyError("bad shape")
    count = 1
    for size in shape:
        if type(size) is not int or size < 0:
            raise NpyError("bad shape")
        count *= size
    if count * ITEM_SIZES[descr] != len(blob) - start - header_len:
        raise NpyError("the declared shape does not match the bytes")
    return descr, shape
