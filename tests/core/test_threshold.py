"""Cost-aware decision thresholds (core.threshold): the sweep on hand-made examples,
edge cases, business value against the card, the figure, and the threshold honoured by
a real bundle's predict.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core import bundle, evaluation, scenarios, training
from core.data import LoadedData
from core.errors import DojoError
from core.threshold import (MistakeCosts, apply_threshold, business_value, candidate_thresholds,
                            cost_figure, sweep_candidate, sweep_thresholds)
from tests.core.conftest import make_classification_frame

COSTS = {"false_positive": 50, "false_negative": 500, "currency": "USD"}
# Eight validation rows: the positive at 0.3 is missed at 0.5 and costs 500.
PROBA = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]
LABELS = ["no", "no", "yes", "no", "yes", "yes", "yes", "yes"]


def test_known_best_threshold_on_a_hand_made_example() -> None:
    sweep = sweep_thresholds(LABELS, PROBA, ["no", "yes"], COSTS)
    # Between 0.2 and 0.3 every positive is caught and one negative (0.4) is flagged.
    assert sweep.best_threshold == pytest.approx(0.25)
    assert sweep.best_cost == pytest.approx(50 / 8)
    assert sweep.default_cost == pytest.approx(500 / 8)
    assert sweep.savings_per_item == pytest.approx(450 / 8)
    assert sweep.confusion == {"tp": 5, "fp": 1, "tn": 2, "fn": 0}
    assert sweep.default_confusion == {"tp": 4, "fp": 0, "tn": 3, "fn": 1}
    assert sweep.positive_class == "yes" and sweep.rows == 8


def test_expensive_false_alarms_raise_the_threshold() -> None:
    costs = {"false_positive": 500, "false_negative": 50}
    sweep = sweep_thresholds(LABELS, PROBA, ["no", "yes"], costs)
    assert sweep.best_threshold == pytest.approx(0.5)   # 0.4 < t <= 0.6 ties; 0.5 is kept
    assert sweep.confusion == {"tp": 4, "fp": 0, "tn": 3, "fn": 1}


def test_equal_costs_on_separable_data_keep_the_default() -> None:
    sweep = sweep_thresholds([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], [0, 1],
                             {"false_positive": 1, "false_negative": 1})
    assert sweep.best_threshold == 0.5 and sweep.best_cost == 0.0 == sweep.default_cost


def test_value_of_a_true_positive_counts_as_a_gain() -> None:
    costs = MistakeCosts(false_positive=50, false_negative=0, true_positive_value=200)
    sweep = sweep_thresholds(LABELS, PROBA, ["no", "yes"], costs)
    # Every positive caught (5 gains of 200) for one false alarm (50): between 0.2 and 0.3.
    assert sweep.best_threshold == pytest.approx(0.25)
    assert sweep.best_cost == pytest.approx((50 - 5 * 200) / 8)


def test_sweep_matches_brute_force_with_predict_py_rule() -> None:
    rng = np.random.default_rng(0)
    y = rng.random(300) < 0.3
    proba = np.clip(0.3 * y + rng.random(300) * 0.7, 0, 1).round(2)   # ties on purpose
    labels = np.where(y, "yes", "no")
    sweep = sweep_thresholds(labels, proba, ["no", "yes"], COSTS)
    grid = np.linspace(0, 1, 2001)
    brute = [((apply_threshold(proba, ["no", "yes"], t) == "yes") & ~y).sum() * 50
             + ((apply_threshold(proba, ["no", "yes"], t) == "no") & y).sum() * 500
             for t in grid]
    assert sweep.best_cost == pytest.approx(min(brute) / 300)
    predicted = apply_threshold(proba, ["no", "yes"], sweep.best_threshold)
    assert ((predicted == "yes") & y).sum() == sweep.confusion["tp"]
    assert ((predicted == "yes") & ~y).sum() == sweep.confusion["fp"]


def test_candidates_sit_between_observed_probabilities() -> None:
    proba = np.array([0.2, 0.2, 0.4, 1.0])
    candidates = candidate_thresholds(proba)
    assert candidates.tolist() == pytest.approx([0.0, 0.3, 0.5, 0.7])
    assert not set(candidates) & {0.2, 0.4}
    assert candidate_thresholds(np.array([0.3])).tolist() == pytest.approx([0.0, 0.5, 0.65])


# --- edge cases -----------------------------------------------------------------------------

@pytest.mark.parametrize("labels", [["no"] * 4, ["yes"] * 4])
def test_one_class_in_validation_is_a_clear_message(labels: list[str]) -> None:
    with pytest.raises(DojoError) as caught:
        sweep_thresholds(labels, [0.1, 0.4, 0.6, 0.9], ["no", "yes"], COSTS)
    assert caught.value.key == "threshold.one_class"
    assert labels[0] in caught.value.message("ja")


@pytest.mark.parametrize("args, key", [
    ((["a", "b"], [0.1, 0.9], ["a", "b", "c"]), "threshold.not_binary"),
    ((["no", "yes"], [0.1], ["no", "yes"]), "threshold.length_mismatch"),
    ((["no", "yes"], [0.1, 1.5], ["no", "yes"]), "threshold.bad_probabilities"),
    ((["no", "yes"], [0.1, np.nan], ["no", "yes"]), "threshold.bad_probabilities"),
    ((["no", "maybe"], [0.1, 0.9], ["no", "yes"]), "threshold.unknown_label"),
])
def test_bad_inputs_are_clear_messages(args: tuple, key: str) -> None:
    with pytest.raises(DojoError) as caught:
        sweep_thresholds(*args, COSTS)
    assert caught.value.key == key


@pytest.mark.parametrize("costs, key", [
    ({"false_positive": -1, "false_negative": 5}, "threshold.bad_cost"),
    ({"false_positive": 1, "false_negative": float("inf")}, "threshold.bad_cost"),
    ({"false_positive": "ten", "false_negative": 5}, "threshold.bad_cost"),
    ({"false_positive": 1}, "threshold.bad_costs"),
    ({"false_positive": 1, "false_negative": 5, "fals_negative": 5}, "threshold.bad_costs"),
    ([1, 5], "threshold.bad_costs"),
])
def test_bad_costs_are_clear_messages(costs: Any, key: str) -> None:
    with pytest.raises(DojoError) as caught:
        sweep_thresholds(LABELS, PROBA, ["no", "yes"], costs)
    assert caught.value.key == key


def _setup_from(frame: pd.DataFrame, target: str) -> training.TrainingSetup:
    loaded = LoadedData(frame=frame, name="t", sha256="0" * 64, file_format="csv")
    return training.prepare_setup(loaded, target, seed=0, n_jobs=1)


def test_model_without_probabilities_is_a_clear_message() -> None:
    setup = _setup_from(make_classification_frame(rows=120), "label")
    svm = training.train_candidate(setup, "svm")   # the catalog's SVC has no predict_proba
    assert svm.ok
    with pytest.raises(DojoError) as caught:
        sweep_candidate(setup, svm, COSTS)
    assert caught.value.key == "threshold.no_proba"
    assert svm.name["en"] in caught.value.message("en")


def test_multiclass_and_failed_candidates_are_refused() -> None:
    setup = _setup_from(make_classification_frame(rows=120, labels=("a", "b", "c")), "label")
    model = training.train_candidate(setup, "logistic_regression")
    with pytest.raises(DojoError) as caught:
        sweep_candidate(setup, model, COSTS)
    assert caught.value.key == "threshold.not_binary"
    binary = _setup_from(make_classification_frame(rows=120), "label")
    broken = training.CandidateResult(key="x", algorithm_id="lightgbm", name={"en": "x"},
                                      library="lightgbm", hyperparameters={})
    with pytest.raises(DojoError) as caught:
        sweep_candidate(binary, broken, COSTS)
    assert caught.value.key == "threshold.no_model"


# --- business value and the figure ----------------------------------------------------------

def test_business_value_for_a_batch_card() -> None:
    sweep = sweep_thresholds(LABELS, PROBA, ["no", "yes"], COSTS)
    card = {"problem_type": "classification",
            "speed": {"mode": "batch", "items": 20000, "window_minutes": 120},
            "accuracy": {"metric": "recall", "target": 0.9}}
    value = business_value(sweep, card)
    assert value["period"] == "batch" and value["items"] == 20000
    assert value["savings"] == pytest.approx((500 / 8 - 50 / 8) * 20000)
    assert value["cost_default"] == pytest.approx(500 / 8 * 20000)
    assert value["accuracy"] == {"metric": "recall", "target": 0.9, "at_default": 0.8,
                                 "at_best": 1.0, "meets_at_default": False,
                                 "meets_at_best": True}
    assert "1,125,000" in value["text"]["en"] and "1,125,000" in value["text"]["ja"]
    json.dumps(value)


def test_business_value_per_hour_online_and_per_item_without_volume() -> None:
    sweep = sweep_thresholds(LABELS, PROBA, ["no", "yes"], COSTS)
    card = scenarios.SCENARIOS["defective_products"].requirements()
    online = business_value(sweep, card)
    assert online["period"] == "hour" and online["items"] == 300
    assert online["savings"] == pytest.approx(sweep.savings_per_item * 300)
    bare = business_value(sweep, {"problem_type": "classification",
                                  "accuracy": {"metric": "roc_auc", "target": 0.8}})
    assert bare["period"] is None and bare["savings"] is None and bare["accuracy"] is None
    assert bare["savings_per_item"] == pytest.approx(450 / 8)
    assert business_value(sweep)["text"]["en"] == bare["text"]["en"]


def test_cost_figure_marks_the_best_threshold() -> None:
    sweep = sweep_thresholds(LABELS, PROBA, ["no", "yes"], COSTS)
    figures = {lang: cost_figure(sweep, lang) for lang in ("en", "ja")}
    curve, default, best = figures["en"].data
    assert list(curve.x) == sweep.thresholds.tolist()
    assert list(best.x) == [sweep.best_threshold] and list(best.y) == [sweep.best_cost]
    assert list(default.x) == [0.5]
    assert figures["en"].layout.title.text != figures["ja"].layout.title.text
    assert "USD" in figures["en"].layout.yaxis.title.text


def test_to_dict_is_json_and_round_numbers() -> None:
    sweep = sweep_thresholds(np.array(LABELS), np.array(PROBA), np.array(["no", "yes"]), COSTS)
    data = json.loads(json.dumps(sweep.to_dict()))
    assert data["best_threshold"] == 0.25 and data["positive_class"] == "yes"
    assert data["costs"] == {"false_positive": 50.0, "false_negative": 500.0,
                             "true_positive_value": 0.0, "currency": "USD"}
    assert len(data["thresholds"]) == len(data["cost_per_item"])
    assert "0.25" in data["summary"]["en"] and "0.25" in data["summary"]["ja"]


# --- the threshold in a real bundle ---------------------------------------------------------

def _run_predict(zip_path: Path, input_csv: Path, folder: Path) -> pd.DataFrame:
    """The bundle's own predict.py, in a fresh process that cannot import this repository."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "predict.py", str(input_csv), "-o", "out.csv"],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return pd.read_csv(folder / "out.csv", keep_default_na=False)


def test_bundle_predict_py_honours_the_chosen_threshold(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Single-row latency is not under test here; a few rows keep the test quick.
    monkeypatch.setattr(training, "measure_latency", lambda pipeline, X, **_: evaluation
                        .measure_latency(pipeline, X, max_rows=20, budget_seconds=0.1))
    scenario = scenarios.SCENARIOS["customer_churn"]
    setup = training.prepare_setup(scenarios.load_scenario("customer_churn", rows=1200),
                                   scenario.target, task="classification", seed=0, n_jobs=1)
    model = training.train_candidate(setup, "lightgbm", {"n_estimators": 30})
    sweep = sweep_candidate(setup, model, scenario.costs)
    # A missed churner costs ten times an unneeded offer: the cheapest threshold is low.
    assert sweep.best_threshold < 0.3 and sweep.savings_per_item > 0
    tuned = bundle.write_bundle(setup, model, tmp_path / "tuned.zip",
                                decision_threshold=sweep.best_threshold)
    X, _ = setup.part("validation")
    X.to_csv(tmp_path / "rows.csv", index=False)
    after = _run_predict(tuned, tmp_path / "rows.csv", tmp_path / "tuned")
    assert json.loads((tmp_path / "tuned" / "metadata.json").read_text())[
        "decision_threshold"] == sweep.best_threshold
    # The rule predict.py applies is ours: P(classes[1]) >= threshold.
    expected = apply_threshold(after["probability_yes"], setup.classes, sweep.best_threshold)
    assert after["prediction"].tolist() == expected.tolist()
    # Same rows, same probabilities, more churners flagged than the model's own 0.5 rule.
    default = model.pipeline.predict(X)
    np.testing.assert_allclose(after["probability_yes"],
                               model.pipeline.predict_proba(X)[:, 1], rtol=1e-9)
    assert (after["prediction"] == "yes").sum() > (default == "yes").sum()
    assert (after["prediction"] == "yes").sum() == sweep.confusion["tp"] + sweep.confusion["fp"]
    assert (default == "yes").sum() == (sweep.default_confusion["tp"]
                                        + sweep.default_confusion["fp"])
