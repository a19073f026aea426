"""Selective scan (Mamba S6) in PyTorch: a plain loop (the reference) and a chunked form (for training).

Semantics follow the official `selective_scan_ref` (mamba_ssm/ops/selective_scan_interface.py):
    h_t = exp(delta_t * A) * h_{t-1} + delta_t * B_t * u_t      (per channel d, state n)
    y_t = sum_n C_t[n] * h_t[d, n] + D[d] * u_t
`delta` here is already softplus(dt_proj(dt) + bias).

Shapes: u, delta [Bt, L, Di]; A [Di, N]; B, C [Bt, L, N]; D [Di]; h0 [Bt, Di, N] or None.
Both functions return (y [Bt, L, Di], h_L [Bt, Di, N]).
"""
from __future__ import annotations

import torch


def selective_scan_loop(u, delta, A, B, C, D, h0=None):
    """Token-by-token scan: the straightforward, obviously-correct reference."""
    bt, length, di = u.shape
    n = A.shape[1]
    h = torch.zeros(bt, di, n, dtype=u.dtype, device=u.device) if h0 is None else h0
    ys = []
    for t in range(length):
        d_t = delta[:, t, :, None]                       # [Bt, Di, 1]
        h = torch.exp(d_t * A) * h + (d_t * u[:, t, :, None]) * B[:, t, None, :]
        ys.append((h * C[:, t, None, :]).sum(-1))        # [Bt, Di]
    y = torch.stack(ys, dim=1) if ys else u.new_zeros(bt, 0, di)
    return y + u * D, h


def selective_scan_chunked(u, delta, A, B, C, D, h0=None, chunk: int = 8, min_log_decay: float = -8.0):
    """Chunked scan for GPU training: closed form inside chunks of `chunk` tokens, a short loop across chunks.

    Inside a chunk with cumulative log-decay c_t = sum_{s<=t} delta_s*A,
        h_t = exp(c_t) * (h_start + sum_{s<=t} exp(-c_s) * x_s).
    exp(-c_s) must not overflow in fp32, so each step's log-decay is clamped at `min_log_decay`
    (a decay below exp(-8) = 3e-4 per token is a reset either way); chunk * |min_log_decay| <= 64 keeps
    exp(-c) below 1e28. This is a training approximation; evaluation uses the exact scan.
    """
    bt, length, di = u.shape
    n = A.shape[1]
    pad = (-length) % chunk
    if pad:
        # Padding with delta = 0 and u = 0 leaves the state unchanged (decay 1, input 0).
        u = torch.nn.functional.pad(u, (0, 0, 0, pad))
        delta = torch.nn.functional.pad(delta, (0, 0, 0, pad))
        B = torch.nn.functional.pad(B, (0, 0, 0, pad))
        C = torch.nn.functional.pad(C, (0, 0, 0, pad))
    lp = length + pad
    nc = lp // chunk
    log_decay = (delta[..., None] * A).clamp(min=min_log_decay)          # [Bt, Lp, Di, N]
    x = (delta * u)[..., None] * B[:, :, None, :]                         # [Bt, Lp, Di, N]
    log_decay = log_decay.view(bt, nc, chunk, di, n)
    x = x.view(bt, nc, chunk, di, n)
    cum = log_decay.cumsum(dim=2)
    grow = torch.exp(cum)
    h_local = grow * torch.cumsum(torch.exp(-cum) * x, dim=2)            # state if the chunk started at 0
    chunk_decay = grow[:, :, -1]                                          # [Bt, nc, Di, N]
    chunk_end = h_local[:, :, -1]
    carry = torch.zeros(bt, di, n, dtype=u.dtype, device=u.device) if h0 is None else h0
    starts = []
    for k in range(nc):
        starts.append(carry)
        carry = chunk_decay[:, k] * carry + chunk_end[:, k]
    h_start = torch.stack(starts, dim=1)                                  # [Bt, nc, Di, N]
    h = h_local + grow * h_start[:, :, None]
    y = (h * C.view(bt, nc, chunk, 1, n)).sum(-1).reshape(bt, lp, di)[:, :length]
    return y + u[:, :length] * D, carry


def selective_scan(u, delta, A, B, C, D, h0=None, impl: str = "loop"):
    if impl == "loop":
        return selective_scan_loop(u, delta, A, B, C, D, h0)
    if impl == "chunked":
        return selective_scan_chunked(u, delta, A, B, C, D, h0)
    raise ValueError(f"unknown scan implementation '{impl}' (expected 'loop' or 'chunked')")
