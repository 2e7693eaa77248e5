"""SHAP per raw feature for every explainer path, importance, caching, sampling, failures."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from core import catalog, explain, training
from core.data import LoadedData
from core.explain import (column_map, explain_candidate, model_importance, model_output,
                          permutation_importance_by_feature, reading, strongest_interaction)
from core.explain_plots import (beeswarm_figure, dependence_figure, importance_figure,
                                shap_bar_figure, waterfall_figure)
from core.training import CandidateResult, TrainingSetup, prepare_setup
from tests.core.conftest import make_classification_frame, make_regression_frame

SMALL = {"random_forest": {"n_estimators": 10}, "xgboost": {"n_estimators": 10},
         "lightgbm": {"n_estimators": 10}, "hist_gradient_boosting": {"max_iter": 10}}
FAST_SAMPLED = dict(budget_seconds=3.0, max_rows=8)


def loaded(frame: pd.DataFrame) -> LoadedData:
    return LoadedData(frame=frame, name="table.csv", sha256="0" * 64, file_format="csv")


def train_candidate(setup: TrainingSetup, algorithm_id: str,
                    params: dict | None = None) -> CandidateResult:
    """A candidate fitted exactly as training does, minus the scoring and latency timing
    (up to 1.5 s per model) that train_candidate adds and these tests do not need."""
    spec = catalog.get(algorithm_id)
    resolved = spec.resolve_params(setup.task, params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline, _, _ = training._fit_pipeline(spec, resolved, setup)
    return CandidateResult(key=algorithm_id, algorithm_id=algorithm_id, name=dict(spec.names),
                           library=spec.library, hyperparameters=resolved, pipeline=pipeline)


@pytest.fixture(scope="module")
def binary() -> TrainingSetup:
    return prepare_setup(loaded(make_classification_frame(200)), "label", n_jobs=1)


@pytest.fixture(scope="module")
def multiclass() -> TrainingSetup:
    return prepare_setup(loaded(make_classification_frame(240, (0, 1, 2))), "label", n_jobs=1)


@pytest.fixture(scope="module")
def regression() -> TrainingSetup:
    return prepare_setup(loaded(make_regression_frame(200)), "price", n_jobs=1)


def assert_adds_up(setup: TrainingSetup, pipeline: Any, result: explain.ShapResult) -> None:
    """Per row: SHAP values + expected value == the model output the result names."""
    assert result.ok, result.error
    assert result.features == setup.features and result.values.shape == (
        len(result.rows), len(setup.features))
    expected = model_output(pipeline, result.rows, result.output, result.class_index)
    # XGBoost computes in float32.
    np.testing.assert_allclose(result.predictions, expected, rtol=1e-4, atol=1e-4)


CASES = [  # (setup fixture, algorithm, explainer, output, class label)
    ("binary", "lightgbm", "lightgbm_native", "log_odds", None),
    ("multiclass", "lightgbm", "lightgbm_native", "margin", 2),
    ("regression", "lightgbm", "lightgbm_native", "value", None),
    ("binary", "xgboost", "xgboost_native", "log_odds", None),      # one-vs-rest wrapper
    ("multiclass", "xgboost", "xgboost_native", "margin", 1),
    ("regression", "xgboost", "xgboost_native", "value", None),
    ("binary", "decision_tree", "tree", "probability", None),
    ("multiclass", "random_forest", "tree", "probability", 0),
    ("regression", "random_forest", "tree", "value", None),
    ("binary", "hist_gradient_boosting", "tree", "log_odds", None),
    ("multiclass", "hist_gradient_boosting", "tree", "margin", 2),
    ("binary", "logistic_regression", "linear", "log_odds", None),
    ("multiclass", "logistic_regression", "linear", "margin", 1),
    ("regression", "lasso", "linear", "value", None),
    ("binary", "mlp", "kernel", "probability", None),
    ("multiclass", "knn", "kernel", "probability", 2),
    ("binary", "svm", "kernel", "decision", None),
    ("regression", "knn", "kernel", "value", None),
]


@pytest.mark.parametrize("part,algorithm_id,explainer,output,label", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_shap_plus_expected_value_is_the_model_output(part: str, algorithm_id: str,
                                                      explainer: str, output: str, label: Any,
                                                      request: pytest.FixtureRequest) -> None:
    setup = request.getfixturevalue(part)
    candidate = train_candidate(setup, algorithm_id, SMALL.get(algorithm_id))
    assert candidate.ok, candidate.error
    options = FAST_SAMPLED if explainer == "kernel" else {}
    result = explain_candidate(setup, candidate, class_label=label, **options)
    assert (result.explainer, result.output) == (explainer, output)
    assert label is None or result.class_label == label
    assert_adds_up(setup, candidate.pipeline, result)


def test_xgboost_one_vs_rest_multiclass_explains_each_class(multiclass: TrainingSetup) -> None:
    from xgboost import XGBClassifier
    X, y = multiclass.part("train")
    labelled = y.map({0: "a", 1: "b", 2: "c"})
    booster = train_candidate(multiclass, "xgboost", SMALL["xgboost"]).pipeline
    pipeline = Pipeline([("prep", booster.named_steps["prep"]), ("model", OneVsRestClassifier(
        XGBClassifier(n_estimators=10, max_depth=3)))]).fit(X, labelled)
    Xv, _ = multiclass.part("validation")
    for label in ("a", "c"):
        result = explain.explain(pipeline, Xv, X, class_label=label)
        assert (result.explainer, result.output, result.class_label) == (
            "xgboost_native", "log_odds", label)
        assert_adds_up(multiclass, pipeline, result)


def test_binary_classes_are_mirror_images(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "lightgbm", SMALL["lightgbm"])
    yes = explain_candidate(binary, candidate)
    no = explain_candidate(binary, candidate, class_label="no")
    assert yes.class_label == "yes" and no.class_label == "no"
    np.testing.assert_allclose(no.values, -yes.values)
    assert_adds_up(binary, candidate.pipeline, no)


def test_one_hot_columns_are_summed_back_to_their_feature(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "logistic_regression")
    cmap = column_map(candidate.pipeline, binary.features)
    assert len(cmap.encoded) > len(cmap.features) == 3
    assert {cmap.raw_name(i) for i, name in enumerate(cmap.encoded)
            if name.startswith("colour")} == {"colour"}
    encoded = np.arange(len(cmap.encoded), dtype=float).reshape(1, -1)
    raw = cmap.to_raw(encoded)[0]
    assert raw.sum() == encoded.sum()
    assert raw[binary.features.index("colour")] == sum(
        i for i, name in enumerate(cmap.encoded) if name.startswith("colour"))


def test_ordinal_columns_keep_their_categories(binary: TrainingSetup) -> None:
    cmap = column_map(train_candidate(binary, "lightgbm", SMALL["lightgbm"]).pipeline,
                      binary.features)
    colour = binary.features.index("colour")
    coded = [i for i in cmap.categories if cmap.source[i] == colour]
    assert len(coded) == 1 and {"red", "green", "blue"} <= set(cmap.categories[coded[0]])


def test_explanations_are_cached_by_model_data_and_settings(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "decision_tree")
    first = explain_candidate(binary, candidate)
    assert explain_candidate(binary, candidate) is first
    assert explain_candidate(binary, candidate, class_label="no") is not first
    other = train_candidate(binary, "decision_tree")
    assert explain_candidate(binary, other) is not first


def test_a_huge_validation_set_is_sampled_with_a_note(regression: TrainingSetup) -> None:
    candidate = train_candidate(regression, "lightgbm", SMALL["lightgbm"])
    big = pd.concat([regression.part("validation")[0]] * 40, ignore_index=True)
    result = explain.explain(candidate.pipeline, big, max_rows=300)
    assert len(result.rows) == 300 and result.total_rows == len(big)
    assert any(n.key == "inspect.note.rows_sampled" and n.params["total"] == len(big)
               for n in result.notes)
    assert_adds_up(regression, candidate.pipeline, result)


def test_the_sampled_explainer_keeps_to_its_budget(binary: TrainingSetup) -> None:
    import shap  # noqa: F401  (the one-off import is not part of the budget)
    candidate = train_candidate(binary, "knn")
    X, _ = binary.part("train")
    result = explain.explain(candidate.pipeline, pd.concat([X] * 5, ignore_index=True), X,
                             budget_seconds=1.0)
    assert result.ok and result.seconds < 2.5
    assert 0 < len(result.rows) < result.total_rows
    note = next(n for n in result.notes if n.key == "inspect.note.sampled_explainer")
    assert note.params["rows"] == len(result.rows) and note.params["background"] >= 10
    # A random sample of the rows, handed back in table order and still adding up.
    assert result.rows.index.is_monotonic_increasing
    assert_adds_up(binary, candidate.pipeline, result)


class Broken(ClassifierMixin, BaseEstimator):
    """Trains, but cannot predict: every explainer must fail on it."""

    def fit(self, X: Any, y: Any) -> "Broken":
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        raise RuntimeError("this model cannot predict")


def test_a_failing_explainer_says_why_instead_of_raising(binary: TrainingSetup) -> None:
    X, y = binary.part("train")
    pipeline = Pipeline([("prep", "passthrough"), ("model", Broken())]).fit(X, y)
    result = explain.explain(pipeline, X, **FAST_SAMPLED)
    assert not result.ok and result.error.key == "inspect.error.explainer_failed"
    assert "cannot predict" in result.error.text()


def test_a_failing_fast_explainer_falls_back_to_the_sampled_one(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "naive_bayes")
    X, _ = binary.part("validation")
    result = explain.explain(candidate.pipeline, X, method="tree", **FAST_SAMPLED)
    assert result.explainer == "kernel" and result.notes[0].key == "inspect.note.fell_back"
    assert_adds_up(binary, candidate.pipeline, result)


def test_model_importance_is_per_raw_feature(binary: TrainingSetup) -> None:
    kinds = {"logistic_regression": "coefficients", "random_forest": "impurity",
             "lightgbm": "gain", "xgboost": "gain"}
    for algorithm_id, kind in kinds.items():
        found = model_importance(train_candidate(binary, algorithm_id,
                                                 SMALL.get(algorithm_id)).pipeline,
                                 binary.features)
        assert found.kind == kind and set(found.values.index) == set(binary.features)
        assert found.values.sum() == pytest.approx(1.0) and found.values.index[0] == "x1"
    assert model_importance(train_candidate(binary, "knn").pipeline, binary.features) is None


def test_permutation_importance_is_per_raw_feature(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "logistic_regression")
    X, y = binary.part("validation")
    found = permutation_importance_by_feature(candidate.pipeline, X, y, n_repeats=3)
    assert found.ok and found.kind == "permutation" and found.metric == "accuracy"
    assert list(found.values.index)[0] == "x1" and set(found.values.index) == set(X.columns)
    assert found.repeats == 3 and found.rows == len(X) and found.spread is not None
    assert permutation_importance_by_feature(candidate.pipeline, X, y, n_repeats=3) is found


def test_permutation_plan_shrinks_for_a_slow_model(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "logistic_regression")
    X, y = binary.part("train")
    roomy = explain.plan_permutation(candidate.pipeline, X, y, budget_seconds=60)
    tight = explain.plan_permutation(candidate.pipeline, X, y, budget_seconds=1e-6)
    assert (roomy.rows, roomy.repeats) == (len(X), 5)
    assert tight.repeats == 2 and tight.rows == explain.MIN_PERMUTATION_ROWS < len(X)
    found = permutation_importance_by_feature(candidate.pipeline, X, y, budget_seconds=1e-6)
    assert found.ok and found.rows == tight.rows and found.notes[0].params["total"] == len(X)


def test_interaction_reading_and_charts(binary: TrainingSetup) -> None:
    candidate = train_candidate(binary, "lightgbm", SMALL["lightgbm"])
    result = explain_candidate(binary, candidate)
    assert strongest_interaction(result, "x1") in {"x2", "colour"}
    english, japanese = reading(result, "en"), reading(result, "ja")
    assert len(english) == len(japanese) >= 4 and english != japanese
    assert "x1" in english[2] and "log-odds" in english[0]
    assert len(beeswarm_figure(result).data) == 3
    assert shap_bar_figure(result).data[0].y[-1] == result.mean_abs().index[0]
    assert dependence_figure(result, "colour", "x1").data[0].marker.showscale
    waterfall = waterfall_figure(result, 0).data[0]
    assert waterfall.x[-1] == pytest.approx(result.predictions[0])
    assert waterfall.x[0] == pytest.approx(result.base_value)
    found = model_importance(candidate.pipeline, binary.features)
    assert list(importance_figure(found).data[0].y)[-1] == found.values.index[0]
