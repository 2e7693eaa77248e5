"""The bundle's predict.py against calling the pipeline directly, on 100,000 rows.

Usage: python benchmarks/bench_predict.py [--rows 100000] [--features 40] [--runs 3]
Goal (issue 2): predict.py reaches at least 0.8x the rows per second of the pipeline.
Prints two views: in-process (predict.predict(frame) vs pipeline.predict(frame)) and
end to end from a CSV file (python predict.py in.csv -o out.csv vs a plain script that
reads the CSV, loads the model, predicts and writes the CSV).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _common import ROOT, best_of, cached_csv

sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=100_000)
parser.add_argument("--features", type=int, default=40)
parser.add_argument("--runs", type=int, default=3)
args = parser.parse_args()

home = Path(tempfile.mkdtemp(prefix="dojo-bench-"))
env = {"DOJO_HOME": str(home), "DOJO_MAX_UPLOAD_MB": "4096"}
os.environ.update(env)
data = cached_csv(args.rows, args.features)
bundle_path = home / "model.zip"
best_of(1, [sys.executable, "-m", "core", "train", str(data), "--target", "target",
            "--task", "regression", "--algorithms", "lightgbm", "--out", str(bundle_path)], env)
folder = home / "bundle"
zipfile.ZipFile(bundle_path).extractall(folder)
sys.path.insert(0, str(folder))
import pandas as pd  # noqa: E402
import predict  # noqa: E402  (the bundle's own predict.py)

model, metadata = predict.load(folder)
frame = pd.read_csv(data).drop(columns="target")


def rows_per_second(call) -> float:
    best = min(_timed(call) for _ in range(args.runs))
    return len(frame) / best


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


direct = rows_per_second(lambda: model.predict(frame))
ours = rows_per_second(lambda: predict.predict(frame, model=model, metadata=metadata))
output = home / "out.csv"
script = best_of(args.runs, [sys.executable, str(folder / "predict.py"), str(data), "-o",
                             str(output)])
plain = best_of(args.runs, [sys.executable, "benchmarks/plain_predict.py",
                            str(folder / "model.joblib"), str(data), str(output)])
print(f"\npredict, LightGBM regression, {len(frame):,} rows x {args.features} features "
      f"(best of {args.runs})")
print(f"  in-process rows/s    predict.predict {ours:12,.0f}  pipeline.predict {direct:12,.0f}"
      f"  ratio {ours / direct:5.2f}")
print(f"  CSV to CSV rows/s    predict.py      {len(frame) / script['seconds']:12,.0f}  "
      f"plain script     {len(frame) / plain['seconds']:12,.0f}  "
      f"ratio {plain['seconds'] / script['seconds']:5.2f}")
