"""The optical datapath's building blocks in PyTorch, each the mirror of a C++ function: symmetric
quantizers with std::round's halves (models/optical/quantizer.hpp), RTN weight codes
(weight_quantizer.cpp), the passes a Linear's inputs are cut into (input_chunks.cpp) and the recipes'
input transforms (workloads/quant/input_transform.cpp). Used by OpticalLinear (optical.py)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from . import hardware_config as hwc
from .hardware_config import max_code


class OpticalConfigError(ValueError):
    """A layer or config the PyTorch hardware model cannot run as the simulator would (never approximated)."""


# ------------------------------------------------------------------ quantizers (models/optical/*.hpp)
def round_half_away(x: torch.Tensor) -> torch.Tensor:
    """std::round: halves away from zero (torch.round rounds halves to even). Exact in float."""
    r = torch.trunc(x)
    return r + torch.where((x - r).abs() >= 0.5, torch.sign(x), torch.zeros_like(x))


def quantize(x: torch.Tensor, scale: torch.Tensor, levels: int) -> torch.Tensor:
    """Signed codes clamp(round(x / scale)) as float; 0 where scale <= 0 (quantizer.hpp)."""
    q = round_half_away(x / scale).clamp(-levels, levels)
    return torch.where(scale > 0, q, torch.zeros_like(q))


def light_weights(w_abs: torch.Tensor) -> torch.Tensor:
    """|weff| as the light product holds it (models/optical/light_gemm.cpp): per row, steps of the finest
    power of two 2^-s (s <= 7) that keeps the row within 127 steps, rounded half away from zero."""
    wd = w_abs.double()
    mx = wd.amax(dim=1, keepdim=True)
    shift = torch.full_like(mx, 7.0)
    for _ in range(32):  # at most 31 halvings (C++ stops at s = -24)
        too_big = (torch.floor(mx * torch.exp2(shift) + 0.5) > 127) & (shift > -24)
        if not bool(too_big.any()):
            break
        shift = shift - too_big.double()
    q = torch.floor(wd * torch.exp2(shift) + 0.5) * torch.exp2(-shift)
    return torch.where(mx > 0, q, torch.zeros_like(q)).to(w_abs.dtype)


def quantize_weights_rtn(w: torch.Tensor, bits: int, group_size: int):
    """Round-to-nearest Int-N codes and scales [M, groups] (weight_quantizer.cpp). group_size <= 0: per row."""
    m, k = w.shape
    g = min(group_size, k) if group_size > 0 else k
    groups = (k + g - 1) // g
    levels = max_code(bits)
    pad = groups * g - k
    wa = F.pad(w.abs(), (0, pad)).view(m, groups, g)
    mx = wa.amax(dim=2)
    scales = torch.where(mx > 0, mx / float(levels), torch.ones_like(mx))
    per_col = scales.repeat_interleave(g, dim=1)[:, :k]
    return quantize(w, per_col, levels), scales, g


def input_chunk_ranges(in_features: int, hw: hwc.HardwareConfig, dac_bounds: list[int]):
    """(k0, width, dac_group) of every optical pass (models/optical/input_chunks.cpp)."""
    cols = hw["weight_plane.cols"]
    cuts = {0, in_features}
    if hw["weight_plane.scale"] == "group":
        cuts.update(range(hw["weight_plane.group_size"], in_features, hw["weight_plane.group_size"]))
    if dac_bounds:
        if dac_bounds[0] != 0 or dac_bounds[-1] != in_features or sorted(dac_bounds) != list(dac_bounds):
            raise OpticalConfigError(f"input-scale groups must run 0..{in_features} in order")
        cuts.update(dac_bounds)
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        g = 0 if not dac_bounds else int(np.searchsorted(dac_bounds, a, side="right")) - 1
        for k in range(a, b, cols):
            out.append((k, min(cols, b - k), g))
    return out


# ------------------------------------------------------------------ input transforms (input_transform.cpp)
def fwht_blocks(v: torch.Tensor, block: int) -> torch.Tensor:
    """Normalised Walsh-Hadamard transform of each length-`block` segment of the last dim, in the
    simulator's butterfly order (so the float results agree)."""
    shape = v.shape
    n = shape[-1]
    a = v.reshape(-1, n // block, block)
    h = 1
    while h < block:
        a4 = a.reshape(a.shape[0], a.shape[1], block // (2 * h), 2, h)
        x, y = a4[:, :, :, 0, :], a4[:, :, :, 1, :]
        a = torch.stack([x + y, x - y], dim=3).reshape(a.shape)
        h *= 2
    norm = float(np.float32(1) / np.sqrt(np.float32(block)))
    return (a * norm).reshape(shape)


@dataclass
class InputTransform:
    smooth: torch.Tensor | None = None
    block: int = 0
    signs: torch.Tensor | None = None
    perm: torch.Tensor | None = None

    def identity(self) -> bool:
        return self.smooth is None and self.block == 0 and self.perm is None

    def _common(self, v: torch.Tensor, smooth_op) -> torch.Tensor:
        if self.smooth is not None:
            v = smooth_op(v, self.smooth.to(v.device))
        if self.block > 0:
            v = fwht_blocks(v * self.signs.to(v.device), self.block)
        if self.perm is not None:
            v = v[..., self.perm.to(v.device)]
        return v

    def apply(self, x: torch.Tensor) -> torch.Tensor:
        """x' = P Q (x / s), row by row."""
        return self._common(x, lambda v, s: v / s)

    def weight(self, w: torch.Tensor) -> torch.Tensor:
        """W' = W diag(s) Q^T P^T."""
        return self._common(w, lambda v, s: v * s)
