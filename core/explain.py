"""Feature importance and SHAP explanations, reported per raw feature, fast and cached.

Every candidate is a Pipeline ``prep -> model`` taking the raw feature columns. The model
sees encoded columns (one-hot, ordinal codes, scaled numbers); everything here maps them
back to the raw column they came from, so a domain expert reads "colour", not
"colour_red" or "x3".

Which explainer runs, and what its values add up to (``ShapResult.output``)::

    lightgbm_native  LightGBM pred_contrib     raw score: log-odds (binary), class score
                                                (multiclass), the value (regression)
    xgboost_native   XGBoost pred_contribs     same; for a one-vs-rest wrapper, the log-odds
                                                of the explained class against the rest
    tree             shap.TreeExplainer        probability (decision tree, random forest),
                                                log-odds / class score (hist gradient
                                                boosting), the value (regression)
    linear           shap.LinearExplainer      log-odds / class score (logistic regression),
                                                the value (linear regressors)
    kernel           shap.KernelExplainer      probability of the explained class (or the
                                                decision score without probabilities), the
                                                value (regression); sampled within a budget

For each explained row ``values.sum() + base_value`` equals that model output
(:func:`model_output` computes it straight from the pipeline). Results are cached in a
small in-process LRU keyed by (model, data, settings), so a rerun recomputes nothing.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
import warnings
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from core.i18n import LANGUAGES, Message, t

DEFAULT_BUDGET_SECONDS = 10.0
DEFAULT_MAX_ROWS = 2000          # explained rows; more only slows the charts down
MAX_BACKGROUND = 50              # sampled explainer: rows standing in for "feature unknown"
MIN_BACKGROUND = 10
KERNEL_SAMPLES = 256             # coalitions per row when there are too many to enumerate
TARGET_ROWS = 100                # rows the sampled explainer aims to explain in its budget
PERMUTATION_BUDGET_SECONDS = 5.0
MIN_PERMUTATION_ROWS = 100
LINEAR_BACKGROUND = 1000         # LinearExplainer only needs the background's mean
TREE_FIRST_CHUNK = 100           # rows timed first to see how many more fit in the budget
CACHE_SIZE = 24

OUTPUTS: tuple[str, ...] = ("value", "probability", "log_odds", "margin", "decision")
EXPLAINERS: tuple[str, ...] = ("lightgbm_native", "xgboost_native", "tree", "linear",
                               "kernel")


# --- encoded columns back to raw features -----------------------------------------------------

@dataclass(frozen=True)
class ColumnMap:
    """How the model's encoded input columns relate to the raw feature columns."""

    features: list[str]                  # raw feature columns, in the setup's order
    encoded: list[str]                   # encoded column names, in model input order
    source: tuple[int, ...]              # encoded column -> index into ``features``
    categories: dict[int, list[Any]] = field(default_factory=dict)   # ordinal column -> values
    missing_code: dict[int, float] = field(default_factory=dict)     # ordinal column -> code

    def raw_name(self, column: int) -> str:
        """The raw feature an encoded column came from."""
        return self.features[self.source[column]]

    def to_raw(self, values: np.ndarray) -> np.ndarray:
        """Sum per-encoded-column values (rows × encoded) into rows × raw features."""
        indicator = np.zeros((len(self.encoded), len(self.features)))
        indicator[np.arange(len(self.encoded)), list(self.source)] = 1.0
        return np.asarray(values, dtype=float) @ indicator

    @classmethod
    def identity(cls, features: Sequence[str],
                 categories: dict[str, list[Any]] | None = None) -> "ColumnMap":
        """One encoded column per raw feature; ``categories`` for ordinal-coded ones."""
        features = list(features)
        coded = {features.index(name): list(values)
                 for name, values in (categories or {}).items()}
        return cls(features, features, tuple(range(len(features))), coded,
                   {i: np.nan for i in coded})


def _encoder_of(transformer: Any) -> Any:
    """The OneHotEncoder / OrdinalEncoder inside a ColumnTransformer branch, if any."""
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
    steps = [s for _, s in transformer.steps] if hasattr(transformer, "steps") else [transformer]
    return next((s for s in steps if isinstance(s, (OneHotEncoder, OrdinalEncoder))), None)


def _widths(encoder: Any, count: int) -> list[int]:
    """Encoded columns per input column of one branch."""
    from sklearn.preprocessing import OneHotEncoder
    if not isinstance(encoder, OneHotEncoder):
        return [1] * count
    # Infrequent categories share one column, so the count is not len(categories_).
    widths = getattr(encoder, "_n_features_outs", None)
    return list(widths) if widths is not None else [len(c) for c in encoder.categories_]


def column_map(pipeline: Any, features: Sequence[str]) -> ColumnMap:
    """The :class:`ColumnMap` of a fitted candidate Pipeline whose raw columns are ``features``."""
    from sklearn.preprocessing import OrdinalEncoder
    features, prep = list(features), _prep_of(pipeline)
    if isinstance(prep, str):
        return ColumnMap.identity(features)
    source: list[int] = []
    categories: dict[int, list[Any]] = {}
    missing: dict[int, float] = {}
    for name, transformer, columns in prep.transformers_:
        if (isinstance(transformer, str) and transformer == "drop") or not len(columns):
            continue          # a dropped or empty remainder adds no output columns
        encoder = _encoder_of(transformer)
        for j, (column, width) in enumerate(zip(columns, _widths(encoder, len(columns)))):
            if isinstance(encoder, OrdinalEncoder):
                categories[len(source)] = list(encoder.categories_[j])
                missing[len(source)] = float(encoder.encoded_missing_value)
            source.extend([features.index(column)] * width)
    encoded = [str(name) for name in prep.get_feature_names_out()]
    if len(encoded) != len(source):
        raise ValueError(f"{len(encoded)} encoded columns, {len(source)} mapped")
    return ColumnMap(features, encoded, tuple(source), categories, missing)


def _prep_of(pipeline: Any) -> Any:
    return pipeline.steps[0][1] if len(pipeline.steps) > 1 else "passthrough"


def model_of(pipeline: Any) -> Any:
    """The fitted estimator at the end of a candidate Pipeline."""
    return pipeline.steps[-1][1]


def transform(pipeline: Any, X: pd.DataFrame) -> Any:
    """The raw rows as the model sees them (the prep step applied)."""
    prep = _prep_of(pipeline)
    return X if isinstance(prep, str) else prep.transform(X)


def _as_float(Xt: Any) -> np.ndarray:
    """A float matrix for shap, whatever the prep step returned (NaN for missing)."""
    if isinstance(Xt, pd.DataFrame):
        return Xt.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(Xt, dtype=float)


# --- model families ---------------------------------------------------------------------------

def is_lightgbm(model: Any) -> bool:
    """Whether ``model`` is a LightGBM estimator."""
    return type(model).__module__.startswith("lightgbm")


def xgboost_estimators(model: Any) -> list[Any] | None:
    """The XGBoost estimators of ``model`` (itself, or inside a one-vs-rest wrapper)."""
    if type(model).__module__.startswith("xgboost"):
        return [model]
    inner = getattr(model, "estimators_", None)
    if type(model).__name__ == "OneVsRestClassifier" and inner is not None and all(
            type(e).__module__.startswith("xgboost") for e in inner):
        return list(inner)
    return None


def _is_sklearn_tree(model: Any) -> bool:
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor,
                                  HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from sklearn.tree import BaseDecisionTree
    return isinstance(model, (BaseDecisionTree, RandomForestClassifier, RandomForestRegressor,
                              ExtraTreesClassifier, ExtraTreesRegressor,
                              HistGradientBoostingClassifier, HistGradientBoostingRegressor))


def _is_linear(model: Any) -> bool:
    return type(model).__module__.startswith("sklearn.linear_model") and hasattr(model, "coef_")


def explainer_for(pipeline: Any) -> str:
    """The fastest exact explainer for the pipeline's model (one of ``EXPLAINERS``)."""
    model = model_of(pipeline)
    if is_lightgbm(model):
        return "lightgbm_native"
    if xgboost_estimators(model) is not None:
        return "xgboost_native"
    if _is_sklearn_tree(model):
        return "tree"
    return "linear" if _is_linear(model) else "kernel"


# --- what the values add up to ----------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    """The explained output: its kind and, for classifiers, the class."""

    output: str
    index: int | None = None          # index into the model's classes_
    label: Any = None
    n_classes: int = 0


def _classes(pipeline: Any) -> list[Any]:
    # Pipeline.classes_ exists only when its last step is a classifier.
    return list(pipeline.classes_) if hasattr(pipeline, "classes_") else []


def _choose_class(pipeline: Any, class_label: Any) -> tuple[int | None, Any, int]:
    """(index, label, count) of the explained class; binary defaults to the positive one."""
    classes = _classes(pipeline)
    if not classes:
        return None, None, 0
    if class_label is not None and class_label in classes:
        index = classes.index(class_label)
    else:
        index = 1 if len(classes) == 2 else 0
    return index, classes[index], len(classes)


def _output_kind(pipeline: Any, explainer: str, n_classes: int) -> str:
    """What ``explainer`` explains for this model (see the module docstring)."""
    model = model_of(pipeline)
    if n_classes == 0:
        return "value"
    if explainer == "kernel":
        return "probability" if hasattr(pipeline, "predict_proba") else "decision"
    if explainer == "tree" and not type(model).__name__.startswith("HistGradient"):
        return "probability"
    one_vs_rest = type(model).__name__ == "OneVsRestClassifier"
    return "log_odds" if n_classes == 2 or one_vs_rest else "margin"


def _pick(scores: np.ndarray, index: int | None) -> np.ndarray:
    """One class's column; a binary 1-D score is for classes_[1], so class 0 is its negation."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 2 and scores.shape[1] > 1:
        return scores[:, index]
    scores = scores.reshape(len(scores))
    return -scores if index == 0 else scores


def _raw_score(pipeline: Any, X: pd.DataFrame, index: int | None) -> np.ndarray:
    """The model's raw output (log-odds / class scores) before any link function."""
    model, Xt = model_of(pipeline), transform(pipeline, X)
    inner = xgboost_estimators(model)
    if inner is not None and inner[0] is not model:
        est = inner[0] if len(inner) == 1 else inner[index]
        margin = est.predict(Xt, output_margin=True)
        return _pick(margin, index) if len(inner) == 1 else np.asarray(margin, dtype=float)
    if is_lightgbm(model):
        return _pick(model.predict(Xt, raw_score=True), index)
    if inner is not None:
        return _pick(model.predict(Xt, output_margin=True), index)
    return _pick(model.decision_function(Xt), index)


def model_output(pipeline: Any, X: pd.DataFrame, output: str,
                 class_index: int | None = None) -> np.ndarray:
    """The model output an explanation adds up to, computed straight from the pipeline."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if output == "value":
            return np.asarray(pipeline.predict(X), dtype=float)
        if output == "probability":
            return np.asarray(pipeline.predict_proba(X), dtype=float)[:, class_index]
        if output == "decision":
            return _pick(pipeline.decision_function(X), class_index)
        return _raw_score(pipeline, X, class_index)


# --- results ----------------------------------------------------------------------------------

@dataclass
class ShapResult:
    """SHAP values per raw feature for some rows, or why they could not be computed.

    ``values[i].sum() + base_value`` is the model output for row ``i`` in the units
    named by ``output`` (see the module docstring).
    """

    features: list[str]
    values: np.ndarray                   # rows × raw features
    base_value: float
    rows: pd.DataFrame                   # the explained rows' raw values (index: row ids)
    explainer: str
    output: str
    class_label: Any = None
    class_index: int | None = None
    target: str | None = None
    total_rows: int = 0                  # rows offered, before sampling
    background_rows: int = 0
    seconds: float = 0.0
    notes: list[Message] = field(default_factory=list)
    error: Message | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and len(self.rows) > 0

    @property
    def predictions(self) -> np.ndarray:
        """The model output per row, rebuilt from the explanation."""
        return self.values.sum(axis=1) + self.base_value

    def mean_abs(self) -> pd.Series:
        """Mean |SHAP| per raw feature, largest first."""
        return pd.Series(np.abs(self.values).mean(axis=0), index=self.features).sort_values(
            ascending=False)

    def is_categorical(self, feature: str) -> bool:
        column = self.rows[feature]
        return not (pd.api.types.is_numeric_dtype(column) and
                    not pd.api.types.is_bool_dtype(column))

    def numeric_rows(self) -> pd.DataFrame:
        """The rows as numbers: categories become codes in sorted order, missing stays NaN."""
        out = {}
        for name in self.features:
            column = self.rows[name]
            if self.is_categorical(name):
                codes = pd.Categorical(column.astype(object)).codes.astype(float)
                out[name] = np.where(codes < 0, np.nan, codes)
            else:
                out[name] = column.to_numpy(dtype=float, na_value=np.nan)
        return pd.DataFrame(out, index=self.rows.index)


def explainer_name(explainer: str) -> dict[str, str]:
    """The explainer's display name in every language (a per-language message parameter)."""
    return {lang: t(f"inspect.explainer.{explainer}", lang) for lang in LANGUAGES}


def _failed(features: list[str], explainer: str, exc: BaseException,
            total: int) -> ShapResult:
    reason = f"{type(exc).__name__}: {exc}"[:300]
    return ShapResult(features, np.zeros((0, len(features))), 0.0, pd.DataFrame(columns=features),
                      explainer, "value", total_rows=total,
                      error=Message("inspect.error.explainer_failed",
                                    {"explainer": explainer_name(explainer), "reason": reason}))


# --- the cache --------------------------------------------------------------------------------

_CACHES: dict[str, OrderedDict[tuple, Any]] = {}
_LOCK = threading.Lock()
_MODEL_TOKENS: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def model_fingerprint(pipeline: Any) -> str:
    """A token for this fitted pipeline object, stable for its lifetime.

    Hashing a 500-tree model would cost more than explaining it; the session keeps the
    same object across reruns, so identity is the right key (a refit makes a new object).
    """
    with _LOCK:
        token = _MODEL_TOKENS.get(pipeline)
        if token is None:
            token = _MODEL_TOKENS[pipeline] = uuid.uuid4().hex
    return token


def data_fingerprint(frame: pd.DataFrame | None) -> str:
    """A content hash of a table (values, index and column names)."""
    if frame is None:
        return "-"
    digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    digest.update(repr(list(frame.columns)).encode())
    return digest.hexdigest()


def cached(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``key`` in a small LRU, one per kind of value (``key[0]``).

    Separate kinds keep cheap tree drawings from evicting costly SHAP results. Two
    sessions asking at once may both compute; the later value simply wins.
    """
    with _LOCK:
        bucket = _CACHES.setdefault(key[0], OrderedDict())
        if key in bucket:
            bucket.move_to_end(key)
            return bucket[key]
    value = compute()
    with _LOCK:
        bucket[key] = value
        while len(bucket) > CACHE_SIZE:
            bucket.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached explanation, importance and surrogate."""
    with _LOCK:
        _CACHES.clear()


def cache_size() -> int:
    """Values held in the cache, all kinds together."""
    return sum(len(bucket) for bucket in _CACHES.values())


def sample_rows(X: pd.DataFrame, limit: int, seed: int) -> pd.DataFrame:
    """At most ``limit`` rows, drawn reproducibly and kept in their original order."""
    if len(X) <= limit:
        return X
    chosen = np.sort(np.random.default_rng(seed).choice(len(X), size=limit, replace=False))
    return X.iloc[chosen]


# --- explainer paths --------------------------------------------------------------------------
# Each path takes rows and returns (values per raw feature, base value).

def _lightgbm_values(pipeline: Any, rows: pd.DataFrame, target: _Target,
                     cmap: ColumnMap) -> tuple[np.ndarray, float]:
    model = model_of(pipeline)
    contrib = np.asarray(model.predict(transform(pipeline, rows), pred_contrib=True))
    if target.n_classes > 2:
        contrib = contrib.reshape(len(rows), target.n_classes, -1)[:, target.index, :]
    sign = -1.0 if target.n_classes == 2 and target.index == 0 else 1.0
    return sign * cmap.to_raw(contrib[:, :-1]), sign * float(contrib[:, -1].mean())


def xgboost_iteration_range(est: Any) -> tuple[int, int]:
    """The trees the estimator's own predict() uses (all, or up to the best after early
    stopping), as XGBoost's ``iteration_range``."""
    best = getattr(est, "best_iteration", None)
    return (0, best + 1) if best is not None else (0, 0)


def _xgboost_values(pipeline: Any, rows: pd.DataFrame, target: _Target,
                    cmap: ColumnMap) -> tuple[np.ndarray, float]:
    import xgboost
    inner = xgboost_estimators(model_of(pipeline))
    est = inner[target.index] if len(inner) > 1 else inner[0]
    matrix = xgboost.DMatrix(transform(pipeline, rows), missing=np.nan,
                             nthread=getattr(est, "n_jobs", None) or -1)
    contrib = est.get_booster().predict(matrix, pred_contribs=True,
                                        iteration_range=xgboost_iteration_range(est))
    if contrib.ndim == 3:
        contrib = contrib[:, target.index, :]
    negate = target.n_classes == 2 and target.index == 0
    sign = -1.0 if negate else 1.0
    return sign * cmap.to_raw(contrib[:, :-1]), sign * float(contrib[:, -1].mean())


def _shap_output(values: Any, expected: Any, target: _Target) -> tuple[np.ndarray, float]:
    """One class out of shap's (rows, features[, classes]) values; binary class 0 negated."""
    values, expected = np.asarray(values, dtype=float), np.atleast_1d(expected).astype(float)
    if values.ndim == 3:
        return values[:, :, target.index], float(expected[target.index])
    sign = -1.0 if target.n_classes == 2 and target.index == 0 else 1.0
    return sign * values, sign * float(expected[0])


def _tree_values(pipeline: Any, rows: pd.DataFrame, target: _Target,
                 cmap: ColumnMap) -> tuple[np.ndarray, float]:
    import shap
    explainer = shap.TreeExplainer(model_of(pipeline))
    values = explainer.shap_values(_as_float(transform(pipeline, rows)),
                                   check_additivity=False)
    values, base = _shap_output(values, explainer.expected_value, target)
    return cmap.to_raw(values), base


def _linear_values(pipeline: Any, rows: pd.DataFrame, background: pd.DataFrame,
                   target: _Target, cmap: ColumnMap) -> tuple[np.ndarray, float]:
    import shap
    data = _as_float(transform(pipeline, background))
    masker = shap.maskers.Independent(data, max_samples=len(data))
    explainer = shap.LinearExplainer(model_of(pipeline), masker)
    values = explainer.shap_values(_as_float(transform(pipeline, rows)))
    values, base = _shap_output(values, explainer.expected_value, target)
    return cmap.to_raw(values), base


# --- the sampled, model-agnostic path ---------------------------------------------------------

@dataclass
class RawCodec:
    """Raw feature rows <-> one float column per raw feature (categories as codes).

    The sampled explainer masks whole raw features this way, so a one-hot group is never
    split into impossible combinations and each raw feature costs one evaluation.
    """

    columns: list[str]
    dtypes: dict[str, Any]
    categories: dict[str, np.ndarray]

    @classmethod
    def fit(cls, *frames: pd.DataFrame) -> "RawCodec":
        joined = pd.concat(frames)
        cats = {c: np.asarray(pd.unique(joined[c].dropna().astype(object)), dtype=object)
                for c in joined.columns if not _is_number(joined[c])}
        return cls(list(joined.columns), dict(joined.dtypes), cats)

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        out = np.empty((len(frame), len(self.columns)))
        for j, name in enumerate(self.columns):
            if name in self.categories:
                codes = pd.Categorical(frame[name].astype(object),
                                       categories=self.categories[name]).codes
                out[:, j] = np.where(codes < 0, np.nan, codes)
            else:
                out[:, j] = frame[name].to_numpy(dtype=float, na_value=np.nan)
        return out

    def decode(self, Z: np.ndarray) -> pd.DataFrame:
        data = {}
        for j, name in enumerate(self.columns):
            if name in self.categories:
                codes = Z[:, j]
                values = np.full(len(codes), np.nan, dtype=object)
                known = ~np.isnan(codes)
                values[known] = self.categories[name][codes[known].astype(int)]
                data[name] = pd.Series(values, dtype=self.dtypes[name])
            else:
                data[name] = Z[:, j]
        return pd.DataFrame(data)


def _is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _kernel_samples(n_features: int) -> int:
    """Coalitions per row: all of them for few features, else a sample of a few hundred."""
    if n_features <= 11:
        return 2 ** n_features     # shap enumerates every coalition: exact Shapley values
    return max(2 * n_features + 2, KERNEL_SAMPLES)


def _plan_background(f: Callable[[np.ndarray], np.ndarray], Zbg: np.ndarray, samples: int,
                     budget: float) -> int:
    """Background rows such that about ``TARGET_ROWS`` rows fit within ``budget``."""
    probe = Zbg[np.arange(512) % len(Zbg)]
    start = time.perf_counter()
    f(probe)
    per_model_row = (time.perf_counter() - start) / len(probe)
    size = min(len(Zbg), MAX_BACKGROUND)
    # Each explained row evaluates every sampled coalition against every background row.
    while size > MIN_BACKGROUND and per_model_row * samples * size * TARGET_ROWS > budget:
        size = max(MIN_BACKGROUND, size // 2)
    return size


def _explain_within(explain_rows: Callable[[np.ndarray], tuple[np.ndarray, float]],
                    Z: np.ndarray, budget: float, started: float,
                    first: int) -> tuple[np.ndarray, float]:
    """Explain ``Z`` chunk by chunk until done or out of time (at least one chunk)."""
    parts, base, done, chunk = [], 0.0, 0, min(first, len(Z))
    while done < len(Z):
        tick = time.perf_counter()
        values, base = explain_rows(Z[done:done + chunk])
        parts.append(values)
        done += len(values)
        per_row = (time.perf_counter() - tick) / max(len(values), 1)
        left = budget - (time.perf_counter() - started)
        if left < per_row:
            break
        # Small chunks (an eighth of the budget, at most half the time left) keep checking
        # the clock, so one slow chunk (a busy machine) cannot overrun the budget much.
        affordable = min(0.5 * left, budget / 8) / max(per_row, 1e-9)
        chunk = int(max(1, min(len(Z) - done, affordable)))
    return np.vstack(parts), base


def _kernel_values(pipeline: Any, rows: pd.DataFrame, background: pd.DataFrame,
                   target: _Target, budget: float, started: float,
                   ) -> tuple[np.ndarray, float, int]:
    """Kernel SHAP over whole raw features; the output is the pipeline's own prediction.

    (shap's PermutationExplainer would do too, but its numba kernels take many seconds
    to compile on first use, which alone would break the time budget.)
    """
    import shap
    codec = RawCodec.fit(rows, background)
    f = lambda Z: model_output(pipeline, codec.decode(Z), target.output, target.index)  # noqa
    Zbg = codec.encode(background)
    samples = _kernel_samples(len(codec.columns))
    size = _plan_background(f, Zbg, samples, budget)
    explainer = shap.KernelExplainer(f, Zbg[:size])
    base = float(np.ravel(explainer.expected_value)[0])

    def explain_rows(Z: np.ndarray) -> tuple[np.ndarray, float]:
        values = explainer.shap_values(Z, nsamples=samples, l1_reg=False, silent=True)
        return np.asarray(values, dtype=float).reshape(len(Z), -1), base

    values, base = _explain_within(explain_rows, codec.encode(rows), budget, started, 2)
    return values, base, size


# --- explain ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExplainSettings:
    """What changes an explanation besides the model and the data (part of the cache key)."""

    class_label: Any = None
    method: str = "auto"                 # "auto" or one of EXPLAINERS
    budget_seconds: float = DEFAULT_BUDGET_SECONDS
    max_rows: int = DEFAULT_MAX_ROWS
    seed: int = 0


def explain(pipeline: Any, X: pd.DataFrame, background: pd.DataFrame | None = None, *,
            target: str | None = None, class_label: Any = None, method: str = "auto",
            budget_seconds: float = DEFAULT_BUDGET_SECONDS, max_rows: int = DEFAULT_MAX_ROWS,
            seed: int = 0) -> ShapResult:
    """SHAP values per raw feature for (a sample of) the rows ``X``; never raises.

    Parameters
    ----------
    pipeline : fitted candidate Pipeline taking the raw feature columns of ``X``.
    X : rows to explain, usually the validation part; sampled down to ``max_rows``.
    background : rows standing for "feature unknown" (linear and sampled explainers),
        usually the training part; ``X`` when not given.
    class_label : the class to explain (classification); default: the positive class of a
        binary problem, the first class otherwise.
    method : "auto" picks the fastest exact explainer; or force one of ``EXPLAINERS``.
    budget_seconds : time the sampled explainer (and large tree ensembles) may take.
    """
    settings = ExplainSettings(class_label, method, budget_seconds, max_rows, seed)
    rows = sample_rows(X, max_rows, seed)
    bg = sample_rows(background if background is not None else X, LINEAR_BACKGROUND, seed + 1)
    # Native and tree explainers ignore the background: no need to hash it into the key
    # (a fast explainer that fails falls back to the sampled one, which uses it).
    uses_bg = (explainer_for(pipeline) if method == "auto" else method) in ("linear", "kernel")
    key = ("shap", model_fingerprint(pipeline), data_fingerprint(rows),
           data_fingerprint(bg) if uses_bg else "-", len(X), target, settings)
    return cached(key, lambda: _explain(pipeline, rows, bg, len(X), target, settings))


def _explain(pipeline: Any, rows: pd.DataFrame, background: pd.DataFrame, total: int,
             target: str | None, settings: ExplainSettings) -> ShapResult:
    """Run the chosen explainer; a failing fast explainer falls back to the sampled one."""
    features = list(rows.columns)
    method = explainer_for(pipeline) if settings.method == "auto" else settings.method
    started = time.perf_counter()
    try:
        return _run(pipeline, rows, background, total, target, settings, method, started)
    except Exception as exc:  # a model the fast explainer cannot read: try the sampled one
        if method == "kernel":
            return _failed(features, method, exc, total)
        first_failure = exc
    try:
        result = _run(pipeline, rows, background, total, target, settings, "kernel",
                      time.perf_counter())
    except Exception as exc:  # nothing can explain this model; the page shows why
        return _failed(features, "kernel", exc, total)
    reason = f"{type(first_failure).__name__}: {first_failure}"[:200]
    result.notes.insert(0, Message("inspect.note.fell_back",
                                   {"explainer": explainer_name(method), "reason": reason}))
    return result


def _run(pipeline: Any, rows: pd.DataFrame, background: pd.DataFrame, total: int,
         target: str | None, settings: ExplainSettings, method: str,
         started: float) -> ShapResult:
    index, label, n_classes = _choose_class(pipeline, settings.class_label)
    aim = _Target(_output_kind(pipeline, method, n_classes), index, label, n_classes)
    order = np.arange(len(rows))
    if method in ("kernel", "tree"):
        # These may stop at the time budget: explain the rows in random order, so the
        # ones explained are a fair sample rather than the first ones of the table.
        order = np.random.default_rng(settings.seed).permutation(len(rows))
    values, base, bg_rows = _values_by_method(pipeline, rows.iloc[order], background, aim,
                                              settings, method, started)
    done = np.sort(order[:len(values)])          # back in table order, for the row picker
    values = values[np.argsort(order[:len(values)])]
    result = ShapResult(list(rows.columns), values, base, rows.iloc[done], method, aim.output,
                        label, index, target, total, bg_rows, time.perf_counter() - started)
    result.notes.extend(_sampling_notes(result, method, settings.max_rows))
    return result


def _values_by_method(pipeline: Any, rows: pd.DataFrame, background: pd.DataFrame,
                      aim: _Target, settings: ExplainSettings, method: str,
                      started: float) -> tuple[np.ndarray, float, int]:
    """(values per raw feature, base value, background rows used) of one explainer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "kernel":
            return _kernel_values(pipeline, rows, background, aim, settings.budget_seconds,
                                  started)
        cmap = column_map(pipeline, rows.columns)
        if method == "lightgbm_native":
            return (*_lightgbm_values(pipeline, rows, aim, cmap), 0)
        if method == "xgboost_native":
            return (*_xgboost_values(pipeline, rows, aim, cmap), 0)
        if method == "linear":
            return (*_linear_values(pipeline, rows, background, aim, cmap), len(background))
        # Large forests can be slow too: explain row positions chunk by chunk in the budget.
        positions = np.arange(len(rows))[:, None]
        values, base = _explain_within(
            lambda p: _tree_values(pipeline, rows.iloc[p[:, 0]], aim, cmap), positions,
            settings.budget_seconds, started, TREE_FIRST_CHUNK)
        return values, base, 0


def _sampling_notes(result: ShapResult, method: str, max_rows: int) -> list[Message]:
    """Say how many rows were explained of how many, and with what background."""
    notes = []
    offered = min(result.total_rows, max_rows)
    if offered < result.total_rows:
        notes.append(Message("inspect.note.rows_sampled",
                             {"rows": offered, "total": result.total_rows}))
    if len(result.rows) < offered and method != "kernel":
        notes.append(Message("inspect.note.budget_rows", {
            "rows": len(result.rows), "offered": offered, "seconds": f"{result.seconds:.1f}"}))
    if method == "kernel":
        notes.append(Message("inspect.note.sampled_explainer", {
            "rows": len(result.rows), "background": result.background_rows,
            "seconds": f"{result.seconds:.1f}"}))
    return notes


# --- convenience for a trained candidate ------------------------------------------------------

def explain_candidate(setup: Any, candidate: Any, class_label: Any = None,
                      budget_seconds: float = DEFAULT_BUDGET_SECONDS,
                      max_rows: int = DEFAULT_MAX_ROWS) -> ShapResult:
    """Explain a CandidateResult on its setup's validation rows (train rows as background)."""
    X, _ = setup.part("validation")
    background, _ = setup.part("train")
    if not len(X):
        X = background
    return explain(candidate.pipeline, X, background, target=setup.target,
                   class_label=class_label, budget_seconds=budget_seconds, max_rows=max_rows,
                   seed=setup.seed)


# --- feature importance -----------------------------------------------------------------------

@dataclass
class Importance:
    """Importance per raw feature, largest first, and how it was measured."""

    kind: str                            # coefficients | impurity | gain | permutation
    values: pd.Series
    spread: pd.Series | None = None      # std over permutation repeats
    metric: str | None = None            # permutation: "accuracy" | "r2"
    rows: int = 0
    repeats: int = 0
    notes: list[Message] = field(default_factory=list)
    error: Message | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and len(self.values) > 0


def _own_encoded(model: Any, n_encoded: int) -> tuple[str, np.ndarray] | None:
    """The model's own importance per encoded column, or None when it has none."""
    if is_lightgbm(model):
        return "gain", np.asarray(model.booster_.feature_importance(importance_type="gain"),
                                  dtype=float)
    inner = xgboost_estimators(model)
    if inner is not None:
        return "gain", sum(_xgb_gain(est, n_encoded) for est in inner)
    if hasattr(model, "coef_"):
        coef = np.abs(np.atleast_2d(np.asarray(model.coef_, dtype=float)))
        return "coefficients", coef.mean(axis=0)
    if hasattr(model, "feature_importances_"):
        return "impurity", np.asarray(model.feature_importances_, dtype=float)
    return None


def _xgb_gain(est: Any, n_encoded: int) -> np.ndarray:
    """Total gain per encoded column of one XGBoost model (unused columns get 0)."""
    booster = est.get_booster()
    names = booster.feature_names or [f"f{i}" for i in range(n_encoded)]
    scores = booster.get_score(importance_type="total_gain")
    return np.array([scores.get(name, 0.0) for name in names], dtype=float)


def model_importance(pipeline: Any, features: Sequence[str]) -> Importance | None:
    """The model's own importance by raw feature (coefficients, impurity or gain), as shares.

    Coefficients are absolute values on the standardised inputs the linear models see,
    summed over a feature's one-hot columns. None when the model has no such measure.
    """
    cmap = column_map(pipeline, features)
    own = _own_encoded(model_of(pipeline), len(cmap.encoded))
    if own is None:
        return None
    kind, encoded = own
    raw = cmap.to_raw(encoded.reshape(1, -1))[0]
    total = raw.sum()
    shares = raw / total if total > 0 else raw
    return Importance(kind, pd.Series(shares, index=cmap.features).sort_values(ascending=False))


@dataclass(frozen=True)
class PermutationPlan:
    """How permutation importance will be measured, and about how long it will take."""

    rows: int
    repeats: int
    seconds: float                       # estimate; above the budget when rows cannot shrink


def plan_permutation(pipeline: Any, X: pd.DataFrame, y: pd.Series, *, max_rows: int = 1000,
                     n_repeats: int = 5, budget_seconds: float = PERMUTATION_BUDGET_SECONDS,
                     seed: int = 0) -> PermutationPlan:
    """Rows and shuffles that fit the budget, from one timed scoring (cached).

    A slow model gets fewer shuffles (at least 2), then fewer rows. Wide tables can still
    overrun, since every column costs at least one prediction call: callers can check
    ``seconds`` and ask before running.
    """
    rows = sample_rows(X, max_rows, seed)
    key = ("permutation_plan", model_fingerprint(pipeline), data_fingerprint(rows), n_repeats,
           budget_seconds)
    return cached(key, lambda: _plan_permutation(pipeline, rows, y.loc[rows.index], n_repeats,
                                                 budget_seconds))


def _score_seconds(pipeline: Any, X: pd.DataFrame, y: pd.Series) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        pipeline.score(X, y)
    return time.perf_counter() - start


def _plan_permutation(pipeline: Any, X: pd.DataFrame, y: pd.Series, wanted: int,
                      budget: float) -> PermutationPlan:
    try:
        full = _score_seconds(pipeline, X, y)
        quarter = X.iloc[:max(1, len(X) // 4)]
        small = _score_seconds(pipeline, quarter, y.loc[quarter.index])
    except Exception:  # the measurement itself will fail and say why; plan the minimum
        return PermutationPlan(len(X), 2, 0.0)
    # One scoring costs a fixed overhead (the prep step's columns) plus a part per row.
    per_row = max(full - small, 0.0) / max(len(X) - len(quarter), 1)
    fixed = max(full - per_row * len(X), 0.0)
    columns = len(X.columns)
    repeats = int(min(wanted, budget / max(columns * full, 1e-9)))
    if repeats >= 2:
        return PermutationPlan(len(X), repeats, columns * repeats * full)
    # Two shuffles are the least that shows a spread: fewer rows, if rows are the cost.
    fit = (budget / (2 * columns) - fixed) / max(per_row, 1e-12)
    rows = int(min(len(X), max(MIN_PERMUTATION_ROWS, fit)))
    return PermutationPlan(rows, 2, 2 * columns * (fixed + per_row * rows))


def permutation_importance_by_feature(pipeline: Any, X: pd.DataFrame, y: pd.Series, *,
                                      max_rows: int = 1000, n_repeats: int = 5,
                                      budget_seconds: float = PERMUTATION_BUDGET_SECONDS,
                                      seed: int = 0) -> Importance:
    """How much the score (accuracy or R²) drops when one raw column is shuffled; cached.

    Uses scikit-learn's permutation_importance on the whole Pipeline, so each raw column
    is shuffled as a unit; rows and shuffles follow :func:`plan_permutation`.
    """
    rows = sample_rows(X, max_rows, seed)
    key = ("permutation", model_fingerprint(pipeline), data_fingerprint(rows), len(X),
           n_repeats, budget_seconds, seed)
    return cached(key, lambda: _permutation_importance(
        pipeline, X, y, len(X), plan_permutation(pipeline, X, y, max_rows=max_rows,
                                                 n_repeats=n_repeats,
                                                 budget_seconds=budget_seconds, seed=seed),
        seed))


def _permutation_importance(pipeline: Any, X: pd.DataFrame, y: pd.Series, total: int,
                            plan: PermutationPlan, seed: int) -> Importance:
    from sklearn.inspection import permutation_importance
    X = sample_rows(X, plan.rows, seed)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = permutation_importance(pipeline, X, y.loc[X.index], n_repeats=plan.repeats,
                                           random_state=seed, n_jobs=1)
    except Exception as exc:  # the page shows why and keeps the other sections
        return Importance("permutation", pd.Series(dtype=float), error=Message(
            "inspect.error.permutation_failed", {"reason": f"{type(exc).__name__}: {exc}"[:300]}))
    values = pd.Series(found.importances_mean, index=X.columns)
    order = values.sort_values(ascending=False).index
    notes = [Message("inspect.note.permutation_rows", {"rows": len(X), "total": total})
             ] if len(X) < total else []
    metric = "accuracy" if hasattr(pipeline, "classes_") else "r2"   # what .score() measures
    return Importance("permutation", values[order],
                      pd.Series(found.importances_std, index=X.columns)[order], metric,
                      len(X), plan.repeats, notes)


# --- dependence: the strongest interaction ----------------------------------------------------

def strongest_interaction(result: ShapResult, feature: str) -> str | None:
    """The feature whose value best explains the spread of ``feature``'s SHAP values.

    Rows are sorted by ``feature`` and cut into bins; within each bin the correlation of
    the SHAP values with another feature's values is summed (shap's own approximation of
    interaction strength, without the cost of interaction values).
    """
    if not result.ok or len(result.features) < 2:
        return None
    numbers = result.numeric_rows()
    i = result.features.index(feature)
    order = np.argsort(numbers[feature].to_numpy(), kind="stable")
    shap_sorted = result.values[order, i]
    step = max(min(len(order) // 10, 50), 1)
    scores = {other: _binned_correlation(shap_sorted, numbers[other].to_numpy()[order], step)
              for other in result.features if other != feature}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else None


def _binned_correlation(shap_values: np.ndarray, other: np.ndarray, step: int) -> float:
    total = 0.0
    for start in range(0, len(other), step):
        a, b = shap_values[start:start + step], other[start:start + step]
        keep = ~np.isnan(b)
        if keep.sum() > 2 and np.std(a[keep]) > 0 and np.std(b[keep]) > 0:
            total += abs(np.corrcoef(a[keep], b[keep])[0, 1])
    return total


# --- plain-language reading -------------------------------------------------------------------

def output_phrase(result: ShapResult, lang: str = "en") -> str:
    """What the SHAP values are measured in, e.g. "the predicted probability of 'yes'"."""
    if result.output == "value":
        return t("inspect.output.value", lang, target=result.target or "-")
    return t(f"inspect.output.{result.output}", lang, label=result.class_label)


def _join(names: list[str], lang: str) -> str:
    return t("inspect.reading.separator", lang).join(names)


def _driver_message(result: ShapResult, feature: str, what: str) -> Message:
    """How one feature moves the output: direction for numbers, extremes for categories."""
    i = result.features.index(feature)
    shap_values = result.values[:, i]
    if result.is_categorical(feature):
        by_value = pd.Series(shap_values, index=result.rows.index).groupby(
            result.rows[feature].astype(object).fillna("∅").to_numpy()).mean()
        return Message("inspect.reading.category", {
            "feature": feature, "high": by_value.idxmax(), "low": by_value.idxmin(),
            "what": what})
    x = result.numeric_rows()[feature].to_numpy()
    keep = ~np.isnan(x)
    corr = (np.corrcoef(x[keep], shap_values[keep])[0, 1]
            if keep.sum() > 2 and np.std(x[keep]) > 0 and np.std(shap_values[keep]) > 0 else 0.0)
    kind = "higher_up" if corr > 0.3 else "higher_down" if corr < -0.3 else "mixed"
    return Message(f"inspect.reading.{kind}", {"feature": feature, "what": what})


def reading(result: ShapResult, lang: str = "en", top: int = 3) -> list[str]:
    """A few sentences on the top drivers that a domain expert can confirm or dispute."""
    if not result.ok:
        return []
    strength = result.mean_abs()
    if strength.sum() <= 0:
        return [t("inspect.reading.flat", lang)]
    leaders = [name for name in strength.index[:top] if strength[name] > 0]
    share = 100 * strength[leaders].sum() / strength.sum()
    what = output_phrase(result, lang)
    lines = [t("inspect.reading.units", lang, what=what),
             t("inspect.reading.top", lang, features=_join(leaders, lang), share=f"{share:.0f}")]
    if result.output in ("log_odds", "margin"):
        lines.insert(1, t("inspect.reading.odds_hint", lang, label=result.class_label))
    lines += [_driver_message(result, name, what).text(lang) for name in leaders]
    lines.append(t("inspect.reading.check", lang))
    return lines
