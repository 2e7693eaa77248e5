"""Train page: candidates, hyperparameters, background jobs, leaderboard, failures."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import core.training
from core.i18n import Message
from core.jobs import CANCELLED, DONE, FAILED, QUEUED, JobPool, get_pool
from tests.pages.helpers import load_sample, open_page, state, texts, train, upload, wait_for_job

FAST = ["decision_tree"]


def test_without_data_the_page_says_where_to_start(app: AppTest) -> None:
    open_page(app, "train")
    assert "Data page" in texts(app.info)
    assert app.button(key="go_data")


def test_algorithms_default_to_the_catalog_defaults_and_baseline_is_mentioned(
        app: AppTest) -> None:
    load_sample(app, "iris")
    open_page(app, "train")
    assert app.multiselect(key="algorithms").value == core.training.catalog.DEFAULT_CANDIDATES[
        "classification"]
    assert "baselines" in texts(app.caption)


def test_train_shows_leaderboard_with_baseline_and_plots(app: AppTest) -> None:
    load_sample(app, "iris")
    train(app, FAST)
    session = state(app)
    assert session.job_id is None and session.results
    assert {r.key for r in session.results} >= {"decision_tree", "baseline"}
    board = app.get("dataframe")[0].value
    assert len(board) == len(session.results)
    assert any("Baseline" in str(name) for name in board.iloc[:, 0])
    assert app.selectbox(key="selected_candidate").value == "decision_tree"
    assert app.tabs, "the selected candidate's plots are shown"


def test_nothing_is_retrained_on_rerun(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = core.training.train_candidates
    monkeypatch.setattr(core.training, "train_candidates",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    load_sample(app, "iris")
    train(app, FAST)
    app.run()
    open_page(app, "data")
    open_page(app, "train")
    assert len(calls) == 1
    assert state(app).results


def test_hyperparameter_widgets_come_from_the_catalog_and_reset(app: AppTest) -> None:
    load_sample(app, "iris")
    open_page(app, "train")
    app.multiselect(key="algorithms").set_value(FAST).run()
    depth = app.slider(key="hp.decision_tree.max_depth")
    assert depth.value == 6 and "0 = no limit" in depth.help
    depth.set_value(3).run()
    assert state(app).params["decision_tree"]["max_depth"] == 3
    app.button(key="hp_reset.decision_tree").click().run()
    assert app.slider(key="hp.decision_tree.max_depth").value == 6
    assert state(app).params["decision_tree"]["max_depth"] == 6


def test_a_language_switch_redraws_choices_in_the_new_language_and_keeps_them(
        app: AppTest) -> None:
    load_sample(app, "iris")
    train(app, ["decision_tree", "knn"])
    app.selectbox(key="hp.knn.weights").set_value("distance").run()
    app.selectbox(key="selected_candidate").set_value("knn").run()
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert not app.exception
    weights, chosen = app.selectbox(key="hp.knn.weights"), app.selectbox(key="selected_candidate")
    # The browser keeps showing a select's old text unless the script sets its value again.
    assert weights.proto.set_value and chosen.proto.set_value
    assert weights.value == "distance" and chosen.value == "knn"
    assert weights.proto.options[weights.index] == "近い近傍ほど重く (distance)"
    assert chosen.proto.options[chosen.index] == "k 近傍法"
    assert state(app).params["knn"]["weights"] == "distance"


def test_changed_hyperparameters_reach_the_training(app: AppTest) -> None:
    load_sample(app, "iris")
    open_page(app, "train")
    app.multiselect(key="algorithms").set_value(FAST).run()
    app.slider(key="hp.decision_tree.max_depth").set_value(2).run()
    app.button(key="train_button").click().run()
    wait_for_job(app)
    result = state(app).result("decision_tree")
    assert result.hyperparameters["max_depth"] == 2


def test_log_scale_parameter_shows_real_values(app: AppTest) -> None:
    load_sample(app, "iris")
    open_page(app, "train")
    app.multiselect(key="algorithms").set_value(["logistic_regression"]).run()
    slider = app.select_slider(key="hp.logistic_regression.C")
    assert slider.value == 1.0
    assert "0.001" in slider.options and "1000" in slider.options


def test_a_failing_candidate_shows_why_and_the_others_finish(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    original = core.training.train_candidate

    def flaky(setup, algorithm_id, params=None, key=None):
        result = original(setup, algorithm_id, params, key=key)
        if algorithm_id == "logistic_regression":
            result.pipeline = None
            result.error = Message("train.candidate_failed", {"reason": "boom for the test"})
        return result

    monkeypatch.setattr(core.training, "train_candidate", flaky)
    load_sample(app, "iris")
    train(app, ["logistic_regression", "decision_tree"])
    assert "boom for the test" in texts(app.warning)
    assert state(app).result("decision_tree").ok
    assert not app.exception


def test_queued_job_shows_its_position_and_can_be_cancelled(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = JobPool(max_workers=1)
    monkeypatch.setattr("ui.training.get_pool", lambda: pool)
    release, started = threading.Event(), threading.Event()
    blocker = pool.submit(lambda ctx: started.set() or release.wait(30))
    assert started.wait(10)
    try:
        load_sample(app, "iris")
        open_page(app, "train")
        app.multiselect(key="algorithms").set_value(FAST).run()
        app.button(key="train_button").click().run()
        assert "position 1" in texts(app.info)
        app.button(key="cancel_job").click().run()
        app.run()
        assert pool.status(blocker).state != CANCELLED
        assert state(app).job_id is None
        assert "cancelled" in texts(app.warning)
    finally:
        release.set()


def test_slow_choices_are_warned_about_before_training(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core.training, "slow_choice_warnings", lambda setup, ids: [
        Message("costs.slow_training", {"algorithm": a, "minutes": "1", "rows": "9"})
        for a in ids if a == "svm"])
    load_sample(app, "iris")
    open_page(app, "train")
    app.multiselect(key="algorithms").set_value(["svm", "decision_tree"]).run()
    assert len(app.warning) == 1
    assert state(app).job_id is None, "a warning does not start anything"


def test_a_bug_in_a_page_becomes_a_message_and_the_state_stays(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.evaluation

    load_sample(app, "iris")
    train(app, FAST)
    original = core.evaluation.leaderboard
    monkeypatch.setattr(core.evaluation, "leaderboard",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("kaboom")))
    app.run()
    assert not app.exception
    assert "kaboom" in texts(app.error) and "results are kept" in texts(app.error)
    assert state(app).results
    monkeypatch.setattr(core.evaluation, "leaderboard", original)
    app.run()
    assert app.get("dataframe") and not app.error


def test_bad_split_settings_are_explained(app: AppTest) -> None:
    load_sample(app, "iris")
    state(app).valid_size, state(app).test_size = 0.6, 0.6
    open_page(app, "train")
    assert app.error and not app.exception


def test_upload_target_train_on_japanese_cp932(app: AppTest, japanese_cp932_csv: Path) -> None:
    open_page(app, "data")
    upload(app, japanese_cp932_csv)
    app.selectbox(key="target_column").set_value("解約").run()
    train(app, FAST)
    assert state(app).result("decision_tree").ok
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert not app.exception
    assert "ランキング" in texts(app.subheader)


# --- the pool itself (core/jobs.py) -------------------------------------------------------

def test_pool_reports_queue_positions_progress_and_results() -> None:
    pool = JobPool(max_workers=1)
    gate = threading.Event()

    started = threading.Event()

    def slow(ctx):
        ctx.progress("a", "running", 0.5)
        started.set()
        gate.wait(10)
        return 42

    first = pool.submit(slow)
    assert started.wait(10)
    second = pool.submit(lambda ctx: "second")
    third = pool.submit(lambda ctx: "third")
    assert pool.status(second).state == QUEUED and pool.status(second).position == 1
    assert pool.status(third).position == 2
    assert pool.cancel(third) and pool.status(third).state == CANCELLED
    gate.set()
    assert pool.wait(first, 10).state == DONE and pool.result(first) == 42
    assert pool.wait(second, 10).state == DONE and pool.result(second) == "second"
    assert pool.status(first).progress == {"a": ("running", 0.5)}
    pool.forget(first)
    assert pool.status(first) is None


def test_pool_turns_errors_into_messages_and_keeps_working() -> None:
    from core.errors import DojoError

    pool = JobPool(max_workers=1)

    def bad_input(ctx):
        raise DojoError("train.no_features")

    def bug(ctx):
        raise RuntimeError("bug")

    a, b, c = pool.submit(bad_input), pool.submit(bug), pool.submit(lambda ctx: "fine")
    assert pool.wait(a, 10).state == FAILED and pool.status(a).error.key == "train.no_features"
    assert pool.wait(b, 10).state == FAILED and "bug" in pool.status(b).error.text("en")
    assert pool.wait(c, 10).state == DONE


def test_running_job_stops_at_the_next_check_when_cancelled() -> None:
    pool = JobPool(max_workers=1)
    started = threading.Event()

    def loop(ctx):
        started.set()
        done = 0
        while not ctx.cancel.wait(0.01):
            done += 1
        return done

    job = pool.submit(loop)
    assert started.wait(10)
    assert pool.cancel(job)
    assert pool.wait(job, 10).state == CANCELLED


def test_shared_pool_has_one_worker_per_core() -> None:
    from core.config import default_threads

    assert get_pool() is get_pool()
    assert get_pool().max_workers == default_threads()


# --- requirements, the experiment store and the decision threshold ---------------------------

RULES_CARD = {"problem_type": "classification", "explanation": "rules",
              "speed": {"mode": "online", "latency_ms": 1000},
              "accuracy": {"metric": "accuracy", "target": 0.5}}


def train_binary(at: AppTest, path: Path, algorithms: list[str]) -> AppTest:
    open_page(at, "data")
    upload(at, path)
    at.selectbox(key="target_column").set_value("label").run()
    return train(at, algorithms)


def expected_picks(card: dict, sample: str = "iris") -> list[str]:
    from core.advisor import advise, top_picks
    from core.catalog import ids_for_task
    from core.profiling import profile_frame
    from core.requirements import parse_card_dict
    from core.samples import load_sample as load

    profile = profile_frame(load(sample).frame, target="target")
    picks = top_picks(advise(parse_card_dict(card), profile))
    return [p for p in picks if p in ids_for_task("classification")]


def test_with_a_card_the_page_starts_with_the_advisors_picks(app: AppTest) -> None:
    state(app).requirements = {"problem_type": "classification", "explanation": "rules"}
    load_sample(app, "iris")
    open_page(app, "train")
    picks = expected_picks(state(app).requirements)
    assert picks and app.multiselect(key="algorithms").value == picks
    assert "advisor" in texts(app.caption)
    # Untouched picks follow a changed card ...
    state(app).requirements = {"problem_type": "classification"}
    open_page(app, "data")
    open_page(app, "train")
    assert app.multiselect(key="algorithms").value == expected_picks({"problem_type":
                                                                      "classification"})
    # ... the user's own choice does not change.
    app.multiselect(key="algorithms").set_value(["knn"]).run()
    state(app).requirements = {"problem_type": "classification", "explanation": "rules"}
    open_page(app, "data")
    open_page(app, "train")
    assert app.multiselect(key="algorithms").value == ["knn"]


def test_a_card_for_another_problem_type_keeps_the_defaults(app: AppTest) -> None:
    state(app).requirements = {"problem_type": "regression"}
    load_sample(app, "iris")
    open_page(app, "train")
    assert app.multiselect(key="algorithms").value == core.training.catalog.DEFAULT_CANDIDATES[
        "classification"]


def test_every_candidate_is_recorded_with_the_card(app: AppTest) -> None:
    from core import tracking

    state(app).requirements = RULES_CARD
    load_sample(app, "iris")
    train(app, FAST)
    assert tracking.flush(120)
    results = state(app).results
    jobs = {tracking.job_of(r) for r in results}
    assert len(jobs) == 1 and None not in jobs, "one training job, one job id"
    runs = tracking.list_runs({"job": jobs.pop()})
    assert set(runs["candidate_key"]) == {r.key for r in results}
    tree = runs[runs["candidate_key"] == "decision_tree"].iloc[0]
    metadata, _ = tracking.restore_run(tree["run_id"])
    assert metadata["requirements"] == RULES_CARD


def test_an_unreachable_experiment_server_is_a_warning(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from core import tracking

    load_sample(app, "iris")
    train(app, FAST)
    monkeypatch.setattr(tracking, "status", lambda: tracking.TrackingStatus(
        "http://team:5000", tracking.local_uri(),
        Message("tracking.server_unreachable", {"uri": "http://team:5000", "local": "here"}), 0))
    app.run()
    assert "http://team:5000" in texts(app.warning)
    assert state(app).results, "training results stay"


def test_the_scorecard_sits_under_the_leaderboard_and_is_not_recomputed(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.scorecard

    calls = []
    original = core.scorecard.score_candidate
    monkeypatch.setattr(core.scorecard, "score_candidate",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    state(app).requirements = RULES_CARD
    load_sample(app, "iris")
    train(app, ["decision_tree", "random_forest"])
    assert "Trained candidates against the requirements" in texts(app.subheader)
    scorecard = app.dataframe[1].value
    assert len(scorecard) == 2 and "All met" in scorecard.columns
    explanation = dict(zip(scorecard["Candidate"], scorecard["Explanation"]))
    assert explanation["Decision tree"].startswith("✓")
    assert explanation["Random forest"].startswith("✗")
    assert "Explainability" in texts(app.info), "the price of explainability is shown"
    app.run()
    open_page(app, "data")
    open_page(app, "train")
    assert len(calls) == 2, "once per candidate"


def test_without_a_card_the_page_says_where_to_make_one(app: AppTest) -> None:
    load_sample(app, "iris")
    train(app, FAST)
    assert "Requirements page" in texts(app.caption)
    assert len(app.dataframe) == 1


def test_costs_pick_the_cheapest_threshold_and_the_state_keeps_it(
        app: AppTest, noisy_csv: Path) -> None:
    from core.threshold import sweep_candidate

    train_binary(app, noisy_csv, ["logistic_regression"])
    assert "Enter both costs" in texts(app.caption)
    assert not state(app).thresholds
    app.number_input(key="cost_false_positive").set_value(1.0).run()
    app.number_input(key="cost_false_negative").set_value(20.0).run()
    session = state(app)
    best = sweep_candidate(session.results_setup, session.result("logistic_regression"),
                           {"false_positive": 1.0, "false_negative": 20.0}).best_threshold
    assert best < 0.5, "a miss costs more: say 'yes' earlier"
    assert session.thresholds == {"logistic_regression": best}
    assert session.costs == {"false_positive": 1.0, "false_negative": 20.0}
    assert "Predict 'yes' when its probability is at least" in texts(app.markdown)
    assert app.get("plotly_chart"), "the cost curve is drawn"
    app.radio(key="threshold_choice.logistic_regression").set_value("standard").run()
    assert state(app).thresholds == {}
    app.radio(key="threshold_choice.logistic_regression").set_value("cheapest").run()
    assert state(app).thresholds == {"logistic_regression": best}
    app.number_input(key="cost_false_negative").set_value(None).run()
    assert state(app).thresholds == {}


def test_a_scenarios_costs_are_prefilled_and_checked_against_the_card(
        app: AppTest, noisy_csv: Path) -> None:
    session = state(app)
    session.costs = {"false_positive": 5.0, "false_negative": 200.0, "true_positive_value": 0.0,
                     "currency": "USD"}
    session.requirements = {"problem_type": "classification",
                            "speed": {"mode": "batch", "items": 10000, "window_minutes": 60},
                            "accuracy": {"metric": "recall", "target": 0.6}}
    train_binary(app, noisy_csv, ["logistic_regression"])
    assert app.number_input(key="cost_false_positive").value == 5.0
    assert "(USD)" in app.number_input(key="cost_false_negative").label
    assert "logistic_regression" in state(app).thresholds
    assert "a batch of 10,000 items" in texts(app.info)
    assert "Recall at the cheapest threshold" in texts(app.success) + texts(app.warning)


def test_no_threshold_for_more_than_two_classes(app: AppTest) -> None:
    state(app).costs = {"false_positive": 1.0, "false_negative": 5.0}
    load_sample(app, "iris")
    train(app, FAST)
    assert "decision threshold" not in texts(app.subheader)
    assert state(app).thresholds == {}


def test_threshold_page_in_japanese(app: AppTest, noisy_csv: Path) -> None:
    state(app).costs = {"false_positive": 1.0, "false_negative": 20.0}
    state(app).requirements = RULES_CARD
    train_binary(app, noisy_csv, ["logistic_regression"])
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert not app.exception
    assert "判定しきい値" in texts(app.subheader)
    assert "学習済みの候補と要件の照合" in texts(app.subheader)
    assert "すべて満たす" in app.dataframe[1].value.columns


def test_a_candidate_with_a_threshold_is_judged_at_it(app: AppTest, noisy_csv: Path) -> None:
    from core.threshold import metric_at, sweep_candidate

    state(app).costs = {"false_positive": 1.0, "false_negative": 20.0}
    train_binary(app, noisy_csv, ["logistic_regression"])
    session = state(app)
    result = session.result("logistic_regression")
    sweep = sweep_candidate(session.results_setup, result, session.costs)
    at_default = result.metrics["validation"]["recall"]
    at_best = metric_at(sweep.confusion, "recall")
    assert at_best > at_default
    session.requirements = {"problem_type": "classification",
                            "accuracy": {"metric": "recall",
                                         "target": round((at_default + at_best) / 2, 3)}}
    app.run()
    assert app.dataframe[1].value.iloc[0]["Accuracy"].startswith("✓")
    assert "checked at that threshold" in texts(app.caption)
    app.radio(key="threshold_choice.logistic_regression").set_value("standard").run()
    assert app.dataframe[1].value.iloc[0]["Accuracy"].startswith("✗")
