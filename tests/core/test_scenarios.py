"""The built-in workshop scenarios in core.scenarios: deterministic, shaped as declared,
cards that validate, and each one trainable end to end."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from core import evaluation, scenarios, training
from core.errors import DojoError
from core.i18n import LANGUAGES, catalog, placeholders
from core.profiling import profile_frame
from core.requirements import BUSINESS_QUESTIONS, conflicts, parse_card_dict
from core.scorecard import score_candidate
from core.threshold import MistakeCosts

IDS = ["demand_forecast", "remaining_life", "loan_approval", "defective_products",
       "customer_churn"]


def test_list_scenarios_in_display_order() -> None:
    assert scenarios.list_scenarios() == IDS
    assert all(scenarios.SCENARIOS[i].id == i for i in IDS)


# --- generation -----------------------------------------------------------------------------

@pytest.mark.parametrize("scenario_id", IDS)
def test_same_seed_gives_the_same_frame(scenario_id: str) -> None:
    first = scenarios.generate(scenario_id, rows=400, seed=3)
    pd.testing.assert_frame_equal(first, scenarios.generate(scenario_id, rows=400, seed=3))
    other = scenarios.generate(scenario_id, rows=400, seed=4)
    assert not first.equals(other)
    assert len(first) == 400 and list(first.columns) == list(other.columns)


@pytest.mark.parametrize("scenario_id", IDS)
def test_frame_looks_like_real_data(scenario_id: str) -> None:
    scenario = scenarios.SCENARIOS[scenario_id]
    frame = scenarios.generate(scenario_id)
    assert len(frame) == scenario.rows and 2000 <= scenario.rows <= 5000
    assert scenario.target in frame.columns and frame[scenario.target].notna().all()
    assert frame.isna().any().sum() >= 2, "some columns should have gaps"
    assert frame.isna().mean().max() < 0.15
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
    assert all(frame[c].dtype == "str" for c in text)
    profile = profile_frame(frame, scenario.target)
    assert profile.task.task == scenario.task, "auto-detection agrees with the scenario"
    roles = profile.feature_roles
    assert list(roles.values()).count("categorical") >= 2
    assert list(roles.values()).count("numeric") >= 4
    assert not profile.leakage and not profile.warnings


@pytest.mark.parametrize("scenario_id", IDS)
def test_messages_exist_in_both_languages(scenario_id: str) -> None:
    scenario = scenarios.SCENARIOS[scenario_id]
    for message in (scenario.title, scenario.description, scenario.story):
        assert message.key in catalog()
        texts = [message.text(lang) for lang in LANGUAGES]
        assert len(set(texts)) == len(LANGUAGES) and all(texts)
    assert scenario.target in scenario.description.text("en")


@pytest.mark.parametrize("scenario_id", IDS)
def test_card_validates_and_matches_the_data(scenario_id: str) -> None:
    scenario = scenarios.SCENARIOS[scenario_id]
    card = parse_card_dict(scenario.card_dict())
    assert card.problem_type == scenario.task
    assert card.to_dict() == scenario.card, "the card is DESIGN.md's JSON, nothing more"
    assert conflicts(card) == []
    frame = scenarios.generate(scenario_id)
    assert card.data.rows == scenario.rows
    assert card.data.features == len(profile_frame(frame, scenario.target).features)
    assert scenario.requirements() == card and scenario.requirements() is not card
    if scenario.business_question is not None:
        assert BUSINESS_QUESTIONS[scenario.business_question] == scenario.task


def test_card_dict_is_a_copy() -> None:
    scenario = scenarios.SCENARIOS["customer_churn"]
    scenario.card_dict()["speed"]["items"] = 1
    assert scenario.card["speed"]["items"] == 20000


def test_demand_rows_are_dated_and_split_by_time() -> None:
    scenario = scenarios.SCENARIOS["demand_forecast"]
    frame = scenarios.generate("demand_forecast")
    assert scenario.time_column == "date"
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    assert dates.is_monotonic_increasing and dates.dt.year.nunique() == 2
    assert {"store", "item_category", "price", "promotion", "weekday",
            "temperature_c"} <= set(frame.columns)
    assert (frame["units_sold"] >= 0).all() and (frame["price"] > 0).all()
    assert scenario.card["speed"] == {"mode": "batch", "items": 10000, "window_minutes": 360}


def test_remaining_life_shrinks_as_parts_wear() -> None:
    frame = scenarios.generate("remaining_life")
    assert (frame["remaining_life_hours"] > 0).all()
    worn = frame["vibration_mm_s"] > frame["vibration_mm_s"].quantile(0.9)
    fresh = frame["vibration_mm_s"] < frame["vibration_mm_s"].quantile(0.1)
    assert (frame.loc[worn, "remaining_life_hours"].median()
            < frame.loc[fresh, "remaining_life_hours"].median() / 2)


def test_loan_approval_owes_explanations() -> None:
    scenario = scenarios.SCENARIOS["loan_approval"]
    frame = scenarios.generate("loan_approval")
    assert scenario.card["explanation"] in ("per_prediction", "rules")
    assert set(frame["approved"]) == {"no", "yes"}
    assert 0.35 < (frame["approved"] == "yes").mean() < 0.7
    assert {"annual_income", "debt_to_income", "employment_years", "loan_amount",
            "purpose"} <= set(frame.columns)


def test_defects_are_rare_and_checked_at_the_edge() -> None:
    scenario = scenarios.SCENARIOS["defective_products"]
    share = (scenarios.generate("defective_products")["defective"] == "yes").mean()
    assert 0.03 <= share <= 0.05
    speed, env = scenario.card["speed"], scenario.card["environment"]
    assert speed["mode"] == "online" and speed["items_per_minute"] == 5
    assert speed["deadline_minutes"] == 5 and speed["latency_ms"] > 0
    assert env["location"] == "edge" and 1 <= env["cpu_cores"] <= 2
    assert env["max_model_mb"] > 0 and env["max_memory_mb"] > 0


def test_churn_prices_each_kind_of_mistake() -> None:
    scenario = scenarios.SCENARIOS["customer_churn"]
    assert scenario.costs == MistakeCosts(false_positive=50, false_negative=500,
                                          currency="USD")
    assert scenario.costs.false_negative > 5 * scenario.costs.false_positive
    assert "500" in scenario.story.text("en") and "500" in scenario.story.text("ja")
    share = (scenarios.generate("customer_churn")["churned"] == "yes").mean()
    assert 0.15 < share < 0.35


def test_costs_only_on_binary_classification() -> None:
    for scenario in scenarios.SCENARIOS.values():
        if scenario.costs is not None:
            assert scenario.task == "classification"


# --- loading --------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario_id", IDS)
def test_load_scenario_mirrors_load_sample(scenario_id: str) -> None:
    loaded = scenarios.load_scenario(scenario_id, seed=5)
    assert loaded.name == scenario_id and loaded.file_format == "scenario"
    digest = hashlib.sha256(loaded.frame.to_csv(index=False).encode("utf-8")).hexdigest()
    assert loaded.sha256 == digest == scenarios.load_scenario(scenario_id, seed=5).sha256
    assert loaded.sha256 != scenarios.load_scenario(scenario_id, seed=6).sha256
    assert loaded.size_bytes > 0
    assert [note.key for note in loaded.notes] == ["scenarios.generated_note"]
    assert "5" in loaded.notes[0].text("ja")


def test_unknown_scenario_and_bad_sizes_are_clear_messages() -> None:
    with pytest.raises(DojoError) as caught:
        scenarios.load_scenario("titanic")
    assert caught.value.key == "scenarios.unknown" and "customer_churn" in str(caught.value)
    for rows in (10, 10**9, 2.5, True):
        with pytest.raises(DojoError) as caught:
            scenarios.generate("customer_churn", rows=rows)
        assert caught.value.key == "scenarios.bad_rows"
    with pytest.raises(DojoError) as caught:
        scenarios.generate("customer_churn", seed=-1)
    assert caught.value.key == "scenarios.bad_seed"


def test_message_placeholders_are_filled() -> None:
    for key, texts in catalog().items():
        if key.startswith(("scenarios.", "threshold.")):
            assert placeholders(texts["en"]) == placeholders(texts["ja"]), key


# --- end to end -----------------------------------------------------------------------------

def _quick_latency(pipeline: Any, X: pd.DataFrame, max_rows: int = 200,
                   budget_seconds: float = 1.5) -> dict[str, float]:
    # The scenarios are not about latency: a few rows keep five trainings within seconds.
    return evaluation.measure_latency(pipeline, X, max_rows=20, budget_seconds=0.1)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple]]:
    """Each scenario trained once: (setup, lightgbm result, primary baseline)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOJO_HOME", str(tmp_path_factory.mktemp("scenario_home")))
        patch.setenv("DOJO_THREADS", "1")
        patch.setattr(training, "measure_latency", _quick_latency)
        out = {}
        for scenario_id in IDS:
            out[scenario_id] = _train(scenario_id)
        yield out


def _train(scenario_id: str) -> tuple[Any, Any, Any]:
    scenario = scenarios.SCENARIOS[scenario_id]
    setup = training.prepare_setup(scenarios.load_scenario(scenario_id), scenario.target,
                                   task=scenario.task, time_column=scenario.time_column,
                                   seed=42, n_jobs=1)
    strategy = "most_frequent" if scenario.task == "classification" else "mean"
    baseline = training.train_candidate(setup, "baseline", {"strategy": strategy},
                                        key="baseline")
    model = training.train_candidate(setup, "lightgbm", {"n_estimators": 30})
    return setup, model, baseline


@pytest.mark.parametrize("scenario_id", IDS)
def test_each_scenario_trains_and_beats_the_baseline(trained: dict, scenario_id: str) -> None:
    setup, model, baseline = trained[scenario_id]
    assert model.ok and baseline.ok, (model.error, baseline.error)
    assert setup.task == scenarios.SCENARIOS[scenario_id].task
    ours, base = model.metrics["validation"], baseline.metrics["validation"]
    if setup.task == "regression":
        assert ours["rmse"] < 0.8 * base["rmse"] and ours["r2"] > 0.5
    else:
        assert ours["f1_macro"] > base["f1_macro"] + 0.1 and ours["roc_auc"] > 0.75
    if scenario_id == "demand_forecast":
        assert setup.split.info.method == "time"


@pytest.mark.parametrize("scenario_id", IDS)
def test_each_card_is_checked_by_the_scorecard(trained: dict, scenario_id: str) -> None:
    setup, model, _ = trained[scenario_id]
    card = scenarios.SCENARIOS[scenario_id].requirements()
    # Claim the card's core count was used in training: re-timing under another thread
    # limit is the scorecard's own test, and on a busy 2-core runner it takes seconds.
    same_threads = dataclasses.replace(setup, n_jobs=card.environment.cpu_cores)
    scorecard = score_candidate(model, card, same_threads)
    lines = {line.requirement: line for line in scorecard.lines}
    assert {"explanation", "accuracy"} <= set(lines)
    assert ("latency" in lines) == (card.speed.mode == "online")
    assert ("batch" in lines) == (card.speed.mode == "batch")
    assert all(line.passed is not None for line in lines.values())
    if card.is_edge:
        assert lines["model_size"].passed and lines["memory"].passed
