"""fused-attention-gpu: float32 kernels with a 1/d scale or unmasked padding keys are told so,
never "16-bit accumulation" (whose window is bounded in units of the output's epsilon).

The kernels' outputs are simulated in NumPy (float64 attention with the mistake, rounded to
bfloat16): no GPU, Triton or PyTorch is needed to judge them.
"""

import numpy as np
import pytest

from grader.compare import Mismatch
from grader.diagnosis import Observation, name_mistakes
from grader.exercise import load_exercise
from grader.values import TensorValue
from tests.exercises.conftest import EXERCISES

EXERCISE = load_exercise(EXERCISES / "fused-attention-gpu")
CASES = [c for c in EXERCISE.build_cases() if not c.is_timed]


def bfloat16(array) -> np.ndarray:
    """Round to the nearest bfloat16 (ties to even), kept in float32."""
    bits = np.asarray(array, np.float32).view(np.uint32)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return rounded.astype(np.uint32).view(np.float32)


def judged(**mistake) -> dict[str, str]:
    attention = EXERCISE.cases_module().reference_attention
    observations = []
    for case in CASES:
        expected = TensorValue(bfloat16(attention(*case.args, **case.kwargs)), "bfloat16", "cuda")
        got = TensorValue(bfloat16(attention(*case.args, **{**case.kwargs, **mistake})), "bfloat16", "cuda")
        mismatch = case.check(got, expected, case)
        assert mismatch is None or isinstance(mismatch, Mismatch)
        observations.append(Observation(case, got, expected, mismatch))
    return {name: d.id for name, d in name_mistakes(observations, EXERCISE.diagnoses()).items()}


def test_a_one_over_d_scale_is_named_and_never_called_16_bit_accumulation():
    named = judged(scale="d")

    assert named and set(named.values()) == {"scaled-by-d"}, named


@pytest.mark.parametrize("block", [16, 32, 64, 128])
def test_unmasked_padding_keys_are_named_and_never_called_16_bit_accumulation(block):
    named = judged(pad_keys_to=block)

    assert named and set(named.values()) == {"key-padding-unmasked"}, named
