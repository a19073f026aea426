#!/usr/bin/python3
"""Plots of a sweep's results.csv (from `oasim sweep`): a Pareto scatter (accuracy vs energy per frame,
coloured by frames/s, front marked) and, per metric, metric vs the first numeric axis, one line per
value of the other axes, with error bars over seeds (mean +- standard deviation).

    /usr/bin/python3 workloads/python/plot_sweep.py RESULTS.csv OUT_DIR [--metrics m1,m2]
"""
import argparse
import csv
import math
import os
import sys
from collections import OrderedDict, defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIXED = {"point", "design", "seed", "status", "pareto", "error"}
LABELS = {"optical_top1": "top-1 on the optical hardware", "fp32_top1": "top-1 fp32",
          "energy_per_frame_uj": "energy per frame (uJ)", "frames_per_s": "frames / s",
          "mean_sqnr_db": "mean per-layer SQNR (dB)", "min_sqnr_db": "lowest per-layer SQNR (dB)",
          "agreement": "agreement with fp32", "tops_per_w": "TOPS/W", "frame_latency_us": "latency per frame (us)"}


def number(s):
    try:
        return float(s)
    except ValueError:
        return None


class InputError(Exception):
    """A file that is not a sweep's results.csv: one line on stderr, exit code 2 (as oasim does)."""


REQUIRED = ("point", "design", "seed", "status")


def load(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{path}: cannot read it as a CSV file ({e})") from None
    if not rows:
        raise InputError(f"{path}: no rows (expected the results.csv of `oasim sweep`)")
    cols = list(rows[0].keys())
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise InputError(f"{path}: not a results.csv of `oasim sweep` (no column '{missing[0]}')")
    if cols.index("seed") > cols.index("status"):
        raise InputError(f"{path}: not a results.csv of `oasim sweep` (column 'seed' after 'status')")
    for i, r in enumerate(rows, start=2):
        if None in r or any(v is None for v in r.values()):
            raise InputError(f"{path}:{i}: the row has a different number of fields than the header")
        if not r["design"].isdigit():
            raise InputError(f"{path}:{i}: design = '{r['design']}': expected a design number")
        for c in cols[cols.index("status") + 1:]:
            if c not in FIXED and r[c] != "" and r["status"] == "ok" and number(r[c]) is None:
                raise InputError(f"{path}:{i}: {c} = '{r[c]}': expected a number")
    # Axis columns sit between 'seed' and 'status'; metric columns between 'status' and 'pareto'/'error'.
    axes = cols[cols.index("seed") + 1:cols.index("status")]
    metrics = [c for c in cols[cols.index("status") + 1:] if c not in FIXED]
    return rows, axes, metrics


def design_stats(rows, axes, metric):
    """design -> (axis values, mean, std, n) over successful seeds."""
    vals = defaultdict(list)
    keys = {}
    for r in rows:
        if r["status"] != "ok" or r[metric] == "":
            continue
        vals[r["design"]].append(float(r[metric]))
        keys[r["design"]] = tuple(r[a] for a in axes)
    out = OrderedDict()
    for d in sorted(vals, key=int):
        v = vals[d]
        m = sum(v) / len(v)
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
        out[d] = (keys[d], m, sd, len(v))
    return out


def pareto_plot(rows, axes, metrics, out):
    acc = "optical_top1" if "optical_top1" in metrics else None
    if not acc or "energy_per_frame_uj" not in metrics:
        return None
    a = design_stats(rows, axes, acc)
    e = design_stats(rows, axes, "energy_per_frame_uj")
    f = design_stats(rows, axes, "frames_per_s") if "frames_per_s" in metrics else None
    front = {r["design"] for r in rows if r.get("pareto") == "1"}
    ds = [d for d in a if d in e]
    fig, ax = plt.subplots(figsize=(7, 5))
    sc = ax.scatter([e[d][1] for d in ds], [a[d][1] for d in ds], c=[f[d][1] for d in ds] if f else "tab:blue",
                    cmap="viridis", s=40, zorder=3)
    ax.errorbar([e[d][1] for d in ds], [a[d][1] for d in ds], yerr=[a[d][2] for d in ds], fmt="none",
                ecolor="grey", alpha=0.6, zorder=2)
    fr = sorted((d for d in ds if d in front), key=lambda d: e[d][1])
    if fr:
        ax.plot([e[d][1] for d in fr], [a[d][1] for d in fr], "r--", lw=1, label="Pareto front", zorder=4)
        ax.scatter([e[d][1] for d in fr], [a[d][1] for d in fr], facecolors="none", edgecolors="r", s=120, zorder=5)
    for d in ds:
        ax.annotate(",".join(a[d][0]), (e[d][1], a[d][1]), fontsize=6, xytext=(3, 3), textcoords="offset points")
    if f:
        fig.colorbar(sc, ax=ax, label="frames / s")
    ax.set_xlabel(LABELS["energy_per_frame_uj"])
    ax.set_ylabel(LABELS[acc])
    ax.set_title(f"Pareto: {' x '.join(axes)}  (labels: {','.join(axes)})", fontsize=9)
    if fr:
        ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    path = os.path.join(out, "pareto.png")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def axis_plot(rows, axes, metric, out):
    numeric = [ax for ax in axes if all(number(r[ax]) is not None for r in rows)]
    x_axis = numeric[0] if numeric else axes[0]
    others = [ax for ax in axes if ax != x_axis]
    st = design_stats(rows, axes, metric)
    lines = defaultdict(list)
    for d, (key, m, sd, n) in st.items():
        kv = dict(zip(axes, key))
        lines[tuple(kv[o] for o in others)].append((kv[x_axis], m, sd))
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, pts in lines.items():
        if x_axis in numeric:
            pts.sort(key=lambda p: float(p[0]))
            xs = [float(p[0]) for p in pts]
        else:
            xs = [p[0] for p in pts]
        ax.errorbar(xs, [p[1] for p in pts], yerr=[p[2] for p in pts], marker="o", capsize=3,
                    label=", ".join(f"{o}={v}" for o, v in zip(others, label)) or None)
    if x_axis in numeric and len({float(r[x_axis]) for r in rows if float(r[x_axis]) > 0}) > 2:
        xs_all = sorted({float(r[x_axis]) for r in rows})
        if xs_all[0] > 0 and xs_all[-1] / xs_all[0] >= 50:
            ax.set_xscale("log")
    ax.set_xlabel(x_axis)
    ax.set_ylabel(LABELS.get(metric, metric))
    if others:
        ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    ax.set_title(f"{metric} vs {x_axis} (mean +- sd over seeds)", fontsize=9)
    path = os.path.join(out, f"{metric}_vs_{x_axis}.png")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("out_dir")
    ap.add_argument("--metrics", help="comma-separated metrics to plot against the axes (default: all kept)")
    args = ap.parse_args()
    rows, axes, metrics = load(args.results)
    chosen = args.metrics.split(",") if args.metrics else metrics
    for m in chosen:
        if m not in metrics:
            raise InputError(f"metric '{m}' is not in {args.results} (it has: {', '.join(metrics)})")
    os.makedirs(args.out_dir, exist_ok=True)
    made = [p for p in [pareto_plot(rows, axes, metrics, args.out_dir)] if p]
    for m in chosen:
        made.append(axis_plot(rows, axes, m, args.out_dir))
    for p in made:
        print(f"wrote {p}")


if __name__ == "__main__":
    try:
        main()
    except InputError as e:
        print(f"plot_sweep.py: error: {e}", file=sys.stderr)
        sys.exit(2)
