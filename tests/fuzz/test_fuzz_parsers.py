"""Fuzzing the parsers of untrusted data: whatever bytes come, only a value or the sender's error comes out.

Bounded here (marked slow: `make test`, not `make check`); bench/fuzz.py runs the same mutations
for minutes. Inside (the supervisor's reading of a runner's result channel): a record, or
FrameError/Protocol, the runner's. Outside (the grader's reading of the report): a Report, in
which whatever the supervisor accepted reads back (learner content that does not is INVALID,
never our ReportError); and a ReportError only for bytes the supervisor did not write.
"""

from __future__ import annotations

import io
import json
import random
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.protocol import RecordStatus, ReportError, parse_report
from tests.conftest import ROOT

sys.path[:0] = [str(ROOT / "grader" / "harness"), str(ROOT / "tests" / "fuzz")]

import mutations  # noqa: E402
import npy  # noqa: E402

pytestmark = pytest.mark.slow
FUZZ = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SEEDS = mutations.seed_frames()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["type", "status", "value", "error", "message", "blobs", "device_s", "tampered", "other"]


@FUZZ
@given(seed=st.sampled_from(SEEDS), rng=st.randoms(use_true_random=False))
def test_any_mutation_of_a_result_frame_reads_as_a_record_or_the_runners_error(seed, rng):
    outcome = mutations.read_result(mutations.mutate(rng, seed))
    assert outcome[0] in (mutations.ACCEPTED, mutations.REFUSED, mutations.TOO_LARGE)


@FUZZ
@given(seed=st.sampled_from(SEEDS), field=st.sampled_from(FIELDS), value=json_values, nested=st.booleans())
def test_any_json_in_any_field_of_a_result_reads_as_a_record_or_the_runners_error(seed, field, value, nested):
    header_len = int.from_bytes(seed[:4], "big")
    meta = json.loads(seed[8 : 8 + header_len])
    target = meta["error"] if nested and isinstance(meta.get("error"), dict) else meta
    target[field] = value
    outcome = mutations.read_result(mutations.frame(meta, seed[8 + header_len :]))
    assert outcome[0] in (mutations.ACCEPTED, mutations.REFUSED)


@FUZZ
@given(data=st.binary(max_size=300), prefix=st.sampled_from([b"", b"\x93NUMPY\x01\x00", b"\x93NUMPY\x03\x00"]))
def test_any_bytes_as_an_npy_blob_are_a_plain_array_or_malformed(data, prefix):
    assert mutations.check_npy(prefix + data)[0] in (mutations.ACCEPTED, mutations.REFUSED)


@FUZZ
@given(seed=st.sampled_from(mutations.SEED_NPYS), rng=st.randoms(use_true_random=False))
def test_what_the_npy_check_accepts_numpy_loads_as_exactly_that_array(seed, rng):
    blob = mutations.mutate(rng, seed)
    outcome = mutations.check_npy(blob)
    if outcome[0] == mutations.ACCEPTED:
        array = np.load(io.BytesIO(blob), allow_pickle=False)
        assert (array.dtype.str, list(array.shape)) == (outcome[1], outcome[2])


@FUZZ
@given(seeds=st.lists(st.sampled_from(SEEDS), min_size=1, max_size=3), rng=st.randoms(use_true_random=False))
def test_whatever_the_supervisor_accepts_the_grader_reads_back(seeds, rng):
    accepted = []
    for seed in seeds:
        outcome = mutations.read_result(mutations.mutate(rng, seed), keep_blobs=True)
        if outcome[0] == mutations.ACCEPTED:
            accepted.append((outcome[1], outcome[2]))
    report = parse_report(mutations.supervisor_report(accepted), 1 << 26)  # never a ReportError
    assert len(report.cases) == len(accepted)


@FUZZ
@given(seed=st.sampled_from(SEEDS), field=st.sampled_from(["value", "error", "message"]), value=json_values)
def test_any_learner_content_in_a_report_is_a_record_never_our_error(seed, field, value):
    """Content the supervisor does not check (values) or would refuse, written into a report anyway."""
    record, blobs = mutations.read_result(seed, keep_blobs=True)[1:]
    record = {**record, field: value}
    report = parse_report(mutations.supervisor_report([(record, blobs)]), 1 << 26)
    assert report.cases["c0"].status in set(RecordStatus)


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_any_mutation_of_a_report_reads_as_a_report_or_our_report_error(rng):
    record, blobs = mutations.read_result(rng.choice(SEEDS), keep_blobs=True)[1:]
    stream = mutations.mutate(rng, mutations.supervisor_report([(record, blobs)]))
    try:
        parse_report(stream, 1 << 26)
    except ReportError:
        pass


def test_the_mutations_reach_every_outcome():
    """A fuzzer that only ever produced refusals would prove nothing about the accepted path."""
    rng = random.Random(7)
    frames_seen = {mutations.read_result(data)[0] for data in mutations.hostile_frames(rng, 3_000)}
    npys_seen = {mutations.check_npy(data)[0] for data in mutations.hostile_npys(rng, 3_000)}
    assert frames_seen == {mutations.ACCEPTED, mutations.REFUSED, mutations.TOO_LARGE}
    assert npys_seen == {mutations.ACCEPTED, mutations.REFUSED}
    assert npy.check(mutations.SEED_NPYS[0]) == ("<f8", (3,))
