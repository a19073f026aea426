#!/usr/bin/python3
"""Per-layer SQNR against one swept hardware key (issue 19: the knee of each layer, not only of the mean).

Reads a sweep folder (results.csv and each point's report.json) and draws one panel per recipe: the SQNR
of each kind of layer (patch_embed, in_proj, x_proj, dt_proj, out_proj, head; mean over the blocks) against
the swept key on a log axis, with the ADC's ideal-quantizer SQNR (6.02 bits + 1.76 dB) for reference.

    /usr/bin/python3 workloads/python/plot_layer_sqnr.py SWEEP_DIR OUT.png [--key laser.power_mw]
"""
import argparse
import csv
import json
import os
import re
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def layer_kind(name):
    """'layers.3.mixer.in_proj' -> 'in_proj'; 'patch_embed.proj' -> 'patch_embed'; 'head' -> 'head'."""
    if name.startswith("patch_embed"):
        return "patch_embed"
    m = re.match(r"layers\.\d+\.(?:mixer\.)?(.*)", name)
    return m.group(1) if m else name


def load(sweep_dir, key):
    with open(os.path.join(sweep_dir, "results.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["status"] == "ok"]
    if rows and key not in rows[0]:
        raise SystemExit(f"{sweep_dir}/results.csv has no column '{key}' (the swept keys are its columns)")
    # series[recipe][kind] -> [(x, sqnr_db)]
    series = defaultdict(lambda: defaultdict(list))
    adc_bits = None
    for r in rows:
        rep = os.path.join(sweep_dir, "points", f"p{int(r['point']):04d}", "report.json")
        if not os.path.exists(rep):
            continue
        with open(rep) as f:
            j = json.load(f)
        if adc_bits is None:  # report.json stores the resolved config as YAML text
            m = re.search(r"^adc:\n(?:  .*\n)*?  bits: (\d+)", j.get("hardware_config", ""), re.M)
            adc_bits = int(m.group(1)) if m else None
        by_kind = defaultdict(list)
        for layer in j.get("layers") or []:
            if layer.get("sqnr_db") is not None:
                by_kind[layer_kind(layer["name"])].append(layer["sqnr_db"])
        recipe = os.path.splitext(os.path.basename(r.get("recipe") or "none"))[0] or "none"
        for kind, v in by_kind.items():
            series[recipe][kind].append((float(r[key]), sum(v) / len(v)))
    return series, adc_bits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep_dir")
    ap.add_argument("out_png")
    ap.add_argument("--key", default="laser.power_mw")
    a = ap.parse_args()
    series, adc_bits = load(a.sweep_dir, a.key)
    if not series:
        raise SystemExit(f"no measured point with per-layer SQNR in {a.sweep_dir}")
    recipes = sorted(series)
    fig, axes = plt.subplots(1, len(recipes), figsize=(5.2 * len(recipes), 4.2), sharey=True, squeeze=False)
    for ax, rc in zip(axes[0], recipes):
        for kind in sorted(series[rc]):
            pts = sorted(series[rc][kind])
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", ms=3.5, label=kind)
        if adc_bits:
            ax.axhline(6.02 * adc_bits + 1.76, color="grey", ls="--", lw=0.8,
                       label=f"ideal {adc_bits}-bit ADC")
        ax.set_xscale("log")
        ax.set_xlabel(a.key)
        ax.set_title(rc)
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("SQNR vs fp32 product (dB), mean over blocks")
    axes[0][-1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    fig.savefig(a.out_png, dpi=120)
    print(f"wrote {a.out_png}")


if __name__ == "__main__":
    main()
