"""Plotly figures for the profile and for each trained candidate (built here, shown by pages)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn import metrics as skm

from core.catalog import UNSUPERVISED_TASKS
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
    if setup.task in UNSUPERVISED_TASKS:
        return unsupervised_figures(setup, result, lang)
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


# --- clustering and dimensionality reduction ------------------------------------------------

MAX_COLOUR_GROUPS = 20        # more distinct values than this are drawn as a colour scale
MAX_HEATMAP_FEATURES = 30


def k_sweep_figure(sweep: Any, lang: str = "en") -> go.Figure:
    """Inertia (the elbow, left axis) and silhouette (right axis) over k, the suggestion marked."""
    from plotly.subplots import make_subplots
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=sweep.ks, y=sweep.values("inertia"), mode="lines+markers",
                             name=t("eval.metric.inertia", lang)), secondary_y=False)
    fig.add_trace(go.Scatter(x=sweep.ks, y=sweep.values("silhouette"), mode="lines+markers",
                             name=t("eval.metric.silhouette", lang)), secondary_y=True)
    if sweep.suggested_k is not None:
        fig.add_vline(x=sweep.suggested_k, line_dash="dash",
                      annotation_text=t("unsupervised.plot.suggested_k", lang, k=sweep.suggested_k))
    fig.update_yaxes(title_text=t("eval.metric.inertia", lang), secondary_y=False)
    fig.update_yaxes(title_text=t("eval.metric.silhouette", lang), secondary_y=True)
    fig.update_xaxes(dtick=1)
    return _layout(fig, t("unsupervised.plot.k_sweep_title", lang),
                   t("unsupervised.plot.k_axis", lang), t("eval.metric.inertia", lang))


def _profile_scores(profile: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Differences from all rows in standard units, the values to print, the whole's values.

    Numbers: (cluster mean - overall mean) / overall standard deviation. Categories:
    (cluster share - overall share) / the standard deviation of a 0/1 column with that share.
    """
    spread = profile.numeric_spread.replace(0, np.nan)
    numeric = profile.numeric.sub(profile.numeric_all, axis=0).div(spread, axis=0)
    share = profile.categorical_all
    binary_spread = np.sqrt(share * (1 - share)).replace(0, np.nan)
    shares = profile.categorical.sub(share, axis=0).div(binary_spread, axis=0)
    scores = pd.concat([numeric, shares.set_axis(_category_labels(shares.index))]).fillna(0.0)
    text = pd.concat([profile.numeric.map(lambda v: f"{v:.3g}"),
                      profile.categorical.map(lambda v: f"{v:.0%}")
                      .set_axis(_category_labels(profile.categorical.index))])
    whole = pd.concat([profile.numeric_all.map(lambda v: f"{v:.3g}"),
                       share.map(lambda v: f"{v:.0%}").set_axis(_category_labels(share.index))])
    return scores, text, whole


def _category_labels(index: pd.Index) -> list[str]:
    return [f"{feature} = {category}" for feature, category in index]


def cluster_profile_figure(profile: Any, lang: str = "en") -> go.Figure:
    """A heatmap: one column per cluster, one row per feature or category; the colour is the
    difference from all rows, the text the cluster's mean or share."""
    scores, text, whole = _profile_scores(profile)
    if len(scores) > MAX_HEATMAP_FEATURES:   # the rows that set clusters apart most
        keep = scores.abs().max(axis=1).nlargest(MAX_HEATMAP_FEATURES).index
        scores, text, whole = scores.loc[keep], text.loc[keep], whole.loc[keep]
    columns = [t("unsupervised.plot.cluster_size", lang, cluster=c, rows=profile.sizes[c])
               for c in profile.clusters]
    all_rows = t("unsupervised.plot.all_rows", lang)
    fig = go.Figure(go.Heatmap(
        z=scores.to_numpy(), x=columns, y=list(scores.index), text=text.to_numpy(),
        texttemplate="%{text}", customdata=np.repeat(whole.to_numpy()[:, None], len(columns), 1),
        hovertemplate=f"%{{y}}<br>%{{x}}: %{{text}}<br>{all_rows}: %{{customdata}}<extra></extra>",
        colorscale="RdBu", reversescale=True, zmid=0,
        colorbar=dict(title=t("unsupervised.plot.profile_colour", lang))))
    fig.update_yaxes(autorange="reversed")
    fig = _layout(fig, t("unsupervised.plot.profile_title", lang), "", "")
    fig.update_layout(height=max(420, 28 * len(scores) + 120))
    return fig


def _axis_titles(projection: Any, lang: str) -> list[str]:
    key = ("unsupervised.plot.input_axis" if projection.method == "pca_of_input"
           else "unsupervised.plot.component_axis")
    titles = [t(key, lang, n=i + 1) for i in range(projection.dims)]
    if projection.explained:
        titles = [t("unsupervised.plot.axis_share", lang, axis=title, share=f"{share:.0%}")
                  for title, share in zip(titles, projection.explained)]
    return titles


def _colour_groups(values: pd.Series, lang: str) -> pd.Series | None:
    """Values as groups to colour by, or None when a continuous colour scale fits better."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and values.nunique() > MAX_COLOUR_GROUPS:
        return None
    text = values.astype(object).where(values.notna(), "–").astype(str)
    top = text.value_counts().index[:MAX_COLOUR_GROUPS]
    return text.where(text.isin(top), t("unsupervised.plot.other", lang))


def _scatter(points: pd.DataFrame, dims: int, rows: Any, name: str | None,
             marker: dict[str, Any]) -> go.BaseTraceType:
    """One trace of the rows ``rows``; a model with a single component is drawn as a strip."""
    subset = points.loc[rows]
    x = subset["component_1"]
    y = subset["component_2"] if "component_2" in subset else np.zeros(len(subset))
    if dims == 3 and "component_3" in subset:
        return go.Scatter3d(x=x, y=y, z=subset["component_3"], mode="markers", name=name,
                            marker={**marker, "size": 3})
    return go.Scatter(x=x, y=y, mode="markers", name=name, marker=marker)


def projection_figure(projection: Any, lang: str = "en") -> go.Figure:
    """A 2-D or 3-D scatter of a :class:`core.unsupervised.Projection`, coloured by cluster
    or by the chosen column (groups, or a colour scale for many numbers)."""
    points = projection.points
    colour = "cluster" if "cluster" in points else projection.color_by
    fig = go.Figure()
    groups = _colour_groups(points[colour], lang) if colour else None
    if colour and groups is None:
        fig.add_trace(_scatter(points, projection.dims, points.index, None, dict(
            size=5, opacity=0.7, color=points[colour], colorscale="Viridis",
            colorbar=dict(title=str(colour)))))
    elif groups is not None:
        for value in groups.value_counts().index:
            rows = groups.index[groups == value]
            fig.add_trace(_scatter(points, projection.dims, rows, str(value),
                                   dict(size=5, opacity=0.7)))
    else:
        fig.add_trace(_scatter(points, projection.dims, points.index, None,
                               dict(size=5, opacity=0.7)))
    titles = _axis_titles(projection, lang) + ["", "", ""]
    key = ("unsupervised.plot.projection_clusters_title" if projection.method == "pca_of_input"
           else "unsupervised.plot.projection_title")
    if projection.dims == 3:
        fig.update_layout(scene=dict(xaxis_title=titles[0], yaxis_title=titles[1],
                                     zaxis_title=titles[2]))
    fig.update_layout(legend_title_text=str(colour or ""))
    return _layout(fig, t(key, lang), titles[0], titles[1])


def loadings_figure(table: pd.DataFrame | None, lang: str = "en") -> go.Figure | None:
    """A heatmap of component loadings (components x encoded features), the features with
    the largest weights first when there are many; None when the model has none."""
    if table is None or table.empty:
        return None
    if table.shape[1] > MAX_HEATMAP_FEATURES:
        keep = table.abs().max(axis=0).nlargest(MAX_HEATMAP_FEATURES).index
        table = table[keep]
    signed = bool((table.to_numpy() < 0).any())
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy().T, x=[t("unsupervised.plot.component_axis", lang, n=i + 1)
                                 for i in range(table.shape[0])],
        y=list(table.columns), colorscale="RdBu" if signed else "Blues",
        reversescale=signed, zmid=0 if signed else None,
        colorbar=dict(title=t("unsupervised.plot.loading", lang))))
    fig.update_yaxes(autorange="reversed")
    fig = _layout(fig, t("unsupervised.plot.loadings_title", lang),
                  t("unsupervised.plot.component", lang), t("unsupervised.plot.feature", lang))
    fig.update_layout(height=max(420, 22 * table.shape[1] + 120))
    return fig


def explained_variance_figure(ratios: list[float] | None, lang: str = "en") -> go.Figure | None:
    """Bars of the variance each component keeps and a line of the running total (PCA, SVD)."""
    if not ratios:
        return None
    labels = [t("unsupervised.plot.component_axis", lang, n=i + 1) for i in range(len(ratios))]
    fig = go.Figure([
        go.Bar(x=labels, y=ratios, name=t("unsupervised.plot.explained_each", lang)),
        go.Scatter(x=labels, y=np.cumsum(ratios), mode="lines+markers",
                   name=t("unsupervised.plot.explained_cumulative", lang)),
    ])
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, t("unsupervised.plot.explained_title", lang),
                   t("unsupervised.plot.component", lang), t("unsupervised.plot.share", lang))


def unsupervised_figures(setup: Any, result: Any, lang: str = "en") -> dict[str, go.Figure]:
    """Clustering: projection coloured by cluster, and the cluster profile. Reduction: the
    rows in the reduced space (coloured by the target, if one was given), the loadings and
    the variance per component where the model has them."""
    from core import unsupervised

    pipeline = result.pipeline
    if setup.task == "clustering":
        return {"cluster_projection": projection_figure(unsupervised.projection(setup, pipeline),
                                                        lang),
                "cluster_profile": cluster_profile_figure(
                    unsupervised.cluster_profile(setup, pipeline), lang)}
    figures = {
        "projection": projection_figure(unsupervised.projection(
            setup, pipeline, color_by=setup.target), lang),
        "loadings": loadings_figure(unsupervised.loadings(pipeline), lang),
        "explained_variance": explained_variance_figure(
            unsupervised.explained_variance_ratio(pipeline), lang),
    }
    return {name: fig for name, fig in figures.items() if fig is not None}
