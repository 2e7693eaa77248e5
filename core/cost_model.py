"""Calibrated cost laws: training time, latency, batch throughput, model size and memory.

Each algorithm's cost follows a simple complexity law in the number of training rows and
features (``const``, ``features``, ``rows``, ``rows_features``, ``rows_log_rows_features``,
``rows2_features``) times a scale measured on this machine class by
``benchmarks/calibrate_costs.py``. The script writes ``core/cost_constants.json``; this
module reads it when present and otherwise falls back to the defaults below (measured once
on a 2-core machine). Every number here is an estimate, and every caller says so.

Single-item latency is ``overhead_ms`` (predicting one raw row through a Pipeline: column
checks, imputation, encoding) plus the algorithm's own law, because that overhead, not the
model, dominates most single-row predictions in Python.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONSTANTS_FILE = Path(__file__).with_name("cost_constants.json")
LAWS: tuple[str, ...] = ("const", "features", "rows", "rows_features",
                         "rows_log_rows_features", "rows2_features")


Law = tuple[str, float, float]          # (law, scale per unit, fixed part)


@dataclass(frozen=True)
class AlgorithmCost:
    """Cost laws of one algorithm; ``latency`` is None when it cannot serve new items.

    Each law is ``fixed + scale × units(rows, features)``; in the JSON a law is
    ``[law, scale]`` or ``[law, scale, fixed]``.
    """

    train: Law                 # seconds
    latency: Law | None        # ms per single item, on top of the pipeline overhead
    batch: Law                 # ms per item inside a large batch
    size: Law                  # bytes of the saved model, on top of the base size
    memory: Law                # bytes of working memory per item predicted


# Defaults: core/cost_constants.json as benchmarks/calibrate_costs.py --threads 1 wrote it on a
# 2-core x86_64 VM (scikit-learn 1.9.1), so the advisor works even without that file.
_DEFAULTS: dict[str, Any] = {
    "overhead_ms": 6.1063,
    "size_base_bytes": 5386,
    "algorithms": {
        "linear_regression": {"train": ["rows_features", 5.81e-07], "latency": ["const", 1.47],
            "batch": ["features", 0.000802], "size": ["features", 34.8],
            "memory": ["features", 42.5]},
        "ridge": {"train": ["rows_features", 1.09e-06], "latency": ["const", 0.993],
            "batch": ["features", 0.000738], "size": ["features", 20.4],
            "memory": ["features", 42.5]},
        "lasso": {"train": ["rows_features", 4.32e-07, 0.00836], "latency": ["const", 0.33],
            "batch": ["features", 0.000717], "size": ["features", 24.4],
            "memory": ["features", 42.4]},
        "elastic_net": {"train": ["rows_features", 2.83e-07, 0.018], "latency": ["const", 0.361],
            "batch": ["features", 0.000731], "size": ["features", 24.4],
            "memory": ["features", 42.4]},
        "logistic_regression": {"train": ["rows_features", 2.12e-07, 0.0246],
            "latency": ["const", 0.0352], "batch": ["features", 0.000701],
            "size": ["features", 41.6], "memory": ["features", 42.4]},
        "naive_bayes": {"train": ["rows_features", 2.17e-07, 0.0161], "latency": ["const", 1e-12],
            "batch": ["features", 0.000643], "size": ["features", 1e-12],
            "memory": ["features", 63.3]},
        "decision_tree": {"train": ["rows_log_rows_features", 5.94e-08, 0.0115],
            "latency": ["const", 1e-12], "batch": ["const", 0.00977],
            "size": ["rows", 0.762, 4310.0], "memory": ["features", 17.6]},
        "random_forest": {"train": ["rows_log_rows_features", 1.71e-06, 0.222],
            "latency": ["const", 12.1], "batch": ["const", 0.0546],
            "size": ["rows", 2290.0, 639000.0], "memory": ["features", 21.5]},
        "knn": {"train": ["rows_features", 1.47e-07, 0.017],
            "latency": ["rows_features", 4.17e-06, 0.232], "batch": ["rows_features", 9.18e-07],
            "size": ["rows_features", 14.8, 517.0], "memory": ["rows", 0.613]},
        "svm": {"train": ["rows2_features", 1.55e-09, 0.0199],
            "latency": ["rows_features", 4.66e-05], "batch": ["rows_features", 4.45e-06],
            "size": ["rows_features", 7.04, 38800.0], "memory": ["rows", 0.126, 667.0]},
        "mlp": {"train": ["rows_features", 9.16e-07, 0.231], "latency": ["const", 0.855],
            "batch": ["features", 0.000781], "size": ["features", 3350.0],
            "memory": ["features", 62.3]},
        "xgboost": {"train": ["rows_features", 5.29e-06, 0.13], "latency": ["const", 1e-12],
            "batch": ["const", 0.0211], "size": ["const", 150000.0], "memory": ["features", 16.5]},
        "lightgbm": {"train": ["rows_features", 1.13e-06, 0.0835], "latency": ["const", 1e-12],
            "batch": ["const", 0.0218], "size": ["const", 141000.0], "memory": ["features", 16.5]},
        "hist_gradient_boosting": {"train": ["rows_features", 9.77e-06, 0.147],
            "latency": ["const", 0.901], "batch": ["const", 0.0362], "size": ["const", 670000.0],
            "memory": ["features", 16.6]},
        "kmeans": {"train": ["rows_features", 3.01e-07, 0.0142], "latency": ["const", 0.689],
            "batch": ["features", 0.000203], "size": ["features", 780.0],
            "memory": ["features", 42.3]},
        "gaussian_mixture": {"train": ["rows_features", 5.88e-07, 0.0173],
            "latency": ["const", 0.869], "batch": ["features", 0.000249],
            "size": ["features", 7880.0], "memory": ["features", 80.1]},
        "pca": {"train": ["rows_features", 1.71e-07, 0.0164], "latency": ["const", 0.33],
            "batch": ["features", 0.000196], "size": ["features", 118.0],
            "memory": ["features", 43.1]},
        "truncated_svd": {"train": ["rows_features", 2.77e-07, 0.0137],
            "latency": ["const", 0.417], "batch": ["features", 0.000191],
            "size": ["features", 95.2], "memory": ["features", 43.1]},
        "nmf": {"train": ["rows_features", 1.37e-06, 0.00526], "latency": ["const", 0.633],
            "batch": ["features", 0.000235], "size": ["features", 103.0],
            "memory": ["features", 49.0]},
        "lda": {"train": ["rows_features", 7.32e-05, 0.224], "latency": ["const", 0.388],
            "batch": ["features", 0.00731], "size": ["features", 456.0],
            "memory": ["features", 49.0]},
        "lle": {"train": ["rows2_features", 7.11e-09, 0.0205],
            "latency": ["rows_features", 7.31e-06], "batch": ["rows_features", 7.31e-06],
            "size": ["rows_features", 15.2, 599.0], "memory": ["rows", 1.92]},
        "tsne": {"train": ["rows_log_rows_features", 1.43e-05, 0.198], "latency": None,
            "batch": ["rows_log_rows_features", 1.08e-07, 3.01], "size": ["rows", 8.0, 328.0],
            "memory": ["rows", 1e-12]},
    },
}
BYTES_PER_MB = 1024 * 1024


def law_units(law: str, rows: int, features: int) -> float:
    """How many units of ``law`` a table of ``rows`` x ``features`` has."""
    rows, features = max(int(rows), 1), max(int(features), 1)
    units = {
        "const": 1.0,
        "features": float(features),
        "rows": float(rows),
        "rows_features": float(rows) * features,
        "rows_log_rows_features": rows * math.log2(max(rows, 2)) * features,
        "rows2_features": float(rows) * rows * features,
    }
    if law not in units:
        raise ValueError(f"unknown cost law {law!r}; known: {', '.join(LAWS)}")
    return units[law]


def _pair(value: Any) -> Law | None:
    if value is None:
        return None
    return str(value[0]), float(value[1]), float(value[2]) if len(value) > 2 else 0.0


def _parse(raw: dict[str, Any]) -> tuple[float, float, dict[str, AlgorithmCost]]:
    """(overhead ms, base size bytes, costs by id) from the JSON layout of the defaults."""
    costs = {}
    for algorithm_id, entry in raw["algorithms"].items():
        costs[algorithm_id] = AlgorithmCost(
            train=_pair(entry["train"]), latency=_pair(entry.get("latency")),
            batch=_pair(entry["batch"]), size=_pair(entry["size"]),
            memory=_pair(entry["memory"]))
    return float(raw["overhead_ms"]), float(raw["size_base_bytes"]), costs


@functools.cache
def constants() -> tuple[float, float, dict[str, AlgorithmCost]]:
    """The calibrated constants when the calibration file exists, the defaults otherwise.

    Calibrated entries overlay the defaults one algorithm at a time, so a file written
    before an algorithm was added still leaves that algorithm a cost.
    """
    raw = json.loads(json.dumps(_DEFAULTS))
    if CONSTANTS_FILE.is_file():
        try:
            measured = json.loads(CONSTANTS_FILE.read_text(encoding="utf-8"))
            raw["overhead_ms"] = measured.get("overhead_ms", raw["overhead_ms"])
            raw["size_base_bytes"] = measured.get("size_base_bytes", raw["size_base_bytes"])
            raw["algorithms"].update(measured.get("algorithms", {}))
        except (OSError, ValueError, AttributeError):
            pass  # a damaged file must not break the advisor; the defaults still hold
    return _parse(raw)


def known(algorithm_id: str) -> bool:
    return algorithm_id in constants()[2]


def _cost(algorithm_id: str) -> AlgorithmCost:
    return constants()[2][algorithm_id]


def _apply(pair: Law, rows: int, features: int) -> float:
    law, scale, fixed = pair
    return fixed + law_units(law, rows, features) * scale


def train_seconds(algorithm_id: str, rows: int, features: int) -> float:
    """Estimated seconds to fit on ``rows`` x ``features``."""
    return _apply(_cost(algorithm_id).train, rows, features)


def latency_ms(algorithm_id: str, rows: int, features: int) -> float | None:
    """Estimated ms to predict one item through the Pipeline; None if it cannot (t-SNE)."""
    cost = _cost(algorithm_id)
    if cost.latency is None:
        return None
    return constants()[0] + _apply(cost.latency, rows, features)


def batch_ms_per_item(algorithm_id: str, rows: int, features: int) -> float:
    """Estimated ms per item when a large batch is predicted at once."""
    return _apply(_cost(algorithm_id).batch, rows, features)


def model_mb(algorithm_id: str, rows: int, features: int) -> float:
    """Estimated size of the saved model (MB)."""
    return (constants()[1] + _apply(_cost(algorithm_id).size, rows, features)) / BYTES_PER_MB


def memory_mb(algorithm_id: str, rows: int, features: int, items: int = 1) -> float:
    """Estimated inference memory (MB): the loaded model plus working memory for ``items``."""
    working = _apply(_cost(algorithm_id).memory, rows, features) * max(items, 1)
    return model_mb(algorithm_id, rows, features) + working / BYTES_PER_MB


def smallest_model_mb(features: int = 1) -> float:
    """The smallest model any algorithm makes: below this no edge budget can be met."""
    return min(model_mb(algorithm_id, 1, features) for algorithm_id in constants()[2])


def fastest_batch_ms_per_item(algorithm_ids: list[str], rows: int, features: int) -> float:
    """The least time per item in a batch that any of ``algorithm_ids`` needs."""
    return min(batch_ms_per_item(a, rows, features) for a in algorithm_ids if known(a))


# The shape costs.py reads (seconds per unit of its three laws), so it can use these numbers.
def train_law_table() -> dict[str, tuple[str, float]]:
    """{id: (law, seconds per unit)} for the laws costs.py understands."""
    supported = ("rows2_features", "rows_features", "rows_log_rows_features")
    return {a: cost.train[:2] for a, cost in constants()[2].items()
            if cost.train[0] in supported}


def knn_latency_ms_per_cell() -> float:
    """kNN's single-item ms per (training row x feature), for costs.py."""
    return _cost("knn").latency[1]
