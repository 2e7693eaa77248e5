"""Helpers shared by the benchmark scripts: synthetic data and measured subprocess runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

# Runs a command as the only child of a fresh process, so that ru_maxrss of the children
# is that command's own peak resident memory.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak_kb / 1024}))
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall seconds and peak memory (MB) of ``command``; fails loudly if it fails."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})})
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"{command} failed:\n{done.stderr[-3000:]}")
    return result


def numeric_table(rows: int, features: int, seed: int = 0) -> pd.DataFrame:
    """A regression table: a non-linear signal in some columns, noise in the rest."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features)).astype(np.float32)
    y = (X[:, 0] * 3 + np.sin(X[:, 1] * 2) * 2 + X[:, 2] * X[:, 3]
         + np.where(X[:, 4] > 0.5, 2.0, 0.0) + rng.normal(scale=0.5, size=rows))
    frame = pd.DataFrame(X, columns=[f"f{i:02d}" for i in range(features)]).round(4)
    frame["target"] = y.round(4)
    return frame


def cached_csv(rows: int, features: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"numeric_{rows}x{features}.csv"
    if not path.exists():
        numeric_table(rows, features).to_csv(path, index=False)
    return path


def best_of(runs: int, command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """The fastest of ``runs`` runs (the least disturbed by other load), with its peak memory."""
    results = [measure(command, env) for _ in range(runs)]
    return min(results, key=lambda r: r["seconds"])


def report(title: str, rows: list[tuple[str, float, float, str]]) -> None:
    print(f"\n{title}")
    for name, ours, reference, unit in rows:
        print(f"  {name:<38} ours {ours:10.2f} {unit:<6} plain {reference:10.2f} {unit:<6}"
              f" ratio {ours / reference:5.2f}")
    sys.stdout.flush()


def now() -> float:
    return time.perf_counter()
