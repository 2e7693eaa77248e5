"""The experiment store: runs survive their process, concurrent writers lose nothing, a dead
server falls back to the local store, and a run restores into a session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from core import tracking
from core.data import LoadedData
from core.errors import DojoError
from tests.core.conftest import make_classification_frame

ROOT = Path(__file__).resolve().parents[2]

# A writer process: records COUNT finished runs named NAME once the clock reaches START; with
# "crash" it then starts one more run and dies without finishing it.
WORKER = textwrap.dedent("""
    import os, sys, time
    from types import SimpleNamespace as NS
    from core import tracking

    name, count, start, mode = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    info = NS(method="random", sizes={"train": 6, "validation": 2, "test": 2}, seed=7,
              stratified=False, valid_size=0.2, test_size=0.2, time_column=None)
    setup = NS(data_name="shared.csv", data_sha256="ab" * 32, task="regression", target="y",
               seed=7, features=["x"], split=NS(info=info))
    while time.time() < start:
        time.sleep(0.01)
    for i in range(count):
        record = tracking.start_record(setup, f"{name}-{i}", "ridge", {"alpha": i},
                                       {"en": name}, "scikit-learn", False, job=name)
        tracking.submit_start(record)
        result = NS(key=f"{name}-{i}", ok=True, error=None, is_baseline=False, history=None,
                    metrics={"validation": {"rmse": float(i)}}, timings={"train_seconds": 0.1},
                    model_size_bytes=100)
        tracking.submit_finish(tracking.finish_record(record, result))
    if mode == "crash":
        record = tracking.start_record(setup, "doomed", "ridge", {"alpha": 1}, {"en": "doomed"},
                                       "scikit-learn", False, job=name)
        tracking.submit_start(record)
        tracking.flush(60)
        os._exit(1)          # dies mid-training: no finish, no atexit
""")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty MLflow database made once; copying it spares each test the table creation."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "mlruns.db"
    tracking.client_for(f"sqlite:///{path.as_posix()}")
    return path


@pytest.fixture
def store(template_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh local store under this test's DOJO_HOME."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    home = Path(os.environ["DOJO_HOME"])
    shutil.copy(template_db, home / "mlruns.db")
    return home


def fake_setup(name: str = "fake.csv") -> SimpleNamespace:
    info = SimpleNamespace(method="random", sizes={"train": 6, "validation": 2, "test": 2},
                           seed=3, stratified=False, valid_size=0.2, test_size=0.2,
                           time_column=None)
    return SimpleNamespace(data_name=name, data_sha256="cd" * 32, task="regression",
                           target="y", seed=3, features=["x"], split=SimpleNamespace(info=info))


def fake_result(key: str, rmse: float = 1.5, ok: bool = True) -> SimpleNamespace:
    from core.i18n import Message

    return SimpleNamespace(key=key, ok=ok, is_baseline=False, history={"l2": [3.0, 2.0]},
                           error=None if ok else Message("train.out_of_memory"),
                           metrics={"validation": {"rmse": rmse, "r2": 0.5}},
                           timings={"train_seconds": 0.25, "latency_p95_ms": 1.0},
                           model_size_bytes=2048)


def record_fake(setup: SimpleNamespace, key: str, **result: object) -> tracking.RunRecord:
    record = tracking.start_record(setup, key, "ridge", {"alpha": 0.5, "fit_intercept": True},
                                   {"en": "Ridge", "ja": "リッジ"}, "scikit-learn", False,
                                   job="job-1")
    tracking.submit_start(record)
    tracking.submit_finish(tracking.finish_record(record, fake_result(key, **result)))
    return record


def worker_env(home: Path, uri: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    env.update(DOJO_HOME=str(home), PYTHONPATH=str(ROOT))
    if uri:
        env["MLFLOW_TRACKING_URI"] = uri
    return env


def start_worker(script: Path, env: dict[str, str], name: str, count: int, start: float,
                 mode: str = "exit") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(script), name, str(count), str(start), mode],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.fixture
def worker_script(tmp_path: Path) -> Path:
    path = tmp_path / "worker.py"
    path.write_text(WORKER, encoding="utf-8")
    return path


def test_importing_the_engine_does_not_import_mlflow() -> None:
    code = ("import sys, core.tracking, core.report, core.experiment_plots; "
            "print('mlflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=worker_env(Path(os.environ["DOJO_HOME"])))
    assert done.stdout.strip() == "False", done.stderr


def test_a_run_holds_params_metrics_tags_and_history(store: Path) -> None:
    record_fake(fake_setup(), "ridge")
    assert tracking.flush(60)
    runs = tracking.list_runs()
    assert len(runs) == 1
    row = runs.iloc[0]
    assert (row["status"], row["algorithm"], row["dataset"], row["task"]) == (
        "finished", "ridge", "fake.csv", "regression")
    assert row["metrics.validation_rmse"] == 1.5 and row["metrics.train_seconds"] == 0.25
    assert row["params.alpha"] == "0.5" and tracking.param_value(row["params.fit_intercept"]) is True
    run = tracking.get_run(row["run_id"])
    assert run["tags"]["seed"] == "3" and run["tags"]["data_sha256"] == "cd" * 32
    assert run["tags"]["code_commit"] and run["tags"]["mlflow.source.git.commit"]
    assert tracking.run_history(row["run_id"]) == {"l2": [3.0, 2.0]}


def test_a_failed_candidate_is_recorded_as_failed(store: Path) -> None:
    record_fake(fake_setup(), "broken", ok=False)
    tracking.flush(60)
    run = tracking.list_runs().iloc[0]
    assert run["status"] == "failed"
    assert tracking.get_run(run["run_id"])["tags"]["error_key"] == "train.out_of_memory"


def test_filters_select_runs(store: Path) -> None:
    record_fake(fake_setup("a.csv"), "one")
    record_fake(fake_setup("b.csv"), "two")
    tracking.flush(60)
    assert tracking.list_runs({"dataset": "a.csv"})["candidate_key"].tolist() == ["one"]
    assert len(tracking.list_runs({"dataset": ["a.csv", "b.csv"], "status": "finished"})) == 2
    assert tracking.list_runs({"dataset": "it's.csv"}).empty


def test_a_job_that_dies_leaves_its_started_run_interrupted(store: Path) -> None:
    from core.tracking import CandidateTracker

    tracker = CandidateTracker(fake_setup(), [("ridge", "ridge", {"alpha": 1.0})], job="j")
    with pytest.raises(RuntimeError), tracker:
        tracker.start("ridge")
        raise RuntimeError("the job crashed mid-candidate")
    tracking.flush(60)
    run = tracking.list_runs().iloc[0]
    assert run["status"] == "interrupted"
    assert tracking.get_run(run["run_id"])["tags"]["status"] == "interrupted"


def test_two_processes_writing_at_once_lose_nothing_and_a_crash_shows_as_interrupted(
        tmp_path: Path, worker_script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A brand-new store: both processes also race to create MLflow's tables. "left" exits
    # normally without flushing (the exit hook writes its queue); "right" dies mid-candidate.
    home = tmp_path / "shared_home"
    home.mkdir()
    monkeypatch.setenv("DOJO_HOME", str(home))
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    start = time.time() + 1.0
    workers = {name: start_worker(worker_script, worker_env(home), name, 6, start, mode)
               for name, mode in (("left", "exit"), ("right", "crash"))}
    for name, worker in workers.items():
        _, stderr = worker.communicate(timeout=180)
        assert worker.returncode == (0 if name == "left" else 1), stderr
    runs = tracking.list_runs()   # this process wrote none of them: they outlived their writers
    statuses = dict(zip(runs["candidate_key"], runs["status"]))
    assert statuses == {**{f"{name}-{i}": "finished" for name in workers for i in range(6)},
                        "doomed": "interrupted"}
    assert runs["metrics.validation_rmse"].notna().sum() == 12
    tracking.flush(60)            # the stale run is closed in the store too
    doomed = runs[runs["candidate_key"] == "doomed"]["run_id"].iloc[0]
    assert tracking.get_run(doomed)["tags"]["status"] == "interrupted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_server_warns_and_keeps_runs_locally(
        store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server)
    started = time.monotonic()
    record_fake(fake_setup(), "offline")        # returns at once: writing is queued
    assert time.monotonic() - started < 1.0
    assert tracking.flush(60)
    state = tracking.status()
    assert state.warning is not None and state.warning.key == "tracking.server_unreachable"
    assert state.fallback and state.active_uri == tracking.local_uri()
    assert server in state.warning.text("en") and state.warning.text("ja")
    runs = tracking.list_runs()
    assert runs["candidate_key"].tolist() == ["offline"]
    assert runs["store"].tolist() == [tracking.local_uri()]


@pytest.fixture(scope="module")
def trained_home(template_db: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, LoadedData, list]:
    """One small training job recorded once for the restore tests (training is the slow part)."""
    from core.training import prepare_setup

    home = tmp_path_factory.mktemp("trained_home")
    shutil.copy(template_db, home / "mlruns.db")
    frame = make_classification_frame(rows=160)
    loaded = LoadedData(frame=frame, name="small.csv", sha256="ef" * 32, file_format="csv")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOJO_HOME", str(home))
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        setup = prepare_setup(loaded, "label", seed=5)
        results = tracking.train_and_record(setup, ["decision_tree", "logistic_regression"])
        assert tracking.flush(120)
    return home, loaded, results


@pytest.fixture
def trained(trained_home: tuple[Path, LoadedData, list], monkeypatch: pytest.MonkeyPatch
            ) -> tuple[Path, LoadedData, list]:
    monkeypatch.setenv("DOJO_HOME", str(trained_home[0]))
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    return trained_home


def test_a_run_restores_with_its_job(trained: tuple[Path, LoadedData, list]) -> None:
    _, loaded, results = trained
    runs = tracking.list_runs({"dataset": "small.csv"})
    assert len(runs) == len(results) == 4 and runs["has_bundle"].sum() == 2
    tree = runs[runs["algorithm"] == "decision_tree"]["run_id"].iloc[0]
    metadata, path = tracking.restore_run(tree)
    assert metadata["algorithm"]["id"] == "decision_tree" and path.is_file()
    restored = tracking.restore_results(tree, loaded)
    assert restored.chosen_key == "decision_tree"
    assert sorted(r.key for r in restored.results) == sorted(r.key for r in results)
    original = next(r for r in results if r.key == "decision_tree")
    again = next(r for r in restored.results if r.key == "decision_tree")
    assert again.metrics["validation"]["f1_macro"] == original.metrics["validation"]["f1_macro"]
    X, _ = restored.setup.part("validation")
    assert (again.pipeline.predict(X) == original.pipeline.predict(X)).all()
    assert tracking.job_of(again) == tracking.job_of(original) == runs["job"].iloc[0]


def test_restoring_refuses_other_data_and_runs_without_bundles(
        trained: tuple[Path, LoadedData, list]) -> None:
    _, loaded, _ = trained
    runs = tracking.list_runs({"dataset": "small.csv"})
    tree = runs[runs["algorithm"] == "decision_tree"]["run_id"].iloc[0]
    other = LoadedData(frame=loaded.frame, name="other", sha256="00" * 32, file_format="csv")
    with pytest.raises(DojoError) as wrong_data:
        tracking.restore_results(tree, other)
    assert wrong_data.value.key == "tracking.data_mismatch"
    baseline = runs[runs["baseline"]]["run_id"].iloc[0]
    with pytest.raises(DojoError) as no_bundle:
        tracking.restore_run(baseline)
    assert no_bundle.value.key == "tracking.no_bundle"
    with pytest.raises(DojoError) as unknown:
        tracking.get_run("0" * 32)
    assert unknown.value.key == "tracking.unknown_run"


def test_comparison_figures_from_listed_runs(store: Path) -> None:
    from core import experiment_plots as plots

    record_fake(fake_setup(), "a", rmse=1.0)
    record_fake(fake_setup(), "b", rmse=2.0)
    tracking.flush(60)
    runs = tracking.list_runs()
    table = plots.comparison_table(runs, "ja")
    assert table.shape == (len(plots.metric_names(runs)), 2)
    assert plots.metric_vs_time_figure(runs, "validation_rmse", "en").data
    parallel = plots.parallel_coordinates_figure(runs, "validation_rmse", "en")
    labels = [d["label"] for d in parallel.data[0].dimensions]
    assert "alpha" in labels and "fit_intercept" in labels
    assert isinstance(plots.runs_table(runs, "ja"), pd.DataFrame)


def test_an_altered_bundle_in_the_store_is_refused(
        trained: tuple[Path, LoadedData, list]) -> None:
    # Runs last among the restore tests: it alters the shared store.
    home = trained[0]
    shutil.rmtree(home / "restored", ignore_errors=True)   # earlier tests' downloads
    runs = tracking.list_runs({"algorithm": "logistic_regression"})
    artifact = next((home / "mlartifacts").rglob("model-logistic_regression.zip"))
    with zipfile.ZipFile(artifact) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["README.md"] = b"changed after signing"
    with zipfile.ZipFile(artifact, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises(DojoError) as refused:
        tracking.restore_run(runs["run_id"].iloc[0])
    assert refused.value.key == "bundle.bad_signature"


def test_test_scores_added_later_reach_the_run(store: Path) -> None:
    record_fake(fake_setup(), "later")
    scored = fake_result("later")
    scored.metrics["test"] = {"rmse": 2.5}
    tracking.record_test_scores(scored, job="job-1")
    tracking.flush(60)
    run = tracking.list_runs().iloc[0]
    assert run["metrics.test_rmse"] == 2.5 and run["metrics.validation_rmse"] == 1.5


# --- the command line's child writer ---------------------------------------------------------

CHILD_WRITER = textwrap.dedent("""
    import sys
    from tests.core.test_tracking import fake_setup, record_fake
    from core import tracking
    tracking.record_in_child()
    record_fake(fake_setup("child.csv"), "from_child")
    assert tracking.flush(120)
    print("mlflow" in sys.modules, tracking.status().warning)
""")


def test_a_child_process_writes_the_runs_and_this_one_never_imports_mlflow(store: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD_WRITER], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env=worker_env(store))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "None"]
    runs = tracking.list_runs({"dataset": "child.csv"})
    assert runs["candidate_key"].tolist() == ["from_child"]
    assert runs["status"].tolist() == ["finished"]
    assert runs["metrics.validation_rmse"].tolist() == [1.5]


def test_the_child_reports_an_unreachable_server_back(store: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    server = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server)
    tracking.record_in_child()
    record_fake(fake_setup("offline_child.csv"), "offline_child")
    assert tracking.flush(120)
    state = tracking.status()
    assert state.warning is not None and state.warning.key == "tracking.server_unreachable"
    assert state.active_uri == tracking.local_uri()
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    assert tracking.list_runs({"dataset": "offline_child.csv"})["candidate_key"].tolist() == [
        "offline_child"]


def test_a_child_sent_nothing_is_stopped_without_creating_a_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_HOME", str(tmp_path))
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    tracking.record_in_child()
    started = time.monotonic()
    assert tracking.flush(60)
    assert time.monotonic() - started < 5      # stopped, not waited for
    assert not (tmp_path / "mlruns.db").exists()
    record_fake(fake_setup("after.csv"), "after_child")   # later writes stay in this process
    assert tracking.flush(60)
    assert tracking.list_runs({"dataset": "after.csv"})["candidate_key"].tolist() == ["after_child"]
