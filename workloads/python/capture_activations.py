#!/usr/bin/python3
"""Capture activation traces from any PyTorch model, for `oasim replay-activations`.

Forward hooks on every nn.Linear record up to --rows input rows, the weight, the bias and the fp32
output, into HDF5 in oasim's activation-trace schema (docs/trace-format.md). Then

    oasim replay-activations ACT.h5 --hw configs/hw/default.yaml

runs each captured layer through the optical numerics (DAC, Int4 planes, detector noise, ADC) and
reports its SQNR, for layers of models oasim does not run natively.

From Python:
    from capture_activations import capture_linear_activations
    capture_linear_activations(model, lambda m: m(batch), "act.h5", rows=256)

Demo (no model needed): /usr/bin/python3 workloads/python/capture_activations.py --demo mlp --out act.h5
"""
import argparse

import h5py
import numpy as np
import torch
import torch.nn as nn


def capture_linear_activations(model: nn.Module, run, path: str, rows: int = 256, name_filter=None) -> list[str]:
    """Runs `run(model)` once with hooks on every nn.Linear (whose name passes `name_filter`) and writes
    what they saw; returns the captured layer names in call order. Inputs of any leading shape are
    flattened to rows of the layer's input width."""
    seen: dict[str, dict] = {}
    order: list[str] = []
    hooks = []

    def hook_for(name):
        def hook(mod, inputs, output):
            x = inputs[0].detach().reshape(-1, mod.in_features).float().cpu()
            y = output.detach().reshape(-1, mod.out_features).float().cpu()
            if name not in seen:
                seen[name] = {"x": [], "y": [], "n": 0, "w": mod.weight.detach().float().cpu().numpy(),
                              "b": None if mod.bias is None else mod.bias.detach().float().cpu().numpy()}
                order.append(name)
            s = seen[name]
            take = min(rows - s["n"], x.shape[0])
            if take > 0:
                s["x"].append(x[:take].numpy())
                s["y"].append(y[:take].numpy())
                s["n"] += take
        return hook

    for name, mod in model.named_modules():
        if isinstance(mod, nn.Linear) and (name_filter is None or name_filter(name)):
            hooks.append(mod.register_forward_hook(hook_for(name)))
    try:
        with torch.no_grad():
            run(model)
    finally:
        for h in hooks:
            h.remove()
    if not order:
        raise SystemExit("no nn.Linear layer was called: nothing captured (layers called through F.linear "
                         "bypass module hooks)")
    with h5py.File(path, "w") as f:
        f.attrs["oasim_format"] = "oasim-activations"
        f.attrs["format_version"] = 1
        for name in order:
            s = seen[name]
            g = f.create_group(f"activations/{name}")
            g["input"] = np.concatenate(s["x"]).astype(np.float32)
            g["weight"] = s["w"].astype(np.float32)
            if s["b"] is not None:
                g["bias"] = s["b"].astype(np.float32)
            g["output"] = np.concatenate(s["y"]).astype(np.float32)
        f["activations/names"] = np.array([n.encode() for n in order], dtype=h5py.string_dtype())
    return order


def demo_mlp(seed: int):
    """A seeded 3-layer MLP on inputs with two planted outlier channels (x20), the pattern that makes
    static activation scales hard for converters."""
    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Linear(96, 256), nn.GELU(), nn.Linear(256, 256), nn.GELU(), nn.Linear(256, 10))
    for p in model.parameters():
        with torch.no_grad():
            p.copy_(torch.randn(p.shape, generator=g) * (1.0 / p.shape[-1] ** 0.5))
    x = torch.randn(512, 96, generator=g)
    x[:, 3] *= 20
    x[:, 50] *= 20
    return model, x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--demo", choices=["mlp"], required=True, help="built-in example model to capture")
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    model, x = demo_mlp(args.seed)
    names = capture_linear_activations(model, lambda m: m(x), args.out, rows=args.rows)
    print(f"captured {len(names)} layers ({', '.join(names)}) into {args.out}")


if __name__ == "__main__":
    main()
