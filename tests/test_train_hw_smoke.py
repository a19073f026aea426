#!/usr/bin/python3
"""Hardware-aware training's CPU smoke run: `train.py --smoke --hw CONFIG` trains a tiny model through the
simulated optical hardware (dynamic converter scales, no fixed pattern: no device state needed) with
detector noise on; the loss must decrease and every Linear must have been optical."""
import os
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..")
script = os.path.join(root, "workloads", "python", "train.py")
hw = os.path.join(root, "configs", "hw", "default.yaml")
r = subprocess.run([sys.executable, script, "--smoke", "--hw", hw, "--set", "adc.range=dynamic",
                    "--set", "weight_plane.fixed_pattern_sigma=0", "--set", "detector.noise_scale=5"],
                   capture_output=True, text=True, timeout=500)
print(r.stdout[-2000:], r.stderr[-2000:])
ok = r.returncode == 0 and "decreased" in r.stdout and "14 layers optical" in r.stdout
bad = subprocess.run([sys.executable, script, "--smoke", "--hw", hw], capture_output=True, text=True, timeout=120)
refused = bad.returncode == 2 and "Traceback" not in bad.stderr and "device_state" in bad.stderr and "adc.range" in bad.stderr
print("refused without a device state:", refused, bad.stderr[-400:])
print(f"{int(ok) + int(refused)} passed, {int(not ok) + int(not refused)} failed")
sys.exit(0 if ok and refused else 1)
