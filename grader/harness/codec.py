"""Values in and out of the sandbox, as JSON plus .npy blobs.

Runs inside the sandbox, in the learner's process. Arguments arrive as a JSON
tree whose arrays are references to ``.npy`` blobs sent with the same request;
return values leave the same way. Nothing here unpickles: every array is read
with ``allow_pickle=False`` and only plain numeric dtypes are written.

NumPy is imported only when the job needs it (``load_numpy``): in the
standard-library sandbox values are plain numbers, lists and tuples.
"""

from __future__ import annotations

import io
import math
import types

np = None  # NumPy, once load_numpy() ran


def load_numpy():
    global np
    import numpy

    np = numpy
    return numpy


NUMERIC_KINDS = "biuf"
MAX_DEPTH = 8
MAX_ITEMS = 100_000
MAX_STR = 2_000


class EncodeError(Exception):
    """A value cannot be represented as plain numbers."""


def decode(tree, arrays, fixtures=None, torch=None):
    """Turn an argument tree from job.json into Python values."""
    if isinstance(tree, list):
        return [decode(v, arrays, fixtures, torch) for v in tree]
    if not isinstance(tree, dict):
        return tree
    if "$array" in tree:
        return load_array(arrays[tree["$array"]])
    if "$float" in tree:
        return float(tree["$float"])
    if "$tuple" in tree:
        return tuple(decode(v, arrays, fixtures, torch) for v in tree["$tuple"])
    if "$dict" in tree:
        return {k: decode(v, arrays, fixtures, torch) for k, v in tree["$dict"].items()}
    if "$tensor" in tree:
        if torch is None:
            raise RuntimeError("job sends a tensor but PyTorch was not loaded")
        data = torch.from_numpy(load_array(arrays[tree["$tensor"]]))
        tensor = data.to(dtype=getattr(torch, tree.get("dtype", "float32")))
        device = tree.get("device", "cpu")
        return tensor.to(device) if device != "cpu" else tensor
    if "$fn" in tree:
        kwargs = {k: decode(v, arrays, fixtures, torch) for k, v in tree.get("kwargs", {}).items()}
        return fixtures.build(tree["$fn"], **kwargs)
    raise ValueError(f"unknown argument node {sorted(tree)}")


NPY_HEADER_MAX = 1 << 16


def load_array(blob):
    """An argument array from our own .npy blob: a view of its bytes where they are writable, no copy.

    The runner hands writable buffers (runner._split), so the learner's timed call starts with
    its inputs in place, and what it may write into them stays its own. A read-only blob, or
    anything but a plain C-ordered numeric array, is read by np.load (one copy), as before.
    """
    view = memoryview(blob)
    if view.readonly:
        return np.load(io.BytesIO(view), allow_pickle=False)
    stream = io.BytesIO(view[:NPY_HEADER_MAX].tobytes())
    version = np.lib.format.read_magic(stream)
    reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = reader(stream)
    if fortran_order or dtype.hasobject or dtype.kind not in NUMERIC_KINDS:
        return np.load(io.BytesIO(view), allow_pickle=False)
    count = math.prod(shape)
    return np.frombuffer(view, dtype=dtype, count=count, offset=stream.tell()).reshape(shape)


class Encoder:
    """Encodes one return value; arrays are collected as named .npy blobs, each a list of buffers."""

    def __init__(self, prefix: str = "b", torch=None):
        self.prefix = prefix
        self.torch = torch
        # name -> the blob's parts (the .npy header, then the array's bytes in place): write_frame takes them as is
        self.blobs: dict[str, list] = {}
        self.items = 0

    def encode(self, value, depth: int = 0):
        self.items += 1
        if self.items > MAX_ITEMS:
            raise EncodeError(f"the value has more than {MAX_ITEMS} parts")
        if depth > MAX_DEPTH:
            raise EncodeError(f"the value is nested more than {MAX_DEPTH} levels deep")
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) > 2**63:
                raise EncodeError("an integer is too large to compare")
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"$float": repr(value)}
        if isinstance(value, str):
            return value[:MAX_STR]
        if np is not None and isinstance(value, np.generic):
            return self._array(np.asarray(value), scalar=True)
        if np is not None and isinstance(value, np.ndarray):
            return self._array(value)
        if self.torch is not None and isinstance(value, self.torch.Tensor):
            return self._tensor(value)
        if isinstance(value, tuple):
            return {"$tuple": [self.encode(v, depth + 1) for v in value]}
        if isinstance(value, list):
            return {"$list": [self.encode(v, depth + 1) for v in value]}
        if isinstance(value, (types.GeneratorType, map, filter, zip, range)):
            raise EncodeError(f"returned a {type(value).__name__}, not a value: build a list or array")
        if isinstance(value, complex):
            raise EncodeError("returned a complex number")
        raise EncodeError("returned an object of a type that cannot be compared")

    def _array(self, value, scalar: bool = False, extra: dict | None = None):
        # ndarray.view with an explicit base class drops any subclass behaviour.
        plain = np.ndarray.view(value, np.ndarray)
        if plain.dtype.kind not in NUMERIC_KINDS or plain.dtype.fields is not None:
            raise EncodeError(f"returned an array of dtype {plain.dtype.str}; return numbers")
        name = f"{self.prefix}{len(self.blobs)}"
        # A 0-d array stays 0-d (np.ascontiguousarray would make it 1-D: the answer of a `.squeeze()`
        # that removed every axis must read back as what it is); only a strided array is copied.
        if not plain.flags.c_contiguous:
            plain = plain.copy(order="C")
        header = io.BytesIO()
        # The header np.save writes (version 1.0 holds any numeric array's); the data is the array's own
        # buffer, written to the pipe from where it lies: no copy of what may be hundreds of megabytes.
        np.lib.format.write_array_header_1_0(header, np.lib.format.header_data_from_array_1_0(plain))
        self.blobs[name] = [header.getvalue(), memoryview(plain.reshape(-1).view(np.uint8))]
        node = {"$array": name}
        if scalar:
            node["scalar"] = True
        if extra:
            node.update(extra)
        return node

    def _tensor(self, tensor):
        torch = self.torch
        meta = {
            "tensor": True,
            "dtype": str(tensor.dtype).replace("torch.", ""),
            "device": str(tensor.device),
        }
        data = tensor.detach()
        if data.device.type == "meta":  # no numbers exist: the device, dtype and shape are the answer
            return self._array(np.zeros(tuple(data.shape), dtype=np.float32), extra=meta)
        if data.is_complex():
            raise EncodeError("returned a complex tensor")
        if data.dtype in (torch.bfloat16, torch.float16):
            data = data.to(torch.float32)
        return self._array(data.cpu().contiguous().numpy(), extra=meta)


def blob_size(parts: list) -> int:
    """The bytes of one encoded blob (its parts together)."""
    return sum(memoryview(part).nbytes for part in parts)
