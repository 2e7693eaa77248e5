"""Rough cost estimates for training time and prediction latency, before anything runs.

The constants are per-algorithm scale factors for simple complexity laws (rows, rows²,
rows × features). They are estimates, said as such wherever they are shown; the advisor's
calibration script in benchmarks/ refines them for this machine class.
"""

from __future__ import annotations

from core.i18n import Message

# seconds per unit of the complexity law, measured roughly on a 2-core machine
_TRAIN_LAW: dict[str, tuple[str, float]] = {
    "svm": ("rows2_features", 4e-10),
    "knn": ("rows_features", 2e-8),
    "mlp": ("rows_features", 2e-6),
    "random_forest": ("rows_log_rows_features", 3e-7),
    "xgboost": ("rows_features", 2e-6),
    "lightgbm": ("rows_features", 6e-7),
    "hist_gradient_boosting": ("rows_features", 1e-6),
    "decision_tree": ("rows_log_rows_features", 2e-8),
}
# kNN compares each query with every training row: latency grows with rows × features.
_KNN_LATENCY_MS_PER_CELL = 1e-5
SLOW_TRAIN_SECONDS = 60.0
SLOW_LATENCY_MS = 20.0


def estimate_train_seconds(algorithm_id: str, rows: int, features: int) -> float | None:
    """Estimated training seconds, or None when the algorithm is cheap enough not to matter."""
    if algorithm_id not in _TRAIN_LAW:
        return None
    law, scale = _TRAIN_LAW[algorithm_id]
    import math
    units = {
        "rows2_features": rows * rows * max(features, 1),
        "rows_features": rows * max(features, 1),
        "rows_log_rows_features": rows * math.log2(max(rows, 2)) * max(features, 1),
    }[law]
    return units * scale


def estimate_latency_ms(algorithm_id: str, rows: int, features: int) -> float | None:
    """Estimated single-row latency in ms where it grows with the data (kNN)."""
    if algorithm_id == "knn":
        return rows * max(features, 1) * _KNN_LATENCY_MS_PER_CELL
    return None


def slow_choice_warnings(algorithm_ids: list[str], rows: int, features: int) -> list[Message]:
    """A warning per algorithm whose estimated training time or latency is high."""
    warnings: list[Message] = []
    for algorithm_id in algorithm_ids:
        seconds = estimate_train_seconds(algorithm_id, rows, features)
        if seconds is not None and seconds > SLOW_TRAIN_SECONDS:
            warnings.append(Message("costs.slow_training", {
                "algorithm": algorithm_id, "rows": f"{rows:,}",
                "minutes": f"{seconds / 60:.0f}" if seconds >= 60 else "1"}))
        latency = estimate_latency_ms(algorithm_id, rows, features)
        if latency is not None and latency > SLOW_LATENCY_MS:
            warnings.append(Message("costs.slow_latency", {
                "algorithm": algorithm_id, "rows": f"{rows:,}", "ms": f"{latency:.0f}"}))
    return warnings
