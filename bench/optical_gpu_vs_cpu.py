#!/usr/bin/python3
"""Simulated-hardware frames/s of a VideoMamba-Ti stream: PyTorch OpticalLinear on a GPU vs the C++ simulator.

    optical_gpu_vs_cpu.py gpu [--frames 16] [--batches 1,16,64] [--json OUT]     (on the GPU machine)
    optical_gpu_vs_cpu.py cpu [--frames 4] [--oasim build/bin/oasim] [--json OUT] (here, on the CPU)

Same model (VideoMamba-Ti stream shape, 224 px, 24 layers, random weights from init_random_(seed 1):
speed does not depend on them), same hardware config (configs/hw/default.yaml with a dynamic ADC range
and no fixed-pattern error, so neither side needs a calibrated device state: its arrays for the Ti shape
would not fit a device call), physical detector noise on, same frames (a seeded N(0,1) clip, drawn by
the same CPU generator on both machines). The stream runs frame by frame with the recurrent state
carried, as the simulator's `oasim infer` streams a stream model; `batch` B = B concurrent streams (the
simulator runs one). C++ timing: `oasim infer --frames 1` and `--frames 1+N`, the difference divided by N,
so model loading and plan building are not counted.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))

import h5py  # noqa: E402
import torch  # noqa: E402

from oasim.videomamba import VideoMamba, init_random_, videomamba_ti_config  # noqa: E402

HW = os.path.join(ROOT, "configs", "hw", "default.yaml")
SETS = ["adc.range=dynamic", "weight_plane.fixed_pattern_sigma=0"]


def model_and_clip(frames: int):
    model = init_random_(VideoMamba(videomamba_ti_config("videomamba-stream")), 1).eval()
    cfg = model.cfg
    g = torch.Generator().manual_seed(1)
    clip = torch.randn(1, cfg.in_chans, frames, cfg.img_size, cfg.img_size, generator=g)
    return model, clip


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize()


def gpu(a):
    from oasim import triton_scan
    from oasim.optical import convert_to_optical
    dev = torch.device(a.device)
    torch.backends.cuda.matmul.allow_tf32 = False   # the hardware numerics are fp32 (OpticalLinear)
    model, clip = model_and_clip(a.frames + 2)
    convert_to_optical(model, HW, sets=SETS, noise_seed=1)
    model = model.to(dev)
    scan = "triton" if triton_scan.available() else "chunked"
    rows = []
    with torch.no_grad():
        for b in [int(x) for x in a.batches.split(",")]:
            video = clip.to(dev).expand(b, -1, -1, -1, -1).contiguous()
            states = None
            for t in range(2):                         # warm-up: kernels compiled, generators created
                _, states = model.forward_stream(video[:, :, t:t + 1], states, scan_impl=scan)
            sync(dev)
            t0 = time.perf_counter()
            for t in range(2, a.frames + 2):
                logits, states = model.forward_stream(video[:, :, t:t + 1], states, scan_impl=scan)
            sync(dev)
            dt = time.perf_counter() - t0
            rows.append({"batch": b, "frames": a.frames * b, "seconds": dt, "frames_per_s": a.frames * b / dt})
            print(f"GPU batch {b:>3}: {rows[-1]['frames_per_s']:10.1f} frames/s ({a.frames} frames per stream, {dt:.3f} s)",
                  flush=True)
    return {"side": "gpu", "device": torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu", "torch": torch.__version__, "scan": scan,
            "hw": "configs/hw/default.yaml", "sets": SETS, "rows": rows}


def cpu(a):
    model, clip = model_and_clip(a.frames + 1)
    sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))
    from oasim.h5io import write_model
    with tempfile.TemporaryDirectory() as d:
        mpath, cpath = os.path.join(d, "ti.h5"), os.path.join(d, "clip.h5")
        write_model(mpath, model.cfg, model.state_dict())
        with h5py.File(cpath, "w") as f:
            f.create_dataset("video", data=clip[0].numpy())
        times = {}
        for n in (1, a.frames + 1):
            cmd = [a.oasim, "infer", "-m", mpath, "-i", cpath, "--frames", str(n), "--hw", HW, "--seed", "1"]
            for s in SETS:
                cmd += ["--set", s]
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, text=True)
            times[n] = time.perf_counter() - t0
    dt = times[a.frames + 1] - times[1]
    fps = a.frames / dt
    print(f"C++ (oasim infer, {os.cpu_count()} cores): {fps:.3f} frames/s ({a.frames} frames in {dt:.2f} s)")
    return {"side": "cpu", "cores": os.cpu_count(), "hw": "configs/hw/default.yaml", "sets": SETS,
            "rows": [{"batch": 1, "frames": a.frames, "seconds": dt, "frames_per_s": fps}]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("side", choices=["gpu", "cpu"])
    ap.add_argument("--frames", type=int, default=0, help="timed frames per stream (default: gpu 16, cpu 4)")
    ap.add_argument("--batches", default="1,16,64", help="gpu: concurrent streams")
    ap.add_argument("--device", default="cuda", help="gpu side: torch device (cpu: a dry run of the script)")
    ap.add_argument("--oasim", default=os.path.join(ROOT, "build", "bin", "oasim"))
    ap.add_argument("--json")
    a = ap.parse_args()
    a.frames = a.frames or (16 if a.side == "gpu" else 4)
    out = gpu(a) if a.side == "gpu" else cpu(a)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
