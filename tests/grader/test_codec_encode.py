"""The runner's encode writes an array from its own buffer, and the bytes are np.save's, whatever its layout."""

import io

import numpy as np
import pytest

from grader.harness import codec, frames, npy

codec.load_numpy()

BASE = np.arange(4 * 6 * 5, dtype=np.float32).reshape(4, 6, 5) - 17.5
ARRAYS = {
    "contiguous": BASE,
    "fortran": np.asfortranarray(BASE),
    "zero-d": np.array(2.5, dtype=np.float64),
    "sliced": BASE[1:, ::2, 3],
    "negative-stride": BASE[::-1],
    "empty": np.zeros((3, 0), dtype=np.int16),
    "bool": BASE > 0,
    "numpy-scalar": np.float32(1.25),
}


def np_save_bytes(array) -> bytes:
    """What the encoder wrote before it wrote in place: np.save of the array made C-ordered."""
    array = np.asarray(array)
    buffer = io.BytesIO()
    np.save(buffer, array if array.flags.c_contiguous else array.copy(order="C"), allow_pickle=False)
    return buffer.getvalue()


def encoded(value) -> tuple[dict, list]:
    encoder = codec.Encoder()
    tree = encoder.encode(value)
    (parts,) = encoder.blobs.values()
    return tree, parts


@pytest.mark.parametrize("name", ARRAYS)
def test_the_encoded_bytes_are_exactly_np_save_s(name):
    value = ARRAYS[name]
    tree, parts = encoded(value)
    blob = b"".join(parts)
    assert blob == np_save_bytes(value)
    assert codec.blob_size(parts) == len(blob)
    assert npy.check(blob)[1] == np.shape(value)  # and the supervisor's parser accepts it
    assert tree.get("scalar", False) is isinstance(value, np.generic)
    assert np.array_equal(np.load(io.BytesIO(blob), allow_pickle=False), value)


def test_a_c_contiguous_array_is_written_from_its_own_memory_not_copied():
    value = np.ones((64, 64), dtype=np.float32)
    _, (header, data) = encoded(value)
    assert isinstance(data, memoryview) and data.obj is not None
    assert np.shares_memory(np.asarray(data), value)
    assert len(header) % 64 == 0  # np.save aligns the data after its header


def test_a_strided_array_is_copied_once_and_the_copy_is_what_is_sent():
    value = BASE[:, ::2]
    _, (_, data) = encoded(value)
    assert not np.shares_memory(np.asarray(data), value)
    assert bytes(data) == value.copy(order="C").tobytes()


def test_write_frame_sends_the_parts_back_to_back(tmp_path):
    path = tmp_path / "frame"
    tree, parts = encoded(BASE)
    with open(path, "wb") as handle:
        frames.write_frame(handle.fileno(), {"type": "result", "value": tree}, parts)
    assert path.read_bytes().endswith(np_save_bytes(BASE))
