#!/usr/bin/python3
"""Plots an activation outlier analysis (analysis.h5 from `oasim analyze`, schema in docs/outliers.md).

    plot_outliers.py analysis.h5 --out DIR [--layers 0,12,23] [--steps 64]

Writes into DIR:
  outliers_heatmap_L<l>.png   per chosen layer: max |x| per channel (x) and frame (y) of the in_proj,
                              x_proj (forward) and out_proj inputs, log colour scale, first --steps steps
  outliers_persistence.png    per chosen layer and tensor: outlier persistence of every channel (bars)
  outliers_layers.png         per layer and tensor kind: channels that are outliers in >= 50 % of frames,
                              and the peak (channel max / frame median)
  outliers_static_dynamic.png histogram of log2(tensor max / token max) per tensor kind
"""
import argparse
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402

HEAT_KINDS = [("in_proj.input", "in_proj input (RMSNorm out)"), ("x_proj.input", "x_proj input = SSM input u (fwd)"),
              ("out_proj.input", "out_proj input = y_f + y_b")]


def tensor_name(layer, kind):
    return {"in_proj.input": f"layers.{layer}.mixer.in_proj.input",
            "x_proj.input": f"layers.{layer}.mixer.x_proj.input",
            "out_proj.input": f"layers.{layer}.mixer.out_proj.input",
            "delta": f"layers.{layer}.mixer.ssm.delta",
            "y": f"layers.{layer}.mixer.ssm.y"}[kind]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("h5")
    ap.add_argument("--out", required=True)
    ap.add_argument("--layers", default="", help="layers for heat maps and bars (default: first, middle, last)")
    ap.add_argument("--steps", type=int, default=32, help="time steps shown in the heat maps")
    ap.add_argument("--dpi", type=int, default=80)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    f = h5py.File(a.h5, "r")
    s = {k: f["summary"][k][()] for k in f["summary"]}
    for k in ("name", "kind", "direction"):
        s[k] = np.array([x.decode() if isinstance(x, bytes) else x for x in s[k]])
    k_out = float(f.attrs["outlier_k"])
    steps_per_clip = int(f.attrs["steps_per_clip"])
    recorded = sorted({int(l) for l in s["layer"] if l >= 0})
    if a.layers:
        layers = [int(x) for x in a.layers.split(",")]
    else:
        layers = sorted({recorded[0], recorded[len(recorded) // 2], recorded[-1]}) if recorded else []
    layers = [l for l in layers if l in recorded]
    written = []

    # Heat maps: channel magnitude over time.
    for l in layers:
        fig, axes = plt.subplots(len(HEAT_KINDS), 1, figsize=(10, 2.6 * len(HEAT_KINDS)))
        for ax, (kind, title) in zip(axes, HEAT_KINDS):
            g = f["tensors"].get(tensor_name(l, kind))
            if g is None:
                ax.set_visible(False)
                continue
            m = g["step_max"][()][: a.steps]
            pers = g["persistence"][()]
            im = ax.imshow(np.maximum(m, 1e-4), aspect="auto", interpolation="nearest", cmap="magma",
                           norm=LogNorm(vmin=max(np.median(m) / 10, 1e-4), vmax=m.max()))
            for c in range(steps_per_clip, len(m), steps_per_clip):
                ax.axhline(c - 0.5, color="cyan", lw=0.5, alpha=0.6)
            top = np.argsort(-pers)[:3]
            lab = ", ".join(f"ch {c}: {100 * pers[c]:.0f}%" for c in top if pers[c] > 0) or "none"
            ax.set_title(f"layer {l} {title}: max|x| per frame; persistent outliers {lab}", fontsize=9)
            ax.set_ylabel("frame (clips stacked)", fontsize=8)
            fig.colorbar(im, ax=ax, pad=0.01)
        axes[-1].set_xlabel("channel")
        fig.tight_layout()
        p = os.path.join(a.out, f"outliers_heatmap_L{l}.png")
        fig.savefig(p, dpi=int(a.dpi * 0.8))  # noisy images compress badly: keep them small
        plt.close(fig)
        written.append(p)

    # Persistence bars per channel.
    if layers:
        kinds = [("in_proj.input", "in_proj in"), ("x_proj.input", "x_proj in (u)"), ("out_proj.input", "out_proj in"),
                 ("delta", "delta")]
        fig, axes = plt.subplots(len(layers), len(kinds), figsize=(3.4 * len(kinds), 2.0 * len(layers)), squeeze=False)
        for i, l in enumerate(layers):
            for j, (kind, title) in enumerate(kinds):
                ax = axes[i][j]
                g = f["tensors"].get(tensor_name(l, kind))
                if g is None:
                    ax.set_visible(False)
                    continue
                pers = 100 * g["persistence"][()]
                ax.bar(np.arange(len(pers)), pers, width=1.0, color="C3")
                ax.set_ylim(0, 100)
                ax.set_title(f"L{l} {title}", fontsize=9)
                ax.tick_params(labelsize=7)
                if j == 0:
                    ax.set_ylabel(f"% frames outlier\n(> {k_out:g}x median)", fontsize=8)
        for ax in axes[-1]:
            ax.set_xlabel("channel", fontsize=8)
        fig.tight_layout()
        p = os.path.join(a.out, "outliers_persistence.png")
        fig.savefig(p, dpi=a.dpi)
        plt.close(fig)
        written.append(p)

    # Per layer overview.
    if recorded:
        show = ["in_proj.input", "x_proj.input", "dt_proj.input", "out_proj.input", "delta", "B", "C", "y", "state"]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
        for kind in show:
            sel = (s["kind"] == kind) & (s["direction"] != "backward") & (s["layer"] >= 0)
            if not sel.any():
                continue
            order = np.argsort(s["layer"][sel])
            L = s["layer"][sel][order]
            names = s["name"][sel][order]
            n_pers, peak = [], []
            for n in names:
                g = f["tensors"][n]
                n_pers.append(int((g["persistence"][()] >= 0.5).sum()))
                peak.append(float(g["outlier_peak_ratio"][()].max()))
            ax1.plot(L, n_pers, "o-", ms=3, label=kind)
            ax2.semilogy(L, peak, "o-", ms=3, label=kind)
        ax1.set_xlabel("layer")
        ax1.set_ylabel("channels outlier in >= 50 % of frames")
        ax2.set_xlabel("layer")
        ax2.set_ylabel("peak channel max / frame median")
        ax2.axhline(k_out, color="k", lw=0.8, ls="--")
        for ax in (ax1, ax2):
            ax.grid(alpha=0.3)
        ax1.legend(fontsize=7, ncol=2)
        fig.tight_layout()
        p = os.path.join(a.out, "outliers_layers.png")
        fig.savefig(p, dpi=a.dpi)
        plt.close(fig)
        written.append(p)

    # Static vs dynamic range: tensor max / token max, pooled per kind over layers (forward direction).
    kinds = ["in_proj.input", "x_proj.input", "out_proj.input", "delta", "B", "C", "head.input"]
    fig, ax = plt.subplots(figsize=(8, 4))
    bins = np.linspace(0, 8, 81)
    for kind in kinds:
        sel = (s["kind"] == kind) & (s["direction"] != "backward")
        if not sel.any():
            continue
        vals = []
        for n in s["name"][sel]:
            t = f["tensors"][n]["token_max"][()]
            t = t[t > 0]
            vals.append(np.log2(t.max() / t))
        v = np.concatenate(vals)
        ax.hist(np.clip(v, 0, 8), bins=bins, histtype="step", density=True, lw=1.2,
                label=f"{kind} (median {np.median(v):.1f} bits)")
    ax.set_xlabel("log2(tensor max / token max) = bits a static per-tensor scale loses on the token")
    ax.set_ylabel("density of tokens")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    p = os.path.join(a.out, "outliers_static_dynamic.png")
    fig.savefig(p, dpi=a.dpi)
    plt.close(fig)
    written.append(p)
    for p in written:
        print(f"wrote {p}")


if __name__ == "__main__":
    main()
