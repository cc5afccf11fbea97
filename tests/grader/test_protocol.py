"""What comes out of a sandbox is validated before anything looks at it; nothing is unpickled."""

import io
import json
import pickle
import tarfile

import numpy as np
import pytest

from grader.protocol import ReportError, parse_report


def tar_of(files: dict[str, bytes], symlink: str | None = None) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            archive.addfile(info)
    return out.getvalue()


def npy(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


GOOD = {"cases": {"c0": {"status": "returned", "value": {"$array": "c0_0"}}}, "phases": {}, "limits_hit": []}


def test_a_well_formed_report_is_read():
    report = parse_report(tar_of({"results.json": json.dumps(GOOD).encode(), "c0_0.npy": npy(np.ones(3))}), 1 << 20)
    assert report.arrays["c0_0"].tolist() == [1.0, 1.0, 1.0]


def test_a_pickled_array_is_refused():
    payload = npy(np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ReportError, match="not a plain .npy"):
        parse_report(tar_of({"results.json": json.dumps(GOOD).encode(), "c0_0.npy": payload}), 1 << 20)


def test_a_raw_pickle_is_refused():
    with pytest.raises(ReportError):
        parse_report(tar_of({"results.json": json.dumps(GOOD).encode(), "c0_0.npy": pickle.dumps([1])}), 1 << 20)


def test_non_numeric_arrays_are_refused():
    with pytest.raises(ReportError, match="not numeric"):
        parse_report(tar_of({"results.json": json.dumps(GOOD).encode(), "c0_0.npy": npy(np.array(["a"]))}), 1 << 20)


def test_links_and_unexpected_files_are_refused():
    with pytest.raises(ReportError):
        parse_report(tar_of({"results.json": json.dumps(GOOD).encode()}, symlink="c1_0.npy"), 1 << 20)
    with pytest.raises(ReportError, match="unexpected file"):
        parse_report(tar_of({"results.json": json.dumps(GOOD).encode(), "../evil.py": b"x"}), 1 << 20)


def test_an_oversized_report_is_refused_before_reading():
    with pytest.raises(ReportError, match="larger than the result limit"):
        parse_report(b"x" * 101, 100)


def test_a_case_without_a_valid_status_is_refused():
    bad = {**GOOD, "cases": {"c0": {"status": "passed"}}}
    with pytest.raises(ReportError, match="no valid status"):
        parse_report(tar_of({"results.json": json.dumps(bad).encode()}), 1 << 20)


def test_negative_timings_are_refused():
    bad = {**GOOD, "cases": {"c0": {"status": "returned", "value": 1, "times": [-1.0]}}}
    with pytest.raises(ReportError, match="invalid timings"):
        parse_report(tar_of({"results.json": json.dumps(bad).encode()}), 1 << 20)


def test_an_empty_report_is_an_error():
    with pytest.raises(ReportError, match="no report"):
        parse_report(b"", 100)
