#!/usr/bin/python3
"""Write a model whose optical layers' weights are the device's dequantized codes (codes x scales) from a
device state (`oasim infer --hw CONFIG --recipe R --device-out STATE.h5`), everything else unchanged.

    codes_to_weights.py MODEL.h5 STATE.h5 OUT.h5

Round-to-nearest of such a weight gives back the recipe's codes (per-channel scales: a row whose largest
code is the largest level; rows where it is not are counted and printed), so a model written here runs
the recipe's codes (GPTQ, clip search) without the recipe, and hardware-aware fine-tuning
(train.py --init-h5 OUT.h5 --hw ...) starts from the post-training recipe's weights instead of RTN's:
quantization-aware training initialised from a post-training solution (docs/pytorch-hardware.md).
A recipe's randomized block Hadamard is undone (W = W' H D: the model holds the weight in its own basis
and the recipe transforms it again); smoothing, channel orders and group scales are refused."""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

import torch  # noqa: E402

from oasim import h5io  # noqa: E402
from oasim.device_state import load_device_state  # noqa: E402
from oasim.hardware_config import max_code  # noqa: E402
from oasim.optical_numerics import OpticalConfigError, fwht_blocks, quantize_weights_rtn  # noqa: E402


def dequantized_state_dict(sd: dict, state) -> tuple[dict, int, int]:
    """(state dict with every site's weight = codes x scales, rows whose RTN codes differ, rows)."""
    bits = state.hardware["weight_plane.weight_bits"]
    if state.hardware["weight_plane.scale"] != "per_channel":
        raise OpticalConfigError(f"{state.path}: weight_plane.scale = {state.hardware['weight_plane.scale']}, "
                                 f"only per_channel codes can be written back as weights")
    if state.residual_rotation:
        raise OpticalConfigError(f"{state.path}: exported with recipe '{state.recipe}', whose residual_rotation "
                                 f"runs a rotated copy of the model: rotate the model file (rotate_model.py) and "
                                 f"export the state with the recipe minus residual_rotation")
    out = {k: v.clone() for k, v in sd.items()}
    changed = rows = 0
    for site, s in state.sites.items():
        t = s.transform
        if t.smooth is not None or t.perm is not None:
            raise OpticalConfigError(f"{state.path}: site '{site}' has a smoothing or channel order (recipe "
                                     f"'{state.recipe}'): only a block Hadamard can be undone here")
        key = f"{site}.weight"
        if key not in out:
            raise OpticalConfigError(f"{state.path}: site '{site}' has no weight '{key}' in the model")
        if s.codes.numel() != out[key].numel() or s.codes.shape[0] != out[key].shape[0]:
            raise OpticalConfigError(f"{state.path}: site '{site}' holds {tuple(s.codes.shape)} codes, the model's "
                                     f"'{key}' is {tuple(out[key].shape)}: a device state of another model")
        w_t = s.codes.double() * s.scales[:, :1].double()       # the weight the planes hold: W' = W D H
        # A randomized block Hadamard is orthogonal and symmetric per block: W = W' H D.
        w = w_t if t.block == 0 else fwht_blocks(w_t, t.block) * t.signs.double()
        out[key] = w.reshape(out[key].shape).to(torch.float32)
        back, _, _ = quantize_weights_rtn(t.weight(out[key].reshape(w.shape)), bits, 0)  # as the device will
        changed += int((back != s.codes).any(dim=1).sum())
        rows += s.codes.shape[0]
    return out, changed, rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_in")
    ap.add_argument("device_state")
    ap.add_argument("model_out")
    a = ap.parse_args(argv)
    try:
        cfg, sd = h5io.read_model(a.model_in)
        state = load_device_state(a.device_state)
        out, changed, rows = dequantized_state_dict(sd, state)
    except (OSError, h5io.ModelFileError, OpticalConfigError) as e:
        print(f"codes_to_weights.py: {e}", file=sys.stderr)
        return 2
    try:
        h5io.write_model(a.model_out, cfg, out, source=f"codes_to_weights.py {a.model_in} {a.device_state} "
                         f"(recipe {state.recipe}, {max_code(state.hardware['weight_plane.weight_bits'])} levels)",
                         class_names=h5io.read_class_names(a.model_in))
    except OSError as e:
        print(f"codes_to_weights.py: cannot write {a.model_out}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {a.model_out}: {len(state.sites)} layers with recipe '{state.recipe}' codes; "
          f"{changed} of {rows} rows re-round to other codes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
