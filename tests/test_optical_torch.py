#!/usr/bin/python3
"""The PyTorch OpticalLinear against the C++ simulator (issue 15, docs/pytorch-hardware.md).

- Config validation: the Python key table equals `oasim describe --json`; bad configs get the simulator's
  own message on both sides.
- Noise off: PyTorch and C++ logits (`oasim infer --hw`, device state from `--device-out`) agree to
  <= 1e-5 relative on the shipped model, on a VideoMamba-Ti-shaped random model, and on a tiny model
  under other configs and recipes (static DAC, offset encoding, group scales, GPTQ + Hadamard, Quamba2).
- Noise on: one layer's per-output noise variance equals the closed form (physical and gaussian); noisy
  C++ and PyTorch agree draw for draw in tests/test_philox_noise.py.
- Bad input: unsupported configs and recipes are refused naming the layer and key.
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))

import torch  # noqa: E402

from oasim import h5io  # noqa: E402
from oasim import hardware_config as hwc  # noqa: E402
from oasim.optical import (OpticalConfigError, OpticalLinear, convert_to_optical, load_device_state,  # noqa: E402
                           optical_layers)
from oasim.videomamba import VideoMamba, init_random_, tiny_config, videomamba_ti_config  # noqa: E402
from pycheck import check, finish  # noqa: E402  (tests/pycheck.py)

OASIM = os.path.abspath(os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim")))
TMP = tempfile.mkdtemp(prefix="oasim-optical-torch-")
DEFAULT_HW = os.path.join(ROOT, "configs", "hw", "default.yaml")
SHIPPED = os.path.join(ROOT, "models", "videomamba-stream-mfm.h5")
torch.set_num_threads(2)




def oasim(*args, expect=0):
    p = subprocess.run([OASIM, *args], cwd=TMP, capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        sys.exit(f"oasim {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout[-3000:]}\n"
                 f"{p.stderr[-3000:]}")
    return p


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def config_with(name, **sets):
    """default.yaml with keys replaced ('section.key': value), written to TMP."""
    hw = hwc.load(DEFAULT_HW)
    for k, v in sets.items():
        hw.set(k.replace("__", "."), str(v))
    sections = {}
    for k, v in hw.items():
        sec, _, leaf = k.rpartition(".")
        sections.setdefault(sec, {})[leaf] = v
    lines = [f"{k}: {v}" for k, v in sections.pop("").items()]
    for sec, kv in sections.items():
        lines.append(f"{sec}:")
        lines += [f"  {k}: {v}" for k, v in kv.items()]
    return write(name, "\n".join(lines) + "\n")


def write_clip(name, video):
    path = os.path.join(TMP, name)
    with h5py.File(path, "w") as f:
        f.create_dataset("video", data=video.numpy().astype(np.float32))
    return path


def rel(a, b):
    return float((a - b).norm() / b.norm())


# ------------------------------------------------------------------ 1. config validation, one source of truth
described = json.loads(oasim("describe", "--json").stdout)
check(described["keys"] == hwc.key_table(),
      "hardware_keys.json equals `oasim describe --json` (regenerate it after changing the key table)")

bad_configs = {
    "unknown.yaml": "name: x\nadc:\n  bitz: 8\n",
    "range.yaml": "name: x\nadc:\n  bits: 40\n",
    "type.yaml": "name: x\nmodulator:\n  scale: sometimes\n",
    "section.yaml": "name: x\nadc: 8\n",
    "twice.yaml": "name: x\nadc:\n  bits: 8\n  bits: 6\n",
    "group.yaml": "name: x\nweight_plane:\n  scale: group\n  group_size: 512\n",
    "null.yaml": "name: x\nadc:\n  bits:\n",
}
for name, text in bad_configs.items():
    path = write(name, text)
    p = oasim("describe", "--hw", path, expect=2)
    cpp = p.stderr.strip().removeprefix("oasim: error: ")
    try:
        hwc.load(path)
        py = "(accepted)"
    except hwc.HardwareConfigError as e:
        py = str(e)
    check(py == cpp, f"{name}: same message in Python and C++: {cpp!r} vs {py!r}")

# ------------------------------------------------------------------ 2. noise off: the same numbers
def run_cpp(tag, cfg_path, clip, recipe=None, calib="random", extra=()):
    out = os.path.join(TMP, f"{tag}-logits.h5")
    args = ["infer", "-m", model_path[tag], "--input", clip, "--hw", cfg_path, "--logits-out", out,
            "--calibration-data", calib, "--calibration-clips", "1", *extra]
    if recipe:
        args += ["--recipe", recipe]
    oasim(*args)
    with h5py.File(out) as f:
        return torch.from_numpy(np.asarray(f["logits"]))


def check_sites(tag, model, sites_file):
    """Teacher-forced, per Linear site: the simulator's recorded input rows through the PyTorch layer must
    give the simulator's output rows. The only allowed differences are ADC decisions flipped by the float
    summation order of the fixed-pattern-weighted products (one output sample in millions)."""
    layers = optical_layers(model)
    errs, differing, total = [], 0, 0
    with h5py.File(sites_file) as f:
        for name, g in f["sites"].items():
            x, y = torch.from_numpy(np.asarray(g["x"])), torch.from_numpy(np.asarray(g["y"]))
            with torch.no_grad():
                p = layers[name].hardware_forward(x)
            errs.append(rel(p, y))
            differing += int(((p - y).abs() > 1e-5 * y.abs().max()).sum())
            total += y.numel()
    errs.sort()
    check(len(errs) == len(layers) and errs[len(errs) // 2] <= 1e-6 and differing <= max(2, 1e-5 * total),
          f"{tag}: per site, C++ inputs through PyTorch give C++ outputs: median relative difference "
          f"{errs[len(errs) // 2]:.1e} over {len(errs)} sites, {differing} of {total} outputs differ by > 1e-5 "
          f"(ADC decisions flipped by summation order)")


def compare(tag, model, cfg_path, video, recipe=None, tol=1e-5):
    """`oasim infer --hw` vs the PyTorch model converted with the exported device state: per site always;
    whole-model logits to `tol`, or (tol=None, deep models) to within the simulator's own fp32 floor: how
    much its logits move when the input moves by 1e-7 relative (quantizer decisions flipping upstream)."""
    clip = write_clip(f"{tag}-clip.h5", video[0])
    dev, sites = os.path.join(TMP, f"{tag}-device.h5"), os.path.join(TMP, f"{tag}-sites.h5")
    cpp = run_cpp(tag, cfg_path, clip, recipe, extra=("--device-out", dev, "--record-sites", sites))
    convert_to_optical(model, cfg_path, recipe=recipe, device_state=dev)
    with torch.no_grad():
        # Deep models: the chunked scan (equal to the token loop to ~1e-7, tests/test_reference.py), as the
        # loop costs a minute per Ti frame on 2 cores; well inside the floor the comparison allows.
        py = model(video, scan_impl="loop" if tol is not None else "chunked")[0].reshape(cpp.shape)
    check_sites(tag, model, sites)
    err = rel(py, cpp)
    if tol is not None:
        check(err <= tol, f"{tag}: PyTorch vs C++ hardware logits, relative difference {err:.2e} <= {tol:g}")
        return model, dev
    gen = torch.Generator().manual_seed(99)
    nudged = video[0] * (1 + 1e-7 * torch.randn(video[0].shape, generator=gen))
    floor = rel(run_cpp(tag + "-nudged", cfg_path, write_clip(f"{tag}-nudged.h5", nudged), recipe), cpp)
    same = bool((py.argmax(-1) == cpp.argmax(-1)).all())
    check(err <= 5 * floor and (same or tag == "ti"),
          f"{tag}: PyTorch vs C++ hardware logits, relative difference {err:.2e}; the simulator vs itself on the "
          f"input moved by 1e-7: {floor:.2e}; same top-1 {same}")
    return model, dev


model_path = {}


def random_model(tag, cfg, seed):
    m = init_random_(VideoMamba(cfg), seed).eval()
    model_path[tag] = model_path[tag + "-nudged"] = os.path.join(TMP, f"{tag}.h5")
    h5io.write_model(model_path[tag], cfg, m.state_dict())
    return m


quiet = config_with("quiet.yaml", detector__noise_model="off")
tiny = tiny_config("videomamba-stream", num_frames=3)
g = torch.Generator().manual_seed(5)
tiny_video = torch.randn(1, 3, 3, 32, 32, generator=g)

m, dev = compare("tiny-default", random_model("tiny-default", tiny, 3), quiet, tiny_video)
ds = load_device_state(dev)
layer = optical_layers(m)["layers.1.mixer.in_proj"]
sigma = np.float32(hwc.load(DEFAULT_HW)["weight_plane.fixed_pattern_sigma"])
mine = ds.sites[layer.site].codes * (1.0 + float(sigma) * ds.sites[layer.site].fixed_pattern)
err = float((mine - ds.sites[layer.site].effective_codes).abs().max())
check(err <= 1e-6 * 7, f"fixed pattern: codes * (1 + sigma * eps) from the exported draw equals the planes' codes "
      f"(max difference {err:.1e})")
check(sorted(m.optical_report.digital) == ["layers.0.mixer.conv1d (Conv1d)", "layers.0.mixer.conv1d_b (Conv1d)",
                                   "layers.0.norm (RMSNorm)", "layers.1.mixer.conv1d (Conv1d)",
                                   "layers.1.mixer.conv1d_b (Conv1d)", "layers.1.norm (RMSNorm)", "norm_f (RMSNorm)"],
      f"unknown layer types listed as digital: {m.optical_report}")

static_offset = config_with("static-offset.yaml", detector__noise_model="off", modulator__scale="static",
                            modulator__signed_encoding="offset", weight_plane__scale="group",
                            weight_plane__group_size=16, weight_plane__cols=24, weight_plane__rows=20,
                            adc__bits=6)
compare("tiny-static-offset", random_model("tiny-static-offset", tiny, 4), static_offset, tiny_video)
for recipe in ("w4a8-hadamard-gptq", "w4a8-quamba2", "w4a8-smooth"):
    path = os.path.join(ROOT, "configs", "recipes", recipe + ".yaml")
    compare(f"tiny-{recipe}", random_model(f"tiny-{recipe}", tiny, 6), quiet, tiny_video, recipe=path)

ti_cfg = videomamba_ti_config("videomamba-stream", num_frames=1)
ti_video = torch.randn(1, 3, 1, 224, 224, generator=g)
compare("ti", random_model("ti", ti_cfg, 7), quiet, ti_video, tol=None)

cfg, sd = h5io.read_model(SHIPPED)
shipped = VideoMamba(cfg)
shipped.load_state_dict(sd)
shipped.eval()
model_path["shipped"] = model_path["shipped-nudged"] = SHIPPED
mfm_video = torch.rand(1, 1, 2, 64, 64, generator=g)
compare("shipped", shipped, quiet, mfm_video, tol=None)

# ------------------------------------------------------------------ 3. noise on: statistics
def one_layer(cfg_path, m_out=48, k=40, n=4000, noise_scale_check=True, noise_rng="philox"):
    """Per-output variance of one OpticalLinear's noisy outputs around its noiseless output, vs closed form."""
    hw = hwc.load(cfg_path)
    gen = torch.Generator().manual_seed(11)
    w = torch.nn.Parameter(torch.randn(m_out, k, generator=gen) * 0.2)
    x = torch.randn(1, k, generator=gen).expand(n, k).contiguous()
    noisy = OpticalLinear(w, None, hw, "probe", noise_rng=noise_rng)
    quiet_hw = hwc.HardwareConfig(hw)
    quiet_hw["detector.noise_model"] = "off"
    clean = OpticalLinear(w, None, quiet_hw, "probe")
    with torch.no_grad():
        y, y0 = noisy(x), clean(x[:1])
    return hw, noisy, x[:1], y, y0


# The light budget: Python's mirror gives the simulator's unit current and light floors (`oasim describe
# --light-budget` prints them) for the default design and for offset encoding with two sources per channel.
import re  # noqa: E402
for tag, cfg in [("default", DEFAULT_HW),
                 ("offset, side by side", config_with("budget.yaml", modulator__signed_encoding="offset",
                                                      weight_plane__addressing="side_by_side", laser__power_mw=7))]:
    out = subprocess.run([OASIM, "describe", "--light-budget", "--hw", cfg], capture_output=True, text=True).stdout
    unit_a = float(re.search(r"= ([0-9.e+-]+) A = ", out).group(1))
    floors = re.search(r"light floors: ([0-9.e+-]+) input codes .*, ([0-9.e+-]+) weight codes", out)
    b = hwc.light_budget(hwc.load(cfg))
    check(abs(b["unit_current_a"] / unit_a - 1) < 1e-3 and abs(b["input_floor"] / float(floors.group(1)) - 1) < 1e-2
          and abs(b["weight_floor"] / float(floors.group(2)) - 1) < 1e-2,
          f"light budget ({tag}): unit current {b['unit_current_a']:.4g} A (C++ {unit_a:.4g}), floors as the simulator")

# Physical model, 16-bit dynamic ADC (its step far below the noise), noise amplified: variance of the
# analog sum = fixed + shot * light + rin * signal^2 (accumulator units), times the scales squared. Both
# generators: the simulator's Philox draws, and torch.randn, which train.py uses (the same distribution).
phys = config_with("phys.yaml", adc__bits=16, adc__range="dynamic", weight_plane__fixed_pattern_sigma=0,
                   weight_plane__crosstalk=0, detector__noise_scale=30, laser__power_mw=1)
for rng in ("philox", "torch"):
    hw, layer, x1, y, y0 = one_layer(phys, noise_rng=rng)
    codes, wscales, weff = layer.weight_codes()
    qx, sx = layer._dac(x1)
    signal = (qx @ weff.t()).double()[0]
    p = hwc.detector_noise_params(hw)
    # All light on the pair, with the modulator's and the dark pixel's floors (the light budget).
    light = ((qx.abs() + 2 * p["input_floor"]) @ (weff.abs() + 2 * p["weight_floor"]).t()).double()[0]
    var_acc = (p["fixed"] + p["shot"] * light + p["rin"] * signal ** 2) * p["noise_scale"] ** 2
    expected = var_acc * (sx[0, 0].double() * wscales[:, 0].double()) ** 2
    measured = y.double().var(dim=0)
    ratio = (measured / expected)
    check(bool(((ratio - 1).abs() < 0.1).all()),
          f"physical noise ({rng}): per-output variance / closed form in [{float(ratio.min()):.3f}, "
          f"{float(ratio.max()):.3f}] (4000 draws, expected 1 +- 0.1)")
    check(float((y.mean(0) - y0[0]).abs().max() / y.std(0).mean()) < 0.15, f"physical noise ({rng}): zero mean")

gauss = config_with("gauss.yaml", adc__bits=16, adc__range="dynamic", weight_plane__fixed_pattern_sigma=0,
                    weight_plane__crosstalk=0, detector__noise_model="gaussian", detector__sigma_rel=0.02)
hw, layer, x1, y, y0 = one_layer(gauss)
codes, wscales, weff = layer.weight_codes()
qx, sx = layer._dac(x1)
# Gaussian: std = sigma_rel * noise_scale * (ADC full scale: max |signal| of the vector before noise).
fs = (qx @ weff.t()).abs().max().double()
expected = (0.02 * fs * sx[0, 0].double() * wscales[:, 0].double()) ** 2
ratio = y.double().var(dim=0) / expected
check(bool(((ratio - 1).abs() < 0.1).all()),
      f"gaussian noise: per-output variance / closed form in [{float(ratio.min()):.3f}, {float(ratio.max()):.3f}]")

# Noise on against C++, draw for draw (the same Philox streams): tests/test_philox_noise.py.

# ------------------------------------------------------------------ 4. bad input and training
def refused(what, fn, must_contain):
    try:
        fn()
        check(False, f"{what}: refused")
    except (OpticalConfigError, hwc.HardwareConfigError) as e:
        check(all(s in str(e) for s in must_contain), f"{what}: refused with {str(e)!r}")


refused("static ADC without a device state",
        lambda: convert_to_optical(init_random_(VideoMamba(tiny), 1), quiet), ["layer 'patch_embed.proj'", "adc.range"])
refused("device state exported for another config",
        lambda: convert_to_optical(init_random_(VideoMamba(tiny), 1), config_with("other.yaml", adc__bits=6,
                                                                                    detector__noise_model="off"),
                                   device_state=dev), ["adc.bits = 8", "adc.bits = 6"])
refused("GPTQ recipe without a device state",
        lambda: convert_to_optical(init_random_(VideoMamba(tiny), 1), quiet,
                                   recipe=os.path.join(ROOT, "configs", "recipes", "w4a8-gptq.yaml")),
        ["w4a8-gptq.yaml", "device_state"])
refused("outlier recipe", lambda: compare("tiny-outlier", random_model("tiny-outlier", tiny, 6), quiet, tiny_video,
                                          recipe=os.path.join(ROOT, "configs", "recipes", "w4a8-outlier.yaml")),
        ["outlier"])

dyn = config_with("dyn.yaml", adc__range="dynamic", weight_plane__fixed_pattern_sigma=0)
m = convert_to_optical(init_random_(VideoMamba(tiny), 2), dyn)   # no device state needed
m.train()
v = tiny_video.clone().requires_grad_(True)
m(v).square().sum().backward()
ok = all(p.grad is not None and torch.isfinite(p.grad).all() for n, p in m.named_parameters()
         if "weight" in n and ("proj" in n or "head" in n))
check(ok and v.grad is not None, "straight-through: every optical layer's weight and the input get finite gradients")

if torch.cuda.is_available():
    mc = m.cuda().eval()
    with torch.no_grad():
        yc = mc(tiny_video.cuda()).cpu()
    check(bool(torch.isfinite(yc).all()), "runs on CUDA")

finish()
