"""The catalog: every entry is complete, buildable, and validates its hyperparameters."""

from __future__ import annotations

import pytest
from sklearn.base import is_classifier, is_regressor

from core import catalog
from core.catalog import ALGORITHMS, EXPLANATION_LEVELS, LEVELS
from core.errors import DojoError

DESIGN_IDS = {"linear_regression", "ridge", "lasso", "elastic_net", "logistic_regression",
              "naive_bayes", "decision_tree", "random_forest", "knn", "svm", "mlp", "xgboost",
              "lightgbm", "hist_gradient_boosting", "baseline"}


def test_supervised_ids_of_the_design_are_all_there() -> None:
    assert DESIGN_IDS <= set(ALGORITHMS)


@pytest.mark.parametrize("spec", ALGORITHMS.values(), ids=list(ALGORITHMS))
def test_entry_is_complete_in_both_languages(spec: catalog.AlgorithmSpec) -> None:
    for text in (spec.names, spec.summary):
        assert text["en"].strip() and text["ja"].strip()
    assert spec.traits.explainability in EXPLANATION_LEVELS
    assert spec.traits.training_cost in LEVELS and spec.traits.inference_cost in LEVELS
    assert spec.library in ("scikit-learn", "xgboost", "lightgbm")
    for task in spec.tasks:
        for hp in spec.hyperparameters_for(task):
            assert hp.label["en"] and hp.label["ja"] and hp.help["en"] and hp.help["ja"]
            assert hp.coerce(hp.default_for(task)) == hp.default_for(task)
            if hp.kind in ("int", "float"):
                assert hp.low <= hp.default_for(task) <= hp.high
            # Plain words for options come in both languages and name real options.
            assert set(hp.option_labels) <= set(hp.options)
            for labels in hp.option_labels.values():
                assert labels["en"].strip() and labels["ja"].strip()


@pytest.mark.parametrize("spec", ALGORITHMS.values(), ids=list(ALGORITHMS))
def test_factory_builds_the_right_kind_of_estimator(spec: catalog.AlgorithmSpec) -> None:
    for task in spec.tasks:
        estimator = spec.build(task, seed=3, n_jobs=1)
        if task == "clustering":
            assert hasattr(estimator, "fit") and hasattr(estimator, "predict")
        elif task == "dimensionality_reduction":
            assert hasattr(estimator, "fit_transform")
        else:
            assert is_classifier(estimator) if task == "classification" else is_regressor(estimator)


def test_params_are_validated() -> None:
    spec = catalog.get("lightgbm")
    assert spec.resolve_params("regression", {"n_estimators": "300"})["n_estimators"] == 300
    with pytest.raises(DojoError) as unknown:
        spec.resolve_params("regression", {"n_trees": 3})
    assert unknown.value.key == "catalog.unknown_param"
    with pytest.raises(DojoError) as out_of_range:
        spec.resolve_params("regression", {"learning_rate": 5})
    assert out_of_range.value.key == "catalog.bad_value"
    with pytest.raises(DojoError):
        catalog.get("ridge").resolve_params("regression", {"alpha": "lots"})
    with pytest.raises(DojoError) as select:
        catalog.get("svm").resolve_params("classification", {"kernel": "sigmoid-ish"})
    assert "rbf" in select.value.message()


def test_task_specific_defaults_and_wrong_task() -> None:
    forest = catalog.get("random_forest")
    assert forest.defaults("classification")["max_features"] == "sqrt"
    assert forest.defaults("regression")["max_features"] == "all"
    assert "class_weight" not in forest.defaults("regression")
    with pytest.raises(DojoError) as wrong:
        catalog.get("logistic_regression").build("regression")
    assert wrong.value.key == "catalog.wrong_task"
    with pytest.raises(DojoError) as unknown:
        catalog.get("deep_magic")
    assert "lightgbm" in unknown.value.message()


def test_ids_for_task_and_defaults_exist() -> None:
    assert "logistic_regression" in catalog.ids_for_task("classification")
    assert "logistic_regression" not in catalog.ids_for_task("regression")
    assert "baseline" not in catalog.ids_for_task("regression")
    for task, ids in catalog.DEFAULT_CANDIDATES.items():
        assert set(ids) <= set(catalog.ids_for_task(task))
