"""Training candidates and baselines on a prepared split, with metrics and timings."""

from __future__ import annotations

import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from core import catalog, predict_template, unsupervised
from core.catalog import AlgorithmSpec
from core.config import default_threads
from core.data import LoadedData
from core.errors import DojoError
from core.evaluation import (FALLBACK_METRIC, PRIMARY_METRIC, classification_metrics,
                             higher_is_better, measure_latency, model_size_bytes,
                             regression_metrics)
from core.i18n import Message
from core.preprocessing import build_preprocessor
from core.profiling import DataProfile, drop_missing_target, profile_frame
from core.splitting import DataSplit, split_dataset


@dataclass
class TrainingSetup:
    """Everything a run needs besides the algorithm list: data, target, task, split."""

    frame: pd.DataFrame            # raw rows (target rows with missing values already dropped)
    target: str | None
    task: str                      # classification | regression | clustering | dimensionality_reduction
    features: list[str]            # raw feature columns the pipeline takes
    feature_roles: dict[str, str]  # feature -> "numeric" | "categorical"
    split: DataSplit
    profile: DataProfile
    classes: list[Any] | None      # sorted class labels for classification
    data_name: str
    data_sha256: str
    seed: int = 42
    n_jobs: int = 1
    role_overrides: dict[str, str] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)
    # Each part is copied out of the frame once: every candidate, metric and plot reuses it
    # (copying 500,000 rows fifteen times cost a second of every run).
    _parts: dict[str, tuple[pd.DataFrame, pd.Series | None]] = field(
        default_factory=dict, repr=False, compare=False)

    def part(self, name: str) -> tuple[pd.DataFrame, pd.Series | None]:
        """Features and target of one split part: "train", "validation" or "test"."""
        if name not in self._parts:
            rows = {"train": self.split.train, "validation": self.split.validation,
                    "test": self.split.test}[name]
            subset = self.frame.iloc[rows]
            y = subset[self.target] if self.target else None
            self._parts[name] = (subset[self.features], y)
        return self._parts[name]

    def forget(self, name: str) -> None:
        """Drop one cached part to free its memory; :meth:`part` copies it again if asked."""
        self._parts.pop(name, None)


@dataclass
class CandidateResult:
    """One trained candidate (or baseline) with its scores, or why it failed."""

    key: str                       # unique in a run, e.g. "lightgbm" or "baseline:stratified"
    algorithm_id: str
    name: dict[str, str]           # display name by language
    library: str
    hyperparameters: dict[str, Any]
    is_baseline: bool = False
    pipeline: Any = None           # fitted sklearn Pipeline taking the raw feature columns
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)   # {"validation": {...}, "test": {...}}
    timings: dict[str, float] = field(default_factory=dict)
    # train_seconds, latency_p50_ms, latency_p95_ms, rows_per_second
    model_size_bytes: int = 0
    history: dict[str, list[float]] | None = None   # boosting evaluation history per metric
    error: Message | None = None
    notes: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.pipeline is not None


ProgressCallback = Callable[[str, str, float], None]   # (candidate key, stage, fraction done)


# --- preparing a run ----------------------------------------------------------------------------

def prepare_setup(loaded: LoadedData, target: str | None, task: str = "auto",
                  role_overrides: dict[str, str] | None = None, valid_size: float = 0.2,
                  test_size: float = 0.2, seed: int = 42, stratify: bool = True,
                  time_column: str | None = None, n_jobs: int | None = None) -> TrainingSetup:
    """Profile ``loaded``, pick the features and split the rows: everything before training.

    Clustering and dimensionality reduction need no target; one given anyway is kept out
    of the features (it can colour the plots) and rows missing it are kept.
    """
    frame, notes = _rows_with_target(loaded.frame, target, task)
    profile = profile_frame(frame, target, task, role_overrides)
    features = profile.features
    if not features:
        raise DojoError("train.no_features")
    frame = frame.reset_index(drop=True)
    if target is not None and pd.api.types.is_object_dtype(frame[target]):
        # e.g. integer labels held as objects: scikit-learn rejects an object "unknown" type
        frame[target] = frame[target].infer_objects()
    for name, role in profile.feature_roles.items():
        if role == "categorical":
            # predict.py's own conversion, so training and prediction spell values alike
            frame[name] = predict_template.as_category_text(frame[name])
    task_name = profile.task.task if profile.task else task
    split = split_dataset(frame, target, task_name, valid_size, test_size, seed, stratify,
                          time_column)
    return TrainingSetup(
        frame=frame, target=target, task=task_name, features=features,
        feature_roles=profile.feature_roles, split=split, profile=profile,
        classes=profile.task.classes if profile.task else None, data_name=loaded.name,
        data_sha256=loaded.sha256, seed=seed, n_jobs=n_jobs or default_threads(),
        role_overrides=dict(role_overrides or {}), notes=notes + list(profile.warnings))


def _rows_with_target(frame: pd.DataFrame, target: str | None,
                      task: str) -> tuple[pd.DataFrame, list[Message]]:
    """The rows to learn from: those with a target value, when the task predicts one."""
    if target is None and not unsupervised.is_unsupervised(task):
        # Without a target only the unsupervised tasks make sense; say so before profiling.
        raise DojoError("unsupervised.target_or_task_needed", task=task)
    if target is None or target not in frame.columns or unsupervised.is_unsupervised(task):
        return frame, []
    frame, dropped = drop_missing_target(frame, target)
    notes = [Message("data.rows_dropped_missing_target", {"count": dropped})] if dropped else []
    return frame, notes


# --- fitting -------------------------------------------------------------------------------------

def _canonical_labels(classes: list[Any] | None) -> bool:
    return classes is not None and list(classes) == list(range(len(classes)))


def _fit_xgboost(estimator: Any, params: dict[str, Any], Xt: Any, y: pd.Series, Xvt: Any,
                 yv: pd.Series, classes: list[Any] | None) -> tuple[Any, dict]:
    """XGBoost wants labels 0..k-1; other labels get a one-vs-rest wrapper that maps back."""
    encode = classes is not None and not _canonical_labels(classes)
    lookup = {label: code for code, label in enumerate(classes or [])}
    y_fit = y.map(lookup).to_numpy() if encode else y
    yv_fit = yv.map(lookup).to_numpy() if encode else yv
    estimator.fit(Xt, y_fit, eval_set=[(Xvt, yv_fit)], verbose=False)
    history = estimator.evals_result().get("validation_0", {})
    if not encode:
        return estimator, history
    # The wrapper keeps joblib.load(...).predict() returning the real labels, using only
    # scikit-learn and XGBoost classes; the rounds found by early stopping are reused.
    from sklearn.base import clone
    from sklearn.multiclass import OneVsRestClassifier
    rounds = (estimator.best_iteration + 1 if params["early_stopping_rounds"]
              else params["n_estimators"])
    inner = clone(estimator).set_params(n_estimators=rounds, early_stopping_rounds=None,
                                        objective="binary:logistic")
    return OneVsRestClassifier(inner).fit(Xt, y), history


def _fit_lightgbm(estimator: Any, params: dict[str, Any], Xt: Any, y: pd.Series, Xvt: Any,
                  yv: pd.Series) -> tuple[Any, dict]:
    import lightgbm
    callbacks = ([lightgbm.early_stopping(params["early_stopping_rounds"], verbose=False)]
                 if params["early_stopping_rounds"] else [])
    estimator.fit(Xt, y, eval_set=[(Xvt, yv)], callbacks=callbacks)
    return estimator, dict(estimator.evals_result_.get("valid_0", {}))


def _fit(spec: AlgorithmSpec, estimator: Any, params: dict[str, Any], setup: TrainingSetup,
         Xt: Any, y: pd.Series, Xvt: Any, yv: pd.Series) -> tuple[Any, dict | None]:
    """Fit the estimator; boosting libraries stop early on the validation set."""
    if spec.id == "xgboost":
        return _fit_xgboost(estimator, params, Xt, y, Xvt, yv, setup.classes)
    if spec.id == "lightgbm":
        return _fit_lightgbm(estimator, params, Xt, y, Xvt, yv)
    return estimator.fit(Xt, y), None


def _fit_pipeline(spec: AlgorithmSpec, params: dict[str, Any],
                  setup: TrainingSetup) -> tuple[Pipeline, dict | None, float]:
    """Preprocess once, fit the estimator, and join both into one Pipeline."""
    if unsupervised.is_unsupervised(setup.task):
        pipeline, seconds = unsupervised.fit_pipeline(spec, params, setup)
        return pipeline, None, seconds
    X, y = setup.part("train")
    Xv, yv = setup.part("validation")
    estimator = spec.build(setup.task, params, setup.seed, setup.n_jobs)
    preprocessor = build_preprocessor(setup.feature_roles, spec.traits)
    start = time.perf_counter()
    if preprocessor == "passthrough":
        Xt, Xvt = X, Xv
    else:
        Xt = preprocessor.fit_transform(X, y)
        Xvt = preprocessor.transform(Xv)
    estimator, history = _fit(spec, estimator, params, setup, Xt, y, Xvt, yv)
    seconds = time.perf_counter() - start
    return Pipeline([("prep", preprocessor), ("model", estimator)]), history, seconds


# --- scoring ---------------------------------------------------------------------------------------

def _aligned_proba(pipeline: Pipeline, proba: np.ndarray, classes: list[Any]) -> np.ndarray:
    """Probabilities in the order of ``classes``, even if training missed a rare class."""
    model_classes = list(pipeline.classes_)
    if model_classes == list(classes):
        return proba
    full = np.zeros((proba.shape[0], len(classes)))
    for j, label in enumerate(model_classes):
        full[:, classes.index(label)] = proba[:, j]
    return full


def classify(pipeline: Pipeline, X: pd.DataFrame, classes: list[Any],
              is_baseline: bool) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Labels, probabilities and (for models without probabilities) decision scores."""
    proba = scores = None
    if hasattr(pipeline, "predict_proba"):
        proba = _aligned_proba(pipeline, pipeline.predict_proba(X), classes)
    if proba is not None and not is_baseline:
        # The arg-max of the probabilities is what predict() returns; one pass, not two.
        labels = np.asarray(classes)[proba.argmax(axis=1)]
    else:
        labels = pipeline.predict(X)
    if proba is None and hasattr(pipeline, "decision_function"):
        scores = pipeline.decision_function(X)
    return labels, proba, scores


def evaluate(setup: TrainingSetup, pipeline: Pipeline, part: str,
             is_baseline: bool = False) -> tuple[dict[str, Any], float | None]:
    """Metrics of ``pipeline`` on one split part, and the seconds its prediction took
    (None for a model that cannot score new rows, t-SNE)."""
    if unsupervised.is_unsupervised(setup.task):
        return unsupervised.evaluate(setup, pipeline, part)
    X, y = setup.part(part)
    start = time.perf_counter()
    if setup.task == "classification":
        labels, proba, scores = classify(pipeline, X, setup.classes or [], is_baseline)
        seconds = time.perf_counter() - start
        return classification_metrics(y, labels, setup.classes or [], proba, scores), seconds
    predictions = pipeline.predict(X)
    seconds = time.perf_counter() - start
    return regression_metrics(y, predictions), seconds


def score_test(setup: TrainingSetup, result: CandidateResult) -> None:
    """Score the test part once, on request, into ``result.metrics["test"]``.

    t-SNE cannot place the test rows, so it has no test scores.
    """
    if (result.ok and len(setup.split.test)
            and unsupervised.can_score_new_rows(result.pipeline, setup.task)):
        result.metrics["test"], _ = evaluate(setup, result.pipeline, "test", result.is_baseline)


# --- candidates ------------------------------------------------------------------------------------

def _baseline_plan(task: str, candidates: list[tuple[str, str, dict[str, Any]]]
                   ) -> list[tuple[str, str, dict[str, Any]]]:
    """The baselines of ``task``; without a target they take the first candidate's size."""
    if task == "classification":
        return [("baseline", "baseline", {"strategy": "most_frequent"}),
                ("baseline:stratified", "baseline", {"strategy": "stratified"})]
    if task == "regression":
        return [("baseline", "baseline", {"strategy": "mean"}),
                ("baseline:median", "baseline", {"strategy": "median"})]
    # Same k / number of components as the first candidate, so the comparison is fair.
    size = next((p.get("n_clusters", p.get("n_components")) for _, _, p in candidates), None)
    if task == "clustering":
        return [("baseline", "baseline", {"strategy": "random_centres", "n_clusters": size or 3}),
                ("baseline:single_cluster", "baseline", {"strategy": "single_cluster"})]
    return [("baseline", "baseline", {"strategy": "random_projection",
                                      "n_components": size or 2})]


def plan_candidates(setup: TrainingSetup, algorithm_ids: list[str],
                    params: dict[str, dict[str, Any]] | None = None,
                    include_baselines: bool = True) -> list[tuple[str, str, dict[str, Any]]]:
    """(key, algorithm id, validated params) per candidate; bad ids or params raise now."""
    params = params or {}
    unknown = set(params) - set(algorithm_ids) - {"baseline"}
    if unknown:
        raise DojoError("train.params_for_unselected", algorithms=", ".join(sorted(unknown)))
    plan = []
    for algorithm_id in dict.fromkeys(algorithm_ids):
        spec = catalog.get(algorithm_id)
        if setup.task not in spec.tasks:
            raise DojoError("catalog.wrong_task", algorithm=algorithm_id, task=setup.task,
                            tasks=", ".join(spec.tasks))
        plan.append((algorithm_id, algorithm_id,
                     spec.resolve_params(setup.task, params.get(algorithm_id))))
    baselines = _baseline_plan(setup.task, plan) if include_baselines else []
    return [(key, algorithm_id, catalog.get(algorithm_id).resolve_params(setup.task, values))
            for key, algorithm_id, values in baselines] + plan


def train_candidate(setup: TrainingSetup, algorithm_id: str, params: dict[str, Any] | None = None,
                    key: str | None = None) -> CandidateResult:
    """Train and score one candidate; a failure is recorded in the result, not raised."""
    spec = catalog.get(algorithm_id)
    resolved = spec.resolve_params(setup.task, params)
    result = CandidateResult(key=key or algorithm_id, algorithm_id=algorithm_id,
                             name=_display_name(spec, resolved, key), library=spec.library,
                             hyperparameters=resolved, is_baseline=spec.is_baseline)
    try:
        # OpenMP libraries (HistGradientBoosting) otherwise use every core in every worker
        # thread; on a busy machine their spin-waiting turns a 0.2 s fit into 10 s.
        with warnings.catch_warnings(), threadpool_limits(setup.n_jobs, user_api="openmp"):
            warnings.simplefilter("ignore")
            pipeline, result.history, seconds = _fit_pipeline(spec, resolved, setup)
            result.metrics["validation"], predict_seconds = evaluate(
                setup, pipeline, "validation", spec.is_baseline)
            result.timings = _timings(setup, pipeline, seconds, predict_seconds)
            result.notes.extend(unsupervised.result_notes(setup, pipeline))
        result.model_size_bytes = model_size_bytes(pipeline)
        result.pipeline = pipeline
    except DojoError as exc:   # a clear, translated reason (e.g. LDA given negative numbers)
        result.error = exc.as_message
    except MemoryError:
        result.error = Message("train.out_of_memory")
    except Exception as exc:  # one failing candidate must not stop the others
        result.error = Message("train.candidate_failed",
                               {"reason": f"{type(exc).__name__}: {exc}"[:300]})
    return result


def _timings(setup: TrainingSetup, pipeline: Pipeline, train_seconds: float,
             predict_seconds: float | None) -> dict[str, float]:
    """Training time, throughput and single-row latency of the scoring serving would call."""
    timings = {"train_seconds": train_seconds}
    if predict_seconds is None:   # t-SNE: nothing to serve, so nothing to time
        return timings
    X_valid, _ = setup.part("validation")
    timings["rows_per_second"] = len(X_valid) / max(predict_seconds, 1e-9)
    method = unsupervised.scoring_method(setup.task)
    # Only reductions pass method=, so the long-standing predict call stays as it was.
    timings.update(measure_latency(pipeline, X_valid, **({} if method == "predict"
                                                         else {"method": method})))
    return timings


def _display_name(spec: AlgorithmSpec, params: dict[str, Any], key: str | None) -> dict[str, str]:
    """The algorithm's name; a baseline's adds its strategy in plain words."""
    if not spec.is_baseline:
        return dict(spec.names)
    strategy = params.get("strategy")
    hp = next((h for h in spec.hyperparameters if h.name == "strategy" and strategy in h.options),
              None)
    return {lang: f"{name} — {hp.option_label(strategy, lang) if hp else strategy}"
            for lang, name in spec.names.items()}


def train_candidates(setup: TrainingSetup, algorithm_ids: list[str],
                     params: dict[str, dict[str, Any]] | None = None,
                     include_baselines: bool = True, progress: ProgressCallback | None = None,
                     cancel: threading.Event | None = None,
                     on_result: Callable[[CandidateResult], None] | None = None
                     ) -> list[CandidateResult]:
    """Train the baselines and each candidate in turn; ``cancel`` is checked between them.

    ``on_result`` sees each result as soon as it exists (the experiment store records it
    then, so a crash later in the job cannot lose it).
    """
    plan = plan_candidates(setup, algorithm_ids, params, include_baselines)
    results: list[CandidateResult] = []
    for index, (key, algorithm_id, resolved) in enumerate(plan):
        if cancel is not None and cancel.is_set():
            break
        if progress:
            progress(key, "running", index / len(plan))
        results.append(train_candidate(setup, algorithm_id, resolved, key=key))
        if on_result:
            on_result(results[-1])
        if progress:
            progress(key, "done" if results[-1].ok else "failed", (index + 1) / len(plan))
    return results


def best_candidate(results: list[CandidateResult], task: str,
                   metric: str | None = None) -> CandidateResult | None:
    """The best successful non-baseline candidate by ``metric`` (default: the task's primary,
    then its fallback when no candidate has the primary, e.g. only LDA, LLE or t-SNE)."""
    metrics = [metric] if metric else [PRIMARY_METRIC[task], FALLBACK_METRIC.get(task)]
    for name in filter(None, metrics):
        scored = [r for r in results if r.ok and not r.is_baseline
                  and r.metrics.get("validation", {}).get(name) is not None]
        if scored:
            sign = 1 if higher_is_better(name) else -1
            return max(scored, key=lambda r: sign * r.metrics["validation"][name])
    return None


def baseline_of(results: list[CandidateResult]) -> CandidateResult | None:
    """The primary baseline (most frequent class, or the mean)."""
    return next((r for r in results if r.key == "baseline" and r.ok), None)


def slow_choice_warnings(setup: TrainingSetup, algorithm_ids: list[str]) -> list[Message]:
    """Warnings for choices estimated to be slow on this data, shown before training."""
    from core.costs import slow_choice_warnings as estimate
    return estimate(algorithm_ids, len(setup.split.train), len(setup.features))
