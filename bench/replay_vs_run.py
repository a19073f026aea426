#!/usr/bin/python3
"""Trace replay against full runs: record one trace on configs/hw/default.yaml, then for each other
hardware config run the full simulation (numerics + timing) and replay the trace (timing + energy only),
and report frames/s and energy per frame of both (they must agree within 1 %) and the wall-time ratio.

    /usr/bin/python3 bench/replay_vs_run.py [--oasim build/bin/oasim] [--clips 8] [--check]

--check: exit 1 if any config disagrees by more than 1 % (used by the test suite with --clips 1).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, hardware config, overrides, needs re-tiling)
CASES = [
    ("default", "configs/hw/default.yaml", [], False),
    ("symbol rate 5 GHz, 6-bit ADC", "configs/hw/default.yaml",
     ["modulator.symbol_rate_ghz=5", "adc.bits=6", "adc.sample_rate_gsps=5"], False),
    ("digital 1024 lanes at 2 GHz", "configs/hw/default.yaml", ["digital.lanes=1024", "digital.clock_ghz=2"], False),
    ("SRAM and converter energies", "configs/hw/default.yaml",
     ["sram.energy_pj_per_bit=0.05", "adc.walden_fom_fj_per_step=5", "dac_fom_fj_per_step=2"], False),
    ("128-row planes (re-tiled)", "configs/hw/default.yaml", ["weight_plane.rows=128"], True),
    ("small-edge preset", "configs/hw/small-edge.yaml", [], None),
    ("large-datacenter preset", "configs/hw/large-datacenter.yaml", [], None),
    ("pipelined-2core preset (token-block pipelining)", "configs/hw/pipelined-2core.yaml", [], None),
]


def sets(overrides):
    out = []
    for o in overrides:
        if o.startswith("dac_fom"):
            o = "modulator." + o
        out += ["--set", o]
    return out


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return dt, p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--oasim", default=os.path.join(ROOT, "build/bin/oasim"))
    ap.add_argument("--clips", type=int, default=8)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="oasim-replay-")
    trace = os.path.join(tmp, "default.trace.h5")
    base = [args.oasim, "run", "--clips", str(args.clips), "--calib-clips", "1"]
    timed(base + ["--out", os.path.join(tmp, "rec"), "--record-trace", trace])
    worst = 0.0
    print(f"{'config':<32} {'run fps':>10} {'replay fps':>10} {'run uJ/f':>9} {'replay uJ/f':>11} "
          f"{'max diff':>8} {'run s':>7} {'replay s':>8} {'speed-up':>8}")
    for name, hw, overrides, retile in CASES:
        out = os.path.join(tmp, name.replace(" ", "_").replace("/", "_"))
        t_run, _ = timed(base + ["--hw", hw, "--out", out] + sets(overrides))
        with open(os.path.join(out, "report.json")) as f:
            rep = json.load(f)
        run_fps = rep["throughput"]["frames_per_s"]
        run_e = rep["energy_per_frame"]["total_j"]
        rj = os.path.join(tmp, "replay.json")
        cmd = [args.oasim, "replay", trace, "--hw", hw, "--json", rj] + sets(overrides)
        # Presets may or may not change the mapping: ask the tool, re-tile only when it says so.
        probe = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if probe.returncode == 2 and "--retile" in probe.stderr:
            if retile is False:
                sys.exit(f"{name}: replay refused a config expected to keep the mapping:\n{probe.stderr}")
            cmd.append("--retile")
        elif retile is True:
            sys.exit(f"{name}: replay accepted a config that changes the mapping without --retile")
        t_rep, _ = timed(cmd)
        with open(rj) as f:
            rp = json.load(f)
        d = max(abs(rp["throughput"]["frames_per_s"] / run_fps - 1), abs(rp["energy_per_frame"]["total_j"] / run_e - 1))
        worst = max(worst, d)
        print(f"{name:<32} {run_fps:>10.1f} {rp['throughput']['frames_per_s']:>10.1f} {run_e * 1e6:>9.3f} "
              f"{rp['energy_per_frame']['total_j'] * 1e6:>11.3f} {100 * d:>7.3f}% {t_run:>7.2f} {t_rep:>8.3f} "
              f"{t_run / t_rep:>7.0f}x")
    print(f"largest disagreement {100 * worst:.4f} % (limit 1 %); clips per full run: {args.clips}")
    if args.check and worst > 0.01:
        sys.exit(1)


if __name__ == "__main__":
    main()
