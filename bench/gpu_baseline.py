#!/usr/bin/python3
"""The GPU a user would buy instead: VideoMamba-Ti 224^2 in PyTorch on a CUDA GPU, energy from NVML.

    gpu_baseline.py [--seconds 10] [--batches 1,8,64] [--json OUT.json]

Streaming (one frame per call per stream, the recurrent state carried; batch = concurrent streams) at each
batch, and the 8-frame clip model at batch 1 and 8. For each: frames/s, board energy per frame (NVML's
total-energy counter, nvmlDeviceGetTotalEnergyConsumption, read through ctypes: no extra package) and the
energy per frame above the idle power measured first. Random weights: speed and energy do not depend on
them. The scan uses the fused Triton kernel where Triton and CUDA exist (workloads/python/oasim).
"""
import argparse
import ctypes
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "workloads", "python"))

import torch  # noqa: E402

from oasim import triton_scan  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, videomamba_ti_config  # noqa: E402


class Nvml:
    """The few NVML calls needed, through ctypes (libnvidia-ml.so.1 ships with the driver)."""

    def __init__(self, index=0):
        self.lib = ctypes.CDLL("libnvidia-ml.so.1")
        if self.lib.nvmlInit_v2() != 0:
            raise RuntimeError("nvmlInit failed")
        self.handle = ctypes.c_void_p()
        if self.lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(index), ctypes.byref(self.handle)) != 0:
            raise RuntimeError("nvmlDeviceGetHandleByIndex failed")

    def energy_j(self):
        mj = ctypes.c_ulonglong()
        if self.lib.nvmlDeviceGetTotalEnergyConsumption(self.handle, ctypes.byref(mj)) != 0:
            raise RuntimeError("nvmlDeviceGetTotalEnergyConsumption failed (needs Volta or newer)")
        return mj.value / 1000.0

    def name(self):
        buf = ctypes.create_string_buffer(96)
        self.lib.nvmlDeviceGetName(self.handle, buf, ctypes.c_uint(96))
        return buf.value.decode()


def measure(nvml, step, frames_per_step, seconds):
    """Runs step() repeatedly for about `seconds` after a warm-up; returns (frames/s, J/frame)."""
    for _ in range(3):
        step()
    torch.cuda.synchronize()
    e0, t0, n = nvml.energy_j(), time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
        if n % 8 == 0:
            torch.cuda.synchronize()
    torch.cuda.synchronize()
    dt, de = time.perf_counter() - t0, nvml.energy_j() - e0
    frames = n * frames_per_step
    return frames / dt, de / frames, de / dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--batches", default="1,8,64")
    ap.add_argument("--json")
    a = ap.parse_args()
    if not torch.cuda.is_available():
        sys.exit("gpu_baseline: no CUDA device")
    nvml = Nvml()
    dev = torch.device("cuda")
    dtype = torch.float32  # the reference model's precision (the scan keeps its state in fp32)
    scan = "triton" if triton_scan.available() else "chunked"
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 means fp32
    # Idle power first: the board's floor, subtracted for "above idle".
    time.sleep(2)
    e0, t0 = nvml.energy_j(), time.perf_counter()
    time.sleep(5)
    idle_w = (nvml.energy_j() - e0) / (time.perf_counter() - t0)
    rows = []
    with torch.no_grad():
        stream = init_random_(VideoMamba(videomamba_ti_config("videomamba-stream")), 1).to(dev, dtype).eval()
        cfg = stream.cfg
        for b in [int(x) for x in a.batches.split(",")]:
            frame = torch.randn(b, cfg.in_chans, 1, cfg.img_size, cfg.img_size, device=dev, dtype=dtype)
            state = {"s": None}

            def step():
                _, state["s"] = stream.forward_stream(frame, state["s"], scan_impl=scan)

            fps, jpf, watts = measure(nvml, step, b, a.seconds)
            rows.append({"model": "stream", "batch": b, "frames_per_s": fps, "j_per_frame": jpf,
                         "j_per_frame_above_idle": (watts - idle_w) / fps, "board_w": watts})
        del stream
        clip = init_random_(VideoMamba(videomamba_ti_config("videomamba", num_frames=8)), 1).to(dev, dtype).eval()
        for b in [1, 8]:
            video = torch.randn(b, cfg.in_chans, 8, cfg.img_size, cfg.img_size, device=dev, dtype=dtype)
            fps, jpf, watts = measure(nvml, lambda: clip(video, scan_impl=scan), 8 * b, a.seconds)
            rows.append({"model": "clip-8", "batch": b, "frames_per_s": fps, "j_per_frame": jpf,
                         "j_per_frame_above_idle": (watts - idle_w) / fps, "board_w": watts})
    out = {"gpu": nvml.name(), "torch": torch.__version__, "dtype": "fp32", "scan": scan, "idle_w": idle_w, "rows": rows}
    print(f"{out['gpu']}, PyTorch {out['torch']}, fp32, scan {scan}, idle {idle_w:.1f} W")
    print(f"{'model':<8} {'batch':>5} {'frames/s':>10} {'J/frame':>10} {'above idle':>11} {'board W':>8}")
    for r in rows:
        print(f"{r['model']:<8} {r['batch']:>5} {r['frames_per_s']:>10.1f} {r['j_per_frame']:>10.4f} "
              f"{r['j_per_frame_above_idle']:>11.4f} {r['board_w']:>8.1f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
