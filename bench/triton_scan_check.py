#!/usr/bin/python3
"""GPU check of the fused Triton scan (workloads/python/oasim/triton_scan.py):
1. outputs and every gradient equal the token-loop reference's (float64 loop as the judge);
2. one training step (forward + backward, batch x frames of the default model) with the chunked scan vs
   the Triton scan, timed in the same run; and the data generator's rate, which must keep up.

    /usr/bin/python3 bench/triton_scan_check.py [--batch 128] [--frames 16]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "workloads", "python"))
import torch  # noqa: E402

from oasim import mfm  # noqa: E402
from oasim.selective_scan import selective_scan_loop, selective_scan  # noqa: E402
from oasim.triton_scan import selective_scan_triton  # noqa: E402


def check_grads(bt, length, di, n, with_h0, seed):
    g = torch.Generator().manual_seed(seed)
    u = torch.randn(bt, length, di, generator=g)
    delta = torch.nn.functional.softplus(torch.randn(bt, length, di, generator=g) - 1)
    A = -torch.exp(torch.randn(di, n, generator=g) * 0.5)
    B = torch.randn(bt, length, n, generator=g)
    C = torch.randn(bt, length, n, generator=g)
    D = torch.randn(di, generator=g)
    h0 = torch.randn(bt, di, n, generator=g) if with_h0 else None
    wy = torch.randn(bt, length, di, generator=g)
    wh = torch.randn(bt, di, n, generator=g)
    ins = [u, delta, A, B, C, D] + ([h0] if with_h0 else [])
    res = {}
    for name, fn, dev, dt in (("loop", selective_scan_loop, "cpu", torch.float64),
                              ("triton", selective_scan_triton, "cuda", torch.float32)):
        xs = [t.to(dev, dt).requires_grad_(True) for t in ins]
        y, h = fn(*xs[:6], xs[6] if with_h0 else None)
        loss = (y * wy.to(dev, dt)).sum() + (h * wh.to(dev, dt)).sum()
        loss.backward()
        res[name] = [y.detach().double().cpu(), h.detach().double().cpu()] + [x.grad.double().cpu() for x in xs]
    names = ["y", "h_last", "du", "ddelta", "dA", "dB", "dC", "dD", "dh0"]
    worst = 0.0
    for nm, a, b in zip(names, res["loop"], res["triton"]):
        err = ((a - b).abs().max() / a.abs().max().clamp(min=1e-12)).item()
        worst = max(worst, err)
        print(f"  {nm:7s} max rel err {err:.2e}")
    return worst


def time_step(model, x, y, impl, reps=5):
    import torch.nn.functional as F
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    for i in range(2 + reps):
        if i == 2:
            torch.cuda.synchronize()
            t0 = time.time()
        logits = model(x, scan_impl=impl, checkpoint=True)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.cuda.synchronize()
    return (time.time() - t0) / reps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--frames", type=int, default=16)
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = True
    worst = 0.0
    for shape in ((3, 37, 40, 16, True), (2, 65, 384, 16, False), (1, 300, 96, 8, True)):
        print("shape Bt, L, Di, N, h0 =", shape)
        worst = max(worst, check_grads(*shape, seed=1))
    print(f"worst relative error {worst:.2e}: {'OK' if worst < 1e-4 else 'FAIL'}")
    if worst >= 1e-4:
        sys.exit(1)

    import train  # noqa: E402  (workloads/python/train.py)
    from oasim.videomamba import VideoMamba, init_random_
    cfg = train.default_config(args.frames)
    model = init_random_(VideoMamba(cfg), 1).cuda()
    t0 = time.time()
    xb, yb = mfm.make_batch("train", 1, 0, args.batch, args.frames)
    gen = time.time() - t0
    x, y = torch.from_numpy(xb).cuda(), torch.from_numpy(yb).cuda()
    with torch.no_grad():
        a = model(x[:8], scan_impl="chunked")
        b = model(x[:8], scan_impl="triton")
    print(f"model logits chunked vs triton: max abs diff {(a - b).abs().max().item():.2e} "
          f"(chunked clamps the decay, so not exactly 0)")
    tt = time_step(model, x, y, "triton")
    print(f"train step batch {args.batch} x {args.frames} frames: triton {tt:.3f} s", flush=True)
    tc = time_step(model, x, y, "chunked", reps=2)
    print(f"train step batch {args.batch} x {args.frames} frames: chunked {tc:.3f} s, triton {tt:.3f} s "
          f"-> {tc / tt:.1f}x; peak memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")
    print(f"data: one batch generated in {gen:.3f} s on one CPU worker ({args.batch * args.frames / gen:.0f} frames/s)")


if __name__ == "__main__":
    main()
