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

# Runs a command and samples the memory of its whole process tree every 100 ms: the command
# and every process it starts (Model Dojo's experiment-store writer and its clean check
# interpreter run beside the trainer). PSS shares each library page among the processes
# that map it, so the sum is the memory the tree really holds; ru_maxrss of the largest
# process alone would miss the helpers.
_MEASURE = """
import json, os, subprocess, sys, time

def tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found

def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            return sum(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
    except OSError:
        return 0

sample = sys.argv[1] == "memory"
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
peak = 0
while sample and process.poll() is None:
    peak = max(peak, sum(pss_kb(pid) for pid in tree(process.pid)))
    time.sleep(0.1)
process.wait()
seconds = time.perf_counter() - start
print(json.dumps({"code": process.returncode, "seconds": seconds, "peak_mb": peak / 1024}))
"""


def measure(command: list[str], env: dict[str, str] | None = None,
            memory: bool = False) -> dict[str, float]:
    """Wall seconds of ``command`` and, with ``memory``, its peak memory (MB, PSS summed
    over the process tree; sampling slows the command a little, so time it separately).
    Fails loudly if the command fails."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, "memory" if memory else "time",
                           *command], capture_output=True,
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
