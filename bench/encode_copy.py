"""What the runner's encode of a returned array costs: peak memory and time, one array.

Encodes a float32 array as the runner does (``codec.Encoder``) and writes the frame to
/dev/null with ``frames.write_frame``, as the runner writes its result pipe. Prints the
time and two peaks above the array itself: Python's allocator and NumPy's data
(tracemalloc, NumPy reports its buffers to it) and the process's maximum RSS
(``resource.getrusage``). ``--harness DIR`` imports codec/frames from DIR, so an older
version (``git show REV:grader/harness/codec.py``) can be measured the same way.

    .venv/bin/python bench/encode_copy.py                       # this tree, 256 MiB
    .venv/bin/python bench/encode_copy.py --harness /tmp/old    # another version's codec.py + frames.py
    .venv/bin/python bench/encode_copy.py --pipe --order F      # through a drained pipe; a Fortran-ordered array
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _drained_pipe() -> tuple[int, threading.Thread]:
    read_end, write_end = os.pipe()

    def drain() -> None:
        while os.read(read_end, 1 << 20):
            pass
        os.close(read_end)

    thread = threading.Thread(target=drain)
    thread.start()
    return write_end, thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--harness", default=os.path.join(ROOT, "grader", "harness"))
    parser.add_argument("--mib", type=int, default=256)
    parser.add_argument("--pipe", action="store_true", help="into a drained pipe, as the runner's")
    parser.add_argument("--order", choices=("C", "F"), default="C", help="F: a Fortran-ordered array (one copy)")
    options = parser.parse_args()
    sys.path.insert(0, options.harness)
    import codec
    import frames
    import numpy as np

    codec.load_numpy()
    side = int((options.mib * 2**20 // 4) ** 0.5)
    array = np.ones((side, side), dtype=np.float32, order=options.order)  # pages touched: they count in RSS
    if options.pipe:
        fd, reader = _drained_pipe()
    else:
        fd = os.open(os.devnull, os.O_WRONLY)
    tracemalloc.start()
    rss_before = _rss_mib()
    start = time.perf_counter()
    encoder = codec.Encoder(prefix="b")
    tree = encoder.encode(array)
    parts = [part for blob in encoder.blobs.values() for part in (blob if isinstance(blob, list) else [blob])]
    frames.write_frame(fd, {"type": "result", "value": tree}, parts)
    if options.pipe:
        os.close(fd)
        reader.join()
    elapsed = time.perf_counter() - start
    _, traced_peak = tracemalloc.get_traced_memory()
    rss_after = _rss_mib()
    sink = " through a pipe" if options.pipe else ""
    print(
        f"array {array.nbytes / 2**20:.0f} MiB ({options.order} order), harness {options.harness}: "
        f"encode+write{sink} {elapsed * 1000:.1f} ms, tracemalloc peak {traced_peak / 2**20:.1f} MiB, "
        f"max RSS {rss_before:.0f} -> {rss_after:.0f} MiB (+{rss_after - rss_before:.0f})"
    )


if __name__ == "__main__":
    main()
