"""One experiment store for the page tests that train (imported as fixtures).

Training on a page records every candidate in MLflow in the background. A store per test
would create MLflow's tables each time (seconds); one store per session is made once.
Each test waits for its runs to be written, so none lands in the next test's store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder: Path = tmp_path_factory.mktemp("mlruns")
    return f"sqlite:///{(folder / 'mlruns.db').as_posix()}"


@pytest.fixture(autouse=True)
def recorded_runs(shared_store: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from core import tracking

    monkeypatch.setenv("MLFLOW_TRACKING_URI", shared_store)
    yield shared_store
    assert tracking.flush(120), "the runs of this test were not written in time"
