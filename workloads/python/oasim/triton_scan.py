"""Fused selective scan for GPU training (Triton): the exact recurrence, one kernel, state in registers.

The chunked scan (selective_scan.py) materialises [Bt, L, Di, N] tensors in several passes and clamps the
per-token decay; a token loop in PyTorch is launch-bound. Here each Triton program owns one sequence and a
block of channels, keeps h [BLOCK_D, N] in registers and walks the tokens: the same arithmetic as
`selective_scan_loop` (no clamp), so training matches the C++ scan.

Backward walks the tokens in reverse with g = dLoss/dh_t:
    g   += dy_t[:, None] * C_t                      (y_t = sum_n C_t h_t + D u_t)
    dC_t = sum_d dy_t h_t,   dD += dy_t u_t
    h_t  = a_t h_{t-1} + delta_t u_t B_t,   a_t = exp(delta_t A)
    ddelta_t = sum_n g (A a_t h_{t-1} + u_t B_t),  du_t = D dy_t + delta_t sum_n g B_t
    dB_t = sum_d g delta_t u_t,  dA += g delta_t a_t h_{t-1},  g <- a_t g
It needs h_{t-1}: the forward stores every h_t when a gradient is wanted (one layer at a time under
activation checkpointing: 4 bytes x Bt x L x Di x N). dB/dC are reduced over channel blocks from per-block
partials (deterministic, no atomics).

Only imported where Triton and CUDA exist; `available()` says whether it can be used.
"""
from __future__ import annotations

import torch

try:
    import triton
    import triton.language as tl
except ImportError:  # CPU machines (CI): the chunked/loop scans are used instead
    triton = None


def available() -> bool:
    return triton is not None and torch.cuda.is_available()


BLOCK_D = 32

if triton is not None:

    @triton.jit
    def _scan_fwd(u_ptr, dl_ptr, A_ptr, B_ptr, C_ptr, D_ptr, h0_ptr, y_ptr, hlast_ptr, hs_ptr,
                  L, DI,
                  HAS_H0: tl.constexpr, SAVE: tl.constexpr, BLOCK: tl.constexpr, N: tl.constexpr):
        b = tl.program_id(0)
        offs_d = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
        offs_n = tl.arange(0, N)
        md = offs_d < DI
        dn = offs_d[:, None] * N + offs_n[None, :]
        md2 = md[:, None]
        A = tl.load(A_ptr + dn, mask=md2, other=0.0)
        Dv = tl.load(D_ptr + offs_d, mask=md, other=0.0)
        if HAS_H0:
            h = tl.load(h0_ptr + b * DI * N + dn, mask=md2, other=0.0)
        else:
            h = tl.zeros([BLOCK, N], dtype=tl.float32)
        row = b * L * DI
        rown = b * L * N
        for t in range(L):
            u = tl.load(u_ptr + row + t * DI + offs_d, mask=md, other=0.0)
            dl = tl.load(dl_ptr + row + t * DI + offs_d, mask=md, other=0.0)
            Bt = tl.load(B_ptr + rown + t * N + offs_n)
            Ct = tl.load(C_ptr + rown + t * N + offs_n)
            h = tl.exp(dl[:, None] * A) * h + (dl * u)[:, None] * Bt[None, :]
            y = tl.sum(h * Ct[None, :], axis=1) + Dv * u
            tl.store(y_ptr + row + t * DI + offs_d, y, mask=md)
            if SAVE:
                tl.store(hs_ptr + (b * L + t).to(tl.int64) * DI * N + dn, h, mask=md2)
        tl.store(hlast_ptr + b * DI * N + dn, h, mask=md2)

    @triton.jit
    def _scan_bwd(u_ptr, dl_ptr, A_ptr, B_ptr, C_ptr, D_ptr, h0_ptr, hs_ptr, dy_ptr, dhl_ptr,
                  du_ptr, ddl_ptr, dA_ptr, dB_ptr, dC_ptr, dD_ptr, dh0_ptr,
                  L, DI, BT,
                  HAS_H0: tl.constexpr, BLOCK: tl.constexpr, N: tl.constexpr):
        b = tl.program_id(0)
        pd = tl.program_id(1)
        offs_d = pd * BLOCK + tl.arange(0, BLOCK)
        offs_n = tl.arange(0, N)
        md = offs_d < DI
        dn = offs_d[:, None] * N + offs_n[None, :]
        md2 = md[:, None]
        A = tl.load(A_ptr + dn, mask=md2, other=0.0)
        Dv = tl.load(D_ptr + offs_d, mask=md, other=0.0)
        g = tl.load(dhl_ptr + b * DI * N + dn, mask=md2, other=0.0)
        if HAS_H0:
            h0 = tl.load(h0_ptr + b * DI * N + dn, mask=md2, other=0.0)
        else:
            h0 = tl.zeros([BLOCK, N], dtype=tl.float32)
        dA_acc = tl.zeros([BLOCK, N], dtype=tl.float32)
        dD_acc = tl.zeros([BLOCK], dtype=tl.float32)
        row = b * L * DI
        rown = b * L * N
        part = (pd * BT + b) * L * N          # this block's partial dB/dC rows
        for i in range(L):
            t = L - 1 - i
            u = tl.load(u_ptr + row + t * DI + offs_d, mask=md, other=0.0)
            dl = tl.load(dl_ptr + row + t * DI + offs_d, mask=md, other=0.0)
            dy = tl.load(dy_ptr + row + t * DI + offs_d, mask=md, other=0.0)
            Bt = tl.load(B_ptr + rown + t * N + offs_n)
            Ct = tl.load(C_ptr + rown + t * N + offs_n)
            h_t = tl.load(hs_ptr + (b * L + t).to(tl.int64) * DI * N + dn, mask=md2, other=0.0)
            # h_{t-1}: the stored state, or h0 at t = 0 (the masked load reads nothing there).
            h_prev = tl.load(hs_ptr + (b * L + t - 1).to(tl.int64) * DI * N + dn, mask=md2 & (t > 0), other=0.0)
            h_prev = tl.where(t > 0, h_prev, h0)
            g += dy[:, None] * Ct[None, :]
            tl.store(dC_ptr + part + t * N + offs_n, tl.sum(dy[:, None] * h_t, axis=0))
            dD_acc += dy * u
            a = tl.exp(dl[:, None] * A)
            gah = g * a * h_prev
            gB = tl.sum(g * Bt[None, :], axis=1)
            tl.store(ddl_ptr + row + t * DI + offs_d, tl.sum(gah * A, axis=1) + u * gB, mask=md)
            tl.store(du_ptr + row + t * DI + offs_d, Dv * dy + dl * gB, mask=md)
            tl.store(dB_ptr + part + t * N + offs_n, tl.sum(g * (dl * u)[:, None], axis=0))
            dA_acc += gah * dl[:, None]
            g = g * a
        tl.store(dh0_ptr + b * DI * N + dn, g, mask=md2)
        tl.store(dA_ptr + b * DI * N + dn, dA_acc, mask=md2)
        tl.store(dD_ptr + b * DI + offs_d, dD_acc, mask=md)


class _TritonScan(torch.autograd.Function):
    @staticmethod
    def forward(ctx, u, delta, A, B, C, D, h0):
        bt, length, di = u.shape
        n = A.shape[1]
        u, delta, A, B, C, D = (t.contiguous().float() for t in (u, delta, A, B, C, D))
        has_h0 = h0 is not None
        h0c = h0.contiguous().float() if has_h0 else u.new_zeros(1)
        save = any(ctx.needs_input_grad)  # (grad mode is always off inside forward)
        y = torch.empty_like(u)
        hlast = u.new_empty(bt, di, n)
        hs = u.new_empty(bt, length, di, n) if save else u.new_empty(1)
        grid = (bt, triton.cdiv(di, BLOCK_D))
        _scan_fwd[grid](u, delta, A, B, C, D, h0c, y, hlast, hs, length, di,
                        HAS_H0=has_h0, SAVE=save, BLOCK=BLOCK_D, N=n, num_warps=1)
        ctx.has_h0 = has_h0
        ctx.save_for_backward(u, delta, A, B, C, D, h0c, hs)
        return y, hlast

    @staticmethod
    def backward(ctx, dy, dhlast):
        u, delta, A, B, C, D, h0c, hs = ctx.saved_tensors
        bt, length, di = u.shape
        n = A.shape[1]
        nblk = triton.cdiv(di, BLOCK_D)
        dy = dy.contiguous().float()
        dhlast = torch.zeros(bt, di, n, device=u.device) if dhlast is None else dhlast.contiguous().float()
        du, ddelta = torch.empty_like(u), torch.empty_like(u)
        dA = u.new_empty(bt, di, n)
        dB = u.new_empty(nblk, bt, length, n)
        dC = u.new_empty(nblk, bt, length, n)
        dD = u.new_empty(bt, di)
        dh0 = u.new_empty(bt, di, n)
        _scan_bwd[(bt, nblk)](u, delta, A, B, C, D, h0c, hs, dy, dhlast,
                              du, ddelta, dA, dB, dC, dD, dh0, length, di, bt,
                              HAS_H0=ctx.has_h0, BLOCK=BLOCK_D, N=n, num_warps=1)
        return du, ddelta, dA.sum(0), dB.sum(0), dC.sum(0), dD.sum(0), (dh0 if ctx.has_h0 else None)


def selective_scan_triton(u, delta, A, B, C, D, h0=None):
    """Same contract as selective_scan_loop: returns (y [Bt, L, Di], h_L [Bt, Di, N])."""
    if not available():
        raise RuntimeError("the Triton scan needs CUDA and the triton package")
    if A.shape[1] & (A.shape[1] - 1):
        raise ValueError(f"the Triton scan needs d_state a power of two (got {A.shape[1]})")
    return _TritonScan.apply(u, delta, A, B, C, D, h0)
