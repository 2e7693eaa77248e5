"""Warnings about slow choices before anything runs, from the calibrated cost model.

The numbers come from ``core/cost_model.py`` (calibrated by benchmarks/calibrate_costs.py)
and are estimates, said as such wherever they are shown.
"""

from __future__ import annotations

from core import catalog, cost_model
from core.i18n import Message

SLOW_TRAIN_SECONDS = 60.0
SLOW_LATENCY_MS = 20.0


def estimate_train_seconds(algorithm_id: str, rows: int, features: int) -> float | None:
    """Estimated training seconds from the calibrated cost model, None if unknown."""
    if not cost_model.known(algorithm_id):
        return None
    return cost_model.train_seconds(algorithm_id, rows, features)


def estimate_latency_ms(algorithm_id: str, rows: int, features: int) -> float | None:
    """Estimated single-row latency in ms where it grows with the training data (kNN)."""
    if algorithm_id == "knn":
        return cost_model.latency_ms("knn", rows, features)
    return None


def slow_choice_warnings(algorithm_ids: list[str], rows: int, features: int) -> list[Message]:
    """A warning per algorithm whose estimated training time or latency is high."""
    warnings: list[Message] = []
    for algorithm_id in algorithm_ids:
        name = catalog.get(algorithm_id).names
        seconds = estimate_train_seconds(algorithm_id, rows, features)
        if seconds is not None and seconds > SLOW_TRAIN_SECONDS:
            warnings.append(Message("costs.slow_training", {
                "algorithm": name, "rows": f"{rows:,}",
                "minutes": f"{seconds / 60:.0f}" if seconds >= 60 else "1"}))
        latency = estimate_latency_ms(algorithm_id, rows, features)
        if latency is not None and latency > SLOW_LATENCY_MS:
            warnings.append(Message("costs.slow_latency", {
                "algorithm": name, "rows": f"{rows:,}", "ms": f"{latency:.0f}"}))
    return warnings
