"""SHAP speed: our explain() vs the library's own contributions, and the sampled budget.

Usage: python benchmarks/bench_shap.py [--rows 1000] [--trees 500] [--features 20] [--runs 3]
Goals (issue 5): SHAP for 1,000 rows of a 500-tree LightGBM / XGBoost model costs at most
1.2x the library's pred_contrib / pred_contribs on the same rows; the sampled explainer
finishes within its budget (default 10 s) and says how many rows it explained.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import numeric_table, report  # noqa: E402

from core import explain  # noqa: E402
from core.data import LoadedData  # noqa: E402
from core.training import prepare_setup, train_candidate  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=1000)
parser.add_argument("--trees", type=int, default=500)
parser.add_argument("--features", type=int, default=20)
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--budget", type=float, default=10.0)
parser.add_argument("--skip-native", action="store_true")
args = parser.parse_args()
warnings.simplefilter("ignore")


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_pair(runs: int, first: Callable[[], Any],
              second: Callable[[], Any]) -> tuple[float, float]:
    """The fastest of ``runs`` timings of each, taken in turns so load hits both alike."""
    pairs = [(timed(first), timed(second)) for _ in range(runs)]
    return min(a for a, _ in pairs), min(b for _, b in pairs)


def with_categories(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Two text columns, so the pipeline has a real (ordinal) encoding step."""
    rng = np.random.default_rng(seed)
    frame = frame.copy()
    for name, levels in (("region", 6), ("segment", 12)):
        frame[name] = pd.array(rng.choice([f"{name}_{i}" for i in range(levels)], len(frame)),
                               dtype="str")
    return frame


def setup_for(frame: pd.DataFrame, target: str) -> Any:
    # The validation part is exactly --rows rows: the rows both sides explain.
    share = args.rows / len(frame)
    loaded = LoadedData(frame=frame, name="bench.csv", sha256="0" * 64, file_format="csv")
    return prepare_setup(loaded, target, valid_size=share, test_size=0.05, seed=0)


def library_contrib(pipeline: Any, X: pd.DataFrame) -> Callable[[], Any]:
    """The library's own call on the same rows (encoded as the model sees them)."""
    model, Xt = explain.model_of(pipeline), explain.transform(pipeline, X)
    if explain.is_lightgbm(model):
        return lambda: model.booster_.predict(Xt, pred_contrib=True)
    import xgboost
    est = explain.xgboost_estimators(model)[0]
    booster, rounds = est.get_booster(), explain.xgboost_iteration_range(est)
    return lambda: booster.predict(xgboost.DMatrix(Xt, missing=np.nan), pred_contribs=True,
                                   iteration_range=rounds)


def ours(pipeline: Any, X: pd.DataFrame) -> Callable[[], Any]:
    def run() -> Any:
        explain.clear_cache()       # a first, uncached explanation every time
        return explain.explain(pipeline, X)
    return run


def native_rows(title: str, setup: Any) -> None:
    X, _ = setup.part("validation")
    rows = []
    for algorithm_id in ("lightgbm", "xgboost"):
        params = {"n_estimators": args.trees, "early_stopping_rounds": 0}
        pipeline = train_candidate(setup, algorithm_id, params).pipeline
        result = explain.explain(pipeline, X)
        assert result.ok and len(result.rows) == len(X), result.error
        mine, theirs = best_pair(args.runs, ours(pipeline, X), library_contrib(pipeline, X))
        rerun = min(timed(lambda: explain.explain(pipeline, X)) for _ in range(args.runs))
        rows.append((f"{algorithm_id} {len(X)} rows ({result.explainer})", mine * 1000,
                     theirs * 1000, "ms"))
        print(f"  {algorithm_id}: cached rerun {rerun * 1000:.2f} ms")
    report(title, rows)


def sampled_rows(setup: Any) -> None:
    import shap  # noqa: F401  (a one-off import, not part of any explanation's budget)
    X, _ = setup.part("validation")
    background, _ = setup.part("train")
    print(f"\nsampled explainer (KernelExplainer), budget {args.budget:.0f} s, "
          f"{len(setup.features)} raw features, {len(X)} validation rows offered")
    for algorithm_id in ("knn", "svm", "mlp"):
        pipeline = train_candidate(setup, algorithm_id).pipeline
        explain.clear_cache()
        result = explain.explain(pipeline, X, background, budget_seconds=args.budget)
        print(f"  {algorithm_id:<5} {result.seconds:6.2f} s  rows explained {len(result.rows):5d}"
              f"  background {result.background_rows:4d}  output {result.output}")


base = numeric_table(args.rows * 5, args.features)
print(f"SHAP benchmark: {args.trees} trees, {args.features} numeric features, best of {args.runs}")
if not args.skip_native:
    native_rows("regression, numeric only (no encoding step)", setup_for(base, "target"))
    classed = with_categories(base)
    classed["label"] = np.where(classed.pop("target") > classed.get("f00") * 3, "high", "low")
    native_rows("binary classification, 2 text columns (ordinal encoding; XGBoost "
                "one-vs-rest)", setup_for(classed, "label"))
sampled_rows(setup_for(with_categories(base).head(args.rows * 3), "target"))
