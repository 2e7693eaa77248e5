"""`python -m core train` with LightGBM vs a plain LightGBM script: time and peak memory.

Usage: python benchmarks/bench_train.py [--rows 500000] [--features 40] [--runs 2]
Goals (issue 2): time ratio <= 1.3, peak memory ratio < 1.5.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from _common import best_of, cached_csv, report

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=500_000)
parser.add_argument("--features", type=int, default=40)
parser.add_argument("--runs", type=int, default=2)
args = parser.parse_args()

threads = os.cpu_count() or 1
data = cached_csv(args.rows, args.features)
home = tempfile.mkdtemp(prefix="dojo-bench-")
env = {"DOJO_HOME": home, "DOJO_MAX_UPLOAD_MB": "4096"}
ours = best_of(args.runs, [sys.executable, "-m", "core", "train", str(data), "--target", "target",
                           "--task", "regression", "--algorithms", "lightgbm",
                           "--valid-size", "0.2", "--test-size", "0.2", "--seed", "42",
                           "--out", os.path.join(home, "bench.zip")], env)
plain_command = [sys.executable, "benchmarks/plain_lightgbm.py", str(data), str(threads)]
plain = best_of(args.runs, plain_command)
# Model Dojo sets OMP_WAIT_POLICY=PASSIVE (core/__init__.py); the same setting for the plain
# script separates that choice from the cost of everything else Model Dojo does.
passive = best_of(args.runs, plain_command, {"OMP_WAIT_POLICY": "PASSIVE"})
report(f"train, LightGBM, {args.rows:,} x {args.features} numeric CSV, {threads} threads "
       f"(best of {args.runs})",
       [("end-to-end seconds", ours["seconds"], plain["seconds"], "s"),
        ("end-to-end s, plain also PASSIVE", ours["seconds"], passive["seconds"], "s"),
        ("peak memory", ours["peak_mb"], plain["peak_mb"], "MB")])
