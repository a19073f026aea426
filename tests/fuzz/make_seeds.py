#!/usr/bin/python3
"""Regenerates the binary seeds of the fuzz corpus (tests/fuzz/corpus/{model,clip}/): a micro model file
written by the exporter (oasim/h5io.py, Fletcher-32 checksums included) and two small clip files. The trace
seed is recorded from that model by the oasim binary: see tests/fuzz/README.md.

    /usr/bin/python3 tests/fuzz/make_seeds.py
"""
import os
import sys

import h5py
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))
from oasim import h5io  # noqa: E402
from oasim.videomamba import ModelConfig, VideoMamba  # noqa: E402

CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def main():
    torch.manual_seed(0)
    cfg = ModelConfig(variant="videomamba-stream", embed_dim=4, depth=1, d_state=2, d_conv=2, expand=1, dt_rank=1,
                      patch_size=4, tubelet_size=1, num_frames=2, img_size=4, in_chans=1, num_classes=2)
    model = VideoMamba(cfg)
    h5io.write_model(os.path.join(CORPUS, "model", "micro_stream.h5"), cfg, model.state_dict(), source="fuzz seed")
    rng = np.random.default_rng(0)
    with h5py.File(os.path.join(CORPUS, "clip", "video.h5"), "w") as f:
        f.create_dataset("video", data=rng.standard_normal((1, 2, 16, 16)).astype(np.float32), fletcher32=True)
    with h5py.File(os.path.join(CORPUS, "clip", "clips.h5"), "w") as f:
        f.create_dataset("clips", data=rng.standard_normal((2, 1, 2, 16, 16)).astype(np.float32))
        f.create_dataset("labels", data=np.array([0, 1], dtype=np.int64))


if __name__ == "__main__":
    main()
