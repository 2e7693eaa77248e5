"""Plotly figures for the Inspect step: importance bars and the SHAP charts.

Built here (no Streamlit) from :mod:`core.explain` results; the Inspect page only shows
them. Every chart is per raw feature.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.explain import Importance, ShapResult, output_phrase
from core.i18n import t

TOP_FEATURES = 15
MISSING_COLOUR = "#bbbbbb"
UP_COLOUR, DOWN_COLOUR = "#E45756", "#4C78A8"
# Blue (low) to red (high), the colours SHAP's own plots use for feature values.
VALUE_SCALE = [[0.0, "#1E88E5"], [0.5, "#9C27B0"], [1.0, "#FF0051"]]


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 420) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, template="plotly_white",
                      margin=dict(l=40, r=20, t=60, b=40), height=height, showlegend=False)
    return fig


def _height(rows: int) -> int:
    return int(np.clip(120 + 28 * rows, 300, 700))


def _fmt(value: Any, lang: str) -> str:
    """A raw feature value for labels: numbers short, missing said so."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return t("inspect.plot.missing_value", lang)
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"
    return str(value)


# --- importance -------------------------------------------------------------------------------

def importance_kind_text(importance: Importance, lang: str = "en") -> str:
    """What the importance measures, in words."""
    metric = t(f"inspect.metric.{importance.metric}", lang) if importance.metric else ""
    return t(f"inspect.importance.{importance.kind}", lang, metric=metric)


def importance_figure(importance: Importance, lang: str = "en", top: int = 20) -> go.Figure:
    """Horizontal bars, most important on top; permutation shows its spread as error bars."""
    values = importance.values.head(top)[::-1]
    spread = importance.spread.reindex(values.index) if importance.spread is not None else None
    fig = go.Figure(go.Bar(
        x=values.to_numpy(), y=list(values.index), orientation="h", marker_color=DOWN_COLOUR,
        error_x=dict(type="data", array=spread.to_numpy()) if spread is not None else None))
    kind = importance_kind_text(importance, lang)
    return _layout(fig, t("inspect.plot.importance_title", lang, kind=kind), kind,
                   t("inspect.plot.feature", lang), _height(len(values)))


# --- global SHAP ------------------------------------------------------------------------------

def shap_bar_figure(result: ShapResult, lang: str = "en", top: int = 20) -> go.Figure:
    """Mean |SHAP| per raw feature: the average size of each feature's effect."""
    strength = result.mean_abs().head(top)[::-1]
    fig = go.Figure(go.Bar(x=strength.to_numpy(), y=list(strength.index), orientation="h",
                           marker_color=UP_COLOUR))
    return _layout(fig, t("inspect.plot.bar_title", lang),
                   t("inspect.plot.mean_abs_axis", lang, what=output_phrase(result, lang)),
                   t("inspect.plot.feature", lang), _height(len(strength)))


def _swarm_offsets(x: np.ndarray, width: float = 0.38, bins: int = 60) -> np.ndarray:
    """Vertical offsets that spread points with similar x, so density shows as width."""
    if len(x) == 0 or np.ptp(x) == 0:
        return np.zeros(len(x))
    slot = np.digitize(x, np.linspace(x.min(), x.max(), bins))
    rank = pd.Series(slot).groupby(slot).cumcount().to_numpy()
    offset = np.ceil(rank / 2) * np.where(rank % 2 == 0, 1, -1)
    return offset / max(np.abs(offset).max(), 1) * width


def _colour_values(column: pd.Series, numeric: pd.Series, categorical: bool) -> np.ndarray:
    """0 (low) .. 1 (high) per row; categories by code, numbers by clipped percentiles."""
    x = numeric.to_numpy(dtype=float)
    if categorical:
        return x / max(np.nanmax(x), 1) if np.isfinite(x).any() else x
    low, high = np.nanpercentile(x, [5, 95]) if np.isfinite(x).any() else (0.0, 0.0)
    return np.clip((x - low) / (high - low), 0, 1) if high > low else np.full(len(x), 0.5)


BEESWARM_MAX_ROWS = 500


def _beeswarm_trace(result: ShapResult, feature: str, position: int, numbers: pd.DataFrame,
                    lang: str, first: bool) -> go.Scattergl:
    i = result.features.index(feature)
    # The explained rows are already a random sample; beyond this many dots the chart shows
    # nothing new but costs every page rerun its serialisation.
    shown = slice(0, BEESWARM_MAX_ROWS)
    x = result.values[shown, i]
    rows = result.rows[feature].iloc[shown]
    colour = _colour_values(rows, numbers[feature].iloc[shown], result.is_categorical(feature))
    labels = [_fmt(v, lang) for v in rows.tolist()]
    marker = dict(size=5, color=np.where(np.isnan(colour), 0.5, colour), colorscale=VALUE_SCALE,
                  cmin=0, cmax=1, showscale=first, opacity=0.8)
    if first:
        marker["colorbar"] = dict(title=t("inspect.plot.feature_value", lang), tickvals=[0, 1],
                                  ticktext=[t("inspect.plot.low", lang),
                                            t("inspect.plot.high", lang)])
    return go.Scattergl(x=x, y=position + _swarm_offsets(x), mode="markers", marker=marker,
                        name=feature, text=labels,
                        hovertemplate=f"{feature} = %{{text}}<br>SHAP %{{x:.4g}}<extra></extra>")


def beeswarm_figure(result: ShapResult, lang: str = "en", top: int = TOP_FEATURES) -> go.Figure:
    """One dot per explained row and feature: its SHAP value, coloured by the feature value."""
    order = list(result.mean_abs().index[:top])
    numbers = result.numeric_rows()
    fig = go.Figure([_beeswarm_trace(result, name, len(order) - k, numbers, lang, k == 0)
                     for k, name in enumerate(order)])
    fig.update_yaxes(tickvals=[len(order) - k for k in range(len(order))], ticktext=order)
    fig.add_vline(x=0, line_color="#999999", line_width=1)
    return _layout(fig, t("inspect.plot.beeswarm_title", lang),
                   t("inspect.plot.shap_axis", lang, what=output_phrase(result, lang)), "",
                   _height(len(order)))


# --- dependence -------------------------------------------------------------------------------

def dependence_figure(result: ShapResult, feature: str, interaction: str | None = None,
                      lang: str = "en") -> go.Figure:
    """SHAP value of ``feature`` against its value, coloured by ``interaction``'s value."""
    i = result.features.index(feature)
    x = result.rows[feature]
    x = x.astype(object).where(x.notna(), t("inspect.plot.missing_value", lang)) \
        if result.is_categorical(feature) else x
    marker: dict[str, Any] = dict(size=6, opacity=0.8, color=DOWN_COLOUR)
    hover = f"{feature} = %{{x}}<br>SHAP %{{y:.4g}}"
    text = None
    if interaction is not None:
        numbers = result.numeric_rows()[interaction]
        colour = _colour_values(result.rows[interaction], numbers,
                                result.is_categorical(interaction))
        marker.update(color=np.where(np.isnan(colour), 0.5, colour), colorscale=VALUE_SCALE,
                      cmin=0, cmax=1, showscale=True, colorbar=dict(
                          title=interaction, tickvals=[0, 1],
                          ticktext=[t("inspect.plot.low", lang), t("inspect.plot.high", lang)]))
        text = [_fmt(v, lang) for v in result.rows[interaction].tolist()]
        hover += f"<br>{interaction} = %{{text}}"
    fig = go.Figure(go.Scattergl(x=x.tolist(), y=result.values[:, i], mode="markers",
                                 marker=marker, text=text, hovertemplate=hover + "<extra></extra>"))
    fig.add_hline(y=0, line_color="#999999", line_width=1)
    subtitle = (f" — {t('inspect.plot.coloured_by', lang, feature=interaction)}"
                if interaction else "")
    return _layout(fig, t("inspect.plot.dependence_title", lang, feature=feature) + subtitle,
                   feature, t("inspect.plot.shap_axis", lang, what=output_phrase(result, lang)))


# --- waterfall --------------------------------------------------------------------------------

def waterfall_figure(result: ShapResult, position: int, lang: str = "en",
                     top: int = 10) -> go.Figure:
    """Why one prediction: from the average output, each feature's push, to this row's output.

    ``position`` is the row's position in ``result.rows`` (its label is in the title).
    """
    contributions = pd.Series(result.values[position], index=result.features)
    order = contributions.abs().sort_values(ascending=False).index
    shown, rest = order[:top], order[top:]
    row = result.rows.iloc[position]
    labels = [t("inspect.plot.average", lang)]
    labels += [f"{name} = {_fmt(row[name], lang)}" for name in shown]
    values = [result.base_value] + [float(contributions[name]) for name in shown]
    if len(rest):
        labels.append(t("inspect.plot.other_features", lang, count=len(rest)))
        values.append(float(contributions[rest].sum()))
    labels.append(t("inspect.plot.this_row", lang))
    values.append(float(result.predictions[position]))
    measure = ["absolute"] + ["relative"] * (len(values) - 2) + ["total"]
    text = [f"{v:.4g}" if m != "relative" else f"{v:+.3g}" for v, m in zip(values, measure)]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=values, measure=measure, text=text, textposition="auto",
        increasing=dict(marker_color=UP_COLOUR), decreasing=dict(marker_color=DOWN_COLOUR),
        totals=dict(marker_color="#888888")))
    fig.update_yaxes(autorange="reversed")
    title = t("inspect.plot.waterfall_title", lang, row=result.rows.index[position])
    return _layout(fig, title, output_phrase(result, lang), "", _height(len(labels)))
