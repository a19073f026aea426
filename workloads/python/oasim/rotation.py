"""The offline residual-stream rotation of the simulator's `residual_rotation` recipe key, in PyTorch.

QuaRot-style (Ashkboos et al. 2024): every RMSNorm weight is folded into the Linear that reads it, and
the residual stream is multiplied by an orthogonal Q (a randomized Hadamard matrix), which RMSNorm
leaves unchanged. The rotated model computes the same function in fp32, but its in_proj / head inputs
and out_proj / patch-embedding outputs have their outliers spread over all channels, which Int4 codes
and the ADC ranges fit better. The simulator applies it while it runs a recipe
(workloads/quant/residual_rotation.cpp); here it writes a plain model file, so that a rotated model can
be fine-tuned through the hardware (train.py --hw) and read by the simulator without the recipe.

Q is built exactly as the C++ builds it (Paley-I x Sylvester Hadamard, signs from splitmix64 of the
seed), in float64, and rounded to float32 once per matrix, as there."""

from __future__ import annotations

import numpy as np
import torch

from .mfm import splitmix64
from .videomamba import ModelConfig


def _is_prime(q: int) -> bool:
    return q >= 2 and all(q % d for d in range(2, int(q ** 0.5) + 1))


def _paley(q: int) -> np.ndarray:
    """Paley construction I, order q + 1 for a prime q = 3 mod 4 (the C++ paley())."""
    chi = np.full(q, -1.0)
    chi[0] = 0
    for x in range(1, q):
        chi[(x * x) % q] = 1
    s = np.zeros((q + 1, q + 1))
    s[0, 1:] = 1
    s[1:, 0] = -1
    for i in range(1, q + 1):
        for j in range(1, q + 1):
            s[i, j] = chi[((j - i) % q + q) % q]
    return np.eye(q + 1) + s


def _sylvester(n: int) -> np.ndarray:
    h = np.ones((1, 1))
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h


def _power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def hadamard_matrix(n: int) -> np.ndarray | None:
    """An n x n Hadamard matrix (entries +-1) for n = 2^k or n = m 2^k with m - 1 a prime = 3 mod 4."""
    if _power_of_two(n):
        return _sylvester(n)
    for m in range(4, n + 1, 4):
        if n % m == 0 and _power_of_two(n // m) and _is_prime(m - 1) and (m - 1) % 4 == 3:
            return np.kron(_paley(m - 1), _sylvester(n // m))
    return None


def residual_rotation_matrix(d: int, seed: int) -> np.ndarray:
    """The orthogonal d x d Q of `residual_rotation: {seed: S}` (float64), as the simulator draws it."""
    h = hadamard_matrix(d)
    if h is None:  # block-diagonal Sylvester blocks of the largest power of two dividing d
        b = 1
        while d % (2 * b) == 0:
            b *= 2
        h = np.kron(np.eye(d // b), _sylvester(b) / np.sqrt(b) * np.sqrt(d))
    mask = (1 << 64) - 1
    signs = np.array([1.0 if splitmix64((seed ^ splitmix64((i + 0x5157) & mask)) & mask) & 1 else -1.0
                      for i in range(d)])
    return h * signs[None, :] / np.sqrt(d)


def rotate_residual(cfg: ModelConfig, state_dict: dict, q: np.ndarray) -> dict:
    """The state dict of the rotated model: rows of the residual stream r become r Q^T; a producer
    y = x W^T + b becomes (Q W, Q b); a consumer of RMSNorm(r) * g becomes W diag(g) Q^T reading a
    unit-weight RMSNorm. Everything else is copied."""
    d = cfg.embed_dim
    if q.shape != (d, d):
        raise ValueError(f"residual rotation is {q.shape[0]}x{q.shape[1]}, the model width is {d}")
    q64 = torch.from_numpy(np.asarray(q, dtype=np.float64))
    out = {k: v.clone() for k, v in state_dict.items()}

    def f32(t: torch.Tensor) -> torch.Tensor:
        return t.to(torch.float32)

    def rotate_producer(key_w: str, key_b: str | None):
        w = out[key_w].double()
        out[key_w] = f32((q64 @ w.reshape(w.shape[0], -1)).reshape(w.shape))
        if key_b and key_b in out:
            out[key_b] = f32(q64 @ out[key_b].double())

    def fold_consumer(key_w: str, key_norm: str):
        out[key_w] = f32(out[key_w].double() * out[key_norm].double()[None, :] @ q64.T)
        out[key_norm] = torch.ones_like(out[key_norm])

    def rotate_rows(key: str):
        if key in out:
            t = out[key].double()
            out[key] = f32((t.reshape(-1, d) @ q64.T).reshape(t.shape))

    rotate_producer("patch_embed.proj.weight", "patch_embed.proj.bias")
    rotate_rows("cls_token")
    rotate_rows("pos_embed")
    rotate_rows("temporal_pos_embedding")
    for i in range(cfg.depth):
        fold_consumer(f"layers.{i}.mixer.in_proj.weight", f"layers.{i}.norm.weight")
        rotate_producer(f"layers.{i}.mixer.out_proj.weight", f"layers.{i}.mixer.out_proj.bias")
    fold_consumer("head.weight", "norm_f.weight")
    return out
