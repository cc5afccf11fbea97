"""Hostile inputs for the untrusted-data parsers, and what each parser makes of one (standard library only).

Used by the bounded fuzz tests (tests/fuzz/), by the long run (bench/fuzz.py) and inside the
sandbox's Python 3.13 (test_same_on_both_pythons.py mounts this file next to the harness): it
imports only the harness's own modules, by their sandbox names (``frames``, ``npy``, ``untrusted``),
so the caller puts grader/harness on sys.path first.

The seeds are what an honest runner and supervisor write; the mutations are what a hostile one
can: byte flips, truncations, insertions, deep nesting, a wrong type in every field, declared
sizes far past the bytes.
"""

from __future__ import annotations

import json
import random
import struct

import frames
import npy
import untrusted

DEPTH = getattr(frames, "MAX_DEPTH", 32)  # (getattr: the same mutations run against the code before the bound)

# -- seeds: what honest code writes ----------------------------------------------------------------


def npy_blob(descr: str = "<f8", shape: tuple = (3,), fill: int = 0) -> bytes:
    """An .npy exactly as numpy.save writes it (format 1.0, header padded to 64 bytes)."""
    count = 1
    for size in shape:
        count *= size
    text = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple(shape)!r}, }}"
    pad = 64 - (10 + len(text) + 1) % 64
    header = (text + " " * pad + "\n").encode("latin1")
    data = bytes([fill]) * (count * npy.ITEM_SIZES[descr])
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data


def frame(meta: dict, payload: bytes = b"") -> bytes:
    header = json.dumps(meta, separators=(",", ":")).encode()
    return struct.pack(">II", len(header), len(payload)) + header + payload


ERROR = {"type": "ValueError", "message": "no", "forbidden": False, "lines": [3, 7], "family": ["ValueError"]}
SEED_NPYS = [
    npy_blob("<f8", (3,)),
    npy_blob("<i4", (2, 3)),
    npy_blob("|b1", ()),
    npy_blob("<f4", (0, 5)),
    npy_blob("|u1", (4, 1, 2)),
]


def seed_frames() -> list[bytes]:
    blob, other = SEED_NPYS[0], SEED_NPYS[1]
    return [
        frame({"type": "result", "status": "returned", "value": {"$list": [1, 2.5, None, True, "x"]}}),
        frame(
            {
                "type": "result",
                "status": "returned",
                "value": {"$tuple": [{"$array": "b0"}, {"$array": "b1", "scalar": True}, {"$float": "nan"}]},
                "blobs": [["b0", len(blob)], ["b1", len(other)]],
            },
            blob + other,
        ),
        frame(
            {
                "type": "result",
                "status": "returned",
                "value": {"$array": "b0", "tensor": True, "dtype": "float32", "device": "cpu"},
                "device_s": 0.001,
                "tampered": False,
                "blobs": [["b0", len(blob)]],
            },
            blob,
        ),
        frame({"type": "result", "status": "raised", "error": ERROR}),
        frame({"type": "result", "status": "unsupported", "message": "returned a generator"}),
        frame({"type": "result", "status": "missing_entry"}),
    ]


_SEEDS = seed_frames()


# -- mutations: what hostile code can write --------------------------------------------------------

HOSTILE_VALUES = [
    None,
    True,
    0,
    -1,
    2**63,
    2**64,
    -(2**80),
    1.5,
    "",
    "x" * 5000,
    "\ud800",
    [],
    ["returned"],
    {},
    {"$array": []},
    {"a": [1]},
    [[["deep"]]],
]
STRUCTURAL = [b"[", b"{", b'"', b"\\", b",", b"]", b"}", b"\x00", b"\xff"]
HOSTILE_LITERALS = [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"1" * 30, b"-0", b"1.0e-400", b'"\\ud800"']


def deep(depth: int, rng: random.Random) -> bytes:
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    return opener * depth + b"0" + closer * depth


def _json_mutation(rng: random.Random, data: bytes) -> bytes:
    """Re-encode a frame with one field (or a field of a field) given a hostile value."""
    try:
        header_len, payload_len = struct.unpack_from(">II", data)
        meta = json.loads(data[8 : 8 + header_len])
    except (ValueError, struct.error, RecursionError):  # not a frame any more: other mutations apply
        return data
    if not isinstance(meta, dict):
        return data
    payload = data[8 + header_len :]
    target = meta
    if isinstance(meta.get("error"), dict) and rng.random() < 0.3:
        target = meta["error"]
    keys = list(target) + ["type", "status", "value", "error", "message", "blobs", "device_s", "tampered", "extra"]
    key = rng.choice(keys)
    raw = None
    roll = rng.random()
    if roll < 0.15:
        raw = deep(rng.choice([DEPTH - 2, DEPTH, DEPTH + 1, 1_200, 50_000]), rng)
    elif roll < 0.25:
        raw = rng.choice(HOSTILE_LITERALS)
    elif roll < 0.35 and key == "blobs":
        target[key] = [[rng.choice(["b0", "b1", "../x", ""]), rng.choice([-1, 0, 8, 2**40, 1.5, "8"])]]
    else:
        target[key] = rng.choice(HOSTILE_VALUES)
    header = json.dumps(meta, separators=(",", ":")).encode()
    if raw is not None:  # splice bytes json.dumps would never write
        marker = b'"__raw__"'
        target[key] = "__raw__"
        header = json.dumps(meta, separators=(",", ":")).encode().replace(marker, raw, 1)
    return struct.pack(">II", len(header), payload_len if rng.random() < 0.2 else len(payload)) + header + payload


def _size_mutation(rng: random.Random, data: bytes) -> bytes:
    """Declare sizes far from the bytes: a frame's lengths, an .npy header length or shape."""
    if data.startswith(npy.MAGIC):
        if rng.random() < 0.5:
            return data[:8] + struct.pack("<H", rng.choice([0, 1, 4095, 4096, 4097, 65535])) + data[10:]
        shape = rng.choice(["(34359738368,)", "(0, 9223372036854775807)", "(3)", "(-1,)", "(" + "1, " * 40 + ")"])
        return data.replace(b"(3,)", shape.encode(), 1).replace(b"(2, 3)", shape.encode(), 1)
    if len(data) < 8:
        return data
    sizes = [0, 1, frames.MAX_HEADER, frames.MAX_HEADER + 1, 2**31, 2**32 - 1]
    header_len, payload_len = struct.unpack_from(">II", data)
    if rng.random() < 0.5:
        header_len = rng.choice(sizes)
    else:
        payload_len = rng.choice(sizes)
    return struct.pack(">II", header_len, payload_len) + data[8:]


def _npy_header_mutation(rng: random.Random, data: bytes) -> bytes:
    """Replace an .npy header by another Python literal (what ast.literal_eval would have evaluated)."""
    literals = [
        "{['descr']: '<f8', 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': {[1]: 0}}",
        "{'descr': {['<f8']}, 'fortran_order': False, 'shape': (3,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': [3]}",
        "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }",
        "{'descr': '<f8', 'fortran_order': True, 'shape': (3,), }",
        "{'descr': '|O', 'fortran_order': False, 'shape': (3,), }",
        "{'shape': (3,), 'descr': '<f8', 'fortran_order': False}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (03,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}",
        "(" * 500 + ")" * 500,
        "{" + "'a': {" * 300 + "}" * 301,
        "1" * 5000,
    ]
    text = rng.choice(literals).encode("latin1")
    text = text + b" " * rng.randrange(0, 4) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + b"\0" * 24


def _embed_npy(rng: random.Random, blob: bytes) -> bytes:
    """A result frame carrying ``blob`` as its one array: what reaches npy.check through check_result."""
    meta = {"type": "result", "status": "returned", "value": {"$array": "b0"}, "blobs": [["b0", len(blob)]]}
    return frame(meta, blob)


def mutate(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
    """One to four random mutations of ``data``."""
    for _ in range(rounds or rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.25 and data:  # flip bytes
            buffer = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                buffer[rng.randrange(len(buffer))] = rng.randrange(256)
            data = bytes(buffer)
        elif roll < 0.35 and data:  # truncate
            data = data[: rng.randrange(len(data))]
        elif roll < 0.45:  # insert bytes (structural characters, often)
            at = rng.randrange(len(data) + 1)
            chunk = rng.choice([*STRUCTURAL, bytes([rng.randrange(256)])])
            data = data[:at] + chunk * rng.randint(1, 64) + data[at:]
        elif roll < 0.75 and not data.startswith(npy.MAGIC):
            data = _json_mutation(rng, data)
        elif roll < 0.85:
            data = _size_mutation(rng, data)
        elif data.startswith(npy.MAGIC):
            data = _npy_header_mutation(rng, data)
        else:  # splice two seeds
            data = data[: rng.randrange(len(data) + 1)] + rng.choice(_SEEDS)[rng.randrange(8) :]
    return data


def hostile_frames(rng: random.Random, count: int):
    """``count`` mutated result frames: some of the frame alone, some carrying a mutated .npy blob."""
    seeds = _SEEDS
    for _ in range(count):
        if rng.random() < 0.2:
            yield _embed_npy(rng, mutate(rng, rng.choice(SEED_NPYS)))
        else:
            yield mutate(rng, rng.choice(seeds))


def hostile_npys(rng: random.Random, count: int):
    for _ in range(count):
        yield mutate(rng, rng.choice(SEED_NPYS))


# -- what the parsers make of them -----------------------------------------------------------------

ACCEPTED, REFUSED, TOO_LARGE = "accepted", "refused", "too_large"


def read_result(data: bytes, max_payload: int = 1 << 24, keep_blobs: bool = False) -> tuple:
    """The supervisor's whole reading of a runner's bytes: (ACCEPTED, record, blob names) or (REFUSED | TOO_LARGE,).

    Anything else escapes: the property under test is that nothing else ever does.
    FrameTooLarge becomes the result limit and every other FrameError the protocol error,
    as in supervisor.Child.exchange; both are the runner's.
    """
    reader = frames.FrameReader(max_payload)
    reader.feed(data)
    try:
        got = reader.next_frame()
    except frames.FrameTooLarge:
        return (TOO_LARGE,)
    except frames.FrameError:
        return (REFUSED,)
    if got is None:  # the stream ended inside a frame: the supervisor reads on until its deadline
        return (REFUSED,)
    try:
        record, blobs = untrusted.check_result(*got)
    except untrusted.Protocol:
        return (REFUSED,)
    return (ACCEPTED, record, blobs if keep_blobs else sorted(blobs))


def check_npy(data: bytes) -> tuple:
    try:
        descr, shape = npy.check(data)
    except npy.NpyError:
        return (REFUSED,)
    return (ACCEPTED, descr, list(shape))


def supervisor_report(records: list[tuple[dict, dict[str, bytes]]]) -> bytes:
    """The report the supervisor writes around accepted results, one case each (supervisor.write_report's form)."""
    import io
    import tarfile

    cases, files = {}, {}
    for number, (record, blobs) in enumerate(records):
        cases[f"c{number}"] = {"status": record["status"], "calls": [record]}
        files.update({f"c{number}.0.{name}.npy": blob for name, blob in blobs.items()})
    report = {"format": 2, "cases": cases, "phases": {}, "limits_hit": [], "harness_errors": [], "elapsed_s": 0.1}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w|") as archive:
        payload = json.dumps(report, allow_nan=False).encode()
        for name, data in [("results.json", payload), *files.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def outcome_line(outcome: tuple) -> str:
    """One comparable line per outcome (records as canonical JSON)."""
    return json.dumps(outcome, sort_keys=True, separators=(",", ":"))


# -- the same inputs on another interpreter --------------------------------------------------------

FRAME, NPY = b"F", b"N"


def pack_inputs(items: list[tuple[bytes, bytes]]) -> bytes:
    """(kind, data) pairs as one file: kind, 4-byte length, data."""
    return b"".join(kind + struct.pack(">I", len(data)) + data for kind, data in items)


def unpack_inputs(blob: bytes) -> list[tuple[bytes, bytes]]:
    items, offset = [], 0
    while offset < len(blob):
        kind, (size,) = blob[offset : offset + 1], struct.unpack_from(">I", blob, offset + 1)
        items.append((kind, blob[offset + 5 : offset + 5 + size]))
        offset += 5 + size
    return items


def fingerprints(items: list[tuple[bytes, bytes]]) -> list[str]:
    """One line per input: the outcome's kind and a hash of the whole outcome (record included)."""
    import hashlib

    lines = []
    for kind, data in items:
        try:
            outcome = read_result(data) if kind == FRAME else check_npy(data)
        except Exception as exc:  # noqa: BLE001 - the finding this exists to show
            outcome = ("escaped", type(exc).__name__)
        line = outcome_line(outcome)
        lines.append(f"{outcome[0]} {hashlib.sha256(line.encode()).hexdigest()[:16]}")
    return lines


if __name__ == "__main__":  # python3 mutations.py INPUTS: one fingerprint per line (the sandbox's side of the test)
    import sys

    with open(sys.argv[1], "rb") as handle:
        print("\n".join(fingerprints(unpack_inputs(handle.read()))))
