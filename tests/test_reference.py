#!/usr/bin/python3
"""The PyTorch reference's own checks: the chunked training scan equals the loop scan, and streaming
with carried state equals one call, in float64."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "workloads", "python"))

import torch  # noqa: E402

from oasim.selective_scan import selective_scan_chunked, selective_scan_loop  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config  # noqa: E402

results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(f"{'PASS' if cond else 'FAIL'} {name} {detail}")


g = torch.Generator().manual_seed(0)
bt, length, di, n = 2, 37, 8, 16
u = torch.randn(bt, length, di, generator=g, dtype=torch.float64)
delta = torch.rand(bt, length, di, generator=g, dtype=torch.float64) * 0.2
A = -torch.rand(di, n, generator=g, dtype=torch.float64) * 8
B = torch.randn(bt, length, n, generator=g, dtype=torch.float64)
C = torch.randn(bt, length, n, generator=g, dtype=torch.float64)
D = torch.randn(di, generator=g, dtype=torch.float64)
h0 = torch.randn(bt, di, n, generator=g, dtype=torch.float64)
y1, h1 = selective_scan_loop(u, delta, A, B, C, D, h0)
y2, h2 = selective_scan_chunked(u, delta, A, B, C, D, h0)
err = max((y1 - y2).abs().max().item(), (h1 - h2).abs().max().item())
check("chunked scan equals the loop (no clamping active)", err < 1e-10, f"max error {err:.2e}")

# Gradients flow through the chunked scan (training uses it).
u.requires_grad_(True)
y, _ = selective_scan_chunked(u, delta, A, B, C, D, h0)
y.sum().backward()
check("chunked scan is differentiable", u.grad is not None and torch.isfinite(u.grad).all().item())

cfg = tiny_config("videomamba-stream", num_frames=5)
m = init_random_(VideoMamba(cfg).double(), 4).eval()
video = torch.randn(1, 3, 5, 32, 32, generator=g, dtype=torch.float64)
with torch.no_grad():
    whole = m(video)
    states, parts = None, []
    for t in range(5):
        lo, states = m.forward_stream(video[:, :, t:t + 1], states)
        parts.append(lo)
    err = (torch.cat(parts, 1) - whole).abs().max().item()
check("reference stream frame by frame equals one call", err < 1e-12, f"max error {err:.2e}")
with torch.no_grad():
    chunked = m(video, scan_impl="chunked")
err = (chunked - whole).abs().max().item()
check("reference model with the chunked scan matches", err < 1e-6, f"max error {err:.2e}")

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
