"""Cases for triton-matmul: bf16 on the GPU, checked with fp32-accumulation accuracy; timed on a GPU only.

Built for the GPU (bf16 tensors on ``cuda``). Without a GPU the grader runs the
untimed cases in float16 on the CPU through Triton's interpreter (grader/gpu.py),
and the accuracy bar follows the dtype the result came back in.

Inputs are multiples of 1/32 in [-4, 4] (or [0, 4]): exact in bf16 and in float16,
so the product the diagnoses recompute in float64 is the one the kernel saw.
"""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, TensorArg, Timing
from grader.compare import Mismatch, Tolerance, compare
from grader.harness.triton_frontend import retyped_accumulator

REPETITIONS = 6  # per timed shape, each on fresh inputs (the GPU sandbox stops early once the times settle)
WARMUPS = 2
# Machine epsilon of each dtype the result may come back in.
EPS = {"bfloat16": 2.0**-7, "float16": 2.0**-10, "float32": 2.0**-23}
# Relative Frobenius error allowed, in units of the output dtype's epsilon: an fp32 accumulator
# rounded once at the end stays far below it (measured: under 0.03 eps); rounding the running sum
# to the output dtype after every K-step lands above it (0.4 eps and more for K >= 512).
FROBENIUS_EPS = 0.1
ELEMENT_EPS = 4.0


def grid(rng, shape, positive=False):
    """Random multiples of 1/32: exact in bf16 and float16."""
    values = rng.uniform(0.0, 4.0, shape) if positive else np.clip(rng.standard_normal(shape), -4.0, 4.0)
    return np.round(values * 32.0) / 32.0


def quick(rng, shape):
    """Timed inputs: uniform multiples of 1/32 in [-4, 4], drawn straight as float16 (millions of them)."""
    return (rng.integers(-128, 129, shape, dtype=np.int16) / np.float16(32)).astype(np.float16)


def gpu(array):
    return TensorArg(np.asarray(array, dtype=np.float32), dtype="bfloat16", device="cuda")


def pair(rng, m, k, n, positive=False):
    return (gpu(grid(rng, (m, k), positive)), gpu(grid(rng, (k, n), positive)))


def accurate(got, expected, case):
    """Structure exactly (shape, dtype, device), then values to fp32-accumulation accuracy."""
    dtype = getattr(expected, "dtype", "float32")
    eps = EPS.get(dtype, EPS["float32"])
    e = np.asarray(getattr(expected, "array", expected), dtype=np.float64)
    scale = float(np.sqrt(np.mean(e**2))) if e.size else 1.0
    mismatch = compare(
        got, expected, Tolerance(rtol=ELEMENT_EPS * eps, atol=ELEMENT_EPS * eps * max(scale, 1.0), strict_dtype=True)
    )
    if mismatch is not None:
        return mismatch
    g = np.asarray(got.array, dtype=np.float64)
    error = float(np.linalg.norm(g - e) / max(np.linalg.norm(e), 1e-30))
    if error > FROBENIUS_EPS * eps:
        return Mismatch(
            "values",
            f"The product is not accurate enough for {dtype}: relative error {error:.2e} "
            f"(at most {FROBENIUS_EPS * eps:.1e}).",
            detail="An fp32 accumulator, rounded once when the tile is stored, stays well under it.",
        )
    return None


def timed(rng, m, k, n):
    sets = tuple(
        (
            TensorArg(quick(rng, (m, k)), dtype="bfloat16", device="cuda"),
            TensorArg(quick(rng, (k, n)), dtype="bfloat16", device="cuda"),
        )
        for _ in range(REPETITIONS + WARMUPS)
    )
    return Timing(
        arg_sets=sets[WARMUPS:],
        warmup_sets=sets[:WARMUPS],
        flops=2.0 * m * n * k,
        bytes_moved=2.0 * (m * k + k * n + m * n),
    )


def build_cases(rng):
    ok = {"check": accurate}
    return [
        Case(
            "square (64, 64) @ (64, 64)",
            "matmul",
            pair(rng, 64, 64, 64),
            **ok,
            explain="One tile or a few, depending on your block size.",
        ),
        Case(
            "edges: (100, 70) @ (70, 130)",
            "matmul",
            pair(rng, 100, 70, 130),
            **ok,
            explain="No side is a multiple of a power-of-two block: the last tiles hang over the edge (masks).",
        ),
        Case(
            "long sums: (32, 1024) @ (1024, 48), entries in [0, 4]",
            "matmul",
            pair(rng, 32, 1024, 48, positive=True),
            **ok,
            explain="Each entry sums 1024 positive products: an accumulator kept in 16 bits drifts visibly.",
        ),
        Case("hidden: one row (1, 33) @ (33, 17)", "matmul", pair(rng, 1, 33, 17), visible=False, **ok),
        Case("hidden: odd sizes (129, 65) @ (65, 127)", "matmul", pair(rng, 129, 65, 127), visible=False, **ok),
        Case("hidden: square (96, 96) @ (96, 96)", "matmul", pair(rng, 96, 96, 96), visible=False, **ok),
        Case("hidden: long sums (48, 768) @ (768, 40)", "matmul", pair(rng, 48, 768, 40), visible=False, **ok),
        Case("timed: (1024, 1024) @ (1024, 1024)", "matmul", timing=timed(rng, 1024, 1024, 1024), visible=False),
        Case("timed: (1000, 1500) @ (1500, 700)", "matmul", timing=timed(rng, 1000, 1500, 700), visible=False),
        Case("timed: (768, 2048) @ (2048, 640)", "matmul", timing=timed(rng, 768, 2048, 640), visible=False),
    ]


def _data(arg):
    return np.asarray(arg.data, dtype=np.float64)


def _square(arg) -> bool:
    """Whether a matrix read with its strides swapped is its transpose (elsewhere the mistake reads
    past its rows, and what it computes is not a product the model can say)."""
    rows, columns = arg.data.shape
    return rows == columns


def _drifts(c, got, expected, mismatch):
    """The right dtype and shape, within 5% of the product, yet past the fp32-accumulation bar."""
    if mismatch is None or getattr(got, "array", None) is None or getattr(expected, "array", None) is None:
        return False
    g, e = np.asarray(got.array, np.float64), np.asarray(expected.array, np.float64)
    if g.shape != e.shape or not np.all(np.isfinite(g)):
        return False
    error = float(np.linalg.norm(g - e) / max(np.linalg.norm(e), 1e-30))
    return mismatch.kind == "values" and error < 0.05


def _retyped_accumulator(c, got, expected, mismatch):
    """Triton's compiler (run by the CPU sandbox too) refused a 16-bit accumulator re-typed to float32 in a loop."""
    return (
        mismatch is not None
        and mismatch.data.get("type") == "CompilationError"
        and retyped_accumulator(str(mismatch.data.get("message", "")))
    )


DIAGNOSES = [
    dx.when(
        "accumulator-retyped-in-loop",
        "Triton's GPU compiler refuses this kernel (the CPU interpreter alone would run it): a variable carried "
        "through a loop must keep its type, and your accumulator starts as a 16-bit tile that `acc += tl.dot(a, b)` "
        "turns into float32. Create it as tl.zeros(..., dtype=tl.float32) and convert once, when storing.",
        _retyped_accumulator,
    ),
    dx.alternative(
        "b-transposed",
        "Your kernel reads B as if it were stored transposed (it computes A @ Bᵀ): the element B[k, n] sits at "
        "b_ptr + k * stride_bk + n * stride_bn — pass B.stride(0) as the stride along k.",
        lambda A, B: _data(A) @ _data(B).T if _square(B) else None,  # only a square B reads transposed in place
        rules=Tolerance(rtol=2e-2, atol=5e-2),
    ),
    dx.alternative(
        "a-transposed",
        "Your kernel reads A as if it were stored transposed (it computes Aᵀ @ B): the element A[m, k] sits at "
        "a_ptr + m * stride_am + k * stride_ak.",
        lambda A, B: _data(A).T @ _data(B) if _square(A) else None,
        rules=Tolerance(rtol=2e-2, atol=5e-2),
    ),
    dx.when(
        "low-precision-accumulation",
        "The sums drift: the running sum is kept in 16 bits (bf16 has 8 bits of mantissa, float16 11). "
        "Accumulate in a float32 tile (tl.zeros(..., dtype=tl.float32)) and convert once, when storing.",
        _drifts,
        specificity=dx.VALUE,
    ),
    dx.result_dtype(
        "result-in-float32",
        "The result must have the inputs' dtype: convert the float32 accumulator when you store it "
        "(acc.to(c_ptr.dtype.element_ty)).",
        lambda A, B: "float32",
    ),
]
