#!/usr/bin/python3
"""oasim-export: round trip, variant inference and conversion, and each refusal (exit 2 + a precise message)."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
PYDIR = os.path.join(HERE, "..", "workloads", "python")
sys.path.insert(0, PYDIR)

import torch  # noqa: E402

from oasim.h5io import read_class_names, read_model  # noqa: E402
from oasim.videomamba import VideoMamba, init_random_, tiny_config  # noqa: E402

EXPORTER = os.path.join(PYDIR, "oasim-export")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(f"{'PASS' if cond else 'FAIL'} {name}{'' if cond else ': ' + detail}")


def export(tmp, obj, *args):
    pt = os.path.join(tmp, "in.pt")
    out = os.path.join(tmp, "out.h5")
    if obj is not None:
        torch.save(obj, pt)
    r = subprocess.run([sys.executable, EXPORTER, pt, out, *args], capture_output=True, text=True)
    return r, out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cfg = tiny_config("videomamba")
        sd = init_random_(VideoMamba(cfg), 3).state_dict()

        r, out = export(tmp, {"model": sd, "optimizer": {}, "epoch": 5})
        check("wrapped under 'model' exports", r.returncode == 0, r.stderr)
        got_cfg, got = read_model(out)
        check("architecture inferred", got_cfg == cfg, f"{got_cfg} != {cfg}")
        check("round trip is exact", all(torch.equal(got[k], sd[k].float()) for k in sd))

        r, out = export(tmp, {"module": {"module." + k: v for k, v in sd.items()}})
        check("DataParallel 'module.' prefix is stripped", r.returncode == 0, r.stderr)

        names = os.path.join(tmp, "names.txt")
        with open(names, "w") as fh:
            fh.write("\n".join(f"c{i}" for i in range(cfg.num_classes)))
        r, out = export(tmp, sd, "--variant", "videomamba-stream", "--class-names", names)
        scfg, ssd = read_model(out)
        check("--variant videomamba-stream converts a clip checkpoint",
              r.returncode == 0 and scfg.variant == "videomamba-stream" and "temporal_pos_embedding" not in ssd,
              r.stderr)
        check("the conversion says what it dropped", "temporal_pos_embedding" in r.stderr)
        check("class names stored", read_class_names(out) == [f"c{i}" for i in range(cfg.num_classes)])

        bad = dict(sd)
        del bad["layers.1.mixer.D_b"]
        r, _ = export(tmp, bad)
        check("missing key refused", r.returncode == 2 and "missing key 'layers.1.mixer.D_b'" in r.stderr, r.stderr)

        bad = dict(sd)
        bad["layers.0.mixer.x_proj.weight"] = torch.zeros(5, 64)
        r, _ = export(tmp, bad)
        check("wrong shape refused", r.returncode == 2 and "'layers.0.mixer.x_proj.weight' has shape [5, 64], expected [34, 64]"
              in r.stderr, r.stderr)

        bad = dict(sd)
        bad["foo.bar"] = torch.zeros(3)
        r, _ = export(tmp, bad)
        check("unexpected key refused", r.returncode == 2 and "unexpected key 'foo.bar'" in r.stderr, r.stderr)

        with open(os.path.join(tmp, "in.pt"), "w") as fh:
            fh.write("not a checkpoint")
        r, _ = export(tmp, None)
        check("not a checkpoint refused", r.returncode == 2 and "not a loadable PyTorch checkpoint" in r.stderr, r.stderr)
        check("no traceback on refusal", "Traceback" not in r.stderr, r.stderr)

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
