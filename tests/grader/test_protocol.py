"""What comes out of a sandbox is read once, into typed records; nothing is unpickled or over-allocated."""

import io
import json
import pickle
import struct
import tarfile

import numpy as np
import pytest

from grader.harness import npy
from grader.harness.forbidden import ForbiddenRules
from grader.limits import Limits
from grader.protocol import RecordStatus, ReportError, build_job, parse_report


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


def npy_bytes(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def report_of(case: dict, **blobs: bytes) -> bytes:
    data = {"format": 2, "cases": {"c0": case}, "phases": {}, "limits_hit": [], "harness_errors": []}
    return tar_of({"results.json": json.dumps(data).encode(), **{f"c0.0.{k}.npy": v for k, v in blobs.items()}})


RETURNED = {"status": "returned", "calls": [{"status": "returned", "value": {"$array": "b0"}}]}


def test_a_well_formed_report_is_read_into_typed_records():
    report = parse_report(report_of(RETURNED, b0=npy_bytes(np.ones(3))), 1 << 20)

    record = report.cases["c0"]
    assert record.status == RecordStatus.RETURNED
    assert record.calls[0].value.tolist() == [1.0, 1.0, 1.0]


def test_a_pickled_array_makes_the_call_invalid_not_an_internal_error():
    payload = npy_bytes(np.array([object()], dtype=object), allow_pickle=True)
    report = parse_report(report_of(RETURNED, b0=payload), 1 << 20)
    assert report.cases["c0"].status == RecordStatus.INVALID


def test_a_raw_pickle_makes_the_call_invalid():
    report = parse_report(report_of(RETURNED, b0=pickle.dumps([1])), 1 << 20)
    assert report.cases["c0"].status == RecordStatus.INVALID


def test_an_npy_header_declaring_more_than_its_bytes_is_refused_before_allocating():
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (34359738368,), }".ljust(118) + b"\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + b"\0" * 8

    with pytest.raises(npy.NpyError, match="does not match"):
        npy.check(blob)
    assert parse_report(report_of(RETURNED, b0=blob), 1 << 20).cases["c0"].status == RecordStatus.INVALID


def test_non_numeric_arrays_make_the_call_invalid():
    report = parse_report(report_of(RETURNED, b0=npy_bytes(np.array(["a"]))), 1 << 20)
    assert report.cases["c0"].status == RecordStatus.INVALID


def test_a_malformed_exception_record_makes_the_call_invalid():
    case = {"status": "raised", "calls": [{"status": "raised", "error": {"type": 3, "message": "x"}}]}
    assert parse_report(report_of(case), 1 << 20).cases["c0"].status == RecordStatus.INVALID


def test_links_and_unexpected_files_are_refused():
    good = b'{"format": 2, "cases": {}, "phases": {}}'
    with pytest.raises(ReportError):
        parse_report(tar_of({"results.json": good}, symlink="c0.0.b1.npy"), 1 << 20)
    with pytest.raises(ReportError, match="unexpected file"):
        parse_report(tar_of({"results.json": good, "../evil.py": b"x"}), 1 << 20)


def test_an_oversized_report_is_refused_before_reading():
    with pytest.raises(ReportError, match="larger than the result limit"):
        parse_report(b"x" * 101, 100)


def test_a_case_without_a_valid_status_is_refused():
    with pytest.raises(ReportError, match="no valid status"):
        parse_report(report_of({"status": "passed"}), 1 << 20)


def test_negative_timings_are_refused():
    with pytest.raises(ReportError, match="invalid timings"):
        parse_report(report_of({**RETURNED, "times": [-1.0]}), 1 << 20)


def test_nan_in_the_report_is_refused():
    raw = b'{"format": 2, "cases": {}, "phases": {}, "limits_hit": [], "elapsed_s": NaN}'
    with pytest.raises(ReportError):
        parse_report(tar_of({"results.json": raw}), 1 << 20)


def test_an_empty_report_is_an_error():
    with pytest.raises(ReportError, match="no report"):
        parse_report(b"", 100)


def test_bytes_written_before_the_runs_marker_are_the_learners_and_ignored():
    """Under gVisor a same-uid process can write on PID 1's stdout (/proc/1/fd/1)."""
    marker = "0123456789abcdef0123456789abcdef"
    forged = b"written by the learner through /proc/1/fd/1: not a tar"
    stream = forged + b"tensordojo-report:" + marker.encode() + b"\n" + report_of(RETURNED, b0=npy_bytes(np.ones(3)))
    report = parse_report(stream, 1 << 20, marker=marker)
    assert report.cases["c0"].status == RecordStatus.RETURNED


def test_a_report_without_the_runs_marker_was_not_written_by_us():
    with pytest.raises(ReportError, match="no report of ours"):
        parse_report(b"tensordojo-report:guessed\n" + report_of(RETURNED), 1 << 20, marker="f" * 32)


def test_every_job_carries_a_fresh_random_marker():
    from grader.protocol import job_marker

    jobs = [
        build_job(source="", cases=[], phases=[], arrays={}, limits=Limits(), modules=[], rules=ForbiddenRules())
        for _ in range(2)
    ]
    first, second = (job_marker(job) for job in jobs)
    assert first != second and len(first) == 32


def _report_stream(marker: str, members: dict[str, bytes], before: bytes = b"") -> bytes:
    import io as _io
    import tarfile as _tarfile

    out = _io.BytesIO()
    out.write(before + b"tensordojo-report:" + marker.encode() + b"\n")
    with _tarfile.open(fileobj=out, mode="w|") as archive:
        for name, data in members.items():
            info = _tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, _io.BytesIO(data))
    return out.getvalue()


def test_the_end_of_a_report_is_spotted_as_soon_as_its_last_block_arrives():
    from grader.protocol import ReportEnd

    stream = _report_stream("m1", {"results.json": b"{}", "c.0.b0.npy": b"x" * 1500})
    # marker line, then each member's header block and its data rounded up to whole blocks
    end = len(b"tensordojo-report:m1\n") + (512 + 512) + (512 + 3 * 512)  # where the all-zero block starts
    assert stream[end : end + 512] == bytes(512)
    watcher = ReportEnd("m1")
    seen_at = next(n for n in range(0, len(stream) + 1, 7) if watcher.seen(stream[:n]))
    assert end + 512 <= seen_at < end + 512 + 7
    assert not ReportEnd("m1").seen(stream[: end + 511])


def test_a_report_end_forged_before_the_marker_or_with_another_marker_does_not_count():
    from grader.protocol import ReportEnd

    forged = _report_stream("guess", {"results.json": b"{}"})
    assert not ReportEnd("m1").seen(forged)
    real_marker_only = b"\0" * 4096 + b"tensordojo-report:m1\n"
    assert not ReportEnd("m1").seen(real_marker_only)


@pytest.mark.parametrize(
    "header",
    [
        "{['descr']: '<f8', 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f8', 'fortran_order': False, 'shape': {[1]: 0}}",
        "{'descr': {['<f8']}, 'fortran_order': False, 'shape': (1,)}",
    ],
)
def test_an_npy_header_holding_an_unhashable_literal_makes_the_call_invalid_outside_too(header):
    """``ast.literal_eval`` raised TypeError, which escaped parse_report as our internal error."""
    text = header.ljust(118) + "\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + b"\0" * 8
    assert parse_report(report_of(RETURNED, b0=blob), 1 << 20).cases["c0"].status == RecordStatus.INVALID


def test_a_long_name_or_pax_record_in_the_report_is_refused():
    """The supervisor writes plain files with short names; anything else in the tar is not its report."""
    for form in (tarfile.GNU_FORMAT, tarfile.PAX_FORMAT):
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=form) as archive:
            info = tarfile.TarInfo("c0.0." + "b" * 200 + ".npy")
            archive.addfile(info, io.BytesIO(b""))
        with pytest.raises(ReportError, match="unexpected tar member"):
            parse_report(out.getvalue(), 1 << 20)


def test_a_report_cut_inside_its_tar_is_ours_and_says_so():
    whole = report_of(RETURNED, b0=npy_bytes(np.ones(3)))
    for cut in (100, 600, 1030, 1600):  # in a header, in results.json, in the blob's header, in its bytes
        with pytest.raises(ReportError, match="unreadable report"):
            parse_report(whole[:cut], 1 << 20)
