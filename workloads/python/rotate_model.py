#!/usr/bin/python3
"""Write the residual-rotated copy of a model file (oasim/rotation.py): the same fp32 function, norm
weights folded and the residual stream rotated by the simulator's randomized Hadamard Q of that seed.

    rotate_model.py IN.h5 OUT.h5 [--seed S]

`oasim run -m OUT.h5` without a recipe then runs what `oasim run -m IN.h5` runs with
`residual_rotation: {seed: S}`; train.py --init-h5 OUT.h5 fine-tunes the rotated model."""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

from oasim import h5io  # noqa: E402
from oasim.rotation import residual_rotation_matrix, rotate_residual  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_in")
    ap.add_argument("model_out")
    ap.add_argument("--seed", type=int, default=1, help="the rotation's seed (the recipe's residual_rotation.seed)")
    a = ap.parse_args(argv)
    if a.seed < 0 or a.seed >= 1 << 64:
        print(f"rotate_model.py: --seed {a.seed}: expected an integer in [0, 2^64)", file=sys.stderr)
        return 2
    try:
        cfg, sd = h5io.read_model(a.model_in)
    except (OSError, h5io.ModelFileError) as e:
        print(f"rotate_model.py: {a.model_in}: {e}", file=sys.stderr)
        return 2
    rotated = rotate_residual(cfg, sd, residual_rotation_matrix(cfg.embed_dim, a.seed))
    source = h5io.read_source(a.model_in)
    try:
        h5io.write_model(a.model_out, cfg, rotated,
                         source=f"rotate_model.py --seed {a.seed} of {a.model_in}" + (f" ({source})" if source else ""),
                         class_names=h5io.read_class_names(a.model_in))
    except OSError as e:
        print(f"rotate_model.py: cannot write {a.model_out}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {a.model_out}: {a.model_in} with its residual stream rotated (seed {a.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
