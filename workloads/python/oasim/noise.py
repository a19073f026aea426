"""The simulator's detector-noise generator in PyTorch, draw for draw (sim/common/noise_stream.cpp).

Philox-4x32-10 (Salmon et al., SC'11; Random123's constants) keyed by a site's 64-bit stream key, with
the sample index as the counter: counter c = (c0, c1, 0, 0), c0/c1 the low/high 32 bits of c, gives
samples 4c .. 4c+3 by two Box-Muller pairs, (x0, x1) -> samples 0, 1 and (x2, x3) -> samples 2, 3.
Sample i is therefore the same number whoever draws it and in whatever pieces, which is what lets
PyTorch and C++ give the same noisy outputs, not just the same noise distribution.

Torch has no uint32: words live in int64 tensors below 2^32, masked back after every operation (same
code on CPU and CUDA). The Box-Muller
arithmetic is float32 like the C++ (Eigen's log/sin/cos may differ from torch's by an ulp: equal
"up to float rounding").
"""
from __future__ import annotations

import contextlib
import math
import threading

import torch

from .mfm import splitmix64  # the one Python copy of sim/common/rng.hpp's mixer

# ------------------------------------------------------------------ stream keys (sim/common/rng.hpp)
_M64 = (1 << 64) - 1
_M32 = 0xFFFFFFFF


def stream_seed(run_seed: int, path: str) -> int:
    """FNV-1a over the path mixed with the seed: the simulator's per-component stream seed."""
    h = 0xCBF29CE484222325
    for c in path.encode():
        h = ((h ^ c) * 0x100000001B3) & _M64
    return splitmix64(((run_seed & _M64) ^ splitmix64(h)) & _M64)


# ------------------------------------------------------------------ Philox-4x32-10
_M0, _M1, _W0, _W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85


def _mul32(m: int, x: torch.Tensor):
    """(low, high) 32-bit words of m * x for m, x < 2^32. The product can pass 2^63 and wrap in int64
    (two's complement on CPU and CUDA); its low 64 bits are still exact, so masking recovers both words.
    Twice as fast as splitting x into 16-bit halves; the known-answer test checks it on the device used."""
    p = m * x
    return p & _M32, (p >> 32) & _M32


def philox4x32_10(counter: torch.Tensor, key: tuple[int, int]) -> torch.Tensor:
    """Philox-4x32-10 of counters [..., 4] (int64 words < 2^32) under key (k0, k1): words [..., 4]."""
    x0, x1, x2, x3 = (counter[..., i].to(torch.int64) for i in range(4))
    k0, k1 = key[0] & _M32, key[1] & _M32
    for _ in range(10):
        lo0, hi0 = _mul32(_M0, x0)
        lo1, hi1 = _mul32(_M1, x2)
        x0, x1, x2, x3 = hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0
        k0, k1 = (k0 + _W0) & _M32, (k1 + _W1) & _M32
    return torch.stack([x0, x1, x2, x3], dim=-1)


def _unit_open(r: torch.Tensor) -> torch.Tensor:
    """A uniform strictly inside (0, 1) from the top 23 bits (exact in float32, so log stays finite)."""
    return ((r >> 9).to(torch.float32) + 0.5) * 2.0 ** -23


_TWO_PI = torch.tensor(2.0 * math.pi, dtype=torch.float32)   # float(2 * M_PI), rounded once as in C++


def philox_normals(key: int, first: int, n: int, device=None) -> torch.Tensor:
    """Samples first .. first + n - 1 of stream `key` (N(0, 1), float32 [n]), the C++ philox_normals."""
    if n <= 0:
        return torch.zeros(0, dtype=torch.float32, device=device)
    c_lo, c_hi = first // 4, (first + n - 1) // 4
    c = torch.arange(c_lo, c_hi + 1, dtype=torch.int64, device=device)
    zero = torch.zeros_like(c)
    x = philox4x32_10(torch.stack([c & _M32, c >> 32, zero, zero], dim=-1), (key & _M32, (key >> 32) & _M32))
    u = _unit_open(x[:, 0::2])                     # radii from x0, x2
    v = _unit_open(x[:, 1::2]) * _TWO_PI.to(c.device)   # angles from x1, x3
    r = (-2.0 * torch.log(u)).sqrt()
    z = torch.stack([r * torch.cos(v), r * torch.sin(v)], dim=-1)   # [counters, pair, (cos, sin)]
    start = first - 4 * c_lo
    return z.reshape(-1)[start:start + n]


class PhiloxNoiseStream:
    """One site's detector-noise stream: hands out consecutive samples, like C++ NoiseStream."""

    def __init__(self, key: int, position: int = 0):
        self.key, self.position = key, position

    def fill(self, n: int, device=None) -> torch.Tensor:
        z = philox_normals(self.key, self.position, n, device)
        self.position += n
        return z

    def seek(self, position: int) -> None:
        """Continue where a saved run stopped (C++ NoiseStream::seek)."""
        self.position = position


# ------------------------------------------------------------------ how a forward's rows map to device calls
# The device draws noise per call of a Linear site: per optical pass, an L x M block for the call's L
# rows. PyTorch often runs what the device runs as several calls in one (a stream model's T frames, a
# batch of B clips), which with several passes would lay the samples out differently. A model says how
# many equal, consecutive row blocks its forward stands for; OpticalLinear then draws each block's noise
# as a separate device call, in order (so element b of a batch gets what the device would draw running
# the elements one after another on one stream).
_calls = threading.local()


@contextlib.contextmanager
def device_calls(n: int):
    """Within this block, every OpticalLinear call's rows are `n` consecutive device calls of equal size."""
    old = getattr(_calls, "n", None)
    _calls.n = n
    try:
        yield
    finally:
        _calls.n = old


def current_device_calls() -> int | None:
    return getattr(_calls, "n", None)
