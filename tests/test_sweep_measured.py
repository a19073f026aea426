#!/usr/bin/python3
"""A sweep keeps only what it measured and can trade area: with no `metrics:` list and no long stream, the
results hold no stream_* column, area_mm2 is a column and a Pareto objective, and `oasim plot` draws no
figure for an unmeasured metric, spreads coincident designs apart and adds the front's energy breakdown.
Exit 0 = pass."""
import csv
import json
import os
import subprocess
import sys
import tempfile

from pycheck import check, finish  # tests/pycheck.py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OASIM = os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim"))
TMP = tempfile.mkdtemp(prefix="oasim_sweep_measured_")



def oasim(*args):
    p = subprocess.run([OASIM, *args], cwd=TMP, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"oasim {' '.join(args)}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


spec = os.path.join(TMP, "lanes.yaml")
with open(spec, "w") as f:
    f.write(f"""name: lanes
base:
  hw: {ROOT}/configs/hw/default.yaml
  model: {ROOT}/models/videomamba-stream-mfm.h5
  data: mfm:test
  clips: 1
  frames: 4
  calib_clips: 1
axes:
  digital.lanes: [64, 1024]
seeds: [1]
""")
out = os.path.join(TMP, "out")
p = oasim("sweep", spec, "--out", out, "--jobs", "1")
with open(os.path.join(out, "results.csv")) as f:
    reader = csv.DictReader(f)
    cols, rows = reader.fieldnames, list(reader)
check(all(r["status"] == "ok" for r in rows) and len(rows) == 2, "both points ran")
check(not [c for c in cols if c.startswith("stream_")], f"no stream_* column without a long stream ({cols})")
check("area_mm2" in cols, "area_mm2 is a column")
check(all(float(r["area_mm2"]) > 0 for r in rows), "area_mm2 is measured")
areas = [float(r["area_mm2"]) for r in rows]
check(areas[1] > areas[0], f"1024 digital lanes take more area than 64 ({areas})")
# Each point's area equals the sum of its report's components (the total the column holds).
rep = json.load(open(os.path.join(out, "points", "p0000", "report.json")))
a = rep["energy_per_frame"]["area_mm2"]
check(abs(sum(a["by_component"].values()) - a["total"]) < 1e-9 * a["total"] and abs(a["total"] - areas[0]) < 1e-9 * areas[0],
      "area by component sums to the reported total, the sweep's area_mm2")
check("area_mm2 down" in p.stdout, "area is a Pareto objective")
# More lanes cost area: with area an objective the small design is on the front too (not only "more lanes").
check(all(r["pareto"] == "1" for r in rows), f"both designs on the front ({[r['pareto'] for r in rows]})")

plots = os.path.join(TMP, "plots")
oasim("plot", out, "--out", plots)
pngs = sorted(os.listdir(plots))
check(not [x for x in pngs if x.startswith("stream_")], f"no figure of an unmeasured metric ({pngs})")
check("energy_front.png" in pngs and "pareto.png" in pngs, f"Pareto and front energy figures ({pngs})")
q = subprocess.run([sys.executable, os.path.join(ROOT, "workloads", "python", "plot_energy.py"),
                    os.path.join(out, "points", "p0000", "report.json"), os.path.join(TMP, "run_energy.png")],
                   capture_output=True, text=True)
check(q.returncode == 0 and os.path.getsize(os.path.join(TMP, "run_energy.png")) > 0, "a run's energy breakdown")
q = subprocess.run([sys.executable, os.path.join(ROOT, "workloads", "python", "plot_energy.py"), spec,
                    os.path.join(TMP, "x.png")], capture_output=True, text=True)
check(q.returncode == 2 and "lanes.yaml" in q.stderr, "a file that is no report: exit 2 naming it")

# Coincident designs are pulled apart; a lone one stays where it is.
sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))
import plot_sweep  # noqa: E402

off, _ = plot_sweep.spread([1.0, 1.0, 2.0], [0.5, 0.5, 0.9])
check(off[0] != off[1] and off[2] == (0.0, 0.0), f"coincident points get distinct offsets ({off})")
check(plot_sweep.short_label(["adc.bits", "recipe"], ("4", "configs/recipes/w4a8-rtn.yaml")) == "bits=4 recipe=w4a8-rtn",
      "labels name the axis and shorten file values")

finish()
