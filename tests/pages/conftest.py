"""AppTest fixtures: the app with its own DOJO_HOME (helpers live in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120          # seconds per script run: the first run imports sklearn and friends


@pytest.fixture(autouse=True)
def dojo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dojo"
    monkeypatch.setenv("DOJO_HOME", str(home))
    return home


class _NavigationPagesManager(PagesManager):
    """A PagesManager that stays in st.navigation mode, as a real server does.

    A live server switches off the legacy ``pages/`` directory mode once the first run
    calls st.navigation (a process-wide flag). AppTest resets that flag before every
    run, so with our ``pages/`` folder a rerun would execute the page script alone,
    without app.py's sidebar. Keeping the flag off makes AppTest route like the server.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


# Every page test that trains records runs: one MLflow store for the session (see store.py).
from tests.pages.store import recorded_runs, shared_store  # noqa: E402,F401  (fixtures)


@pytest.fixture
def noisy_csv(tmp_path: Path) -> Path:
    """A small binary table no model separates perfectly, so the costs move the threshold."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    x1, x2 = rng.normal(size=160), rng.normal(size=160)
    label = np.where(x1 + 0.3 * x2 + rng.normal(scale=0.9, size=160) > 0.4, "yes", "no")
    path = tmp_path / "churn.csv"
    pd.DataFrame({"x1": x1.round(3), "x2": x2.round(3), "label": label}).to_csv(path, index=False)
    return path
