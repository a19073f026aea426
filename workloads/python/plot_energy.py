#!/usr/bin/python3
"""Energy-breakdown figures: per component, dynamic (solid) vs static (hatched) energy per frame.

    /usr/bin/python3 workloads/python/plot_energy.py REPORT.json OUT.png          one run: a bar per component
    /usr/bin/python3 workloads/python/plot_energy.py --front RESULTS.csv OUT.png  a sweep's Pareto front: a
                                                                                   stacked bar per design

REPORT.json is `oasim run`'s report (also replay's and the video stream's: energy_per_frame.by_component).
For a sweep, each front design's first successful seed is read from points/pNNNN/report.json beside
results.csv.
"""
import argparse
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = plt.get_cmap("tab10").colors  # one distinct hue per component


class InputError(Exception):
    """Bad input: one line on stderr, exit code 2 (as oasim does)."""


def breakdown(path, full_rate=False):
    """{component: (dynamic_j, static_j)} at the input frame rate (or at full throughput) and that rate."""
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        e = rep["energy_per_frame"]
        part = e["at_full_rate"] if full_rate else e
        comps = {c: (v["dynamic_j"], v["static_j"]) for c, v in part["by_component"].items()}
        rate = (1 / part["interval_s"] if part.get("interval_s") else None) if full_rate else e.get("input_fps")
        return comps, rate
    except OSError as ex:
        raise InputError(f"{path}: cannot read it ({ex.strerror})") from None
    except (ValueError, KeyError, TypeError) as ex:
        raise InputError(f"{path}: not an oasim report.json (energy_per_frame.by_component: {ex})") from None


def scale(max_j):
    """The SI prefix the console would use for this magnitude: (factor, unit)."""
    for f, u in ((1, "J"), (1e3, "mJ"), (1e6, "uJ"), (1e9, "nJ")):
        if max_j * f >= 1:
            return f, u
    return 1e12, "pJ"


def si(j):
    f, unit = scale(j or 1e-12)
    return f"{j * f:.3g} {unit}"


def bar_panel(ax, comps, title, names):
    f, unit = scale(max(sum(v) for v in comps.values()) or 1e-12)
    y = range(len(names))
    dyn = [comps[c][0] * f for c in names]
    sta = [comps[c][1] * f for c in names]
    ax.barh(y, dyn, color="tab:blue", label="dynamic")
    ax.barh(y, sta, left=dyn, color="tab:orange", hatch="//", edgecolor="white", label="static")
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlabel(f"energy per frame ({unit})")
    ax.set_title(f"{title}: {si(sum(sum(v) for v in comps.values()))} per frame", fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)


def plot_run(report, out):
    """Two panels: at the input frame rate (static power over the frame interval, what a camera costs) and
    at full throughput (back-to-back frames, where the dynamic energy shows)."""
    comps, fps = breakdown(report)
    full, full_fps = breakdown(report, full_rate=True)
    names = sorted(comps, key=lambda c: -sum(comps[c]))  # one order for both panels (shared labels)
    full = {c: full.get(c, (0.0, 0.0)) for c in names}
    fig, axs = plt.subplots(1, 2, figsize=(12, 0.45 * len(comps) + 1.8))
    bar_panel(axs[0], comps, f"at {fps:g} frames/s" if fps else "at the input frame rate", names)
    bar_panel(axs[1], full, f"at full throughput ({full_fps:.4g} frames/s)" if full_fps else "at full throughput", names)
    axs[1].set_yticklabels([])
    fig.suptitle(os.path.basename(os.path.dirname(os.path.abspath(report))) + ": energy per frame by component",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def front_reports(results):
    """[(label, report path)] of the front's designs, in design order."""
    try:
        with open(results, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as ex:
        raise InputError(f"{results}: cannot read it ({ex.strerror})") from None
    if not rows or "pareto" not in rows[0]:
        raise InputError(f"{results}: no 'pareto' column (expected a sweep's results.csv with a front)")
    cols = list(rows[0].keys())
    axes = cols[cols.index("seed") + 1:cols.index("status")]
    seen, out = set(), []
    for r in rows:
        if r["pareto"] != "1" or r["status"] != "ok" or r["design"] in seen:
            continue
        seen.add(r["design"])
        rep = os.path.join(os.path.dirname(os.path.abspath(results)), "points", f"p{int(r['point']):04d}",
                           "report.json")
        label = "\n".join(f"{a.split('.')[-1]}={r[a]}" for a in axes)
        out.append((f"d{r['design']}\n{label}", rep))
    if not out:
        raise InputError(f"{results}: no design on the Pareto front")
    return out


def plot_front(results, out):
    designs = front_reports(results)
    data = [(label, breakdown(rep)[0]) for label, rep in designs]
    comps = sorted({c for _, d in data for c in d}, key=lambda c: -sum(d.get(c, (0, 0))[0] + d.get(c, (0, 0))[1]
                                                                         for _, d in data))
    f, unit = scale(max(sum(a + b for a, b in d.values()) for _, d in data) or 1e-12)
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(data) + 3), 5))
    x = list(range(len(data)))
    bottom = [0.0] * len(data)
    for i, c in enumerate(comps):
        col = COLOURS[i % len(COLOURS)]
        for part, hatch in ((0, None), (1, "//")):
            h = [d.get(c, (0, 0))[part] * f for _, d in data]
            ax.bar(x, h, bottom=bottom, color=col, hatch=hatch, edgecolor="white",
                   label=f"{c} ({'static' if part else 'dynamic'})" if any(h) else None)
            bottom = [b + v for b, v in zip(bottom, h)]
    ax.set_xticks(x)
    ax.set_xticklabels([label for label, _ in data], fontsize=7)
    ax.set_ylabel(f"energy per frame ({unit})")
    ax.set_title("Energy per frame of the Pareto-front designs at the input frame rate (hatched: static)", fontsize=9)
    ax.legend(fontsize=6, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="report.json, or with --front a sweep's results.csv")
    ap.add_argument("out", help="PNG file to write")
    ap.add_argument("--front", action="store_true", help="source is a sweep's results.csv: its Pareto front")
    a = ap.parse_args()
    (plot_front if a.front else plot_run)(a.source, a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    try:
        main()
    except InputError as e:
        print(f"plot_energy.py: error: {e}", file=sys.stderr)
        sys.exit(2)
