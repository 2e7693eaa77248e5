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
