"""Training every algorithm on small tables, baselines, early stopping, failures, cancel."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from core import catalog
from core.data import LoadedData
from core.errors import DojoError
from core.training import (baseline_of, best_candidate, prepare_setup, score_test,
                           slow_choice_warnings, train_candidate, train_candidates)
from tests.core.conftest import make_classification_frame, make_regression_frame

FAST = {"n_estimators": 30}


def loaded(frame: pd.DataFrame, name: str = "table.csv") -> LoadedData:
    return LoadedData(frame=frame, name=name, sha256="0" * 64, file_format="csv")


def small_params(algorithm_id: str) -> dict:
    spec = catalog.get(algorithm_id)
    names = {hp.name for task in spec.tasks for hp in spec.hyperparameters_for(task)}
    return {k: v for k, v in {**FAST, "max_iter": 30 if algorithm_id == "hist_gradient_boosting" else 200}.items() if k in names
            and not (algorithm_id in ("lasso", "elastic_net", "logistic_regression")
                     and k == "max_iter")}


@pytest.mark.parametrize("algorithm_id", catalog.ids_for_task("classification"))
@pytest.mark.parametrize("labels", [("no", "yes"), (0, 1), ("a", "b", "c")])
def test_every_classifier_trains_and_predicts_raw_labels(algorithm_id: str, labels: tuple) -> None:
    frame = make_classification_frame(240, labels)
    setup = prepare_setup(loaded(frame), "label", n_jobs=1)
    result = train_candidate(setup, algorithm_id, small_params(algorithm_id))
    assert result.ok, result.error
    X, _ = setup.part("validation")
    assert set(result.pipeline.predict(X)) <= set(labels)
    metrics = result.metrics["validation"]
    assert 0 <= metrics["accuracy"] <= 1 and "confusion_matrix" in metrics
    assert result.timings["latency_p95_ms"] >= result.timings["latency_p50_ms"] > 0
    assert result.timings["rows_per_second"] > 0 and result.model_size_bytes > 0


@pytest.mark.parametrize("algorithm_id", catalog.ids_for_task("regression"))
def test_every_regressor_trains(algorithm_id: str) -> None:
    setup = prepare_setup(loaded(make_regression_frame(240)), "price", n_jobs=1)
    result = train_candidate(setup, algorithm_id, small_params(algorithm_id))
    assert result.ok, result.error
    assert result.metrics["validation"]["rmse"] > 0


def test_candidates_beat_the_baselines_and_best_is_picked() -> None:
    setup = prepare_setup(loaded(make_classification_frame(400)), "label", seed=7)
    results = train_candidates(setup, ["logistic_regression", "lightgbm"])
    keys = [r.key for r in results]
    assert keys == ["baseline", "baseline:stratified", "logistic_regression", "lightgbm"]
    # Baselines say how they guess in the user's words, not the library's strategy ids.
    assert results[1].name == {"en": "Baseline (dummy) — random, in training proportions",
                               "ja": "ベースライン(ダミー) — 学習データの割合でランダム"}
    best, base = best_candidate(results, "classification"), baseline_of(results)
    assert not best.is_baseline
    assert best.metrics["validation"]["f1_macro"] > base.metrics["validation"]["f1_macro"] + 0.2
    assert best_candidate(results, "classification", "log_loss") in results


def test_boosting_stops_early_and_keeps_history() -> None:
    setup = prepare_setup(loaded(make_regression_frame(400)), "price")
    for algorithm_id in ("lightgbm", "xgboost"):
        result = train_candidate(setup, algorithm_id, {"n_estimators": 2000,
                                                       "early_stopping_rounds": 10})
        assert result.ok
        curve = next(iter(result.history.values()))
        assert 10 < len(curve) < 2000


def test_test_part_is_scored_only_on_request() -> None:
    setup = prepare_setup(loaded(make_regression_frame()), "price")
    result = train_candidate(setup, "ridge")
    assert "test" not in result.metrics
    score_test(setup, result)
    assert result.metrics["test"]["rmse"] > 0


def test_parts_are_copied_once_and_can_be_forgotten() -> None:
    setup = prepare_setup(loaded(make_regression_frame()), "price")
    X, y = setup.part("train")
    assert setup.part("train")[0] is X           # cached: every candidate reuses one copy
    setup.forget("train")
    again, y_again = setup.part("train")
    assert again is not X and again.equals(X) and y_again.equals(y)


def test_failures_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    setup = prepare_setup(loaded(make_regression_frame()), "price")
    import core.training as training

    def explode(*_args, **_kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(training, "_fit", explode)
    results = train_candidates(setup, ["ridge"], include_baselines=False)
    assert not results[0].ok and "boom" in results[0].error.text("en")
    assert results[0].error.key == "train.candidate_failed"


def test_bad_choices_raise_before_training() -> None:
    setup = prepare_setup(loaded(make_regression_frame()), "price")
    with pytest.raises(DojoError) as wrong_task:
        train_candidates(setup, ["logistic_regression"])
    assert wrong_task.value.key == "catalog.wrong_task"
    with pytest.raises(DojoError):
        train_candidates(setup, ["ridge"], {"ridge": {"alpha": -1}})
    with pytest.raises(DojoError) as unselected:
        train_candidates(setup, ["ridge"], {"lasso": {"alpha": 1}})
    assert unselected.value.key == "train.params_for_unselected"


def test_cancel_stops_between_candidates_and_progress_is_reported() -> None:
    setup = prepare_setup(loaded(make_regression_frame()), "price")
    cancel, seen = threading.Event(), []

    def progress(key: str, stage: str, fraction: float) -> None:
        seen.append((key, stage))
        if key == "baseline:median" and stage == "done":
            cancel.set()

    results = train_candidates(setup, ["ridge", "lasso"], progress=progress, cancel=cancel)
    assert [r.key for r in results] == ["baseline", "baseline:median"]
    assert ("baseline", "running") in seen and ("baseline", "done") in seen


def test_categorical_numbers_keep_their_spelling() -> None:
    frame = make_classification_frame()
    frame["area_code"] = np.where(frame["x1"] > 0, 415, 510)
    setup = prepare_setup(loaded(frame), "label", role_overrides={"area_code": "categorical"})
    assert set(setup.frame["area_code"].dropna()) == {"415", "510"}
    assert train_candidate(setup, "logistic_regression").ok


def test_slow_choices_are_estimated() -> None:
    setup = prepare_setup(loaded(make_regression_frame()), "price")
    assert slow_choice_warnings(setup, ["svm", "knn"]) == []


def test_rows_with_missing_target_are_dropped_with_a_note() -> None:
    frame = make_regression_frame()
    frame.loc[:9, "price"] = np.nan
    setup = prepare_setup(loaded(frame), "price")
    assert len(setup.frame) == len(frame) - 10
    assert any(note.params.get("count") == 10 for note in setup.notes)
