"""The advisor: each rule, the documented examples, the JSON contract and the command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import advisor, catalog, cost_model
from core.advisor import (Recommendation, advise, advise_command, algorithm_facts,
                          data_facts, format_table, to_json, to_records, top_picks)
from core.profiling import profile_frame
from core.requirements import (Accuracy, DataSize, Environment, RequirementsCard, Speed,
                               save_card)
from tests.core.conftest import make_classification_frame

RULES_LEVEL = {a for a, spec in catalog.ALGORITHMS.items()
               if spec.traits.explainability == "rules" and not spec.is_baseline}


def ranked(card: RequirementsCard, profile=None) -> list[str]:
    return [rec.id for rec in advise(card, profile)]


def by_id(recs: list[Recommendation], algorithm_id: str) -> Recommendation:
    return next(rec for rec in recs if rec.id == algorithm_id)


def reasons_of(card: RequirementsCard, algorithm_id: str, requirement: str, profile=None) -> list:
    rec = by_id(advise(card, profile), algorithm_id)
    return [r for r in rec.reasons if r.requirement == requirement]


def verdicts(card: RequirementsCard, algorithm_id: str, requirement: str, profile=None) -> list:
    return [r.verdict for r in reasons_of(card, algorithm_id, requirement, profile)]


def shape_verdicts(card: RequirementsCard, algorithm_id: str, profile) -> dict[str, str]:
    """{rule message key: verdict} of the data rules that read the profile's shape."""
    return {r.messages[0].key.split(".", 2)[-1]: r.verdict
            for r in reasons_of(card, algorithm_id, "data", profile)
            if r.messages[0].key.split(".")[-1] not in SIZE_RULES}


SIZE_RULES = {"train_meets", "train_risky", "train_fails", "large", "small"}


# --- the documented examples ---------------------------------------------------------------------

@pytest.mark.parametrize("task", ["classification", "regression"])
def test_owing_readable_rules_ranks_the_tree_and_linear_models_first(task: str) -> None:
    order = ranked(RequirementsCard(task, explanation="rules"))
    expected = {a for a in RULES_LEVEL if task in catalog.get(a).tasks}
    assert "decision_tree" in expected and len(expected) >= 2
    assert set(order[:len(expected)]) == expected


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_edge_device_with_1_ms_keeps_knn_and_kernel_svm_out_of_the_top_three(task: str) -> None:
    card = RequirementsCard(task, speed=Speed(latency_ms=1), environment=Environment(
        location="edge"))
    top = ranked(card)[:3]
    assert "knn" not in top and "svm" not in top


def test_one_million_rows_keeps_kernel_svm_out_of_the_top_three() -> None:
    for task in ("classification", "regression"):
        card = RequirementsCard(task, data=DataSize(rows=1_000_000, features=30))
        assert "svm" not in ranked(card)[:3]
        assert verdicts(card, "svm", "data")[0] == "fails"


def test_clustering_proposes_kmeans_and_gaussian_mixture() -> None:
    recs = advise(RequirementsCard("clustering"))
    assert {rec.id for rec in recs} == {"kmeans", "gaussian_mixture"}
    from core.catalog import ALGORITHMS
    # Advice-only until the catalog holds the algorithm, trainable from then on.
    assert all(rec.trainable == (rec.id in ALGORITHMS) for rec in recs)


def test_dimensionality_reduction_covers_the_chapter_methods() -> None:
    ids = ranked(RequirementsCard("dimensionality_reduction"))
    assert set(ids) == {"pca", "truncated_svd", "nmf", "lda", "lle", "tsne"}
    assert ids[-1] == "tsne"     # cannot place new rows


# --- catalog first -------------------------------------------------------------------------------

def test_every_unsupervised_algorithm_of_the_chapter_is_advised() -> None:
    ids = {f.id for task in ("clustering", "dimensionality_reduction")
           for f in algorithm_facts(task)}
    assert ids == {"kmeans", "gaussian_mixture", "pca", "truncated_svd", "nmf", "lda", "lle",
                   "tsne"}
    for task in ("clustering", "dimensionality_reduction"):
        for facts in algorithm_facts(task):
            assert facts.names["en"] and facts.names["ja"] and cost_model.known(facts.id)
    assert not next(f for f in algorithm_facts("dimensionality_reduction")
                    if f.id == "tsne").serves_new_data


# --- rule: explanation ---------------------------------------------------------------------------

@pytest.mark.parametrize("owed, algorithm_id, expected", [
    ("rules", "decision_tree", "meets"),
    ("rules", "lightgbm", "fails"),          # short of readable rules always fails
    ("per_prediction", "lightgbm", "meets"),
    ("per_prediction", "random_forest", "risky"),   # one level short: SHAP on top
    ("per_prediction", "svm", "fails"),      # two levels short
    ("global", "mlp", "risky"),
    ("none", "mlp", "meets"),
])
def test_explanation_rule(owed: str, algorithm_id: str, expected: str) -> None:
    card = RequirementsCard("classification", explanation=owed)
    assert verdicts(card, algorithm_id, "explanation") == [expected]


def test_no_explanation_reason_when_none_is_stated() -> None:
    assert verdicts(RequirementsCard("classification"), "mlp", "explanation") == []


# --- rule: speed ---------------------------------------------------------------------------------

def test_knn_latency_reason_has_the_numbers() -> None:
    card = RequirementsCard("classification", speed=Speed(latency_ms=5),
                            data=DataSize(rows=200_000, features=20))
    [reason] = reasons_of(card, "knn", "speed")
    text = reason.text("en")
    expected_ms = cost_model.latency_ms("knn", 200_000, 20)
    assert reason.verdict == ("fails" if expected_ms > 7.5 else reason.verdict)
    assert text.startswith("k-nearest neighbours scans the training set")
    assert "support vectors" in reasons_of(card, "svm", "speed")[0].text("en")
    assert "200,000 rows" in text and "your 5 ms budget" in text
    assert "学習データを走査" in reason.text("ja")


def test_online_latency_thresholds() -> None:
    estimate = cost_model.latency_ms("logistic_regression", 10_000, 20)
    for budget, expected in ((estimate * 2, "meets"), (estimate, "risky"),
                             (estimate / 3, "fails")):
        card = RequirementsCard("classification", speed=Speed(latency_ms=budget))
        assert verdicts(card, "logistic_regression", "speed") == [expected]


def test_failing_further_scores_lower() -> None:
    near = advise(RequirementsCard("classification", speed=Speed(latency_ms=0.5)))
    far = advise(RequirementsCard("classification", speed=Speed(latency_ms=0.05)))
    assert by_id(far, "lightgbm").score < by_id(near, "lightgbm").score


def test_arrival_rate_and_deadline_set_the_budget() -> None:
    card = RequirementsCard("classification", speed=Speed(latency_ms=10_000,
                                                          items_per_minute=600_000))
    [reason] = reasons_of(card, "lightgbm", "speed")
    assert "between arrivals" in reason.text("en") and reason.verdict == "fails"
    card = RequirementsCard("classification", speed=Speed(deadline_minutes=5))
    assert "5-minute deadline" in reasons_of(card, "lightgbm", "speed")[0].text("en")


def test_batch_rule_compares_the_batch_time_with_the_window() -> None:
    fits = RequirementsCard("regression", speed=Speed(mode="batch", items=10_000,
                                                      window_minutes=360))
    assert verdicts(fits, "ridge", "speed") == ["meets"]
    [reason] = reasons_of(fits, "ridge", "speed")
    assert "10,000 items" in reason.text("en") and "6 h" in reason.text("en")
    too_many = RequirementsCard("regression", speed=Speed(mode="batch", items=10**11,
                                                          window_minutes=1))
    assert verdicts(too_many, "ridge", "speed") == ["fails"]


def test_tsne_cannot_serve_new_items() -> None:
    card = RequirementsCard("dimensionality_reduction", speed=Speed(latency_ms=1000))
    assert verdicts(card, "tsne", "speed") == ["fails"]
    assert verdicts(card, "tsne", "problem_type") == ["risky"]
    assert verdicts(card, "pca", "speed") == ["meets"]


def test_assumed_data_size_is_said() -> None:
    card = RequirementsCard("classification", speed=Speed(latency_ms=5))
    [reason] = reasons_of(card, "knn", "speed")
    assert "Assumes 10,000 rows" in reason.text("en")
    [reason] = reasons_of(card, "lightgbm", "speed")
    assert "Assumes" not in reason.text("en")   # its latency does not depend on the rows


# --- rule: environment ---------------------------------------------------------------------------

def test_edge_friendliness_comes_from_the_catalog() -> None:
    card = RequirementsCard("classification", environment=Environment(location="edge"))
    assert verdicts(card, "knn", "environment") == ["risky"]
    assert verdicts(card, "random_forest", "environment") == ["risky"]
    assert verdicts(card, "logistic_regression", "environment") == ["meets"]
    cloud = RequirementsCard("classification", environment=Environment(location="cloud"))
    assert verdicts(cloud, "knn", "environment") == []


def test_model_size_and_memory_budgets() -> None:
    card = RequirementsCard("classification", environment=Environment(
        location="cloud", max_model_mb=1, max_memory_mb=2),
        data=DataSize(rows=1_000_000, features=20))
    assert verdicts(card, "knn", "environment") == ["fails", "fails"]   # stores the rows
    assert verdicts(card, "logistic_regression", "environment") == ["meets", "meets"]
    [size, _] = reasons_of(card, "knn", "environment")
    assert "over your 1 MB" in size.text("en")


def test_gpu_note_for_libraries_with_a_gpu_build() -> None:
    card = RequirementsCard("classification", environment=Environment(gpu=True))
    assert verdicts(card, "xgboost", "environment") == ["meets"]
    assert verdicts(card, "ridge" if False else "logistic_regression", "environment") == []


# --- rule: data ----------------------------------------------------------------------------------

def test_training_time_thresholds() -> None:
    small = RequirementsCard("classification", data=DataSize(rows=5_000, features=20))
    assert verdicts(small, "svm", "data") == ["meets"]
    huge = RequirementsCard("classification", data=DataSize(rows=1_000_000, features=20))
    [train, large] = reasons_of(huge, "svm", "data")
    assert train.verdict == "fails" and "1,000,000 rows" in train.text("en")
    assert large.verdict == "risky"
    assert verdicts(huge, "lightgbm", "data") == ["meets"]


def test_large_data_is_risky_for_knn_and_small_data_for_flexible_models() -> None:
    card = RequirementsCard("classification", data=DataSize(rows=200_000, features=10))
    assert "risky" in verdicts(card, "knn", "data")
    tiny = RequirementsCard("classification", data=DataSize(rows=200, features=10))
    assert "risky" in verdicts(tiny, "mlp", "data")
    assert "risky" not in verdicts(tiny, "logistic_regression", "data")


def test_no_size_reasons_without_a_stated_size() -> None:
    assert verdicts(RequirementsCard("classification"), "svm", "data") == []


def _frame_with(rows: int = 200, missing: float = 0.0, categorical: int = 0,
                minority: float = 0.5) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x1": rng.normal(size=rows), "x2": rng.normal(size=rows)})
    for j in range(categorical):
        frame[f"c{j}"] = pd.array(rng.choice(list("abc"), size=rows), dtype="str")
    if missing:
        frame.loc[rng.choice(rows, int(rows * missing * 2), replace=False), "x1"] = np.nan
    frame["label"] = np.where(np.arange(rows) < rows * minority, "rare", "common")
    return frame


def test_missing_values_rule_uses_the_profile() -> None:
    profile = profile_frame(_frame_with(missing=0.3), "label")
    card = RequirementsCard("classification")
    assert shape_verdicts(card, "lightgbm", profile) == {"missing_native": "meets"}
    assert shape_verdicts(card, "logistic_regression", profile) == {"missing_heavy": "risky"}
    reason = reasons_of(card, "logistic_regression", "data", profile)[-1]
    assert "30%" in reason.text("en")


def test_categorical_rule_uses_the_profile() -> None:
    profile = profile_frame(_frame_with(categorical=3), "label")
    card = RequirementsCard("classification")
    assert shape_verdicts(card, "knn", profile) == {"categorical_distance": "risky"}
    assert shape_verdicts(card, "lightgbm", profile) == {"categorical_native": "meets"}


def test_rare_class_rule_reads_class_weights_from_the_catalog() -> None:
    profile = profile_frame(_frame_with(minority=0.05), "label")
    card = RequirementsCard("classification")
    assert shape_verdicts(card, "logistic_regression", profile) == {"rare_class_meets": "meets"}
    assert shape_verdicts(card, "knn", profile) == {"rare_class_risky": "risky"}
    assert "5%" in reasons_of(card, "knn", "data", profile)[-1].text("en")


def test_card_size_wins_over_the_profile() -> None:
    profile = profile_frame(make_classification_frame(300), "label")
    facts = data_facts(RequirementsCard("classification"), profile)
    assert (facts.rows, facts.features, facts.assumed) == (300, 3, False)
    card = RequirementsCard("classification", data=DataSize(rows=1_000_000))
    facts = data_facts(card, profile)
    assert (facts.rows, facts.features) == (1_000_000, 3)
    assert data_facts(RequirementsCard("regression")).assumed


# --- rule: accuracy ------------------------------------------------------------------------------

def test_accuracy_rule() -> None:
    card = RequirementsCard("classification", accuracy=Accuracy("f1", 0.8))
    assert verdicts(card, "lightgbm", "accuracy") == ["meets"]
    assert verdicts(card, "naive_bayes", "accuracy") == ["risky"]
    log_loss = RequirementsCard("classification", accuracy=Accuracy("log_loss", 0.3))
    assert verdicts(log_loss, "svm", "accuracy") == ["fails"]
    assert verdicts(RequirementsCard("classification", accuracy=Accuracy("f1")),
                    "lightgbm", "accuracy") == []


# --- output contract -----------------------------------------------------------------------------

def test_json_matches_the_design_contract() -> None:
    card = RequirementsCard("classification", speed=Speed(latency_ms=5), explanation="rules",
                            environment=Environment(location="edge", max_model_mb=10),
                            accuracy=Accuracy("f1", 0.8), data=DataSize(rows=50_000, features=12))
    records = json.loads(to_json(advise(card)))
    assert [r["id"] for r in records] == [a for a in ranked(card)]
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    for record in records:
        assert set(record) == {"id", "score", "reasons"}
        for reason in record["reasons"]:
            assert set(reason) == {"requirement", "verdict", "text"}
            assert reason["verdict"] in ("meets", "risky", "fails")
            assert reason["requirement"] in ("problem_type", "speed", "environment",
                                             "explanation", "accuracy", "data")
            assert reason["text"] and "{" not in reason["text"]


def test_reasons_render_in_japanese() -> None:
    card = RequirementsCard("classification", speed=Speed(latency_ms=5), explanation="rules")
    records = to_records(advise(card, lang="ja"))
    assert "決定木" in json.dumps(records, ensure_ascii=False)


def test_format_table_lists_every_algorithm_with_marks() -> None:
    recs = advise(RequirementsCard("clustering", explanation="global"))
    table = format_table(recs, "en")
    assert "k-means" in table and "✓" in table
    assert "estimates" in table
    assert "アルゴリズム" in format_table(recs, "ja")


def test_top_picks_are_trainable_and_fail_nothing() -> None:
    recs = advise(RequirementsCard("classification", explanation="rules"))
    assert set(top_picks(recs)) <= RULES_LEVEL
    assert set(top_picks(advise(RequirementsCard("clustering")))) <= {"kmeans", "gaussian_mixture"}


# --- the command ---------------------------------------------------------------------------------

def test_advise_command_with_a_card(tmp_path: Path) -> None:
    path = save_card(RequirementsCard("classification", explanation="rules"), tmp_path / "r.json")
    code, text = advise_command(str(path), None, None, as_json=True)
    assert code == 0 and json.loads(text)[0]["id"] in RULES_LEVEL
    code, text = advise_command(str(path), None, None, as_json=False, lang="ja")
    assert code == 0 and "決定木" in text


def test_advise_command_with_data(tmp_path: Path) -> None:
    data = tmp_path / "table.csv"
    make_classification_frame(200).to_csv(data, index=False)
    code, text = advise_command(None, str(data), "label", as_json=True)
    ids = [record["id"] for record in json.loads(text)]
    assert code == 0 and "logistic_regression" in ids and "ridge" not in ids
    code, text = advise_command(None, str(data), None, as_json=True)
    assert code == 2 and "--target" in text


def test_advise_command_bad_input_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{oops", encoding="utf-8")
    assert advise_command(str(broken), None, None, True)[0] == 2
    assert advise_command(None, None, None, True) == (
        2, advisor.t("advisor.nothing_to_advise", "en"))
    impossible = save_card(RequirementsCard("classification", speed=Speed(latency_ms=0)),
                           tmp_path / "zero.json")
    code, text = advise_command(str(impossible), None, None, True)
    assert code == 2 and "0 ms" in text and "\n" not in text
