# expect: accumulator-retyped-in-loop
# The output accumulator starts in q's 16-bit dtype and the loop's float32 update re-types it: Triton's CPU
# interpreter promotes it and passes every case; the compiler refuses the kernel for a GPU.
import math

import torch
import triton
import triton.language as tl


@triton.jit
def _attention_kernel(
    q_ptr,
    k_ptr,
    v_ptr,
    o_ptr,
    T,
    H,
    scale,
    sqb,
    sqh,
    sqt,
    sqd,
    skb,
    skh,
    skt,
    skd,
    svb,
    svh,
    svt,
    svd,
    sob,
    soh,
    sot,
    sod,
    D: tl.constexpr,
    BLOCK_Q: tl.constexpr,
    BLOCK_K: tl.constexpr,
    CAUSAL: tl.constexpr,
):
    # One program: BLOCK_Q queries of one (batch, head). Keys stream past in blocks; the softmax is
    # computed online (running max m, running sum l) so the (T, T) scores never exist in memory.
    block = tl.program_id(0)
    bh = tl.program_id(1)
    b = bh // H
    h = bh % H
    rows = block * BLOCK_Q + tl.arange(0, BLOCK_Q)
    dims = tl.arange(0, D)
    q = tl.load(
        q_ptr + b * sqb + h * sqh + rows[:, None] * sqt + dims[None, :] * sqd, mask=rows[:, None] < T, other=0.0
    )
    m = tl.full((BLOCK_Q,), float("-inf"), dtype=tl.float32)
    l = tl.zeros((BLOCK_Q,), dtype=tl.float32)
    acc = tl.zeros((BLOCK_Q, D), dtype=q.dtype)  # 16 bits, like q
    end = tl.minimum((block + 1) * BLOCK_Q, T) if CAUSAL else T
    for start in range(0, end, BLOCK_K):
        cols = start + tl.arange(0, BLOCK_K)
        k = tl.load(
            k_ptr + b * skb + h * skh + cols[:, None] * skt + dims[None, :] * skd, mask=cols[:, None] < T, other=0.0
        )
        v = tl.load(
            v_ptr + b * svb + h * svh + cols[:, None] * svt + dims[None, :] * svd, mask=cols[:, None] < T, other=0.0
        )
        s = tl.dot(q, tl.trans(k)) * scale
        keep = cols[None, :] < T
        if CAUSAL:
            keep = keep & (cols[None, :] <= rows[:, None])
        s = tl.where(keep, s, float("-inf"))
        m_new = tl.maximum(m, tl.max(s, axis=1))
        alpha = tl.exp(m - m_new)
        p = tl.exp(s - m_new[:, None])
        l = l * alpha + tl.sum(p, axis=1)
        acc = acc * alpha[:, None] + tl.dot(p.to(v.dtype), v)
        m = m_new
    out = acc / l[:, None]
    tl.store(
        o_ptr + b * sob + h * soh + rows[:, None] * sot + dims[None, :] * sod,
        out.to(o_ptr.dtype.element_ty),
        mask=rows[:, None] < T,
    )


def attention(q, k, v, causal=True):
    B, H, T, D = q.shape
    if D not in (16, 32, 64, 128):
        raise ValueError(f"head size {D}: this kernel takes 16, 32, 64 or 128")
    o = torch.empty_like(q)
    block_q, block_k = (128, 64) if q.is_cuda else (64, 64)
    grid = (triton.cdiv(T, block_q), B * H)
    options = {"num_warps": 4 if D <= 64 else 8, "num_stages": 2} if q.is_cuda else {}
    _attention_kernel[grid](
        q,
        k,
        v,
        o,
        T,
        H,
        1.0 / math.sqrt(D),
        *q.stride(),
        *k.stride(),
        *v.stride(),
        *o.stride(),
        D=D,
        BLOCK_Q=block_q,
        BLOCK_K=block_k,
        CAUSAL=bool(causal),
        **options,
    )
    return o
