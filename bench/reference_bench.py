#!/usr/bin/python3
"""The PyTorch side of `oasim bench`: writes a random-initialised model and one clip, times the reference.

    reference_bench.py --shape ti|tiny --variant videomamba|videomamba-stream --frames N --clips N --out DIR

Writes DIR/model.h5 (oasim format), DIR/clip.h5 (dataset `video`) and DIR/reference.json with the
seconds per clip of the fp32 PyTorch reference (loop scan, the straightforward implementation) and its
logits, so the C++ side can check it computed the same thing.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "workloads", "python"))

import h5py  # noqa: E402
import torch  # noqa: E402

from oasim.h5io import write_model  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config, videomamba_ti_config  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", choices=["ti", "tiny"], default="ti")
    ap.add_argument("--variant", choices=["videomamba", "videomamba-stream"], default="videomamba")
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--clips", type=int, default=3)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    make = videomamba_ti_config if a.shape == "ti" else tiny_config
    cfg = make(a.variant, num_frames=a.frames)
    torch.set_num_threads(os.cpu_count() or 1)  # same cores as the C++ side
    model = init_random_(VideoMamba(cfg), 2024).eval()
    write_model(os.path.join(a.out, "model.h5"), cfg, model.state_dict(), source="oasim bench random init")
    video = torch.randn(1, cfg.in_chans, a.frames, cfg.img_size, cfg.img_size, generator=torch.Generator().manual_seed(7))
    with h5py.File(os.path.join(a.out, "clip.h5"), "w") as f:
        f["video"] = video[0].numpy()
    with torch.no_grad():
        logits = model(video)  # warm-up
        t0 = time.perf_counter()
        for _ in range(a.clips):
            logits = model(video)
        secs = (time.perf_counter() - t0) / a.clips
    with open(os.path.join(a.out, "reference.json"), "w") as f:
        json.dump({"seconds_per_clip": secs, "torch_threads": torch.get_num_threads(), "torch": torch.__version__,
                   "logits": logits.reshape(-1).tolist()}, f)
    print(f"reference_bench: PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s): {secs:.3f} s per clip",
          file=sys.stderr)


if __name__ == "__main__":
    main()
