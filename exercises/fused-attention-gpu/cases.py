"""Cases for fused-attention-gpu: bf16 (B, H, T, d) on the GPU, causal by default; timed on a GPU only.

Built for the GPU. Without a GPU the grader runs the untimed cases in float16 on the
CPU through Triton's interpreter (grader/gpu.py); the accuracy bar follows the dtype
the result came back in. Inputs are multiples of 1/32 (exact in bf16 and float16).
"""

import numpy as np

from grader import diagnosis as dx
from grader.cases import Case, TensorArg, Timing
from grader.compare import Mismatch, Tolerance, compare
from grader.harness.triton_frontend import retyped_accumulator

REPETITIONS = 4  # per timed shape, each on fresh inputs; the returned outputs must fit the result limit
WARMUPS = 2
EPS = {"bfloat16": 2.0**-7, "float16": 2.0**-10, "float32": 2.0**-23}
# Relative Frobenius error allowed, in units of the output dtype's epsilon. A float32 running sum with the
# probabilities cast to the input dtype for the second product (what fast kernels do) measures 0.1-0.26 eps;
# accumulators kept in the input dtype measure 0.43-0.82 eps on these cases.
FROBENIUS_EPS = 0.35
ELEMENT_EPS = 8.0


def grid(rng, shape, positive=False):
    values = rng.uniform(0.0, 4.0, shape) if positive else np.clip(rng.standard_normal(shape), -4.0, 4.0)
    return np.round(values * 32.0) / 32.0


def quick(rng, shape):
    """Timed inputs: uniform multiples of 1/32 in [-4, 4], drawn straight as float16 (millions of them)."""
    return (rng.integers(-128, 129, shape, dtype=np.int16) / np.float16(32)).astype(np.float16)


def gpu(array):
    return TensorArg(np.asarray(array, dtype=np.float32), dtype="bfloat16", device="cuda")


def qkv(rng, shape, positive_v=False):
    return (gpu(grid(rng, shape)), gpu(grid(rng, shape)), gpu(grid(rng, shape, positive_v)))


def accurate(got, expected, case):
    """Structure exactly, then values to the accuracy of a float32 running sum."""
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
            f"The output is not accurate enough for {dtype}: relative error {error:.2e} "
            f"(at most {FROBENIUS_EPS * eps:.1e}).",
            detail="Keep the running maximum, the running sum and the output accumulator in float32.",
        )
    return None


def timed(rng, shape):
    sets = tuple(
        tuple(TensorArg(quick(rng, shape), dtype="bfloat16", device="cuda") for _ in range(3))
        for _ in range(REPETITIONS + WARMUPS)
    )
    b, h, t, d = shape
    # Causal: about half the (T, T) scores; two products of 2 T T d each, halved.
    return Timing(
        arg_sets=sets[WARMUPS:],
        warmup_sets=sets[:WARMUPS],
        flops=2.0 * b * h * t * t * d,
        bytes_moved=2.0 * 4 * b * h * t * d,
    )


def build_cases(rng):
    ok = {"check": accurate}
    causal = {"causal": True}
    return [
        Case(
            "causal (1, 2, 64, 32)",
            "attention",
            qkv(rng, (1, 2, 64, 32)),
            causal,
            **ok,
            explain="Query t sees keys 0..t only.",
        ),
        Case(
            "edges: causal (2, 2, 100, 64)",
            "attention",
            qkv(rng, (2, 2, 100, 64)),
            causal,
            **ok,
            explain="T = 100 is not a multiple of a power-of-two block: mask rows and keys past the end.",
        ),
        Case(
            "not causal (1, 2, 80, 32)",
            "attention",
            qkv(rng, (1, 2, 80, 32)),
            {"causal": False},
            **ok,
            explain="causal=False: every query sees every key.",
        ),
        Case(
            "long: causal (1, 1, 1024, 32), values in [0, 4]",
            "attention",
            qkv(rng, (1, 1, 1024, 32), positive_v=True),
            causal,
            **ok,
            explain="Many key blocks: accumulators kept in 16 bits drift visibly here.",
        ),
        Case("hidden: one query (1, 1, 1, 16)", "attention", qkv(rng, (1, 1, 1, 16)), causal, visible=False, **ok),
        Case("hidden: causal (2, 3, 77, 64)", "attention", qkv(rng, (2, 3, 77, 64)), causal, visible=False, **ok),
        Case(
            "hidden: default is causal (1, 2, 96, 32)",
            "attention",
            qkv(rng, (1, 2, 96, 32)),
            visible=False,
            **ok,
        ),
        Case(
            "hidden: long, not causal (1, 1, 600, 32)",
            "attention",
            qkv(rng, (1, 1, 600, 32), positive_v=True),
            {"causal": False},
            visible=False,
            **ok,
        ),
        Case("timed: (2, 8, 1024, 64)", "attention", timing=timed(rng, (2, 8, 1024, 64)), visible=False),
        Case("timed: (1, 16, 1000, 64)", "attention", timing=timed(rng, (1, 16, 1000, 64)), visible=False),
        Case("timed: (1, 4, 2048, 128)", "attention", timing=timed(rng, (1, 4, 2048, 128)), visible=False),
    ]


def _data(arg):
    return np.asarray(arg.data, dtype=np.float64)


def reference_attention(q, k, v, causal=True, scale=True, allowed=None, pad_keys_to=None):
    """Attention in float64 with a choice of mistakes (trusted; used by the diagnoses).

    ``scale``: True (1/√d), False (none) or "d" (1/d). ``pad_keys_to``: keys past T, up to a multiple of
    this block size, left unmasked as zeros (a score of 0 and a value of 0 each)."""
    q, k, v = _data(q), _data(k), _data(v)
    T = k.shape[-2]
    if pad_keys_to:
        extra = -T % pad_keys_to
        pad = [(0, 0)] * (k.ndim - 2) + [(0, extra), (0, 0)]
        k, v = np.pad(k, pad), np.pad(v, pad)
    scores = q @ np.swapaxes(k, -1, -2)
    if scale == "d":
        scores = scores / q.shape[-1]
    elif scale:
        scores = scores / np.sqrt(q.shape[-1])
    if allowed is None and causal:
        allowed = np.tril(np.ones(scores.shape[-2:], bool))  # padded keys come after every query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    with np.errstate(invalid="ignore"):
        weights = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
        return weights / weights.sum(axis=-1, keepdims=True) @ v


ONE_BLOCK = 64  # the query and key tiles of the kernels this exercise teaches


def _reversed_mask(q, k, v, causal=True):
    if not causal:
        return None
    T = _data(q).shape[-2]
    if T > ONE_BLOCK:  # past one tile, a kernel that skips the tiles its (reversed) mask never visits leaves
        return None  # whole rows with no key (NaN): what it computes there is not attention the model can say
    return reference_attention(q, k, v, allowed=np.triu(np.ones((T, T), bool)))


# What 16-bit accumulators measure on these cases, in units of the output dtype's epsilon (see
# FROBENIUS_EPS): 0.43-0.82. The window names drift only there, with a margin: a larger error is
# another mistake's (a 1/d scale, unmasked padding keys), never "16 bits".
DRIFT_EPS = (FROBENIUS_EPS, 1.5)


def _drifts(c, got, expected, mismatch):
    if mismatch is None or mismatch.kind != "values":
        return False
    if getattr(got, "array", None) is None or getattr(expected, "array", None) is None:
        return False
    g, e = np.asarray(got.array, np.float64), np.asarray(expected.array, np.float64)
    if g.shape != e.shape or not np.all(np.isfinite(g)):
        return False
    eps = EPS.get(str(expected.dtype), EPS["float32"])
    error = float(np.linalg.norm(g - e) / max(np.linalg.norm(e), 1e-30))
    return DRIFT_EPS[0] * eps < error <= DRIFT_EPS[1] * eps


LOOSE = Tolerance(rtol=2e-2, atol=3e-2)
# A bfloat16 output against the float64 model: half an ulp of rounding, and a float32 running sum.
BF16 = Tolerance(rtol=1e-2, atol=1e-2)


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
        "through a loop must keep its type, and your output accumulator starts as a 16-bit tile that the loop "
        "makes float32. Create it as tl.zeros(..., dtype=tl.float32) and convert once, when storing.",
        _retyped_accumulator,
    ),
    dx.alternative(
        "causal-mask-reversed",
        "The causal mask keeps the wrong triangle: query t must see keys 0..t (key index <= query index), "
        "not the keys after it.",
        _reversed_mask,
        rules=LOOSE,
    ),
    dx.alternative(
        "causal-ignored",
        "causal=True was ignored: every query attends to every key. Mask the scores of keys after the "
        "query to -inf before the softmax.",
        lambda q, k, v, causal=True: reference_attention(q, k, v, causal=False) if causal else None,
        rules=LOOSE,
    ),
    dx.alternative(
        "no-scale",
        "The scores are not scaled: divide q·k by √d (the head size) before the softmax.",
        lambda q, k, v, causal=True: reference_attention(q, k, v, causal=causal, scale=False),
        rules=LOOSE,
    ),
    dx.alternative(
        "scaled-by-d",
        "The scores are divided by d; the scale is 1/√d (d = the head size, q.shape[-1]).",
        lambda q, k, v, causal=True: reference_attention(q, k, v, causal=causal, scale="d"),
        rules=LOOSE,
    ),
    *(
        dx.alternative(
            "key-padding-unmasked",
            "Keys past T take part in the softmax: the last key block reads past the end (as zeros, a score "
            "of 0). Mask the scores of keys >= T to -inf, as well as the loads.",
            lambda q, k, v, causal=True, block=block: (
                None
                if causal or _data(k).shape[-2] % block == 0
                else reference_attention(q, k, v, causal=False, pad_keys_to=block)
            ),
            rules=BF16,
        )
        for block in (16, 32, 64, 128)
    ),
    dx.when(
        "low-precision-accumulation",
        "The output drifts: the running sum or the output accumulator is kept in 16 bits. Keep m, l and the "
        "accumulator in float32 (tl.zeros(..., dtype=tl.float32)) and convert once, when storing.",
        _drifts,
        specificity=dx.VALUE,
    ),
    dx.nonfinite(
        "nan-rows",
        "Some outputs are NaN: a row whose scores are all -inf (a query that sees no key) divides 0 by 0. "
        "Every query sees at least itself (key t for query t); mask only keys after the query, and keys >= T.",
    ),
]
