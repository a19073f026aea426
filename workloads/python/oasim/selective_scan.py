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


def _chunk_local(u, delta, A, B, chunk: int, min_log_decay: float):
    """Inside each chunk, from a zero start: h_t = grow_t * S_t with grow_t = exp(c_t) and
    S_t = sum_{s<=t} exp(-c_s) x_s. Returns grow, S as [Bt, nc, chunk, Di, N]."""
    bt, lp, di = u.shape
    n = A.shape[1]
    nc = lp // chunk
    log_decay = (delta[..., None] * A).clamp(min=min_log_decay).view(bt, nc, chunk, di, n)
    x = ((delta * u)[..., None] * B[:, :, None, :]).view(bt, nc, chunk, di, n)
    cum = log_decay.cumsum(dim=2)
    return torch.exp(cum), torch.cumsum(torch.exp(-cum) * x, dim=2)


def _chunk_output(grow, S, h_start, C, chunk: int):
    bt, nc, _, di, n = grow.shape
    h = grow * (S + h_start[:, :, None])
    return (h * C.view(bt, nc, chunk, 1, n)).sum(-1).reshape(bt, nc * chunk, di)


# torch.compile'd versions of the two pieces (fusing their elementwise passes), set by enable_compile().
_local_fn, _output_fn = _chunk_local, _chunk_output


def enable_compile() -> bool:
    """Compile the chunk pieces with torch.compile where it exists (torch >= 2); returns whether it did."""
    global _local_fn, _output_fn
    if not hasattr(torch, "compile"):
        return False
    _local_fn = torch.compile(_chunk_local, dynamic=False)
    _output_fn = torch.compile(_chunk_output, dynamic=False)
    return True


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
    nc = (length + pad) // chunk
    grow, S = _local_fn(u, delta, A, B, chunk, min_log_decay)
    # unbind, not per-step indexing: the backward of each index into a view of a large tensor would
    # materialise a zero-filled gradient of the whole tensor, once per chunk.
    chunk_decay = grow[:, :, -1].unbind(1)                                # nc x [Bt, Di, N]
    chunk_end = (grow[:, :, -1] * S[:, :, -1]).unbind(1)
    carry = torch.zeros(bt, di, n, dtype=u.dtype, device=u.device) if h0 is None else h0
    starts = []
    for k in range(nc):
        starts.append(carry)
        carry = chunk_decay[k] * carry + chunk_end[k]
    h_start = torch.stack(starts, dim=1)                                  # [Bt, nc, Di, N]
    y = _output_fn(grow, S, h_start, C, chunk)[:, :length]
    return y + u[:, :length] * D, carry


def selective_scan(u, delta, A, B, C, D, h0=None, impl: str = "loop"):
    if impl == "loop":
        return selective_scan_loop(u, delta, A, B, C, D, h0)
    if impl == "chunked":
        return selective_scan_chunked(u, delta, A, B, C, D, h0)
    if impl == "triton":
        from .triton_scan import selective_scan_triton
        return selective_scan_triton(u, delta, A, B, C, D, h0)
    raise ValueError(f"unknown scan implementation '{impl}' (expected 'loop', 'chunked' or 'triton')")
