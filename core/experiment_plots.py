"""Comparing recorded runs: tables and plotly figures over :func:`core.tracking.list_runs` rows."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core.i18n import catalog, t
from core.tracking import param_value

PARTS: tuple[str, ...] = ("validation", "test")
TIMING_METRICS: dict[str, str] = {
    "train_seconds": "eval.col_train_seconds", "latency_p50_ms": "tracking.metric.latency_p50_ms",
    "latency_p95_ms": "eval.col_latency_p95", "rows_per_second": "tracking.metric.rows_per_second",
    "model_size_bytes": "tracking.metric.model_size_bytes",
}
HIDDEN_METRICS: frozenset[str] = frozenset({"latency_rows_measured"})


def metric_names(runs: pd.DataFrame) -> list[str]:
    """Metrics the runs hold (without the ``metrics.`` prefix), scores first."""
    names = [c[len("metrics."):] for c in runs.columns if c.startswith("metrics.")]
    names = [n for n in names if n not in HIDDEN_METRICS and runs[f"metrics.{n}"].notna().any()]
    return sorted(names, key=lambda n: (n in TIMING_METRICS, not n.startswith("validation_"), n))


def param_names(runs: pd.DataFrame) -> list[str]:
    """Hyperparameters logged by at least one of the runs."""
    return sorted(c[len("params."):] for c in runs.columns
                  if c.startswith("params.") and runs[c].notna().any())


def metric_label(name: str, lang: str = "en") -> str:
    """A readable name: "validation_f1_macro" -> "F1 (macro) — validation"."""
    if name in TIMING_METRICS:
        return t(TIMING_METRICS[name], lang)
    part, _, metric = name.partition("_")
    key = f"eval.metric.{metric}"
    if part in PARTS and key in catalog():
        return f"{t(key, lang)} — {t(f'tracking.part.{part}', lang)}"
    return name


def run_label(row: pd.Series | dict[str, Any], lang: str = "en") -> str:
    """How a run is named in pickers and legends: candidate, data, time, short id."""
    name = row.get(f"name_{lang}") or row.get("name_en") or row.get("name") or ""
    started = row.get("start_time")
    when = started.strftime("%Y-%m-%d %H:%M") if isinstance(started, pd.Timestamp) else ""
    return f"{name} · {row.get('dataset', '')} · {when} · {str(row.get('run_id', ''))[:6]}"


def comparison_table(runs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Metrics side by side: one row per metric, one column per run."""
    columns = {run_label(row, lang): row for _, row in runs.iterrows()}
    rows = {metric_label(name, lang): [_rounded(row.get(f"metrics.{name}")) for row in columns.values()]
            for name in metric_names(runs)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(columns))


def params_table(runs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Hyperparameters side by side (text, "–" where a run has no such parameter)."""
    columns = {run_label(row, lang): row for _, row in runs.iterrows()}
    rows = {name: [_text(row.get(f"params.{name}")) for row in columns.values()]
            for name in param_names(runs)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(columns), dtype="str")


def _rounded(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 4)


def _text(value: Any) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(title=title, template="plotly_white", height=440,
                      margin=dict(l=50, r=20, t=60, b=50))
    return fig


def metric_vs_time_figure(runs: pd.DataFrame, metric: str, lang: str = "en") -> go.Figure | None:
    """``metric`` against training time, one colour per algorithm (the accuracy/cost trade-off)."""
    x_col, y_col = "metrics.train_seconds", f"metrics.{metric}"
    if x_col not in runs or y_col not in runs:
        return None
    usable = runs.dropna(subset=[x_col, y_col])
    if usable.empty:
        return None
    fig = go.Figure()
    for algorithm, group in usable.groupby("algorithm", sort=True):
        fig.add_trace(go.Scatter(
            x=group[x_col], y=group[y_col], mode="markers", name=str(algorithm),
            marker=dict(size=11, opacity=0.8),
            text=[run_label(row, lang) for _, row in group.iterrows()],
            hovertemplate="%{text}<br>%{x:.3g} s<br>%{y:.4g}<extra></extra>"))
    fig.update_xaxes(title=t("eval.col_train_seconds", lang),
                     type="log" if _spans_decades(usable[x_col]) else "linear")
    fig.update_yaxes(title=metric_label(metric, lang))
    return _layout(fig, t("tracking.plot.metric_vs_time", lang, metric=metric_label(metric, lang)))


def _spans_decades(values: pd.Series) -> bool:
    positive = values[values > 0]
    return len(positive) > 1 and positive.max() / positive.min() > 100


def _dimension(label: str, values: list[Any]) -> dict[str, Any]:
    """A parallel-coordinates axis: numbers as they are, anything else as ranked categories."""
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    if numeric and values:
        return dict(label=label, values=[float(v) for v in values])
    texts = ["–" if v is None else str(v) for v in values]
    categories = sorted(set(texts))
    return dict(label=label, values=[categories.index(v) for v in texts],
                tickvals=list(range(len(categories))), ticktext=categories)


def parallel_coordinates_figure(runs: pd.DataFrame, metric: str,
                                lang: str = "en") -> go.Figure | None:
    """Hyperparameters (and the algorithm) as parallel axes, coloured by ``metric``."""
    y_col = f"metrics.{metric}"
    params = param_names(runs)
    if y_col not in runs or not params or runs[y_col].notna().sum() < 1:
        return None
    usable = runs.dropna(subset=[y_col])
    dimensions = [_dimension(t("tracking.col.algorithm", lang), list(usable["algorithm"]))]
    for name in params:
        values = [None if pd.isna(v) else param_value(v) for v in usable[f"params.{name}"]]
        dimensions.append(_dimension(name, values))
    score = usable[y_col].astype(float)
    dimensions.append(dict(label=metric_label(metric, lang), values=list(score)))
    fig = go.Figure(go.Parcoords(dimensions=dimensions, line=dict(
        color=list(score), colorscale="Viridis", showscale=True)))
    _layout(fig, t("tracking.plot.parallel", lang, metric=metric_label(metric, lang)))
    # Axis names sit above the axes and category names left of them: room for both.
    fig.update_layout(margin=dict(l=110, r=60, t=100, b=40))
    return fig


def primary_metric(runs: pd.DataFrame) -> str | None:
    """``validation_<primary metric>`` of the most common task among ``runs``."""
    from core.evaluation import PRIMARY_METRIC

    tasks = runs["task"].dropna()
    if tasks.empty:
        return None
    metric = PRIMARY_METRIC.get(str(tasks.mode().iloc[0]))
    return f"validation_{metric}" if metric else None


def _score(row: pd.Series) -> tuple[str, Any]:
    """(metric, validation value) of the task's primary metric for one run."""
    from core.evaluation import PRIMARY_METRIC

    metric = PRIMARY_METRIC.get(str(row.get("task")), "")
    return metric, row.get(f"metrics.validation_{metric}") if metric else None


def runs_table(runs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The runs as the Experiments page lists them, with translated headers."""
    rows = []
    for _, row in runs.iterrows():
        metric, score = _score(row)
        rows.append({
            t("tracking.col.started", lang): _when(row["start_time"]),
            t("tracking.col.candidate", lang): row.get(f"name_{lang}") or row.get("name"),
            t("tracking.col.dataset", lang): row["dataset"],
            t("tracking.col.target", lang): row["target"],
            t("tracking.col.status", lang): t(f"tracking.status.{row['status']}", lang),
            t("tracking.col.metric", lang): _metric_short(metric, lang),
            t("tracking.col.score", lang): _rounded(score),
            t("eval.col_train_seconds", lang): _rounded(row.get("metrics.train_seconds")),
            t("eval.col_latency_p95", lang): _rounded(row.get("metrics.latency_p95_ms")),
            t("tracking.col.bundle", lang): bool(row["has_bundle"]),
            t("tracking.col.run_id", lang): str(row["run_id"])[:8],
        })
    return pd.DataFrame(rows)


def _when(stamp: Any) -> str:
    """A start time as a short UTC text (the store keeps UTC; servers run in any zone)."""
    return stamp.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(stamp, pd.Timestamp) else ""


def _metric_short(metric: str, lang: str) -> str:
    key = f"eval.metric.{metric}"
    return t(key, lang) if metric and key in catalog() else metric
