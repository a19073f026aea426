#!/usr/bin/python3
"""The training script's CPU smoke run: a tiny model, a few dozen steps, the loss must decrease."""
import os
import subprocess
import sys

script = os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "workloads", "python", "train.py")
r = subprocess.run([sys.executable, script, "--smoke"], capture_output=True, text=True, timeout=300)
print(r.stdout[-2000:], r.stderr[-2000:])
ok = r.returncode == 0 and "decreased" in r.stdout
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
