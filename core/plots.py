"""Plotly figures for the profile and for each trained candidate (built here, shown by pages)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn import metrics as skm

from core.i18n import t

# Scatter plots beyond this many points only get slower to draw, not more informative.
MAX_POINTS = 5000


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, template="plotly_white",
                      margin=dict(l=40, r=20, t=60, b=40), height=420)
    return fig


def missing_values_figure(profile: Any, lang: str = "en") -> go.Figure:
    """Share of missing values per column (columns without missing values left out)."""
    shares = sorted(((c.name, c.missing_share) for c in profile.columns if c.missing_share > 0),
                    key=lambda item: -item[1])
    fig = go.Figure(go.Bar(x=[name for name, _ in shares],
                           y=[share * 100 for _, share in shares]))
    return _layout(fig, t("plots.missing_title", lang), t("plots.column", lang),
                   t("plots.missing_percent", lang))


def distribution_figure(frame: pd.DataFrame, column: str, lang: str = "en") -> go.Figure:
    """A histogram for numbers, the most frequent values for everything else."""
    series = frame[column].dropna()
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        fig = go.Figure(go.Histogram(x=series.sample(min(len(series), 100_000), random_state=0),
                                     nbinsx=40))
    else:
        counts = series.astype(str).value_counts().head(30)
        fig = go.Figure(go.Bar(x=counts.index.tolist(), y=counts.to_numpy()))
    return _layout(fig, t("plots.distribution_title", lang, column=column), column,
                   t("plots.rows", lang))


def target_distribution_figure(frame: pd.DataFrame, target: str, task: str,
                               lang: str = "en") -> go.Figure:
    """Class counts for classification, a histogram for regression."""
    fig = distribution_figure(frame, target, lang)
    fig.update_layout(title=t("plots.target_title", lang, column=target))
    return fig


def confusion_matrix_figure(matrix: list[list[int]], classes: list[Any],
                            lang: str = "en") -> go.Figure:
    labels = [str(c) for c in classes]
    fig = go.Figure(go.Heatmap(z=matrix, x=labels, y=labels, colorscale="Blues",
                               text=matrix, texttemplate="%{text}", showscale=False))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, t("plots.confusion_title", lang), t("plots.predicted", lang),
                   t("plots.actual", lang))


def _class_scores(proba: np.ndarray | None, scores: np.ndarray | None,
                  index: int, n_classes: int) -> np.ndarray | None:
    if proba is not None:
        return proba[:, index]
    if scores is None:
        return None
    return scores if scores.ndim == 1 else scores[:, index]


def _curve_classes(classes: list[Any]) -> list[int]:
    # Binary: one curve for the positive class; multiclass: one per class (one-vs-rest).
    return [1] if len(classes) == 2 else list(range(len(classes)))


def roc_figure(y: np.ndarray, proba: np.ndarray | None, scores: np.ndarray | None,
               classes: list[Any], lang: str = "en") -> go.Figure | None:
    fig = go.Figure()
    for index in _curve_classes(classes):
        s = _class_scores(proba, scores, index, len(classes))
        positives = y == classes[index]
        if s is None or positives.all() or not positives.any():
            continue
        fpr, tpr, _ = skm.roc_curve(positives, s)
        fig.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines", name=str(classes[index])))
    if not fig.data:
        return None
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dash"),
                             name=t("plots.chance", lang)))
    return _layout(fig, t("plots.roc_title", lang), t("plots.fpr", lang), t("plots.tpr", lang))


def pr_figure(y: np.ndarray, proba: np.ndarray | None, scores: np.ndarray | None,
              classes: list[Any], lang: str = "en") -> go.Figure | None:
    fig = go.Figure()
    for index in _curve_classes(classes):
        s = _class_scores(proba, scores, index, len(classes))
        positives = y == classes[index]
        if s is None or not positives.any():
            continue
        precision, recall, _ = skm.precision_recall_curve(positives, s)
        fig.add_trace(go.Scatter(x=recall, y=precision, mode="lines", name=str(classes[index])))
    if not fig.data:
        return None
    return _layout(fig, t("plots.pr_title", lang), t("plots.recall", lang),
                   t("plots.precision", lang))


def _sample(y: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(y) <= MAX_POINTS:
        return y, predicted
    rows = np.random.default_rng(0).choice(len(y), MAX_POINTS, replace=False)
    return y[rows], predicted[rows]


def predicted_vs_actual_figure(y: np.ndarray, predicted: np.ndarray,
                               lang: str = "en") -> go.Figure:
    y, predicted = _sample(np.asarray(y, float), np.asarray(predicted, float))
    low, high = float(min(y.min(), predicted.min())), float(max(y.max(), predicted.max()))
    fig = go.Figure([
        go.Scatter(x=y, y=predicted, mode="markers", marker=dict(size=5, opacity=0.5),
                   name=t("plots.rows", lang)),
        go.Scatter(x=[low, high], y=[low, high], mode="lines", line=dict(dash="dash"),
                   name=t("plots.perfect", lang)),
    ])
    return _layout(fig, t("plots.pred_actual_title", lang), t("plots.actual", lang),
                   t("plots.predicted", lang))


def residuals_figure(y: np.ndarray, predicted: np.ndarray, lang: str = "en") -> go.Figure:
    y, predicted = _sample(np.asarray(y, float), np.asarray(predicted, float))
    fig = go.Figure(go.Scatter(x=predicted, y=y - predicted, mode="markers",
                               marker=dict(size=5, opacity=0.5)))
    fig.add_hline(y=0, line_dash="dash")
    return _layout(fig, t("plots.residuals_title", lang), t("plots.predicted", lang),
                   t("plots.residual", lang))


def learning_curve_figure(history: dict[str, list[float]], lang: str = "en") -> go.Figure | None:
    """Validation loss per boosting round, from the library's evaluation history."""
    if not history:
        return None
    fig = go.Figure([go.Scatter(y=values, mode="lines", name=name)
                     for name, values in history.items()])
    return _layout(fig, t("plots.learning_title", lang), t("plots.round", lang),
                   t("plots.validation_loss", lang))


def candidate_figures(setup: Any, result: Any, lang: str = "en") -> dict[str, go.Figure]:
    """Every plot that applies to one trained candidate, keyed by a stable name."""
    from core.training import classify  # local import: training is the heavier module

    if not result.ok:
        return {}
    X, y = setup.part("validation")
    figures: dict[str, go.Figure | None] = {}
    if setup.task == "classification":
        classes = setup.classes or []
        labels, proba, scores = classify(result.pipeline, X, classes, result.is_baseline)
        y_array = np.asarray(y, dtype=object)
        figures["confusion_matrix"] = confusion_matrix_figure(
            result.metrics["validation"]["confusion_matrix"], classes, lang)
        figures["roc"] = roc_figure(y_array, proba, scores, classes, lang)
        figures["pr"] = pr_figure(y_array, proba, scores, classes, lang)
    else:
        predicted = result.pipeline.predict(X)
        figures["predicted_vs_actual"] = predicted_vs_actual_figure(y.to_numpy(), predicted, lang)
        figures["residuals"] = residuals_figure(y.to_numpy(), predicted, lang)
    figures["learning_curve"] = learning_curve_figure(result.history or {}, lang)
    return {name: fig for name, fig in figures.items() if fig is not None}
