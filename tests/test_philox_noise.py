#!/usr/bin/python3
"""The detector-noise generator shared by the simulator and PyTorch (issue 16, docs/pytorch-hardware.md).

- Known answers: Philox-4x32-10 equals Random123's published vectors (CPU, and CUDA when present).
- Streams: same key, same samples; a fill cut in pieces equals one fill; the 64-bit counter carries into
  its high word; samples are N(0, 1).
- Draw for draw against C++: with detector noise on, `oasim infer --hw --seed N` and the PyTorch model
  converted with the exported device state and noise_seed=N give the same noisy outputs per site
  (teacher-forced) and the same logits (tiny stream model, 3 frames: the stream continues across
  frames; small planes, so every Linear runs several optical passes; the gaussian model; a clip model);
  with another seed on one side they differ by the noise. The shipped model: per site, and its logits
  at the fp32 floor of deep models.
- A batch draws what the device would draw running its elements one after another on one stream;
  noise_rng="torch" is reproducible.
"""
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
from oasim.noise import PhiloxNoiseStream, device_calls, philox4x32_10, philox_normals, stream_seed  # noqa: E402
from oasim.optical import convert_to_optical, optical_layers  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config  # noqa: E402
from pycheck import check, finish  # noqa: E402  (tests/pycheck.py)

OASIM = os.path.abspath(os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim")))
TMP = tempfile.mkdtemp(prefix="oasim-philox-")
DEFAULT_HW = os.path.join(ROOT, "configs", "hw", "default.yaml")
SHIPPED = os.path.join(ROOT, "models", "videomamba-stream-mfm.h5")
torch.set_num_threads(2)



# ------------------------------------------------------------------ 1. known answers (Random123 kat_vectors)
KAT = [((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
       ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
       ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1))]
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for dev in devices:
    for ctr, key, want in KAT:
        got = tuple(int(w) for w in philox4x32_10(torch.tensor([ctr], device=dev), key)[0])
        check(got == want, f"philox4x32_10 ({dev}) ctr {ctr[0]:08x}.. key {key[0]:08x}..: "
              f"{' '.join(f'{w:08x}' for w in got)}")

# ------------------------------------------------------------------ 2. streams
key = stream_seed(1, "layers.0.mixer.in_proj/detector_noise")
a = PhiloxNoiseStream(key)
pieces = torch.cat([a.fill(n) for n in (3, 1, 6, 0, 1025, 7)])
check(torch.equal(pieces, PhiloxNoiseStream(key).fill(1042)) and a.position == 1042,
      "a fill cut into pieces (3, 1, 6, 0, 1025, 7) equals one fill of 1042; the position advances by 1042")
check(torch.equal(philox_normals(key, 5, 11), philox_normals(key, 0, 16)[5:]),
      "philox_normals from an offset inside a counter equals the slice of a longer draw")
b = PhiloxNoiseStream(key)
b.seek(1000)
check(torch.equal(b.fill(42), pieces[1000:]), "seek continues a stream where it stopped")
check(torch.equal(philox_normals(key, 0, 100), philox_normals(key, 0, 100)) and
      not torch.equal(philox_normals(key, 0, 100), philox_normals(key + 1, 0, 100)),
      "same key: same samples; another key: other samples")
# Counter 2^32 - 1 and 2^32: the high word carries (C++: c0 = low, c1 = high 32 bits of the counter).
first = 4 * ((1 << 32) - 1)
words = philox4x32_10(torch.tensor([[0xFFFFFFFF, 0, 0, 0], [0, 1, 0, 0]]), (key & 0xFFFFFFFF, key >> 32))
u = ((words >> 9).float() + 0.5) * 2.0 ** -23
r = (-2.0 * torch.log(u[:, 0::2])).sqrt()
v = u[:, 1::2] * torch.tensor(2 * np.pi, dtype=torch.float32)
expect = torch.stack([r * torch.cos(v), r * torch.sin(v)], -1).reshape(-1)
check(torch.equal(philox_normals(key, first, 8), expect), "64-bit counters: samples 4 (2^32 - 1) .. carry into c1")
z = philox_normals(key, 0, 1 << 20)
check(abs(float(z.mean())) < 5e-3 and abs(float(z.std()) - 1) < 5e-3 and float(z.abs().max()) < 6,
      f"N(0, 1): mean {float(z.mean()):.1e}, std {float(z.std()):.4f} over 2^20 samples")
if "cuda" in devices:
    check(torch.allclose(philox_normals(key, 7, 100000, "cuda").cpu(), philox_normals(key, 7, 100000), atol=1e-5),
          "CUDA draws the CPU's samples (to float rounding of log/sin/cos)")


# ------------------------------------------------------------------ 3. draw for draw against the simulator
def oasim(*args):
    p = subprocess.run([OASIM, *args], cwd=TMP, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"oasim {' '.join(args)}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")


def config_with(name, **sets):
    """default.yaml with keys replaced ('section__key': value), written to TMP."""
    hw = hwc.load(DEFAULT_HW)
    for k, v in sets.items():
        hw.set(k.replace("__", "."), str(v))
    sections = {}
    for k, v in hw.items():
        sec, _, leaf = k.rpartition(".")
        sections.setdefault(sec, {})[leaf] = v
    lines = [f"{k}: {v}" for k, v in sections.pop("").items()]
    for sec, kv in sections.items():
        lines += [f"{sec}:"] + [f"  {k}: {v}" for k, v in kv.items()]
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def rel(a, b):
    return float((a - b).norm() / b.norm())


def write_clip(name, v):
    path = os.path.join(TMP, name)
    with h5py.File(path, "w") as f:
        f.create_dataset("video", data=v[0].numpy().astype(np.float32))
    return path


g = torch.Generator().manual_seed(5)
videos = {"videomamba-stream": torch.randn(1, 3, 3, 32, 32, generator=g)}
videos["videomamba"] = videos["videomamba-stream"]
videos["shipped"] = torch.rand(1, 1, 2, 64, 64, generator=g)          # 2 Moving Fashion-MNIST-sized frames
clips = {k: write_clip(f"clip-{k}.h5", v) for k, v in videos.items()}
configs, model_files = {}, {"shipped": SHIPPED}
for variant in ("videomamba-stream", "videomamba"):    # a stream model runs frame by frame, a clip model at once
    configs[variant] = tiny_config(variant, num_frames=3)
    model_files[variant] = os.path.join(TMP, f"{variant}.h5")
    h5io.write_model(model_files[variant], configs[variant], init_random_(VideoMamba(configs[variant]), 9).state_dict())
configs["shipped"], shipped_state = h5io.read_model(SHIPPED)


def cpp_logits(variant, tag, cfg, seed, device_out, sites_out):
    out = os.path.join(TMP, f"{tag}-{seed}.h5")
    oasim("infer", "-m", model_files[variant], "--input", clips[variant], "--hw", cfg, "--seed", str(seed),
          "--logits-out", out, "--calibration-data", "random", "--calibration-clips", "1", "--device-out",
          device_out, "--record-sites", sites_out)
    with h5py.File(out) as f:
        return torch.from_numpy(np.asarray(f["logits"]))


def model(variant, cfg, dev, seed):
    m = VideoMamba(configs[variant])
    if variant == "shipped":
        m.load_state_dict(shipped_state)
    else:
        init_random_(m, 9)
    return convert_to_optical(m.eval(), cfg, device_state=dev, noise_seed=seed)


def check_sites(tag, variant, cfg, dev, sites, seed):
    """Teacher-forced, per Linear site: the simulator's recorded input rows (all 3 frames) through a fresh
    PyTorch layer of the same seed give the simulator's noisy outputs, so every site's noise samples are
    the simulator's. Allowed: ADC decisions flipped by float rounding (one output sample in a million)."""
    layers = optical_layers(model(variant, cfg, dev, seed))
    calls = 1 if variant == "videomamba" else videos[variant].shape[2]   # `oasim infer` streams frame by frame
    errs, differing, total = [], 0, 0
    with h5py.File(sites) as f:
        for name, grp in f["sites"].items():
            x, y = torch.from_numpy(np.asarray(grp["x"])), torch.from_numpy(np.asarray(grp["y"]))
            with torch.no_grad(), device_calls(calls):
                p = layers[name].hardware_forward(x)
            errs.append(rel(p, y))
            differing += int(((p - y).abs() > 1e-5 * y.abs().max()).sum())
            total += y.numel()
    errs.sort()
    check(len(errs) == len(layers) and errs[len(errs) // 2] <= 1e-6 and differing <= max(2, 1e-5 * total),
          f"noise on, {tag}: per site, C++ inputs through PyTorch give C++'s noisy outputs: median relative "
          f"difference {errs[len(errs) // 2]:.1e} over {len(errs)} sites, {differing} of {total} outputs differ")


def py_logits(variant, cfg, dev, seed, batch=1):
    with torch.no_grad():
        # The shipped model through the chunked scan (equal to the token loop to ~1e-7, test_reference.py):
        # the loop costs tens of seconds on 2 busy cores, far inside the floor its logits are held to.
        return model(variant, cfg, dev, seed)(videos[variant].expand(batch, -1, -1, -1, -1),
                                              scan_impl="chunked" if variant == "shipped" else "loop")


# Tolerance: both sides draw the same N(0, 1) numbers, so what differs is float rounding: Eigen's vs
# torch's log/sin/cos (an ulp of z), the noise std (C++ float, PyTorch double then float), the digital
# ops between the Linears. A quantizer (DAC or ADC) decision flips only when its input sits within that
# rounding (~1e-7) of a step boundary. Noise off, tiny models agree to <= 1e-5 (test_optical_torch.py);
# noise on is held to the same 1e-5 relative (measured 3e-8 to 2e-7). That holds for a given seed, not
# for every seed: over seeds 1-8 at 20x noise, 2 had one upstream DAC code flipped by the digital ops'
# rounding (the site reproduces C++ exactly when fed C++'s input) and their logits differ by 5e-3 and
# 1e-2; the per-site check above is immune to that. Another seed on one side must differ by far more
# (>= 1000x the tolerance; measured 0.3 to 1.6): the draws, not just their distribution, are what agree.
TOL = 1e-5
passes = config_with("passes.yaml", detector__noise_scale=20, modulator__scale="static",
                     modulator__signed_encoding="offset", weight_plane__scale="group", weight_plane__group_size=16,
                     weight_plane__cols=24, weight_plane__rows=20, adc__bits=6)
cases = [
    ("stream, physical", "videomamba-stream", config_with("phys.yaml")),
    ("stream, physical x20", "videomamba-stream", config_with("loud.yaml", detector__noise_scale=20)),
    # Several passes per Linear and several frames: the layout (per frame, per pass, L x M) matters here.
    ("stream, physical x20, 24 x 20 planes, static DAC, offset, groups", "videomamba-stream", passes),
    ("stream, gaussian 2 %", "videomamba-stream",
     config_with("gauss.yaml", detector__noise_model="gaussian", detector__sigma_rel=0.02)),
    ("clip, physical x20, 24 x 20 planes, static DAC, offset, groups", "videomamba", passes),
    ("shipped model, 2 frames, default design", "shipped", DEFAULT_HW),
]
for i, (tag, variant, cfg) in enumerate(cases):
    dev, sites = os.path.join(TMP, f"device-{i}.h5"), os.path.join(TMP, f"sites-{i}.h5")
    cpp = cpp_logits(variant, f"case{i}", cfg, 3, dev, sites)
    check_sites(tag, variant, cfg, dev, sites, 3)
    py = py_logits(variant, cfg, dev, 3)[0].reshape(cpp.shape)
    other = py_logits(variant, cfg, dev, 4)[0].reshape(cpp.shape)
    err, far = rel(py, cpp), rel(other, cpp)
    if variant == "shipped":
        # 8 layers deep: fp32 rounding of the digital ops flips upstream quantizer decisions, so the logits
        # agree only to the simulator's own floor (noise off: 1-2e-2, docs/pytorch-hardware.md), per site
        # exactly (above). Another seed's noise still moves them several times further.
        same = bool((py.argmax(-1) == cpp.argmax(-1)).all())
        check(err <= 5e-2 and same and far >= 3 * err,
              f"noise on, {tag}: PyTorch vs `oasim infer --hw --seed 3` logits relative difference {err:.1e} "
              f"(<= 5e-2, the fp32 floor), same top-1 {same}; PyTorch with --seed 4's noise: {far:.1e}")
        continue
    check(err <= TOL and far >= 1000 * TOL,
          f"noise on, {tag}: PyTorch vs `oasim infer --hw --seed 3` logits relative difference "
          f"{err:.1e} <= {TOL:g}; PyTorch with --seed 4's noise: {far:.1e} (>= {1000 * TOL:g})")
    if cfg == passes:
        # Two clips or streams in one batch = the device running them one after the other (one stream per site).
        both = py_logits(variant, cfg, dev, 3, batch=2)
        m = model(variant, cfg, dev, 3)
        with torch.no_grad():
            one, two = m(videos[variant]), m(videos[variant])
        e0, e1, d = rel(both[0], one[0]), rel(both[1], two[0]), rel(one, two)
        check(max(e0, e1) <= 1e-5 and d >= 100 * TOL,
              f"batch of 2 ({tag}): element b draws what the device draws running the elements in order "
              f"(relative differences {e0:.1e}, {e1:.1e}; the two elements differ by {d:.1e})")

# noise_rng="torch" (torch.randn, faster, not the simulator's draws): reproducible for a seed, other draws.
dev0 = os.path.join(TMP, "device-0.h5")
runs = []
for rng in ("torch", "torch", "philox"):
    m = init_random_(VideoMamba(configs["videomamba-stream"]), 9).eval()
    convert_to_optical(m, cases[0][2], device_state=dev0, noise_seed=3, noise_rng=rng)
    with torch.no_grad():
        runs.append(m(videos["videomamba-stream"]))
check(torch.equal(runs[0], runs[1]) and rel(runs[0], runs[2]) > 1000 * TOL,
      f"noise_rng='torch': reproducible, and other draws than Philox (relative difference {rel(runs[0], runs[2]):.1e})")

finish()
