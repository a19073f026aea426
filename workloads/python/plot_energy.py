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

COLOURS = plt.get_cmap("tab20").colors


class InputError(Exception):
    """Bad input: one line on stderr, exit code 2 (as oasim does)."""


def breakdown(path):
    """{component: (dynamic_j, static_j)} and the interval the static energy is priced over."""
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        e = rep["energy_per_frame"]
        comps = {c: (v["dynamic_j"], v["static_j"]) for c, v in e["by_component"].items()}
        return comps, e.get("input_fps")
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


def plot_run(report, out):
    comps, fps = breakdown(report)
    names = sorted(comps, key=lambda c: -sum(comps[c]))
    f, unit = scale(max(sum(v) for v in comps.values()) or 1e-12)
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(names) + 1.6))
    y = range(len(names))
    dyn = [comps[c][0] * f for c in names]
    sta = [comps[c][1] * f for c in names]
    ax.barh(y, dyn, color="tab:blue", label="dynamic")
    ax.barh(y, sta, left=dyn, color="tab:orange", hatch="//", edgecolor="white", label="static")
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlabel(f"energy per frame ({unit})")
    total = sum(dyn) + sum(sta)
    ax.set_title(f"{os.path.basename(os.path.dirname(os.path.abspath(report)))}: {total:.3g} {unit} per frame"
                 + (f" at {fps:g} frames/s" if fps else ""), fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
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
    ax.set_title("Energy per frame of the Pareto-front designs (hatched: static)", fontsize=9)
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
