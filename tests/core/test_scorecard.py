"""The scorecard on trained models: each line, threads, JSON, and the price of explainability."""

from __future__ import annotations

import json

import pytest

from core.data import LoadedData
from core.requirements import Accuracy, Environment, RequirementsCard, Speed
from core.scorecard import (Scorecard, build_scorecards, peak_inference_mb, price_of_explainability,
                            score_candidate, scorecard_markdown, scorecard_rows, thread_limit)
from core.training import CandidateResult, prepare_setup, train_candidates
from tests.core.conftest import make_classification_frame, make_regression_frame

FAST = {"lightgbm": {"n_estimators": 30}, "random_forest": {"n_estimators": 10}}


@pytest.fixture(scope="module")
def trained() -> tuple:
    loaded = LoadedData(frame=make_classification_frame(200), name="t.csv", sha256="0" * 64,
                        file_format="csv")
    setup = prepare_setup(loaded, "label", n_jobs=2)
    results = train_candidates(setup, ["logistic_regression", "decision_tree", "lightgbm",
                                       "random_forest"], FAST)
    assert all(r.ok for r in results)
    return setup, results


def result_of(trained: tuple, key: str) -> CandidateResult:
    return next(r for r in trained[1] if r.key == key)


def card_with(**parts) -> RequirementsCard:
    return RequirementsCard("classification", **parts)


# --- the lines ---------------------------------------------------------------------------------

def test_only_stated_requirements_get_lines(trained: tuple) -> None:
    setup, _ = trained
    assert score_candidate(result_of(trained, "lightgbm"), card_with(), setup).lines == []


def test_latency_against_the_budget(trained: tuple) -> None:
    setup, _ = trained
    result = result_of(trained, "decision_tree")
    generous = score_candidate(result, card_with(speed=Speed(latency_ms=10_000)), setup)
    line = generous.line("latency")
    assert line.passed and line.measured == pytest.approx(result.timings["latency_p95_ms"],
                                                          abs=1e-3)
    assert generous.threads == 2                  # same as training: not re-measured
    tight = score_candidate(result, card_with(speed=Speed(latency_ms=0.0001)), setup)
    assert tight.line("latency").passed is False and not tight.passed
    assert "Relax the budget" in tight.line("latency").text("en")


def test_latency_is_remeasured_with_the_stated_thread_count(trained: tuple) -> None:
    setup, _ = trained
    result = result_of(trained, "random_forest")
    card = card_with(speed=Speed(latency_ms=10_000), environment=Environment(cpu_cores=1))
    scorecard = score_candidate(result, card, setup)
    assert scorecard.threads == 1
    assert "1 thread" in scorecard.line("latency").text("en")
    assert result.pipeline.named_steps["model"].n_jobs == 2    # restored afterwards


def test_thread_limit_sets_and_restores_n_jobs(trained: tuple) -> None:
    pipeline = result_of(trained, "lightgbm").pipeline
    model = pipeline.named_steps["model"]
    before = model.get_params()["n_jobs"]
    with thread_limit(pipeline, 1):
        assert model.get_params()["n_jobs"] == 1
        pipeline.predict(trained[0].part("validation")[0])
    assert model.get_params()["n_jobs"] == before


def test_batch_time_against_the_window(trained: tuple) -> None:
    setup, _ = trained
    result = result_of(trained, "logistic_regression")
    fits = score_candidate(result, card_with(speed=Speed(mode="batch", items=10_000,
                                                         window_minutes=360)), setup)
    line = fits.line("batch")
    assert line.passed and line.measured == pytest.approx(
        10_000 / result.timings["rows_per_second"] / 60, rel=1e-2, abs=1e-4)  # shown rounded
    late = score_candidate(result, card_with(speed=Speed(mode="batch", items=10**12,
                                                         window_minutes=1)), setup)
    assert late.line("batch").passed is False


def test_batch_is_remeasured_and_split_over_workers(trained: tuple) -> None:
    setup, _ = trained
    card = card_with(speed=Speed(mode="batch", items=10**6, window_minutes=60),
                     environment=Environment(cpu_cores=1, workers=4))
    line = score_candidate(result_of(trained, "lightgbm"), card, setup).line("batch")
    assert line.measured is not None and line.measured > 0 and "1 thread" in line.text("en")


def test_model_size_and_memory_against_an_edge_budget(trained: tuple) -> None:
    setup, _ = trained
    result = result_of(trained, "random_forest")
    roomy = card_with(environment=Environment(location="edge", max_model_mb=100,
                                              max_memory_mb=1000))
    scorecard = score_candidate(result, roomy, setup)
    assert scorecard.line("model_size").passed and scorecard.line("memory").passed
    assert scorecard.line("model_size").measured == pytest.approx(
        result.model_size_bytes / 2**20, rel=1e-3)
    assert scorecard.line("memory").measured > scorecard.line("model_size").measured
    tiny = card_with(environment=Environment(location="edge", max_model_mb=0.001,
                                             max_memory_mb=0.001))
    scorecard = score_candidate(result, tiny, setup)
    assert scorecard.line("model_size").passed is False
    assert scorecard.line("memory").passed is False


def test_memory_batch_follows_the_stated_batch(trained: tuple) -> None:
    setup, _ = trained
    card = card_with(speed=Speed(mode="batch", items=30, window_minutes=10),
                     environment=Environment(location="edge", max_memory_mb=1000))
    line = score_candidate(result_of(trained, "lightgbm"), card, setup).line("memory")
    assert "30 row(s)" in line.text("en")


def test_peak_inference_memory_is_measured(trained: tuple) -> None:
    X = trained[0].part("validation")[0]
    assert peak_inference_mb(result_of(trained, "logistic_regression").pipeline, X) > 0


def test_explanation_level_against_the_one_owed(trained: tuple) -> None:
    setup, _ = trained
    card = card_with(explanation="rules")
    assert score_candidate(result_of(trained, "decision_tree"), card, setup).line(
        "explanation").passed
    line = score_candidate(result_of(trained, "lightgbm"), card, setup).line("explanation")
    assert line.passed is False and line.measured == "per_prediction"
    assert "fully readable rules" in line.text("en")


def test_metric_against_the_target(trained: tuple) -> None:
    setup, _ = trained
    result = result_of(trained, "logistic_regression")
    f1 = result.metrics["validation"]["f1"]
    assert score_candidate(result, card_with(accuracy=Accuracy("f1", f1 - 0.01)),
                           setup).line("accuracy").passed
    assert not score_candidate(result, card_with(accuracy=Accuracy("f1", f1 + 0.01)),
                               setup).line("accuracy").passed
    assert not score_candidate(result, card_with(accuracy=Accuracy("log_loss", 0.0)),
                               setup).line("accuracy").passed   # lower is better
    line = score_candidate(result, card_with(accuracy=Accuracy("silhouette", 0.5)),
                           setup).line("accuracy")
    assert line.passed is None and line.measured is None


def test_regression_metric_direction() -> None:
    loaded = LoadedData(frame=make_regression_frame(200), name="r.csv", sha256="1" * 64,
                        file_format="csv")
    setup = prepare_setup(loaded, "price", n_jobs=1)
    [result] = train_candidates(setup, ["ridge"], include_baselines=False)
    rmse = result.metrics["validation"]["rmse"]
    card = RequirementsCard("regression", accuracy=Accuracy("rmse", rmse * 1.1))
    assert score_candidate(result, card, setup).line("accuracy").passed
    card.accuracy.target = rmse * 0.9
    assert not score_candidate(result, card, setup).line("accuracy").passed


# --- building and serialising ----------------------------------------------------------------

FULL = dict(speed=Speed(latency_ms=10_000), explanation="global",
            environment=Environment(location="edge", cpu_cores=1, max_model_mb=100,
                                    max_memory_mb=1000),
            accuracy=Accuracy("f1", 0.5))


def test_scorecards_skip_baselines_and_serialise_to_json(trained: tuple) -> None:
    setup, results = trained
    scorecards = build_scorecards(results, card_with(**FULL), setup)
    assert [s.key for s in scorecards] == ["logistic_regression", "decision_tree", "lightgbm",
                                           "random_forest"]
    data = json.loads(json.dumps([s.to_dict() for s in scorecards]))
    first = data[0]
    assert set(first) == {"candidate", "algorithm", "name", "threads", "passed", "lines"}
    assert [line["requirement"] for line in first["lines"]] == [
        "latency", "model_size", "memory", "explanation", "accuracy"]
    for line in first["lines"]:
        assert set(line["text"]) == {"en", "ja"} and line["passed"] in (True, False)


def test_rows_and_markdown_for_display(trained: tuple) -> None:
    setup, results = trained
    scorecards = build_scorecards(results, card_with(**FULL), setup)
    rows = scorecard_rows(scorecards, "en")
    assert len(rows) == 4 and "Latency" in rows[0] and rows[0]["Latency"].startswith("✓")
    markdown = "\n".join(scorecard_markdown(scorecards[0].to_dict(), "ja"))
    assert "要件スコアカード" in markdown and "| レイテンシ |" in markdown


def test_scorecard_passes_only_when_no_line_fails() -> None:
    assert Scorecard("k", "ridge", {"en": "Ridge"}, 1).passed


# --- the price of explainability -------------------------------------------------------------

def test_price_of_explainability_sets_the_explainable_best_beside_the_best(trained: tuple) -> None:
    _, results = trained
    card = card_with(explanation="rules", accuracy=Accuracy("f1_macro", 0.5))
    price = price_of_explainability(results, card)
    assert price.metric == "f1_macro" and price.owed == "rules"
    assert price.best_explainable.algorithm_id in ("logistic_regression", "decision_tree")
    values = [r.metrics["validation"]["f1_macro"] for r in results if not r.is_baseline]
    assert price.best_overall.value == pytest.approx(max(values))
    assert price.cost >= 0
    assert price.best_overall.meets_target is (price.best_overall.value >= 0.5)
    data = json.loads(json.dumps(price.to_dict()))
    assert data["best_explainable"]["explanation"] == "rules"
    assert "f1" in price.text("en").lower() or "F1" in price.text("en")


def test_price_is_free_when_the_best_already_explains(trained: tuple) -> None:
    _, results = trained
    price = price_of_explainability(results, card_with(explanation="none"))
    assert price.best_explainable.key == price.best_overall.key and price.cost == 0
    assert "costs nothing" in price.text("en")
    assert price.best_overall.meets_target is None        # no target stated


def test_price_when_nothing_trained_explains(trained: tuple) -> None:
    _, results = trained
    opaque = [r for r in results if r.algorithm_id in ("lightgbm", "random_forest")]
    price = price_of_explainability(opaque, card_with(explanation="rules"))
    assert price.best_explainable is None and price.cost is None
    assert "No trained candidate gives" in price.text("en")
    assert "まだ" in price_of_explainability([], card_with()).text("ja")
