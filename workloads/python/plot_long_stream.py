#!/usr/bin/python3
"""Plots a long-stream run (long_stream.h5 from `oasim run --stream-frames N`): windowed top-1 of the fp32
model and the optical hardware, and the recurrent state's relative error per frame. With a drifting design
(laser.drift_*, weight_plane.drift_*) also the hardware never recalibrated, the largest path-gain drift and
the frames at which the controller recalibrated.

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
        fps = float(f.attrs["fps"]) if "fps" in f.attrs else 30.0
        starts = f["window_start"][()]
        fp, op = f["window_fp32_top1"][()], f["window_optical_top1"][()]
        err = f["state_rel_error"][()]
        drift = f["max_gain_drift"][()] if "max_gain_drift" in f else None
        recal = f["recalibrated_at"][()] if "recalibrated_at" in f else np.array([])
        norecal = f["window_norecal_top1"][()] if "window_norecal_top1" in f else None
        norecal_err = f["norecal_state_error"][()] if "norecal_state_error" in f else None
    panels = 3 if drift is not None else 2
    fig, axes = plt.subplots(panels, 1, figsize=(9, 2.6 * panels + 1), sharex=True)
    a, b = axes[0], axes[1]
    centers = starts + w / 2
    a.plot(centers, fp, "o-", ms=3, label="fp32")
    if len(err):
        a.plot(centers, op, "s-", ms=3, label="optical, recalibrated" if norecal is not None else "optical")
    if norecal is not None:
        a.plot(centers, norecal, "^-", ms=3, label="optical, never recalibrated")
    a.set_ylabel(f"top-1 per {w}-frame window")
    a.set_ylim(0, 1.02)
    a.grid(alpha=0.3)
    a.legend(loc="lower left")
    if len(err):
        b.semilogy(np.arange(len(err)), np.maximum(err, 1e-12), lw=0.6,
                   label="recalibrated" if norecal_err is not None else None)
    if norecal_err is not None:
        b.semilogy(np.arange(len(norecal_err)), np.maximum(norecal_err, 1e-12), lw=0.6, label="never recalibrated")
        b.legend(loc="upper left")
    b.set_ylabel("state error vs fp32")
    b.grid(alpha=0.3, which="both")
    if drift is not None:
        c = axes[2]
        c.plot(np.arange(len(drift)), 100 * drift, lw=0.8, color="tab:red")
        for t in recal:
            c.axvline(t, color="gray", lw=0.4, alpha=0.5)
        c.set_ylabel("largest path-gain\ndrift (%)")
        c.grid(alpha=0.3)
        c.text(0.01, 0.9, f"{len(recal)} recalibrations (grey lines)", transform=c.transAxes, va="top")
    axes[-1].set_xlabel(f"frame ({fps:g} frames/s)")
    fig.suptitle("Long Moving Fashion-MNIST stream: accuracy and recurrent-state error")
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
