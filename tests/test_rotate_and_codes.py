#!/usr/bin/python3
"""The two model-file tools behind issue 15's fine-tuning from a post-training solution (CPU, seconds):

1. oasim.rotation.residual_rotation_matrix: orthogonal with entries +-1/sqrt(d) (a Hadamard matrix) at
   d = 48 (Paley 11 x Sylvester 4) and 64 (Sylvester); d = 40 (no construction: Sylvester blocks of 8)
   still orthogonal.
2. rotate_model.py on a tiny model with non-unit norm weights: the PyTorch fp32 logits equal the
   original's to 1e-5 (relative) and every norm weight is 1.
3. Against the simulator's own rotation (workloads/quant/residual_rotation.cpp, an independent
   implementation): `oasim infer --hw` of the rotated file with RTN gives the logits of the original run
   with a recipe `residual_rotation: {seed: 5}` + RTN (noise off), to 1e-6.
4. codes_to_weights.py: from the device state of GPTQ + an out_proj block Hadamard, the written model run
   with RTN + the same Hadamard holds the same codes and scales on the planes (device states equal row
   for row, but for the rows the script reports as re-rounding: rows whose largest GPTQ code is below
   the largest level); refused with one line (exit 2): a file that is no device state, and the state of
   a recipe with residual_rotation (its codes belong to a rotated copy of the model).
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from oasim import h5io  # noqa: E402
from oasim.rotation import residual_rotation_matrix  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config  # noqa: E402
from pycheck import check, finish  # noqa: E402  (tests/pycheck.py)

OASIM = os.path.abspath(os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim")))
PY = sys.executable
TMP = tempfile.mkdtemp(prefix="oasim-rotate-")
HW = os.path.join(ROOT, "configs", "hw", "default.yaml")
NOISE_OFF = ["--set", "detector.noise_model=off"]
torch.set_num_threads(2)
torch.manual_seed(0)



def run(*args):
    p = subprocess.run(list(args), cwd=TMP, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p.stdout


def path(name):
    return os.path.join(TMP, name)


def write(name, text):
    with open(path(name), "w") as f:
        f.write(text)
    return path(name)


def rel(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def cpp_logits(model, recipe, tag):
    out = path(f"{tag}-logits.h5")
    run(OASIM, "infer", "-m", model, "--random-input", "3", "--frames", "3", "--hw", HW, "--recipe", recipe,
        "--logits-out", out, "--calibration-data", "random", "--calibration-clips", "1", *NOISE_OFF)
    with h5py.File(out) as f:
        return np.asarray(f["logits"], dtype=np.float64)


# ---- 1. the matrix
for d in (48, 64, 40):
    q = residual_rotation_matrix(d, 7)
    orth = float(np.abs(q @ q.T - np.eye(d)).max())
    check(orth < 1e-12, f"d = {d}: Q Q^T = I to {orth:.1e}")
    if d != 40:
        check(np.allclose(np.abs(q), 1 / np.sqrt(d)), f"d = {d}: every entry is +-1/sqrt(d) (a Hadamard matrix)")
check(not np.allclose(residual_rotation_matrix(48, 1), residual_rotation_matrix(48, 2)),
      "another seed draws other signs")

# ---- 2. rotate_model.py keeps the fp32 function
cfg = tiny_config("videomamba-stream", embed_dim=48, num_frames=3)
model = init_random_(VideoMamba(cfg), 11)
with torch.no_grad():   # non-unit norm weights, so that folding them is tested
    for name, p in model.named_parameters():
        if name.endswith("norm.weight") or name == "norm_f.weight":
            p.copy_(0.5 + torch.rand_like(p))
original = path("tiny.h5")
h5io.write_model(original, cfg, model.state_dict())
rotated = path("tiny-rotated.h5")
run(PY, os.path.join(ROOT, "workloads", "python", "rotate_model.py"), original, rotated, "--seed", "5")
rcfg, rsd = h5io.read_model(rotated)
rmodel = VideoMamba(rcfg)
rmodel.load_state_dict(rsd)
video = torch.randn(2, cfg.in_chans, 3, cfg.img_size, cfg.img_size)
with torch.no_grad():
    a, b = model(video).double().numpy(), rmodel(video).double().numpy()
check(rel(b, a) < 1e-5, f"rotated model, fp32 logits equal the original's: relative {rel(b, a):.1e} < 1e-5")
norms = [v for k, v in rsd.items() if k.endswith("norm.weight") or k == "norm_f.weight"]
check(all(bool((v == 1).all()) for v in norms), "every norm weight of the rotated model is 1 (folded)")
check(rel(rsd["layers.0.mixer.in_proj.weight"].double().numpy(),
          model.state_dict()["layers.0.mixer.in_proj.weight"].double().numpy()) > 0.5,
      "the rotated model's weights differ from the original's")

# ---- 3. the simulator's rotation gives the same hardware run
rtn = write("rtn.yaml", "name: rtn\nweights: {method: rtn}\n")
rtn_rot = write("rtn-rot.yaml", "name: rtn-rot\nweights: {method: rtn}\nresidual_rotation: {seed: 5}\n")
la, lb = cpp_logits(original, rtn_rot, "sim-rot"), cpp_logits(rotated, rtn, "file-rot")
check(rel(lb, la) < 1e-6, f"oasim infer --hw: rotated file + RTN equals original + residual_rotation recipe: "
                          f"relative {rel(lb, la):.1e} < 1e-6")

# ---- 4. codes_to_weights.py
gptq_h = write("gptq-h.yaml", "name: gptq-h\nweights: {method: gptq, clip_search: true, damping: 0.01, act_order: true}\n"
                              "hadamard: {sites: [out_proj], seed: 1}\n")
rtn_h = write("rtn-h.yaml", "name: rtn-h\nweights: {method: rtn}\nhadamard: {sites: [out_proj], seed: 1}\n")
state_gptq, state_back = path("state-gptq.h5"), path("state-back.h5")
common = ["--random-input", "3", "--frames", "3", "--hw", HW, "--calibration-data", "random", "--calibration-clips", "1",
          *NOISE_OFF]
run(OASIM, "infer", "-m", rotated, *common, "--recipe", gptq_h, "--device-out", state_gptq)
dequantized = path("tiny-codes.h5")
said = run(PY, os.path.join(ROOT, "workloads", "python", "codes_to_weights.py"), rotated, state_gptq, dequantized)
reported = int(said.split(";")[1].split()[0])
run(OASIM, "infer", "-m", dequantized, *common, "--recipe", rtn_h, "--device-out", state_back)
rows_differ = rows = 0
scale_err = 0.0
with h5py.File(state_gptq) as fa, h5py.File(state_back) as fb:
    for site in fa["sites"]:
        ga, gb = fa["sites"][site], fb["sites"][site]
        ca, cb = np.asarray(ga["codes"]), np.asarray(gb["codes"])
        same = ~(ca != cb).any(axis=1)
        rows_differ += int((~same).sum())
        rows += ca.shape[0]
        sa, sb = np.asarray(ga["scales"])[same], np.asarray(gb["scales"])[same]
        scale_err = max(scale_err, float(np.abs(sb / sa - 1).max()))
check(rows_differ == reported and reported <= rows // 50,
      f"RTN of the written weights (through the recipe's Hadamard) gives the GPTQ codes: {rows_differ} of {rows} "
      f"rows differ, the script reported {reported}")
check(scale_err < 1e-6, f"and the GPTQ scales on the rows it keeps (relative {scale_err:.1e} < 1e-6)")
state_rot = path("state-rot.h5")
run(OASIM, "infer", "-m", original, *common, "--recipe", rtn_rot, "--device-out", state_rot)
for what, state, expect in (("a model file given as the device state", original, "not an oasim device state"),
                            ("a state of a residual_rotation recipe", state_rot, "rotate the model file")):
    p = subprocess.run([PY, os.path.join(ROOT, "workloads", "python", "codes_to_weights.py"), original, state,
                        path("x.h5")], capture_output=True, text=True)
    check(p.returncode == 2 and expect in p.stderr and len(p.stderr.strip().splitlines()) == 1,
          f"{what}: exit 2, one line ({p.stderr.strip()[:110]!r})")

finish()
