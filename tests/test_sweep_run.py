#!/usr/bin/python3
"""End-to-end sweeps with the real oasim binary: a local run and `mpirun -n 2` give identical
results; an interrupted sweep resumes without re-running or duplicating points; job-array shards
merge into the same results; a crashing point is recorded as failed and the sweep goes on; plots are
written; bad sweep files exit with code 2 and a file:line message."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pycheck import check, finish  # noqa: E402  (tests/pycheck.py)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OASIM = os.path.abspath(os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim")))
TMP = tempfile.mkdtemp(prefix="oasim-sweep-test-")



def oasim(*args, env=None, expect=0):
    p = subprocess.run([OASIM, *args], cwd=TMP, capture_output=True, text=True, env=env)
    if expect is not None and p.returncode != expect:
        sys.exit(f"oasim {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def rows(out):
    with open(os.path.join(out, "results.csv")) as f:
        return list(csv.DictReader(f))


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# 2 x 2 designs x 2 seeds = 8 points of one clip each (a few seconds per point).
SWEEP = write("small.yaml", f"""name: small
base:
  hw: {ROOT}/configs/hw/default.yaml
  model: {ROOT}/models/videomamba-stream-mfm.h5
  clips: 1
  frames: 8
  calib_clips: 1
axes:
  adc.bits: [6, 8]
  laser.power_mw: [10, 300]
seeds: [1, 2]
metrics: [optical_top1, agreement, mean_sqnr_db, energy_per_frame_uj, frames_per_s]
""")

local = os.path.join(TMP, "local")
p = oasim("sweep", SWEEP, "--out", local, "--jobs", "2")
with open(os.path.join(local, "results.csv")) as f:
    local_csv = f.read()
r = rows(local)
check(len(r) == 8 and all(x["status"] == "ok" for x in r), "local sweep: 8 points, all ok")
check([x["point"] for x in r] == [str(i) for i in range(8)], "rows are in point order")
check(len({x["optical_top1"] for x in r if x["adc.bits"] == "6" and x["laser.power_mw"] == "10"}) >= 1,
      "seeds give per-seed rows")
check(any(x["pareto"] == "1" for x in r), "a Pareto front is marked")
check(os.path.exists(os.path.join(local, "results.h5")), "results.h5 written")
check("sweep:" in p.stderr and "8/8" in p.stderr, "progress lines on stderr")
# Noise seeds differ, the data does not: fp32-independent metrics (energy, fps) are seed-invariant.
e = {(x["adc.bits"], x["laser.power_mw"]): set() for x in r}
for x in r:
    e[(x["adc.bits"], x["laser.power_mw"])].add(x["energy_per_frame_uj"])
check(all(len(v) == 1 for v in e.values()), "energy per frame is the same for every seed of a design")

# MPI: same results, byte for byte.
mpirun = shutil.which("mpirun")
check(mpirun is not None, "mpirun is installed")
if mpirun:
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    mpi = os.path.join(TMP, "mpi")
    q = subprocess.run([mpirun, "-n", "2", OASIM, "sweep", SWEEP, "--out", mpi], cwd=TMP, capture_output=True,
                       text=True, env=env)
    check(q.returncode == 0, f"mpirun -n 2 oasim sweep exits 0 (got {q.returncode}: {q.stderr[-500:]})")
    check("[rank 1/2]" in q.stderr and "[rank 0/2]" in q.stderr, "both MPI ranks ran points")
    if q.returncode == 0:
        with open(os.path.join(mpi, "results.csv")) as f:
            check(f.read() == local_csv, "mpirun -n 2 results.csv is identical to the local one")

# Resume: remove two records (as if interrupted), run again: only those two run, same results.
for pid in ("p0003", "p0006"):
    os.remove(os.path.join(local, "points", pid + ".json"))
os.remove(os.path.join(local, "results.csv"))
p = oasim("sweep", SWEEP, "--out", local, "--jobs", "2")
check("6 of 8 points already done" in p.stderr, "resume skips the finished points")
check("ran 2 point(s)" in p.stdout, "resume runs only the missing points")
with open(os.path.join(local, "results.csv")) as f:
    check(f.read() == local_csv, "resumed results are identical, nothing duplicated")

# Job-array shards into one folder, then merge.
sh = os.path.join(TMP, "shards")
oasim("sweep", SWEEP, "--out", sh, "--shard", "0/2", "--jobs", "2")
p = oasim("sweep", SWEEP, "--out", sh, "--merge-only")
check("4 not run yet" in p.stdout, "merge reports the points of shards not yet run")
oasim("sweep", SWEEP, "--out", sh, "--shard", "1/2", "--jobs", "2")
oasim("sweep", SWEEP, "--out", sh, "--merge-only")
with open(os.path.join(sh, "results.csv")) as f:
    check(f.read() == local_csv, "shards 0/2 + 1/2 merge into the same results")

# A different sweep into the same folder is refused.
other = write("other.yaml", open(SWEEP).read().replace("[6, 8]", "[6, 10]"))
p = oasim("sweep", other, "--out", local, expect=2)
check("different sweep" in p.stderr, "a folder of another sweep is refused")

# A crashing point: its data file is not an HDF5 file. It is recorded as failed; the others run.
bogus = write("bogus.h5", "not an hdf5 file\n")
crash = write("crash.yaml", f"""base:
  hw: {ROOT}/configs/hw/default.yaml
  model: {ROOT}/models/videomamba-stream-mfm.h5
  clips: 1
  frames: 4
  calib_clips: 1
axes:
  data: [mfm:test, {bogus}]
metrics: [optical_top1]
""")
p = oasim("sweep", crash, "--out", os.path.join(TMP, "crash"), "--jobs", "1")
r = rows(os.path.join(TMP, "crash"))
check([x["status"] for x in r] == ["ok", "failed"], "the bad point is recorded as failed, the other ran")
check("not an HDF5 file" in r[1]["error"], f"the failure keeps the point's error ({r[1]['error']!r})")
check("1 failed" in p.stdout, "the summary counts failures")

# Plots.
oasim("plot", local, "--out", os.path.join(TMP, "plots"))
pngs = sorted(os.listdir(os.path.join(TMP, "plots")))
check("pareto.png" in pngs and "optical_top1_vs_adc.bits.png" in pngs, f"plots written ({pngs})")

# Bad sweep files: exit 2, message with file:line.
bad = write("bad.yaml", "axes:\n  adc.bits: [4, 99]\n")
p = oasim("sweep", bad, expect=2)
check("bad.yaml" in p.stderr and "adc.bits" in p.stderr and "99" in p.stderr, "a bad value is refused up front")
bad = write("bad2.yaml", "axes:\n  adc.bitz: [4]\n")
p = oasim("sweep", bad, expect=2)
check("bad2.yaml:2" in p.stderr, "an unknown axis names its line")
check(not os.path.exists(os.path.join(TMP, "oasim-out", "sweep-bad2")), "nothing is created for a refused sweep")

shutil.rmtree(TMP, ignore_errors=True)
finish()
