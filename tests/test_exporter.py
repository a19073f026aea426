#!/usr/bin/python3
"""oasim-export and oasim.h5io: round trip, variant inference and conversion, and each refusal
(exit 2 and a one-line message naming the problem). Plain script: exit 0 = all passed."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
PYDIR = os.path.realpath(os.path.join(HERE, "..", "workloads", "python"))
sys.path.insert(0, PYDIR)

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from oasim.h5io import ModelFileError, read_class_names, read_model, read_source, write_model  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config  # noqa: E402

EXPORTER = os.path.join(PYDIR, "oasim-export")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(f"{'PASS' if cond else 'FAIL'} {name}{'' if cond else ': ' + str(detail)}")


class Exporter:
    """Runs oasim-export on a checkpoint object saved into a scratch folder."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.pt = os.path.join(tmp, "in.pt")
        self.out = os.path.join(tmp, "out.h5")

    def __call__(self, obj, *args):
        if obj is not None:
            torch.save(obj, self.pt)
        if os.path.exists(self.out):
            os.remove(self.out)
        return subprocess.run([sys.executable, EXPORTER, self.pt, self.out, *args], capture_output=True, text=True)

    def refused(self, name, obj, needle, *args):
        """Exit 2, the needle in a single stderr error line, no traceback, no output file left behind."""
        r = self(obj, *args)
        errors = [line for line in r.stderr.splitlines() if "error:" in line]
        ok = (r.returncode == 2 and len(errors) == 1 and needle in errors[0] and "Traceback" not in r.stderr
              and not os.path.exists(self.out))
        check(f"refused: {name}", ok, f"rc={r.returncode} stderr={r.stderr!r}")


def same_weights(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k].float()) for k in a)


# ------------------------------------------------------------------------------------------ exporter
def test_round_trip(ex, cfg, sd):
    r = ex({"model": sd, "optimizer": {"state": {}}, "epoch": 5})
    check("wrapped under 'model' exports", r.returncode == 0, r.stderr)
    check("the ignored wrapper entries are reported", "optimizer" in r.stderr and "epoch" in r.stderr, r.stderr)
    got_cfg, got = read_model(ex.out)
    check("architecture inferred from shapes", got_cfg == cfg, f"{got_cfg} != {cfg}")
    check("round trip is exact (fp32)", same_weights(got, sd))
    check("summary line names variant, D, depth, params, path",
          all(s in r.stdout for s in ("videomamba D=32 depth=2", f"{sum(v.numel() for v in sd.values())} parameters",
                                      ex.out)), r.stdout)
    check("default source is the checkpoint's name", read_source(ex.out) == "oasim-export in.pt", read_source(ex.out))

    r = ex({"module": {"module." + k: v for k, v in sd.items()}}, "--source", "unit test")
    check("'module' wrapper and DataParallel 'module.' prefix", r.returncode == 0 and same_weights(read_model(ex.out)[1], sd),
          r.stderr)
    check("--source is stored", read_source(ex.out) == "unit test")

    r = ex({**sd, "epoch": 7, "note": "hello"})
    check("non-tensor entries in a plain state dict are ignored and reported",
          r.returncode == 0 and "epoch" in r.stderr and "note" in r.stderr, r.stderr)

    r = ex({k: v.half() for k, v in sd.items()})
    _, got = read_model(ex.out)
    check("fp16 checkpoint is converted to float32",
          r.returncode == 0 and all(got[k].dtype == torch.float32 and torch.equal(got[k], sd[k].half().float())
                                    for k in sd), r.stderr)

    r = ex({"model": sd, "args": argparse.Namespace(lr=1e-3)})
    check("checkpoint with a pickled Namespace (official training files) loads",
          r.returncode == 0 and same_weights(read_model(ex.out)[1], sd), r.stderr)


def test_variants(ex, tmp, cfg, sd):
    scfg = tiny_config("videomamba-stream", num_frames=4)
    ssd = init_random_(VideoMamba(scfg), 4).state_dict()
    r = ex(ssd)
    got_cfg, got = read_model(ex.out)
    check("no temporal_pos_embedding -> videomamba-stream, 16 frames by default",
          r.returncode == 0 and got_cfg.variant == "videomamba-stream" and got_cfg.num_frames == 16, (r.stderr, got_cfg))
    check("stream round trip is exact", same_weights(got, ssd))
    r = ex(ssd, "--num-frames", "5")
    check("--num-frames sets a stream model's clip length", r.returncode == 0 and read_model(ex.out)[0].num_frames == 5,
          r.stderr)

    names = os.path.join(tmp, "names.txt")
    with open(names, "w") as fh:
        fh.write("\n".join(f"class {i}" for i in range(cfg.num_classes)) + "\n")
    r = ex(sd, "--variant", "videomamba-stream", "--class-names", names)
    got_cfg, got = read_model(ex.out)
    check("--variant videomamba-stream converts a clip checkpoint",
          r.returncode == 0 and got_cfg.variant == "videomamba-stream" and "temporal_pos_embedding" not in got
          and got_cfg.num_frames == cfg.num_frames, (r.stderr, got_cfg))
    check("the conversion says what it dropped", "dropping 'temporal_pos_embedding'" in r.stderr, r.stderr)
    check("class names stored", read_class_names(ex.out) == [f"class {i}" for i in range(cfg.num_classes)])

    r = ex(sd, "--img-size", "32")
    check("--img-size that agrees is accepted", r.returncode == 0, r.stderr)


def test_refusals(ex, tmp, cfg, sd):
    def without(key):
        return {k: v for k, v in sd.items() if k != key}

    ex.refused("missing key", without("layers.1.mixer.D_b"), "missing key 'layers.1.mixer.D_b'")
    ex.refused("missing key needed for inference", without("head.weight"), "missing key 'head.weight'")
    ex.refused("wrong shape", {**sd, "layers.0.mixer.x_proj.weight": torch.zeros(5, 64)},
               "key 'layers.0.mixer.x_proj.weight' has shape [5, 64], expected [34, 64]")
    ex.refused("unexpected key", {**sd, "foo.bar": torch.zeros(3)}, "unexpected key 'foo.bar'")
    ex.refused("layer beyond the depth (gap in layers.N)", {**sd, "layers.3.norm.weight": torch.ones(32)},
               "missing key 'layers.2.norm.weight'")
    ex.refused("inconsistent sizes", {**sd, "layers.0.mixer.A_log": torch.zeros(48, 16)},
               "inconsistent sizes: d_inner 48")
    ex.refused("non-float tensor", {**sd, "norm_f.weight": torch.ones(32, dtype=torch.int32)},
               "key 'norm_f.weight' has dtype int32")
    ex.refused("clip variant without temporal_pos_embedding", without("temporal_pos_embedding"),
               "missing key 'temporal_pos_embedding'", "--variant", "videomamba")
    ex.refused("--num-frames disagreeing with a clip checkpoint", sd, "--num-frames 8 disagrees", "--num-frames", "8")
    ex.refused("--img-size disagreeing with pos_embed", sd, "--img-size 64 disagrees", "--img-size", "64")
    names = os.path.join(tmp, "few.txt")
    with open(names, "w") as fh:
        fh.write("a\nb\n")
    ex.refused("class-name file of the wrong length", sd, "has 2 class names, the head has 10", "--class-names", names)
    ex.refused("not a state dict", [1, 2, 3], "holds a list, not a state dict")
    with open(ex.pt, "w") as fh:
        fh.write("not a checkpoint")
    ex.refused("not a checkpoint", None, "is not a loadable PyTorch checkpoint")
    os.remove(ex.pt)
    ex.refused("no such checkpoint", None, "no such file")


# ------------------------------------------------------------------------------------------ h5io
def broken_copy(good, dst, edit):
    shutil.copy(good, dst)
    with h5py.File(dst, "r+") as f:
        edit(f)
    return dst


def h5io_refuses(name, path, needle):
    try:
        read_model(path)
        check(f"read_model refuses: {name}", False, "no error")
    except ModelFileError as e:
        check(f"read_model refuses: {name}", needle in str(e), str(e))


def test_h5io(tmp, cfg, sd):
    good = os.path.join(tmp, "good.h5")
    write_model(good, cfg, sd, source="unit test", class_names=[str(i) for i in range(cfg.num_classes)])
    with h5py.File(good, "r") as f:
        layout_ok = (f.attrs["oasim_format"] == "oasim-videomamba" and int(f.attrs["format_version"]) == 1
                     and set(f.keys()) == set(sd) | {"meta"} and all(f[k].dtype == np.float32 for k in sd)
                     and f["layers.0.mixer.in_proj.weight"].shape == (128, 32))
    check("write_model layout: root datasets named by key, float32, meta/", layout_ok)

    def drop_key(f):
        del f["layers.1.mixer.D_b"]

    def bad_dtype(f):
        del f["norm_f.weight"]
        f["norm_f.weight"] = np.ones(32, np.int32)

    def extra(f):
        f["foo.bar"] = np.zeros(3, np.float32)

    def no_depth(f):
        del f.attrs["depth"]

    def bad_version(f):
        f.attrs["format_version"] = 2

    cases = [("missing key", drop_key, "missing key 'layers.1.mixer.D_b'"),
             ("int32 dataset", bad_dtype, "key 'norm_f.weight' has dtype int32, expected float32"),
             ("extra dataset", extra, "unexpected key 'foo.bar'"),
             ("missing attribute", no_depth, "missing root attribute 'depth'"),
             ("other format version", bad_version, "format_version 2 is not supported")]
    for i, (name, edit, needle) in enumerate(cases):
        h5io_refuses(name, broken_copy(good, os.path.join(tmp, f"bad{i}.h5"), edit), needle)
    text = os.path.join(tmp, "text.h5")
    with open(text, "w") as fh:
        fh.write("text\n")
    h5io_refuses("not HDF5", text, "is not an HDF5 file")
    h5io_refuses("no such file", os.path.join(tmp, "nope.h5"), "no such file")
    try:
        write_model(os.path.join(tmp, "w.h5"), cfg, {**sd, "head.bias": torch.zeros(3)})
        check("write_model refuses a wrong shape", False, "no error")
    except ModelFileError as e:
        check("write_model refuses a wrong shape", "key 'head.bias' has shape [3], expected [10]" in str(e), str(e))
    check("write_model leaves no file behind on refusal", not os.path.exists(os.path.join(tmp, "w.h5")))


def main():
    torch.set_num_threads(1)  # tiny tensors: threads only cost start-up time
    cfg = tiny_config("videomamba")
    sd = init_random_(VideoMamba(cfg), 3).state_dict()
    with tempfile.TemporaryDirectory() as tmp:
        ex = Exporter(tmp)
        test_round_trip(ex, cfg, sd)
        test_variants(ex, tmp, cfg, sd)
        test_refusals(ex, tmp, cfg, sd)
        test_h5io(tmp, cfg, sd)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
