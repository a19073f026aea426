#!/usr/bin/python3
"""Plots a long-stream run (long_stream.h5 from `oasim run --stream-frames N`): windowed top-1 of the fp32
model and the optical hardware, and the recurrent state's relative error per frame.

    plot_long_stream.py long_stream.h5 long_stream.png
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main(src, dst):
    with h5py.File(src, "r") as f:
        w = int(f.attrs["window"])
        starts = f["window_start"][()]
        fp, op = f["window_fp32_top1"][()], f["window_optical_top1"][()]
        err = f["state_rel_error"][()]
    fig, (a, b) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    centers = starts + w / 2
    a.plot(centers, fp, "o-", label="fp32")
    if len(err):
        a.plot(centers, op, "s-", label="optical")
    a.set_ylabel(f"top-1 per {w}-frame window (fraction)")
    a.set_ylim(0, 1)
    a.grid(alpha=0.3)
    a.legend()
    if len(err):
        b.semilogy(np.arange(len(err)), np.maximum(err, 1e-12), lw=0.8)
    b.set_ylabel("state error vs fp32 (relative)")
    b.set_xlabel("frame")
    b.grid(alpha=0.3, which="both")
    fig.suptitle("Long Moving Fashion-MNIST stream: accuracy and recurrent-state drift")
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
