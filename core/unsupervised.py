"""Clustering and dimensionality reduction: fitting, metrics, the k sweep, cluster profiles,
projections and loadings.

training.py dispatches here for the tasks without a target; the figures of these results
are drawn in core/plots.py. Everything works on plain values (a TrainingSetup and a fitted
Pipeline) and never imports streamlit.

Where the numbers are measured
------------------------------
* Metrics use the **validation rows**, in the space the model itself works in (imputed,
  one-hot encoded and scaled as the algorithm's ``Traits.input_scaling`` says): a grouping
  or a projection must hold for rows the model was not fitted on.
* t-SNE cannot place new rows, so its metrics use the **training rows** it embedded
  (``metrics["evaluated_on"] == "train"``), and it has no latency.
* Profiles and projections describe the **training rows** by default (more rows, and the
  only ones t-SNE has coordinates for), sampled to ``MAX_POINTS``.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn import metrics as skm
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from core import catalog
from core.catalog import UNSUPERVISED_TASKS, AlgorithmSpec
from core.errors import DojoError
from core.i18n import Message
from core.preprocessing import build_unsupervised_preprocessor

# Silhouette and trustworthiness build an n x n distance matrix: beyond these many rows a
# random sample (fixed seed) estimates them well at a fraction of the memory.
SILHOUETTE_SAMPLE = 2000
TRUSTWORTHINESS_SAMPLE = 1000
TRUSTWORTHINESS_NEIGHBOURS = 5
# The k sweep fits one model per k: on big tables a sample of the training rows is enough
# to see the elbow.
SWEEP_MAX_ROWS = 20_000
DEFAULT_MAX_K = 10
MAX_POINTS = 5000                 # drawn points per projection
MAX_PROFILE_CATEGORIES = 8        # most frequent categories per feature; the rest is "(other)"
OTHER_CATEGORY, MISSING_CATEGORY = "(other)", "(missing)"
# The hyperparameter that holds the number of clusters, per clustering algorithm.
CLUSTER_COUNT_PARAM: dict[str, str] = {"kmeans": "n_clusters", "gaussian_mixture": "n_components"}
# Algorithms whose number of output columns may not exceed the encoded features.
_COMPONENTS_LIMITED = frozenset({"pca", "truncated_svd", "nmf", "baseline"})


def is_unsupervised(task: str) -> bool:
    """True for clustering and dimensionality reduction (no target to predict)."""
    return task in UNSUPERVISED_TASKS


def scoring_method(task: str) -> str:
    """What serving calls on the Pipeline: clusters are predicted, reductions transformed."""
    return "transform" if task == "dimensionality_reduction" else "predict"


def can_score_new_rows(pipeline: Any, task: str) -> bool:
    """False for t-SNE, which has no transform: it only knows the rows it was fitted on."""
    return hasattr(pipeline, scoring_method(task))


def model_input(pipeline: Pipeline, X: pd.DataFrame) -> np.ndarray:
    """``X`` as the estimator sees it: the Pipeline's preprocessing applied."""
    return np.asarray(pipeline[:-1].transform(X), dtype=float)


def encoded_feature_names(pipeline: Pipeline) -> list[str]:
    """Names of the preprocessed columns, e.g. ``age`` or ``colour_red`` (one-hot)."""
    return [str(name) for name in pipeline[:-1].get_feature_names_out()]


# --- fitting ------------------------------------------------------------------------------

def fit_pipeline(spec: AlgorithmSpec, params: dict[str, Any], setup: Any) -> tuple[Pipeline, float]:
    """Fit preprocessing and estimator on the training rows; return the Pipeline and seconds."""
    X, _ = setup.part("train")
    estimator = spec.build(setup.task, params, setup.seed, setup.n_jobs)
    preprocessor = build_unsupervised_preprocessor(setup.feature_roles, spec.traits)
    start = time.perf_counter()
    Xt = np.asarray(preprocessor.fit_transform(X), dtype=float)
    names = [str(name) for name in preprocessor.get_feature_names_out()]
    check_fit_input(setup.task, spec.id, estimator, Xt, names)
    estimator.fit(Xt)
    seconds = time.perf_counter() - start
    return Pipeline([("prep", preprocessor), ("model", estimator)]), seconds


def check_fit_input(task: str, algorithm_id: str, estimator: Any, Xt: np.ndarray,
                    names: list[str]) -> None:
    """Refuse, with a message that says what to do, what the estimator would fail on."""
    params = estimator.get_params()
    rows, features = Xt.shape
    if task == "clustering":
        k = params.get("n_clusters", params.get("n_components"))
        if k is not None and k > rows:
            raise DojoError("unsupervised.too_many_clusters", clusters=k, rows=rows)
        return
    _check_components(algorithm_id, params.get("n_components"), rows, features)
    if algorithm_id == "lda":
        negative = [name for name, low in zip(names, Xt.min(axis=0)) if low < 0]
        if negative:
            raise DojoError("unsupervised.negative_counts", columns=", ".join(negative[:10]))
    if algorithm_id == "tsne" and params["perplexity"] >= rows:
        raise DojoError("unsupervised.perplexity_too_high", perplexity=params["perplexity"],
                        rows=rows)
    if algorithm_id == "lle" and params["n_neighbors"] >= rows:
        raise DojoError("unsupervised.too_few_rows_for_neighbours",
                        neighbours=params["n_neighbors"], rows=rows)


def _check_components(algorithm_id: str, components: int | None, rows: int,
                      features: int) -> None:
    """Linear reductions cannot make more columns than they are given (SVD: fewer)."""
    if components is None or algorithm_id not in _COMPONENTS_LIMITED:
        return
    limit = min(rows, features - 1 if algorithm_id == "truncated_svd" else features)
    if components > limit:
        raise DojoError("unsupervised.too_many_components", algorithm=algorithm_id,
                        components=components, limit=max(limit, 0), features=features)


# --- metrics ------------------------------------------------------------------------------

def _number(value: Any) -> float | int | None:
    """A plain Python number for JSON; NaN and infinities become None."""
    if value is None:
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    return value if math.isfinite(value) else None


def _within_cluster_mean_square(Xt: np.ndarray, labels: np.ndarray) -> float:
    """Mean squared distance of a row to the mean of its cluster (inertia per row), so
    parts of different sizes compare."""
    total = 0.0
    for label in np.unique(labels):
        members = Xt[labels == label]
        total += float(((members - members.mean(axis=0)) ** 2).sum())
    return total / max(len(Xt), 1)


def clustering_metrics(Xt: np.ndarray, labels: Sequence[Any], seed: int = 0) -> dict[str, Any]:
    """Silhouette (-1..1, higher better; sampled above SILHOUETTE_SAMPLE rows),
    Calinski–Harabasz (higher better), Davies–Bouldin (lower better), inertia per row
    (lower better) and the number of clusters found.

    The three scores need at least two clusters and fewer clusters than rows; otherwise
    they are None (a single cluster has no separation to measure).
    """
    labels = np.asarray(labels)
    found = len(np.unique(labels))
    out: dict[str, Any] = {"silhouette": None, "calinski_harabasz": None,
                           "davies_bouldin": None, "n_clusters": found,
                           "inertia": _within_cluster_mean_square(Xt, labels)}
    if 2 <= found < len(Xt):
        sample = SILHOUETTE_SAMPLE if len(Xt) > SILHOUETTE_SAMPLE else None
        out["silhouette"] = skm.silhouette_score(Xt, labels, sample_size=sample,
                                                 random_state=seed)
        out["calinski_harabasz"] = skm.calinski_harabasz_score(Xt, labels)
        out["davies_bouldin"] = skm.davies_bouldin_score(Xt, labels)
    return {name: _number(value) for name, value in out.items()}


def _trustworthiness(Xt: np.ndarray, embedding: np.ndarray, seed: int) -> float | None:
    """How well the embedding keeps each row's nearest neighbours (0..1, higher better)."""
    if len(Xt) > TRUSTWORTHINESS_SAMPLE:
        rows = np.random.default_rng(seed).choice(len(Xt), TRUSTWORTHINESS_SAMPLE, replace=False)
        Xt, embedding = Xt[rows], embedding[rows]
    # sklearn requires n_neighbors < n_samples / 2.
    neighbours = min(TRUSTWORTHINESS_NEIGHBOURS, (len(Xt) - 1) // 2)
    if neighbours < 1:
        return None
    from sklearn.manifold import trustworthiness
    return float(trustworthiness(Xt, embedding, n_neighbors=neighbours))


def _explained_share(Xt: np.ndarray, restored: np.ndarray) -> float | None:
    """The average, over the columns that vary, of the share of each column's variation the
    reconstruction keeps. Per column, so it does not depend on how columns are scaled:
    PCA (standardised), SVD (unit variance), NMF (0..1) and the baseline compare fairly."""
    total = ((Xt - Xt.mean(axis=0)) ** 2).sum(axis=0)
    varying = total > 1e-12 * max(float(total.max(initial=0.0)), 1.0)
    if not varying.any():
        return None
    residual = ((Xt - restored) ** 2).sum(axis=0)
    return float(1.0 - (residual[varying] / total[varying]).mean())


def reduction_metrics(Xt: np.ndarray, embedding: np.ndarray, estimator: Any,
                      seed: int = 0) -> dict[str, Any]:
    """Explained variance and reconstruction error where the estimator can map back
    (PCA, truncated SVD, NMF, the random projection), trustworthiness for every method.

    explained_variance: see :func:`_explained_share` (1 = every column fully kept; it can
    drop below 0 when the reconstruction is worse than the column means).
    reconstruction_error: root mean squared error per cell, in the model's own input units
    (compare it only between models that scale alike). trustworthiness: how well each row's
    5 nearest neighbours stay neighbours (0..1).
    """
    out: dict[str, Any] = {"explained_variance": None, "reconstruction_error": None,
                           "trustworthiness": _trustworthiness(Xt, embedding, seed),
                           "n_components": int(embedding.shape[1])}
    if hasattr(estimator, "inverse_transform") and Xt.size:
        restored = np.asarray(estimator.inverse_transform(embedding), dtype=float)
        out["explained_variance"] = _explained_share(Xt, restored)
        out["reconstruction_error"] = math.sqrt(float(((Xt - restored) ** 2).mean()))
    return {name: _number(value) for name, value in out.items()}


def fitted_embedding(setup: Any, pipeline: Pipeline) -> pd.DataFrame:
    """t-SNE's coordinates of the training rows, in training-row order."""
    values = np.asarray(pipeline[-1].embedding_, dtype=float)
    names = [f"component_{i + 1}" for i in range(values.shape[1])]
    X, _ = setup.part("train")
    return pd.DataFrame(values, columns=names, index=X.index)


def evaluate(setup: Any, pipeline: Pipeline, part: str) -> tuple[dict[str, Any], float | None]:
    """Metrics of ``pipeline`` on one split part, and the seconds scoring it took.

    A model that cannot score new rows (t-SNE) is measured on the training rows it
    embedded, with no scoring time.
    """
    if not can_score_new_rows(pipeline, setup.task):
        X, _ = setup.part("train")
        embedding = fitted_embedding(setup, pipeline).to_numpy()
        metrics = reduction_metrics(model_input(pipeline, X), embedding, pipeline[-1], setup.seed)
        return {**metrics, "evaluated_on": "train"}, None
    X, _ = setup.part(part)
    start = time.perf_counter()
    output = getattr(pipeline, scoring_method(setup.task))(X)
    seconds = time.perf_counter() - start
    Xt = model_input(pipeline, X)
    if setup.task == "clustering":
        return clustering_metrics(Xt, output, setup.seed), seconds
    return reduction_metrics(Xt, np.asarray(output, dtype=float), pipeline[-1], setup.seed), seconds


def result_notes(setup: Any, pipeline: Pipeline) -> list[Message]:
    """Things a reader of the results must know, e.g. that t-SNE cannot place new rows."""
    if not can_score_new_rows(pipeline, setup.task):
        return [Message("unsupervised.train_rows_only", {})]
    return []


# --- the k sweep --------------------------------------------------------------------------

@dataclass
class KSweep:
    """Clustering metrics over a range of k, for choosing the number of clusters."""

    algorithm_id: str
    parameter: str                     # the hyperparameter the k goes into
    ks: list[int]
    metrics: list[dict[str, Any]]      # clustering_metrics on the validation rows, per k
    suggested_k: int | None            # highest silhouette (smallest k on a tie)
    train_rows: int                    # rows each model was fitted on (sampled above a limit)

    def values(self, metric: str) -> list[float | None]:
        """One metric over the ks, e.g. ``values("inertia")`` for the elbow."""
        return [m.get(metric) for m in self.metrics]


def suggest_k(ks: Sequence[int], metrics: Sequence[dict[str, Any]]) -> int | None:
    """The k with the highest silhouette; the smallest such k on a tie, None if none."""
    scored = [(m["silhouette"], -k) for k, m in zip(ks, metrics) if m.get("silhouette") is not None]
    return -max(scored)[1] if scored else None


def _sweep_ks(ks: Sequence[int] | None, rows: int, spec: AlgorithmSpec, parameter: str) -> list[int]:
    """The ks to try: the given ones (or 2..10), within the slider's range and the rows."""
    hp = next(h for h in spec.hyperparameters_for("clustering") if h.name == parameter)
    high = min(int(hp.high or DEFAULT_MAX_K), rows - 1)
    wanted = range(2, DEFAULT_MAX_K + 1) if ks is None else ks
    chosen = sorted({int(k) for k in wanted if 2 <= int(k) <= high})
    if not chosen:
        raise DojoError("unsupervised.sweep_too_few_rows", rows=rows)
    return chosen


def _sweep_rows(setup: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training rows (a seeded sample above SWEEP_MAX_ROWS) and the validation rows."""
    X, _ = setup.part("train")
    if len(X) > SWEEP_MAX_ROWS:
        X = X.sample(SWEEP_MAX_ROWS, random_state=setup.seed)
    Xv, _ = setup.part("validation")
    return X, Xv


def k_sweep(setup: Any, algorithm_id: str = "kmeans", ks: Sequence[int] | None = None,
            params: dict[str, Any] | None = None,
            cancel: threading.Event | None = None) -> KSweep:
    """Fit ``algorithm_id`` once per k on the training rows and measure each on the
    validation rows: inertia for the elbow, silhouette for the suggestion.

    ``params`` are the algorithm's other hyperparameters (the k parameter is overridden);
    ``cancel`` is checked between fits and keeps the ks done so far.
    """
    spec, parameter = catalog.get(algorithm_id), CLUSTER_COUNT_PARAM.get(algorithm_id)
    if parameter is None:
        raise DojoError("unsupervised.sweep_needs_clustering", algorithm=algorithm_id,
                        known=", ".join(CLUSTER_COUNT_PARAM))
    X, Xv = _sweep_rows(setup)
    ks = _sweep_ks(ks, len(X), spec, parameter)
    base = {k: v for k, v in (params or {}).items() if k != parameter}
    metrics: list[dict[str, Any]] = []
    with warnings.catch_warnings(), threadpool_limits(setup.n_jobs, user_api="openmp"):
        warnings.simplefilter("ignore")
        prep = build_unsupervised_preprocessor(setup.feature_roles, spec.traits)
        Xt = np.asarray(prep.fit_transform(X), dtype=float)
        Xvt = np.asarray(prep.transform(Xv), dtype=float)
        for k in ks:
            if cancel is not None and cancel.is_set():
                break
            model = spec.build("clustering", {**base, parameter: k}, setup.seed, setup.n_jobs)
            metrics.append(clustering_metrics(Xvt, model.fit(Xt).predict(Xvt), setup.seed))
    done = ks[:len(metrics)]
    return KSweep(algorithm_id, parameter, done, metrics, suggest_k(done, metrics), len(X))


# --- cluster profiles ---------------------------------------------------------------------

@dataclass
class ClusterProfile:
    """What each cluster looks like against the whole: numeric means, category shares."""

    clusters: list[Any]                # cluster labels in order
    sizes: dict[Any, int]              # rows per cluster
    rows: int
    part: str                          # the split part described
    numeric_all: pd.Series             # mean of each numeric feature over all rows
    numeric_spread: pd.Series          # standard deviation over all rows (scales differences)
    numeric: pd.DataFrame              # index: numeric features; columns: clusters; means
    categorical_all: pd.Series         # index: (feature, category); share over all rows
    categorical: pd.DataFrame          # index: (feature, category); columns: clusters; shares


def _numeric_table(X: pd.DataFrame, labels: np.ndarray, clusters: list[Any],
                   numeric: list[str]) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    values = X[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    means = pd.DataFrame({c: values[labels == c].mean() for c in clusters}, index=numeric)
    return values.mean(), values.std(ddof=0), means


def _category_text(series: pd.Series) -> pd.Series:
    """Categories as text, the rarest lumped together, missing values named."""
    text = series.astype(object).where(series.notna(), MISSING_CATEGORY).astype(str)
    top = text.value_counts().index[:MAX_PROFILE_CATEGORIES]
    return text.where(text.isin(top), OTHER_CATEGORY)


def _category_table(X: pd.DataFrame, labels: np.ndarray, clusters: list[Any],
                    categorical: list[str]) -> tuple[pd.Series, pd.DataFrame]:
    overall, per_cluster = [], []
    for feature in categorical:
        text = _category_text(X[feature])
        shares = text.value_counts(normalize=True)
        index = pd.MultiIndex.from_product([[feature], shares.index], names=["feature", "category"])
        overall.append(pd.Series(shares.to_numpy(), index=index))
        columns = {c: text[labels == c].value_counts(normalize=True).reindex(shares.index,
                                                                              fill_value=0.0)
                   .to_numpy() for c in clusters}
        per_cluster.append(pd.DataFrame(columns, index=index))
    if not overall:
        empty = pd.MultiIndex.from_tuples([], names=["feature", "category"])
        return pd.Series(dtype=float, index=empty), pd.DataFrame(columns=clusters, index=empty)
    return pd.concat(overall), pd.concat(per_cluster)


def cluster_profile(setup: Any, pipeline: Pipeline, part: str = "train") -> ClusterProfile:
    """Each cluster's feature means and category shares next to those of all rows.

    Raw feature values (before scaling), so the numbers read in the data's own units.
    """
    X, _ = setup.part(part)
    labels = np.asarray(pipeline.predict(X))
    clusters = sorted(np.unique(labels).tolist())
    numeric = [f for f in setup.features if setup.feature_roles.get(f) == "numeric"]
    categorical = [f for f in setup.features if setup.feature_roles.get(f) == "categorical"]
    numeric_all, spread, means = _numeric_table(X, labels, clusters, numeric)
    categorical_all, shares = _category_table(X, labels, clusters, categorical)
    sizes = {c: int((labels == c).sum()) for c in clusters}
    return ClusterProfile(clusters, sizes, len(X), part, numeric_all, spread, means,
                          categorical_all, shares)


def profile_table(profile: ClusterProfile, all_label: str = "all",
                  cluster_label: str = "{cluster}") -> pd.DataFrame:
    """The profile as one table for display: a row per numeric feature (mean) and per
    category (share), a column for all rows and one per cluster.

    ``cluster_label`` is a format string with ``{cluster}`` (e.g. a translated "Cluster {cluster}").
    """
    numeric = profile.numeric.copy()
    numeric.insert(0, "__all__", profile.numeric_all)
    numeric.index = [str(name) for name in numeric.index]
    shares = profile.categorical.copy()
    shares.insert(0, "__all__", profile.categorical_all)
    shares.index = [f"{feature} = {category}" for feature, category in shares.index]
    table = pd.concat([numeric, shares])
    names = {c: cluster_label.format(cluster=c) for c in profile.clusters}
    return table.rename(columns={"__all__": all_label, **names})


# --- projections and loadings -------------------------------------------------------------

@dataclass
class Projection:
    """Rows placed in 2-D or 3-D, ready to draw."""

    points: pd.DataFrame               # component_1..n, then "cluster" and/or the colour column
    dims: int
    method: str                        # "pca_of_input" (clustering) or "model" (its own output)
    explained: list[float] | None      # share of variance per axis, where defined
    part: str
    color_by: str | None


def _part_positions(setup: Any, part: str) -> np.ndarray:
    """Positions (into setup.frame) of a part's rows, a seeded sample above MAX_POINTS."""
    rows = np.asarray({"train": setup.split.train, "validation": setup.split.validation,
                       "test": setup.split.test}[part])
    if len(rows) > MAX_POINTS:
        keep = np.sort(np.random.default_rng(setup.seed).choice(len(rows), MAX_POINTS,
                                                                replace=False))
        return rows[keep]
    return rows


def _pca_axes(Xt: np.ndarray, dims: int, seed: int) -> tuple[np.ndarray, list[float]]:
    """A PCA of the model's input: the flat view that keeps the most variation."""
    from sklearn.decomposition import PCA
    dims = max(1, min(dims, Xt.shape[1], len(Xt)))
    pca = PCA(n_components=dims, random_state=seed).fit(Xt)
    return pca.transform(Xt), [float(v) for v in pca.explained_variance_ratio_]


def _model_axes(setup: Any, pipeline: Pipeline, positions: np.ndarray,
                dims: int) -> tuple[np.ndarray, list[float] | None]:
    """The reduction's own output (t-SNE: its stored training-row embedding)."""
    if can_score_new_rows(pipeline, setup.task):
        values = np.asarray(pipeline.transform(setup.frame.iloc[positions][setup.features]))
    else:
        order = {row: i for i, row in enumerate(setup.split.train)}
        values = np.asarray(pipeline[-1].embedding_)[[order[row] for row in positions]]
    ratio = getattr(pipeline[-1], "explained_variance_ratio_", None)
    explained = None if ratio is None else [float(v) for v in ratio[:dims]]
    return values[:, :dims], explained


def projection(setup: Any, pipeline: Pipeline, part: str = "train", dims: int = 2,
               color_by: str | None = None) -> Projection:
    """Rows of ``part`` in ``dims`` (2 or 3) dimensions, with what colours them.

    Clustering: a PCA of the model's input, coloured by cluster. Dimensionality reduction:
    the model's first ``dims`` components (t-SNE: training rows only), coloured by
    ``color_by`` (any column of the data, e.g. the target) when given.
    """
    if dims not in (2, 3):
        raise DojoError("unsupervised.bad_dims", dims=dims)
    if color_by is not None and color_by not in setup.frame.columns:
        raise DojoError("unsupervised.unknown_column", column=color_by)
    clustering = setup.task == "clustering"
    part = part if can_score_new_rows(pipeline, setup.task) else "train"
    positions = _part_positions(setup, part)
    X = setup.frame.iloc[positions][setup.features]
    if clustering:
        values, explained = _pca_axes(model_input(pipeline, X), dims, setup.seed)
    else:
        values, explained = _model_axes(setup, pipeline, positions, dims)
    points = pd.DataFrame(values, columns=[f"component_{i + 1}" for i in range(values.shape[1])])
    if clustering:
        points["cluster"] = [str(label) for label in pipeline.predict(X)]
    if color_by is not None:
        points[color_by] = setup.frame.iloc[positions][color_by].to_numpy()
    return Projection(points, values.shape[1], "pca_of_input" if clustering else "model",
                      explained, part, color_by)


def loadings(pipeline: Pipeline) -> pd.DataFrame | None:
    """Weight of each encoded feature in each component, or None (LLE, t-SNE, clusterers).

    PCA and SVD weights can be negative; NMF's are non-negative parts; LDA's rows are
    normalised to sum to 1, the share of each feature in a topic.
    """
    components = getattr(pipeline[-1], "components_", None)
    if components is None:
        return None
    values = np.asarray(components.toarray() if hasattr(components, "toarray") else components,
                        dtype=float)
    if type(pipeline[-1]).__name__ == "LatentDirichletAllocation":
        values = values / values.sum(axis=1, keepdims=True)
    return pd.DataFrame(values, columns=encoded_feature_names(pipeline),
                        index=[f"component_{i + 1}" for i in range(values.shape[0])])


def explained_variance_ratio(pipeline: Pipeline) -> list[float] | None:
    """Share of the training variance per component (PCA, truncated SVD), else None."""
    ratio = getattr(pipeline[-1], "explained_variance_ratio_", None)
    return None if ratio is None else [float(v) for v in ratio]


def color_columns(setup: Any) -> list[str]:
    """Columns a projection may be coloured by: every column of the data."""
    return [str(column) for column in setup.frame.columns]


# --- bundle facts -------------------------------------------------------------------------

def cluster_count(estimator: Any) -> int | None:
    """The number of clusters a fitted clusterer was asked for."""
    value = getattr(estimator, "n_clusters", None) or getattr(estimator, "n_components", None)
    return int(value) if value is not None else None


def bundle_facts(setup: Any, result: Any, embedding_file: str | None) -> dict[str, Any]:
    """metadata.json's "unsupervised" section: what predict.py outputs and whether it can
    place new rows; ``colour_column`` is the optional target that was kept out of the features."""
    pipeline = result.pipeline
    facts: dict[str, Any] = {"colour_column": setup.target,
                             "new_rows": can_score_new_rows(pipeline, setup.task)}
    X, _ = setup.part("train")
    if setup.task == "clustering":
        labels = pd.Series(np.asarray(pipeline.predict(X)))
        sizes = labels.value_counts().sort_index()
        facts.update(n_clusters=cluster_count(pipeline[-1]), output_columns=["prediction"],
                     cluster_sizes_train={str(k): int(v) for k, v in sizes.items()})
        return facts
    components = int(result.metrics.get("validation", {}).get("n_components") or 0)
    facts.update(n_components=components, embedding_file=embedding_file,
                 output_columns=[f"component_{i + 1}" for i in range(components)])
    return facts
