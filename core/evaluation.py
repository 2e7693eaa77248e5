"""Metrics, timings and the leaderboard."""

from __future__ import annotations

import io
import time
from typing import Any, Sequence

import joblib
import numpy as np
import pandas as pd
from sklearn import metrics as skm

from core.i18n import t

# Dimensionality reduction ranks by explained variance (1 - reconstruction error / total
# variance, on validation rows): scale-free, so PCA, SVD, NMF and the random-projection
# baseline compare although they see differently scaled inputs. Methods without an
# inverse (LDA, LLE, t-SNE) have none and fall back to trustworthiness (FALLBACK_METRIC).
PRIMARY_METRIC: dict[str, str] = {"classification": "f1_macro", "regression": "rmse",
                                  "clustering": "silhouette",
                                  "dimensionality_reduction": "explained_variance"}
FALLBACK_METRIC: dict[str, str] = {"dimensionality_reduction": "trustworthiness"}
LOWER_IS_BETTER: frozenset[str] = frozenset({"rmse", "mae", "mape", "log_loss", "davies_bouldin",
                                             "inertia", "reconstruction_error"})
LEADERBOARD_METRICS: dict[str, list[str]] = {
    "classification": ["f1_macro", "accuracy", "balanced_accuracy", "roc_auc", "log_loss"],
    "regression": ["rmse", "mae", "r2", "mape"],
    "clustering": ["silhouette", "calinski_harabasz", "davies_bouldin", "inertia", "n_clusters"],
    "dimensionality_reduction": ["explained_variance", "reconstruction_error", "trustworthiness",
                                 "n_components"],
}


def higher_is_better(metric: str) -> bool:
    return metric not in LOWER_IS_BETTER


def _scores_for_auc(proba: np.ndarray | None, scores: np.ndarray | None,
                    n_classes: int) -> np.ndarray | None:
    source = proba if proba is not None else scores
    if source is None:
        return None
    if n_classes == 2 and source.ndim == 2:
        return source[:, 1]
    return source


def classification_metrics(y_true: Sequence[Any], y_pred: Sequence[Any], classes: list[Any],
                           proba: np.ndarray | None = None,
                           scores: np.ndarray | None = None) -> dict[str, Any]:
    """Accuracy, balanced accuracy, macro precision/recall/F1, ROC AUC, log loss, confusion."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    out: dict[str, Any] = {
        "accuracy": skm.accuracy_score(y_true, y_pred),
        "balanced_accuracy": skm.balanced_accuracy_score(y_true, y_pred),
        "precision_macro": skm.precision_score(y_true, y_pred, average="macro", zero_division=0),
        "recall_macro": skm.recall_score(y_true, y_pred, average="macro", zero_division=0),
        "f1_macro": skm.f1_score(y_true, y_pred, average="macro", zero_division=0),
    }
    if len(classes) == 2:
        # "f1" on a requirements card means the F1 of the positive (second, sorted) class.
        out["f1"] = skm.f1_score(y_true, y_pred, pos_label=classes[1], zero_division=0)
        out["precision"] = skm.precision_score(y_true, y_pred, pos_label=classes[1],
                                               zero_division=0)
        out["recall"] = skm.recall_score(y_true, y_pred, pos_label=classes[1], zero_division=0)
    else:
        out["f1"] = out["f1_macro"]
    auc_input = _scores_for_auc(proba, scores, len(classes))
    present = set(np.unique(y_true).tolist())
    if auc_input is not None and len(present) == len(classes):
        try:
            out["roc_auc"] = skm.roc_auc_score(y_true, auc_input, multi_class="ovr",
                                               labels=classes if len(classes) > 2 else None)
        except ValueError:
            out["roc_auc"] = None
    if proba is not None:
        out["log_loss"] = skm.log_loss(y_true, np.clip(proba, 1e-15, 1), labels=classes)
    out["confusion_matrix"] = skm.confusion_matrix(y_true, y_pred, labels=classes).tolist()
    return {key: _plain(value) for key, value in out.items()}


def regression_metrics(y_true: Sequence[float], y_pred: Sequence[float]) -> dict[str, Any]:
    """RMSE, MAE, R² and MAPE (MAPE left out when the target has zeros)."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    out: dict[str, Any] = {
        "rmse": float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
        "mae": skm.mean_absolute_error(y_true, y_pred),
        "r2": skm.r2_score(y_true, y_pred) if len(y_true) > 1 else None,
        "mape": (skm.mean_absolute_percentage_error(y_true, y_pred)
                 if np.all(y_true != 0) else None),
    }
    return {key: _plain(value) for key, value in out.items()}


def _plain(value: Any) -> Any:
    """Python scalars for JSON; NaN becomes None."""
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def measure_latency(pipeline: Any, X: pd.DataFrame, max_rows: int = 60,
                    budget_seconds: float = 0.5, method: str = "predict") -> dict[str, float]:
    """Single-row latency p50/p95 in ms, over up to ``max_rows`` distinct rows.

    ``method`` is what serving calls: "predict", or "transform" for dimensionality reduction.
    """
    if len(X) == 0:
        return {}
    score = getattr(pipeline, method)
    samples: list[float] = []
    deadline = time.perf_counter() + budget_seconds
    for i in range(min(max_rows, len(X))):
        row = X.iloc[[i]]
        start = time.perf_counter()
        score(row)
        samples.append((time.perf_counter() - start) * 1000)
        if i >= 10 and time.perf_counter() > deadline:
            break
    return {"latency_p50_ms": float(np.percentile(samples, 50)),
            "latency_p95_ms": float(np.percentile(samples, 95)),
            "latency_rows_measured": len(samples)}


def model_size_bytes(pipeline: Any) -> int:
    """Size of the pipeline as joblib writes it into the bundle."""
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer)
    return buffer.getbuffer().nbytes


def _metric_text(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def _ranking_metric(results: Sequence[Any], task: str) -> str:
    """The primary metric, or the fallback when no candidate has the primary (a reduction
    by LDA, LLE or t-SNE alone has no explained variance)."""
    primary, fallback = PRIMARY_METRIC[task], FALLBACK_METRIC.get(task)
    measured = any(r.metrics.get("validation", {}).get(primary) is not None for r in results)
    return primary if measured or fallback is None else fallback


def leaderboard(results: Sequence[Any], task: str, lang: str = "en",
                metric: str | None = None) -> pd.DataFrame:
    """One row per candidate (best first, baselines included; on a tie, common on obvious
    clusters, candidates first) ranked by ``metric`` or the task's (see _ranking_metric)."""
    metric = metric or _ranking_metric(results, task)
    results = sorted(results, key=lambda r: r.is_baseline)
    columns = [metric] + [m for m in LEADERBOARD_METRICS[task] if m != metric]
    baseline = next((r for r in results if r.is_baseline and r.ok), None)
    base_value = baseline.metrics.get("validation", {}).get(metric) if baseline else None
    rows = []
    for result in results:
        values = result.metrics.get("validation", {})
        value = values.get(metric)
        rows.append({
            t("eval.col_candidate", lang): result.name.get(lang, result.key),
            **{t(f"eval.metric.{m}", lang): _metric_text(values.get(m)) for m in columns},
            t("eval.col_vs_baseline", lang): (_metric_text(value - base_value)
                                              if None not in (value, base_value) else None),
            t("eval.col_train_seconds", lang): _metric_text(result.timings.get("train_seconds")),
            t("eval.col_latency_p95", lang): _metric_text(result.timings.get("latency_p95_ms")),
            t("eval.col_size_kb", lang): round(result.model_size_bytes / 1024, 1),
            t("eval.col_status", lang): (t("eval.status_ok", lang) if result.ok
                                         else result.error.text(lang) if result.error else ""),
            "key": result.key,
        })
    frame = pd.DataFrame(rows)
    sort_col = t(f"eval.metric.{metric}", lang)
    return frame.sort_values(sort_col, ascending=not higher_is_better(metric),
                             na_position="last", kind="stable").reset_index(drop=True)
