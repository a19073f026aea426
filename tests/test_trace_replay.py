#!/usr/bin/python3
"""Trace record and replay: replaying a trace recorded on the default config agrees with full runs on
other configs (frames/s and energy per frame within 1 %, bench/replay_vs_run.py --check); configs that
change the mapping are refused without --retile; truncated, foreign and missing traces give exit 2."""
import os
import shutil
import subprocess
import sys
import tempfile

from pycheck import check, finish  # tests/pycheck.py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OASIM = os.path.abspath(os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim")))
TMP = tempfile.mkdtemp(prefix="oasim-trace-test-")



def oasim(*args):
    return subprocess.run([OASIM, *args], cwd=TMP, capture_output=True, text=True)


p = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "replay_vs_run.py"), "--oasim", OASIM, "--clips", "1",
                    "--check"], capture_output=True, text=True)
print(p.stdout)
check(p.returncode == 0, f"replay agrees with full runs within 1 % on 8 configs ({p.stderr[-800:]})")

trace = os.path.join(TMP, "t.h5")
p = oasim("run", "--clips", "1", "--frames", "4", "--calib-clips", "1", "--out", os.path.join(TMP, "run"),
          "--record-trace", trace)
check(p.returncode == 0 and os.path.exists(trace), "oasim run --record-trace writes the trace")
p = oasim("replay", trace)
check(p.returncode == 0 and "x1.000" in p.stdout, "replay on the recorded config reproduces it")

p = oasim("replay", trace, "--set", "weight_plane.rows=128")
check(p.returncode == 2 and "weight_plane.rows: 256 -> 128" in p.stderr and "--retile" in p.stderr,
      "a plane size that changes the tiling is refused, naming the key")
p = oasim("replay", trace, "--set", "weight_plane.rows=128", "--retile")
check(p.returncode == 0 and "re-tiled" in p.stdout, "--retile recompiles the mapping")

with open(trace, "rb") as f:
    data = f.read()
cut = os.path.join(TMP, "cut.h5")
with open(cut, "wb") as f:
    f.write(data[: len(data) // 2])
p = oasim("replay", cut)
check(p.returncode == 2 and "cut.h5" in p.stderr, f"a truncated trace: exit 2 naming the file ({p.stderr.strip()})")
p = oasim("replay", os.path.join(ROOT, "models", "videomamba-stream-mfm.h5"))
check(p.returncode == 2 and "not an oasim trace" in p.stderr, "a model file is not taken for a trace")
p = oasim("replay", os.path.join(TMP, "missing.h5"))
check(p.returncode == 2 and "no such file" in p.stderr, "a missing trace: exit 2")

# Activation traces: from oasim run, and from the PyTorch hook script; replayed through the numerics.
act = os.path.join(TMP, "act.h5")
p = oasim("run", "--clips", "1", "--frames", "2", "--calib-clips", "1", "--out", os.path.join(TMP, "run2"),
          "--record-trace", act, "--trace-activations", "32")
p = oasim("replay-activations", act, "--json", os.path.join(TMP, "act.json"))
import json  # noqa: E402
layers = json.load(open(os.path.join(TMP, "act.json"))) if p.returncode == 0 else []
check(len(layers) == 50 and all(l["reference_mismatch"] < 1e-5 for l in layers),
      "oasim run --trace-activations: 50 layers, captured outputs equal x W^T + b")
mlp = os.path.join(TMP, "mlp.h5")
q = subprocess.run([sys.executable, os.path.join(ROOT, "workloads", "python", "capture_activations.py"), "--demo", "mlp",
                    "--out", mlp], capture_output=True, text=True)
check(q.returncode == 0, f"PyTorch hook script captures the demo MLP ({q.stderr[-300:]})")
ideal = ["--set", "detector.noise_model=off", "--set", "modulator.dac_bits=16", "--set", "adc.bits=16",
         "--set", "weight_plane.weight_bits=8", "--set", "weight_plane.fixed_pattern_sigma=0",
         "--set", "weight_plane.crosstalk=0"]
p1 = oasim("replay-activations", mlp, "--json", os.path.join(TMP, "ideal.json"), *ideal)
p2 = oasim("replay-activations", mlp, "--json", os.path.join(TMP, "noisy.json"))
if p1.returncode == 0 and p2.returncode == 0:
    ideal_r = json.load(open(os.path.join(TMP, "ideal.json")))
    noisy_r = json.load(open(os.path.join(TMP, "noisy.json")))
    check(len(ideal_r) == 3 and all(l["reference_mismatch"] < 1e-5 for l in ideal_r), "PyTorch outputs match x W^T + b")
    check(all(l["sqnr_db"] > 35 for l in ideal_r), f"W8, 16-bit converters, no noise: SQNR > 35 dB ({[round(l['sqnr_db'], 1) for l in ideal_r]})")
    check(all(n["sqnr_db"] < i["sqnr_db"] - 10 for n, i in zip(noisy_r, ideal_r)),
          "default W4 + noise is at least 10 dB worse than the ideal config")
else:
    check(False, f"replay-activations runs ({p1.stderr[-300:]} {p2.stderr[-300:]})")

shutil.rmtree(TMP, ignore_errors=True)
finish()
