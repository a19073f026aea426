#!/usr/bin/python3
"""Plots of a sweep's results.csv (from `oasim sweep`): a Pareto scatter (accuracy vs energy per frame and,
when measured, vs area; coloured by frames/s, front marked, coincident designs spread on a ring), per
measured metric the metric vs the first numeric axis, one line per value of the other axes, with error bars
over seeds (mean +- standard deviation), and the front's energy breakdown (plot_energy.py).

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
from matplotlib.ticker import MaxNLocator, NullLocator  # noqa: E402

FIXED = {"point", "design", "seed", "status", "pareto", "error"}
LABELS = {"optical_top1": "top-1 on the optical hardware", "fp32_top1": "top-1 fp32",
          "energy_per_frame_uj": "energy per frame (uJ)", "frames_per_s": "frames / s",
          "mean_sqnr_db": "mean per-layer SQNR (dB)", "min_sqnr_db": "lowest per-layer SQNR (dB)",
          "agreement": "agreement with fp32", "tops_per_w": "TOPS/W", "frame_latency_us": "latency per frame (us)",
          "area_mm2": "area (mm2)", "average_power_w": "average power (W)"}


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
    # Only measured metrics: a column empty in every successful row (e.g. the long stream's when no point
    # ran one) is not a metric of this sweep.
    metrics = [c for c in cols[cols.index("status") + 1:] if c not in FIXED
               and any(r[c] != "" for r in rows if r["status"] == "ok")]
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


def short_label(axes, key):
    """'bits=4 lanes=256' from the axis values (last part of each key; a file value by its stem), readable
    where '4,256' was not."""
    def value(v):
        return os.path.splitext(os.path.basename(v))[0] if "/" in v else v
    return " ".join(f"{a.split('.')[-1]}={value(v)}" for a, v in zip(axes, key))


def place_labels(fig, ax, anchors, texts, fontsize=6.5):
    """Greedy placement: each label takes the first of a ring of offsets (growing outwards) whose box
    overlaps no label placed before, so no two labels collide."""
    fig.canvas.draw()
    to_px = ax.transData.transform
    pt = fig.dpi / 72.0
    frame = ax.get_window_extent()
    placed = []
    for (x, y), text in zip(anchors, texts):
        lines = text.split("\n")
        w = max(len(t) for t in lines) * fontsize * 0.6 * pt
        h = len(lines) * fontsize * 1.25 * pt
        px, py = to_px((x, y))
        best = None
        for r in (10, 22, 36, 52, 70):
            for ang in (30, -30, 150, -150, 90, -90, 0, 180):
                dx, dy = r * math.cos(math.radians(ang)) * pt, r * math.sin(math.radians(ang)) * pt
                x0 = px + dx - (w if dx < 0 else 0)
                y0 = py + dy - (h if dy < 0 else 0)
                box = (x0, y0, x0 + w, y0 + h)
                inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
                if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                    best = (dx, dy, box)
                    break
            if best:
                break
        if best is None:  # crowded: the first candidate, still readable thanks to its background
            dx, dy = 10 * pt, 10 * pt
            best = (dx, dy, (px + dx, py + dy, px + dx + w, py + dy + h))
        placed.append(best[2])
        ax.annotate(text, (x, y), fontsize=fontsize, xytext=(best[0] / pt, best[1] / pt), textcoords="offset points",
                    ha="right" if best[0] < 0 else "left", va="top" if best[1] < 0 else "bottom",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8), zorder=6,
                    arrowprops=dict(arrowstyle="-", color="grey", lw=0.5, alpha=0.7))


def spread(xs, ys, radius=7.0):
    """Display offsets (points) that pull coincident designs apart on a small ring, so none hides another;
    a lone design keeps (0, 0). Coincident = equal to 4 significant digits in both coordinates."""
    groups = defaultdict(list)
    for i, (x, y) in enumerate(zip(xs, ys)):
        groups[(float(f"{x:.4g}"), float(f"{y:.4g}"))].append(i)
    off = [(0.0, 0.0)] * len(xs)
    for members in groups.values():
        if len(members) > 1:
            for k, i in enumerate(members):
                t = 2 * math.pi * k / len(members)
                off[i] = (radius * math.cos(t), radius * math.sin(t))
    return off, groups


def pareto_panel(fig, ax, rows, axes, metrics, cost, acc, front):
    a = design_stats(rows, axes, acc)
    e = design_stats(rows, axes, cost)
    f = design_stats(rows, axes, "frames_per_s") if "frames_per_s" in metrics and cost != "frames_per_s" else None
    ds = [d for d in a if d in e and (f is None or d in f)]
    xs, ys = [e[d][1] for d in ds], [a[d][1] for d in ds]
    off, groups = spread(xs, ys)
    colours = [f[d][1] for d in ds] if f else None
    lo, hi = (min(colours), max(colours)) if colours else (0, 1)
    norm = matplotlib.colors.Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1)
    cmap = plt.get_cmap("viridis")
    ax.errorbar(xs, ys, yerr=[a[d][2] for d in ds], fmt="none", ecolor="grey", alpha=0.6, zorder=2)
    for i, d in enumerate(ds):
        tr = matplotlib.transforms.offset_copy(ax.transData, fig=fig, x=off[i][0], y=off[i][1], units="points")
        # A black edge keeps the light end of the colour map visible on white.
        ax.scatter([xs[i]], [ys[i]], color=cmap(norm(colours[i])) if colours else "tab:blue", edgecolors="black",
                   linewidths=0.6, s=46, zorder=3, transform=tr)
        if d in front:
            ax.scatter([xs[i]], [ys[i]], facecolors="none", edgecolors="r", s=150, linewidths=1.2, zorder=5,
                       transform=tr)
    # The front is ringed, not joined: with more than two objectives a line through it in this plane would
    # zigzag through designs that are on it for another objective (area, frames/s).
    fr = [d for d in ds if d in front]
    if fr:
        ax.scatter([], [], facecolors="none", edgecolors="r", s=150, linewidths=1.2, label="on the Pareto front")
    if colours:
        sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
        fig.colorbar(sm, ax=ax, label="frames / s", pad=0.02)
    ax.set_xlabel(LABELS.get(cost, cost))
    ax.set_ylabel(LABELS[acc])
    if fr:
        ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    ax.margins(0.12)
    # One label block per group of coincident designs, every member named, placed clear of the others.
    groups = list(groups.values())
    place_labels(fig, ax, [(xs[m[0]], ys[m[0]]) for m in groups],
                 ["\n".join(short_label(axes, a[ds[i]][0]) for i in m) for m in groups])


def pareto_plot(rows, axes, metrics, out):
    acc = "optical_top1" if "optical_top1" in metrics else None
    costs = [c for c in ("energy_per_frame_uj", "area_mm2") if c in metrics]
    if not acc or not costs:
        return None
    front = {r["design"] for r in rows if r.get("pareto") == "1"}
    # Small multiples: accuracy against each cost objective, the same designs in every panel.
    fig, axs = plt.subplots(1, len(costs), figsize=(7.5 * len(costs), 5.5), squeeze=False)
    for ax, cost in zip(axs[0], costs):
        pareto_panel(fig, ax, rows, axes, metrics, cost, acc, front)
    fig.suptitle(f"Pareto: {' x '.join(axes)} (red rings: Pareto front over all objectives; equal designs spread on a ring)", fontsize=9)
    path = os.path.join(out, "pareto.png")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def integer_valued(values):
    return all(float(v).is_integer() for v in values)


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
    if x_axis in numeric:
        xv = sorted({float(r[x_axis]) for r in rows})
        if integer_valued(xv):  # integer axes get integer ticks (no 4.5, 5.5 bits)
            if len(xv) <= 12:
                # The swept values themselves, on a linear or a log axis (a MaxNLocator on a log axis
                # piles its labels up at the top decade).
                ax.set_xticks(xv)
                ax.set_xticklabels([str(int(v)) for v in xv])
                ax.xaxis.set_minor_locator(NullLocator())
            elif ax.get_xscale() == "linear":
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if integer_valued(m for pts in lines.values() for _, m, _ in pts):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
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


def energy_front(results, out):
    """energy_front.png: the front designs' energy per component, when their reports are beside results.csv."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import plot_energy
    try:
        path = os.path.join(out, "energy_front.png")
        plot_energy.plot_front(results, path)
        return [path]
    except plot_energy.InputError as e:  # no front or no point reports (a merged copy): skip the figure
        print(f"no energy_front.png: {e}")
        return []


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
    made += energy_front(args.results, args.out_dir)
    for p in made:
        print(f"wrote {p}")


if __name__ == "__main__":
    try:
        main()
    except InputError as e:
        print(f"plot_sweep.py: error: {e}", file=sys.stderr)
        sys.exit(2)
