"""Fit the advisor's cost model (core/cost_model.py) on this machine class.

Times small real fits and predictions of every algorithm at a few sizes, fits the scale of
each algorithm's complexity law, writes core/cost_constants.json and prints the constants.
Supervised algorithms go through core.training exactly as the app trains them (same
preprocessing, same latency measurement); the unsupervised ones, not in the catalog yet,
are timed directly with scikit-learn behind the same kind of preprocessing.

Usage: python benchmarks/calibrate_costs.py [--quick] [--threads N] [--out PATH]
Takes about two minutes on 2 idle cores (--quick: about one).

On a shared machine, pass --threads 1: timings then use CPU time, which other processes
cannot inflate, whereas multi-threaded libraries (OpenMP in LightGBM, XGBoost and
HistGradientBoosting) slow down badly when they must wait for busy cores. Single-threaded
times are an upper bound for the app's multi-threaded runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import catalog, cost_model  # noqa: E402
from core.catalog import Traits  # noqa: E402
from core.config import default_threads  # noqa: E402
from core.data import LoadedData  # noqa: E402
from core.evaluation import model_size_bytes  # noqa: E402
from core.preprocessing import build_preprocessor  # noqa: E402
from core.scorecard import peak_inference_mb  # noqa: E402
from core.training import prepare_setup, train_candidate  # noqa: E402

NUMERIC, CATEGORICAL = 16, 4
FEATURES = NUMERIC + CATEGORICAL
MEMORY_BATCH = 200
LATENCY_SAMPLES = 40
LATENCY_QUANTILE = 50
# Fewer rows where the cost grows fast with the rows, or is high per row.
SIZES: dict[str, tuple[int, ...]] = {
    "default": (1500, 5000), "svm": (800, 2400), "xgboost": (1000, 3000),
    "lightgbm": (1000, 3000), "hist_gradient_boosting": (1000, 3000), "lda": (400, 1200),
    "lle": (300, 900), "tsne": (300, 900)}
QUICK_SIZES: dict[str, tuple[int, ...]] = {key: tuple(max(150, n // 2) for n in sizes)
                                           for key, sizes in SIZES.items()}
# Faster settings where the defaults only add rounds, not different per-unit costs.
FAST_PARAMS: dict[str, dict[str, Any]] = {"mlp": {"max_iter": 100}}


def table(rows: int, task: str, seed: int = 0) -> pd.DataFrame:
    """Numeric and categorical features with a learnable target."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, NUMERIC))
    frame = pd.DataFrame(X, columns=[f"n{i:02d}" for i in range(NUMERIC)])
    for j in range(CATEGORICAL):
        frame[f"c{j}"] = pd.array(rng.choice(list("abcde"), size=rows), dtype="str")
    signal = X[:, 0] * 2 + np.sin(X[:, 1]) + (frame["c0"] == "a") * 1.5
    noise = rng.normal(scale=0.5, size=rows)
    frame["target"] = (np.where(signal + noise > 0, "yes", "no") if task == "classification"
                       else signal + noise)
    return frame


def task_for(algorithm_id: str) -> str:
    tasks = catalog.get(algorithm_id).tasks
    return "classification" if "classification" in tasks else "regression"


def robust_scale(samples: list[tuple[float, float]]) -> float:
    """Median of measured / units over the sizes: one slow outlier does not decide."""
    return float(statistics.median(value / units for units, value in samples if units > 0))


def fit_law(samples: list[tuple[float, float]], const_law: bool) -> tuple[float, float]:
    """(scale, fixed) of ``fixed + scale × units`` through the measured points.

    With two sizes or more the line through them separates a fixed cost (thread start-up,
    per-call checks) from the part that grows; a negative slope or intercept, which noise
    can produce, falls back to a line through the origin.
    """
    if const_law or len({units for units, _ in samples}) < 2:
        return robust_scale(samples), 0.0
    units = np.array([u for u, _ in samples])
    values = np.array([v for _, v in samples])
    slope, intercept = np.polyfit(units, values, 1)
    if slope <= 0 or intercept < 0:
        return robust_scale(samples), 0.0
    return float(slope), float(intercept)


def timed(call: Callable[[], Any]) -> float:
    """Seconds ``call`` takes on this machine class, even when the machine is shared.

    Other processes only add waiting to the wall-clock time, never CPU time, so the
    smaller of the two is used: the CPU time for single-threaded work on a busy machine,
    the wall time for multi-threaded work (whose CPU time adds up over the threads).
    """
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return min(time.perf_counter() - wall, time.process_time() - cpu)


def contention(call: Callable[[], Any]) -> tuple[Any, float]:
    """``call()``'s result and min(1, CPU time / wall time): below 1 when others slowed it."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = call()
    ratio = (time.process_time() - cpu) / max(time.perf_counter() - wall, 1e-9)
    return out, min(1.0, ratio)


def single_row_ms(call: Callable[[pd.DataFrame], Any], X: pd.DataFrame) -> float:
    """Median single-row call time (ms), after a warm-up call."""
    call(X.iloc[[0]])
    rows = [X.iloc[[i]] for i in range(min(LATENCY_SAMPLES, len(X)))]
    samples = [timed(lambda row=row: call(row)) * 1000 for row in rows]
    return float(np.percentile(samples, LATENCY_QUANTILE))


def batch_ms(call: Callable[[pd.DataFrame], Any], X: pd.DataFrame, repeats: int = 3) -> float:
    """ms per row of one call on all of ``X``, best of ``repeats``."""
    return min(timed(lambda: call(X)) for _ in range(repeats)) * 1000 / len(X)


# --- supervised, through core.training ------------------------------------------------------

def measure_supervised(algorithm_id: str, rows: int, threads: int) -> dict[str, float]:
    task = task_for(algorithm_id)
    loaded = LoadedData(frame=table(rows, task), name="calibration.csv", sha256="0" * 64,
                        file_format="csv")
    setup = prepare_setup(loaded, "target", task=task, n_jobs=threads)
    # The fit's wall time, scaled by how much other processes slowed the whole call.
    result, factor = contention(
        lambda: train_candidate(setup, algorithm_id, FAST_PARAMS.get(algorithm_id)))
    if not result.ok:
        raise SystemExit(f"{algorithm_id} failed: {result.error}")
    X, _ = setup.part("validation")
    predict = result.pipeline.predict
    memory = peak_inference_mb(result.pipeline, X.head(MEMORY_BATCH))
    return {"train_rows": len(setup.split.train),
            "train": result.timings["train_seconds"] * factor,
            "latency": single_row_ms(predict, X), "batch": batch_ms(predict, X),
            "size": result.model_size_bytes, "memory": memory * cost_model.BYTES_PER_MB}


def measure_overhead(rows: int) -> tuple[float, float]:
    """One raw row through a full preprocessor and a dummy model: the pipeline's own cost."""
    from sklearn.dummy import DummyRegressor
    from sklearn.pipeline import Pipeline

    frame = table(rows, "regression")
    X, y = frame.drop(columns="target"), frame["target"]
    roles = {c: ("categorical" if c.startswith("c") else "numeric") for c in X.columns}
    pipeline = Pipeline([("prep", build_preprocessor(roles, catalog.get("ridge").traits)),
                         ("model", DummyRegressor())]).fit(X, y)
    return single_row_ms(pipeline.predict, X), float(model_size_bytes(pipeline))


# --- unsupervised, directly with scikit-learn -------------------------------------------------

def unsupervised_estimator(algorithm_id: str) -> Any:
    from sklearn import decomposition, manifold, mixture
    from sklearn.cluster import KMeans
    return {
        "kmeans": lambda: KMeans(n_clusters=8, n_init="auto", random_state=0),
        "gaussian_mixture": lambda: mixture.GaussianMixture(n_components=5, random_state=0),
        "pca": lambda: decomposition.PCA(n_components=5, random_state=0),
        "truncated_svd": lambda: decomposition.TruncatedSVD(n_components=5, random_state=0),
        "nmf": lambda: decomposition.NMF(n_components=5, max_iter=300, random_state=0),
        "lda": lambda: decomposition.LatentDirichletAllocation(n_components=5,
                                                               learning_method="online",
                                                               random_state=0),
        "lle": lambda: manifold.LocallyLinearEmbedding(n_components=2, n_neighbors=10,
                                                       random_state=0),
        "tsne": lambda: manifold.TSNE(n_components=2, random_state=0),
    }[algorithm_id]()


def unsupervised_pipeline(algorithm_id: str, X: pd.DataFrame) -> Any:
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler

    roles = {c: ("categorical" if c.startswith("c") else "numeric") for c in X.columns}
    # NMF and LDA need non-negative inputs: one-hot, then squeeze everything into [0, 1].
    non_negative = algorithm_id in ("nmf", "lda")
    traits = Traits("global", "low", "low", False, False, not non_negative, True)
    steps = [("prep", build_preprocessor(roles, traits))]
    if non_negative:
        steps.append(("nonneg", MinMaxScaler()))
    return Pipeline(steps + [("model", unsupervised_estimator(algorithm_id))])


def measure_unsupervised(algorithm_id: str, rows: int, threads: int) -> dict[str, float]:
    X = table(rows, "regression").drop(columns="target")
    pipeline = unsupervised_pipeline(algorithm_id, X)
    train = timed(lambda: pipeline.fit(X))
    call = getattr(pipeline, "predict", None) if algorithm_id in ("kmeans", "gaussian_mixture") \
        else getattr(pipeline, "transform", None)
    out = {"train_rows": rows, "train": train, "size": model_size_bytes(pipeline)}
    if algorithm_id == "tsne":   # no transform: new items mean a new fit
        return {**out, "latency": None, "batch": train * 1000 / rows, "memory": 0.0}
    out["batch"] = batch_ms(call, X)
    out["latency"] = single_row_ms(call, X)
    out["memory"] = peak_inference_mb(pipeline, X.head(MEMORY_BATCH), call) \
        * cost_model.BYTES_PER_MB
    return out


# --- fitting the laws -------------------------------------------------------------------------

def fit_entry(algorithm_id: str, runs: list[dict[str, float]], overhead_ms: float,
              base_bytes: float) -> dict[str, Any]:
    """The JSON entry of one algorithm: its default laws with measured scales."""
    default = cost_model._DEFAULTS["algorithms"][algorithm_id]
    entry: dict[str, Any] = {}
    for part, already_counted in (("train", 0.0), ("latency", overhead_ms), ("batch", 0.0),
                                  ("size", base_bytes), ("memory", 0.0)):
        if default.get(part) is None:
            entry[part] = None
            continue
        law = default[part][0]
        samples = []
        for run in runs:
            value = run[part] / (MEMORY_BATCH if part == "memory" else 1)  # memory: per item
            samples.append((cost_model.law_units(law, run["train_rows"], FEATURES),
                            max(value - already_counted, 0.0)))
        scale, fixed = fit_law(samples, law == "const")
        entry[part] = [law, _sig(scale)] + ([_sig(fixed)] if fixed > 0 else [])
    return _single_item_at_least_batch_share(entry)


def _single_item_at_least_batch_share(entry: dict[str, Any]) -> dict[str, Any]:
    """A single item costs at least its share of a batch (the same distances are computed).

    At calibration sizes the scan of kNN, SVM and LLE is hidden in the pipeline overhead
    of a single row, so the growth measured in batches stands in for it.
    """
    latency, batch = entry.get("latency"), entry.get("batch")
    if latency and batch and latency[0] == batch[0] != "const" and latency[1] < batch[1]:
        entry["latency"] = [latency[0], batch[1]] + latency[2:]
    return entry


def _sig(value: float) -> float:
    return float(f"{max(value, 1e-12):.3g}")


def calibrate(quick: bool, threads: int) -> dict[str, Any]:
    sizes = QUICK_SIZES if quick else SIZES
    overhead_ms, base_bytes = measure_overhead(2000)
    print(f"pipeline overhead {overhead_ms:.3f} ms per row, base size {base_bytes:.0f} bytes")
    out: dict[str, Any] = {"machine": machine(), "threads": threads, "features": FEATURES,
                           "overhead_ms": round(overhead_ms, 4),
                           "size_base_bytes": round(base_bytes), "algorithms": {}}
    supervised = [a for a in catalog.ALGORITHMS if not catalog.get(a).is_baseline]
    unsupervised = [a for a in cost_model._DEFAULTS["algorithms"] if a not in catalog.ALGORITHMS]
    for algorithm_id in supervised + unsupervised:
        start = time.perf_counter()
        measure = measure_supervised if algorithm_id in supervised else measure_unsupervised
        runs = [measure(algorithm_id, rows, threads)
                for rows in sizes.get(algorithm_id, sizes["default"])]
        out["algorithms"][algorithm_id] = fit_entry(algorithm_id, runs, overhead_ms, base_bytes)
        print(f"{algorithm_id:<24} {time.perf_counter() - start:5.1f}s  "
              f"{json.dumps(out['algorithms'][algorithm_id])}")
        sys.stdout.flush()
    return out


def constants_json(constants: dict[str, Any]) -> str:
    """The constants as JSON with one line per algorithm, so a diff shows what moved."""
    lines = ["{"] + [f" {json.dumps(key)}: {json.dumps(value)},"
                     for key, value in constants.items() if key != "algorithms"]
    entries = [f"  {json.dumps(key)}: {json.dumps(value)}"
               for key, value in constants["algorithms"].items()]
    return "\n".join(lines + [' "algorithms": {', ",\n".join(entries), " }", "}"]) + "\n"


def machine() -> dict[str, Any]:
    import os
    import platform

    import sklearn
    return {"cpu_count": os.cpu_count(), "machine": platform.machine(),
            "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "calibrated_at": time.strftime("%Y-%m-%d")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about a minute")
    parser.add_argument("--threads", type=int, default=default_threads(),
                        help="threads for fits and predictions (default: all cores, as the app)")
    parser.add_argument("--out", type=Path, default=cost_model.CONSTANTS_FILE)
    args = parser.parse_args()
    started = time.perf_counter()
    with warnings.catch_warnings(), threadpool_limits(limits=args.threads):
        warnings.simplefilter("ignore")
        constants = calibrate(args.quick, args.threads)
    args.out.write_text(constants_json(constants), encoding="utf-8")
    print(f"\nwrote {args.out} in {time.perf_counter() - started:.0f} s")
    print("examples (estimates from the new constants):")
    cost_model.CONSTANTS_FILE = args.out
    cost_model.constants.cache_clear()
    for algorithm_id, rows in (("knn", 200_000), ("svm", 1_000_000), ("lightgbm", 1_000_000)):
        print(f"  {algorithm_id:<10} {rows:>9,} rows x 20: train "
              f"{cost_model.train_seconds(algorithm_id, rows, 20):10.1f} s, latency "
              f"{cost_model.latency_ms(algorithm_id, rows, 20):8.2f} ms")


if __name__ == "__main__":
    main()
