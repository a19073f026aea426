"""The bookkeeping every Python test of tests/ shares (imported as `from pycheck import check, finish`;
a script's own folder is on its import path): check() prints one ok/FAIL line with the seconds since the
test started and remembers failures; finish() prints the count and exits 1 on any failure, 0 otherwise."""
import sys
import time

_T0 = time.time()
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + f"[{time.time() - _T0:5.1f} s] " + what, flush=True)
    if not ok:
        failures.append(what)


def finish():
    print(f"{len(failures)} check(s) failed" if failures else "all checks passed", flush=True)
    sys.exit(1 if failures else 0)
