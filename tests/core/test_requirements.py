"""The requirements card: round trip, malformed files, conflicts, business value, questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import DojoError
from core.requirements import (BUSINESS_QUESTIONS, Accuracy, DataSize, Environment,
                               RequirementsCard, Speed, batch_window, card_json, conflicts,
                               cost_value, delivery_value, expert_range, latency_budget,
                               load_card, meets_target, parse_card, problem_type_for,
                               quality_recall_target, quality_value, render, save_card, summary,
                               threads, workers)

DESIGN_EXAMPLE = {
    "problem_type": "classification",
    "speed": {"mode": "online", "latency_ms": 5, "items_per_minute": 5, "deadline_minutes": 5},
    "environment": {"location": "edge", "cpu_cores": 1, "gpu": False, "workers": 1,
                    "max_model_mb": 10, "max_memory_mb": 256},
    "explanation": "rules",
    "accuracy": {"metric": "f1", "target": 0.8, "value_formula": "(120 − 30) × 50,000"},
    "data": {"rows": 1000000, "features": 30},
}


def full_card() -> RequirementsCard:
    return RequirementsCard(
        problem_type="regression",
        speed=Speed(mode="batch", items=10_000, window_minutes=360),
        environment=Environment(location="edge", cpu_cores=2, gpu=True, workers=3,
                                max_model_mb=10.5, max_memory_mb=256),
        explanation="per_prediction",
        accuracy=Accuracy(metric="rmse", target=12.5, value_formula="品質: (120 − 30) × 5",
                          novice=20.0, expert=10.0),
        data=DataSize(rows=200_000, features=30))


# --- round trip -------------------------------------------------------------------------------

def test_design_example_round_trips_to_the_same_json() -> None:
    card = RequirementsCard.from_dict(DESIGN_EXAMPLE)
    assert card.to_dict() == DESIGN_EXAMPLE
    assert card.speed.latency_ms == 5 and card.environment.location == "edge"


def test_card_round_trips_through_a_file(tmp_path: Path) -> None:
    card = full_card()
    path = save_card(card, tmp_path / "req.json")
    assert load_card(path) == card
    assert json.loads(path.read_text(encoding="utf-8")) == card.to_dict()
    assert parse_card(card_json(card).encode("utf-8")) == card


def test_only_the_problem_type_is_required() -> None:
    card = parse_card('{"problem_type": "clustering"}')
    assert card == RequirementsCard("clustering")
    assert card.to_dict() == {"problem_type": "clustering"}
    assert card.owed_explanation == "none" and not card.is_edge


def test_nulls_count_as_not_stated() -> None:
    card = parse_card('{"problem_type": "regression", "speed": null, '
                      '"environment": {"location": "cloud", "cpu_cores": null}}')
    assert card.speed is None and card.environment == Environment(location="cloud")


# --- malformed cards ------------------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("{not json", "requirements.not_json"),
    ("[1, 2]", "requirements.not_object"),
    ("{}", "requirements.missing_problem_type"),
    ('{"problem_type": "ranking"}', "requirements.bad_choice"),
    ('{"problem_type": "regression", "explanation": "some"}', "requirements.bad_choice"),
    ('{"problem_type": "regression", "latency": 5}', "requirements.unknown_keys"),
    ('{"problem_type": "regression", "speed": {"mode": "online", "latency": 5}}',
     "requirements.unknown_keys"),
    ('{"problem_type": "regression", "speed": "fast"}', "requirements.not_object"),
    ('{"problem_type": "regression", "speed": {"mode": "stream"}}', "requirements.bad_choice"),
    ('{"problem_type": "regression", "speed": {"latency_ms": "5"}}', "requirements.bad_number"),
    ('{"problem_type": "regression", "speed": {"latency_ms": true}}',
     "requirements.bad_number"),
    ('{"problem_type": "regression", "speed": {"latency_ms": -1}}',
     "requirements.negative_number"),
    ('{"problem_type": "regression", "speed": {"mode": "batch", "items": 2.5}}',
     "requirements.not_whole"),
    ('{"problem_type": "regression", "environment": {"gpu": "yes"}}', "requirements.bad_flag"),
    ('{"problem_type": "regression", "accuracy": {"target": 3}}', "requirements.missing_metric"),
    ('{"problem_type": "regression", "accuracy": {"metric": ""}}', "requirements.bad_text"),
])
def test_malformed_cards_get_a_clear_message(text: str, key: str) -> None:
    with pytest.raises(DojoError) as caught:
        parse_card(text, "req.json")
    assert caught.value.key == key
    for lang in ("en", "ja"):
        message = caught.value.message(lang)
        assert message != key and "{" not in message


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(DojoError) as caught:
        load_card(tmp_path / "nope.json")
    assert caught.value.key == "requirements.file_not_found"
    bad = tmp_path / "latin.json"
    bad.write_bytes('{"problem_type": "régression"}'.encode("latin-1"))
    with pytest.raises(DojoError) as caught:
        load_card(bad)
    assert caught.value.key == "requirements.not_utf8"


def test_json_error_names_the_line() -> None:
    with pytest.raises(DojoError) as caught:
        parse_card('{\n "problem_type": "regression",\n}', "req.json")
    assert caught.value.params["line"] == 3 and "req.json" in str(caught.value)


# --- conflicts --------------------------------------------------------------------------------

def conflict_keys(card: RequirementsCard) -> list[str]:
    return [c.message.key.rsplit(".", 1)[-1] for c in conflicts(card)]


def test_a_coherent_card_has_no_conflicts() -> None:
    assert conflicts(RequirementsCard.from_dict(DESIGN_EXAMPLE)) == []
    assert conflicts(full_card()) == []


def test_zero_latency_budget_is_named_with_what_to_relax() -> None:
    found = conflicts(RequirementsCard("classification", speed=Speed(latency_ms=0)))
    assert [c.field for c in found] == ["speed.latency_ms"]
    assert "0 ms" in found[0].text("en") and "Relax" in found[0].text("en")
    assert "緩めて" in found[0].text("ja")


def test_zero_deadline_and_impossible_arrival_rate() -> None:
    card = RequirementsCard("classification", speed=Speed(deadline_minutes=0))
    assert conflict_keys(card) == ["zero_deadline"]
    card = RequirementsCard("classification", speed=Speed(latency_ms=50, items_per_minute=1e9))
    assert conflict_keys(card) == ["arrivals_too_fast"]
    assert "Add workers" in conflicts(card)[0].text("en")
    card.environment = Environment(workers=10**9)
    assert conflicts(card) == []


def test_batch_window_shorter_than_the_items_need() -> None:
    card = RequirementsCard("regression",
                            speed=Speed(mode="batch", items=10**12, window_minutes=1))
    [conflict] = conflicts(card)
    assert conflict.field == "speed.window_minutes"
    assert "Widen the window" in conflict.text("en")
    assert conflict_keys(RequirementsCard("regression", speed=Speed(
        mode="batch", items=10, window_minutes=0))) == ["zero_window"]
    assert conflicts(RequirementsCard("regression", speed=Speed(
        mode="batch", items=10_000, window_minutes=360))) == []


def test_edge_budget_smaller_than_any_model() -> None:
    card = RequirementsCard("classification", environment=Environment(
        location="edge", max_model_mb=0.0001, max_memory_mb=0.0001))
    assert conflict_keys(card) == ["max_model_mb_too_small", "max_memory_mb_too_small"]
    assert "at least" in conflicts(card)[0].text("en")


@pytest.mark.parametrize("accuracy, problem_type, expected", [
    (Accuracy("rmse", 3.0), "classification", ["metric_for_task"]),
    (Accuracy("f1", 80), "classification", ["target_out_of_range"]),
    (Accuracy("rmse", -1.0), "regression", ["target_out_of_range"]),
    (Accuracy("f1", 0.8, novice=0.9, expert=0.7), "classification", ["novice_beats_expert"]),
    (Accuracy("f1", 0.95, novice=0.7, expert=0.9), "classification", ["target_beyond_expert"]),
    (Accuracy("rmse", 5.0, novice=20.0, expert=10.0), "regression", ["target_beyond_expert"]),
    (Accuracy("rmse", 12.0, novice=20.0, expert=10.0), "regression", []),
    (Accuracy("r2", -0.5), "regression", []),
])
def test_accuracy_conflicts(accuracy: Accuracy, problem_type: str, expected: list[str]) -> None:
    assert conflict_keys(RequirementsCard(problem_type, accuracy=accuracy)) == expected


def test_percentage_slip_is_suggested_as_a_share() -> None:
    [conflict] = conflicts(RequirementsCard("classification", accuracy=Accuracy("f1", 80)))
    assert "0.8" in conflict.text("en")


def test_explanation_no_algorithm_of_the_type_gives() -> None:
    [conflict] = conflicts(RequirementsCard("clustering", explanation="rules"))
    text = conflict.text("en")
    assert "fully readable rules" in text and "which features matter overall" in text
    assert conflicts(RequirementsCard("classification", explanation="rules")) == []


# --- derived numbers ---------------------------------------------------------------------------

def test_latency_budget_is_the_tightest_online_limit() -> None:
    card = RequirementsCard("classification", speed=Speed(latency_ms=50, items_per_minute=6000),
                            environment=Environment(workers=2))
    budget = latency_budget(card)
    assert budget.source == "arrival" and budget.ms == pytest.approx(20.0)
    card.speed.deadline_minutes = 0.0001     # 6 ms
    assert latency_budget(card).source == "deadline"
    assert latency_budget(RequirementsCard("classification")) is None


def test_workers_threads_and_batch_window() -> None:
    card = full_card()
    assert workers(card) == 3 and threads(card, 8) == 2 and batch_window(card) == (10_000, 360)
    assert workers(RequirementsCard("regression")) == 1
    assert threads(RequirementsCard("regression"), 4) == 4


def test_meets_target_follows_the_metric_direction() -> None:
    assert meets_target("f1", 0.81, 0.8) and not meets_target("f1", 0.79, 0.8)
    assert meets_target("rmse", 9.0, 10.0) and not meets_target("rmse", 11.0, 10.0)


# --- business value ------------------------------------------------------------------------------

def test_quality_cost_and_delivery_formulas() -> None:
    quality = quality_value(claims_before=120, claims_after=30, loss_per_claim=50_000)
    assert quality.value == 4_500_000
    assert "(claims before 120 − claims after 30) × loss per claim 50,000 = 4,500,000" \
        in quality.formula("en")
    assert "4,500,000" in quality.formula("ja")
    assert cost_value(5, 2, hours=160, hourly_wage=2000).value == 960_000
    assert delivery_value(time_before=10, time_after=4).value == 6


def test_value_inputs_must_be_non_negative_numbers() -> None:
    with pytest.raises(DojoError) as caught:
        quality_value(-1, 0, 10)
    assert caught.value.key == "requirements.bad_value_input"
    with pytest.raises(DojoError):
        cost_value(5, 2, "many", 10)  # type: ignore[arg-type]


def test_value_needed_turns_into_a_recall_target() -> None:
    assert quality_recall_target(100, 50_000, 3_000_000) == pytest.approx(0.6)
    with pytest.raises(DojoError) as caught:
        quality_recall_target(100, 50_000, 6_000_000)
    assert caught.value.key == "requirements.value_unreachable"


def test_novice_expert_range() -> None:
    accuracy = expert_range("f1", novice=0.7, expert=0.9, position=0.5)
    assert accuracy.target == pytest.approx(0.8) and accuracy.novice == 0.7
    assert expert_range("rmse", novice=20, expert=10).target == 20
    with pytest.raises(DojoError):
        expert_range("f1", novice=0.9, expert=0.7)
    with pytest.raises(DojoError):
        expert_range("f1", 0.7, 0.9, position=2)


# --- business questions --------------------------------------------------------------------------

@pytest.mark.parametrize("question, expected", [
    ("remaining_life", "regression"), ("demand", "regression"),
    ("loan_approval", "classification"), ("defective", "classification"),
    ("group_customers", "clustering"), ("too_many_columns", "dimensionality_reduction"),
    ("recommend_products", None),
])
def test_business_questions_map_to_problem_types(question: str, expected: str | None) -> None:
    answer = problem_type_for(question)
    assert answer.problem_type == expected
    assert render(answer.reason, "en") != answer.reason.key


def test_recommending_products_is_said_to_be_outside_the_tool() -> None:
    assert "outside this tool" in render(problem_type_for("recommend_products").reason, "en")
    assert "対象外" in render(problem_type_for("recommend_products").reason, "ja")
    assert len(BUSINESS_QUESTIONS) == 7
    with pytest.raises(DojoError):
        problem_type_for("forecast_weather")


def test_summary_shows_the_card_in_one_line() -> None:
    text = summary(RequirementsCard.from_dict(DESIGN_EXAMPLE), "en")
    assert text.startswith("Classification") and "≤ 5 ms" in text
    assert "Edge device (10 MB / 256 MB)" in text and "F1 ≥ 0.8" in text
    assert "1,000,000 rows" in text
    assert "バッチ 10,000 件を 360 分以内" in summary(full_card(), "ja")
