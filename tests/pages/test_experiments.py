"""Experiments page: runs recorded by an earlier process are listed by a new app instance
(they survive a restart), can be compared, and restore into the session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT, TIMEOUT
from tests.pages.helpers import open_page, state, texts

# An earlier "server": trains two jobs with every candidate recorded, then exits.
EARLIER_PROCESS = textwrap.dedent("""
    import numpy as np, pandas as pd
    from core import tracking
    from core.data import LoadedData
    from core.samples import load_sample
    from core.training import prepare_setup

    iris = prepare_setup(load_sample("iris"), "target")
    tracking.train_and_record(iris, ["decision_tree", "logistic_regression"])
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=80), "y": rng.choice(["a", "b"], size=80)})
    own = LoadedData(frame=frame, name="own.csv", sha256="9" * 64, file_format="csv")
    tracking.train_and_record(prepare_setup(own, "y"), ["decision_tree"],
                              include_baselines=False)
    assert tracking.flush(120)
""")


@pytest.fixture(scope="module")
def earlier_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store an earlier process left behind (made once: training is the slow part)."""
    home = tmp_path_factory.mktemp("earlier_home")
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    env.update(DOJO_HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", EARLIER_PROCESS], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture
def earlier_runs(earlier_home: Path, dojo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's DOJO_HOME holding that store and its signing key (artifacts stay put)."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    dojo_home.mkdir(parents=True, exist_ok=True)
    for name in ("mlruns.db", "signing.key"):
        shutil.copy(earlier_home / name, dojo_home / name)
    return dojo_home


def new_app() -> AppTest:
    """A fresh app instance: nothing in memory, as after a server restart."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def listed_runs(at: AppTest) -> int:
    table = at.dataframe
    return len(table[0].value) if table else 0


def test_an_empty_store_says_how_to_fill_it(app: AppTest) -> None:
    open_page(app, "experiments")
    assert "No runs are recorded yet" in texts(app.info)


def test_runs_survive_a_restart_and_can_be_compared(earlier_runs: Path) -> None:
    for _ in range(2):            # two separate app instances see the same runs
        at = open_page(new_app(), "experiments")
        assert listed_runs(at) == 3                # baselines hidden by default
        at.toggle(key="experiments_baselines").set_value(True).run()
        assert listed_runs(at) == 5
    assert len(at.multiselect(key="experiments_compare").value) == 3
    assert at.get("plotly_chart"), "scatter and parallel coordinates are drawn"
    at.multiselect(key="experiments_dataset").set_value(["own.csv"]).run()
    assert listed_runs(at) == 1


def test_a_run_restores_into_the_session(earlier_runs: Path) -> None:
    at = open_page(new_app(), "experiments")
    labels = at.selectbox(key="experiments_restore_run").options
    iris_tree = next(label for label in labels if "Decision tree · iris" in label)
    at.selectbox(key="experiments_restore_run").select(iris_tree)
    at.button(key="experiments_restore").click().run()
    assert not at.exception and "is back in this session" in texts(at.success)
    restored = state(at)
    assert restored.data.name == "iris" and restored.target == "target"
    assert {r.key for r in restored.results} == {
        "baseline", "baseline:stratified", "decision_tree", "logistic_regression"}
    assert restored.selected_candidate == "decision_tree"
    open_page(at, "train")
    assert at.dataframe, "the leaderboard is back"


def test_a_run_on_data_not_at_hand_restores_its_model_for_predict(earlier_runs: Path) -> None:
    at = open_page(new_app(), "experiments")
    at.multiselect(key="experiments_dataset").set_value(["own.csv"]).run()
    at.button(key="experiments_restore").click().run()
    assert not at.exception and "own.csv" in texts(at.info)
    assert state(at).uploaded_bundle is not None and not state(at).results
