#!/usr/bin/python3
"""The exporter's model files carry Fletcher-32 checksums: every weight dataset is written with the
filter, a byte changed on disk is refused by the Python reader and by `oasim inspect` (exit 2, naming the
key), and NaN / infinite / huge weights are refused by both, as the C++ loader does."""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "workloads", "python"))
from oasim import h5io  # noqa: E402
from oasim.videomamba import ModelConfig, VideoMamba  # noqa: E402
from pycheck import check, finish  # noqa: E402  (tests/pycheck.py)

OASIM = os.path.abspath(os.environ.get("OASIM_EXE", os.path.join(ROOT, "build", "bin", "oasim")))
TMP = tempfile.mkdtemp(prefix="oasim-h5io-test-")



def refused(path):
    try:
        h5io.read_model(path)
    except h5io.ModelFileError as e:
        return str(e)
    return ""


torch.manual_seed(0)
cfg = ModelConfig(variant="videomamba-stream", embed_dim=8, depth=1, d_state=2, d_conv=2, expand=1, dt_rank=1,
                  patch_size=4, tubelet_size=1, num_frames=2, img_size=8, in_chans=1, num_classes=3)
good = os.path.join(TMP, "good.h5")
h5io.write_model(good, cfg, VideoMamba(cfg).state_dict())
with h5py.File(good, "r") as f:
    keys = [k for k in f.keys() if isinstance(f[k], h5py.Dataset)]
    check(all(f[k].fletcher32 for k in keys), f"all {len(keys)} weight datasets carry the Fletcher-32 filter")
    offset = f["head.weight"].id.get_chunk_info(0).byte_offset
check(refused(good) == "", "the written file reads back")

damaged = os.path.join(TMP, "damaged.h5")
shutil.copy(good, damaged)
with open(damaged, "r+b") as fh:
    fh.seek(offset + 4)
    b = fh.read(1)
    fh.seek(offset + 4)
    fh.write(bytes([b[0] ^ 0x10]))
msg = refused(damaged)
check("head.weight" in msg and "damaged" in msg, f"python: a changed byte is refused ({msg})")
p = subprocess.run([OASIM, "inspect", damaged], capture_output=True, text=True)
check(p.returncode == 2 and "'head.weight' fails its Fletcher-32 checksum" in p.stderr,
      f"oasim inspect: exit {p.returncode}, {p.stderr.strip()}")

for name, value in [("nan", np.nan), ("inf", np.inf), ("huge", 1e30)]:
    bad = os.path.join(TMP, f"{name}.h5")
    shutil.copy(good, bad)
    with h5py.File(bad, "r+") as f:
        w = f["norm_f.weight"][()]
        w[0] = value
        f["norm_f.weight"][...] = w
    msg = refused(bad)
    check("norm_f.weight" in msg and "flat index 0" in msg, f"python: {name} weight refused ({msg})")
    p = subprocess.run([OASIM, "inspect", bad], capture_output=True, text=True)
    check(p.returncode == 2 and "key 'norm_f.weight' holds" in p.stderr, f"oasim inspect: {name} weight exit {p.returncode}")

shutil.rmtree(TMP, ignore_errors=True)
finish()
