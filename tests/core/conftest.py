"""Small, deterministic tables for the engine tests, and the workshop's real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _dojo_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never write into the working tree's .dojo during tests.
    monkeypatch.setenv("DOJO_HOME", str(tmp_path_factory.mktemp("dojo_home")))
    # One thread per fit: the tests use tiny tables, and OpenMP spin-waits on a busy machine.
    monkeypatch.setenv("DOJO_THREADS", "1")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("the workshop data folder ../shared/data is not present")
    return SHARED_DATA


def make_classification_frame(rows: int = 300, labels: tuple = ("no", "yes"),
                              seed: int = 0) -> pd.DataFrame:
    """Numeric, categorical (with missing values) and a learnable label."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=rows)
    x2 = rng.normal(size=rows)
    colour = rng.choice(["red", "green", "blue"], size=rows)
    score = x1 + 0.5 * x2 + (colour == "red") * 1.0
    cuts = np.quantile(score, np.linspace(0, 1, len(labels) + 1)[1:-1])
    y = np.asarray(labels, dtype=object)[np.searchsorted(cuts, score)]
    x2[rng.choice(rows, rows // 10, replace=False)] = np.nan
    colour = colour.astype(object)
    colour[rng.choice(rows, rows // 20, replace=False)] = None
    return pd.DataFrame({"x1": x1, "x2": x2, "colour": pd.array(colour, dtype="str"),
                         "label": y})


def make_regression_frame(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=rows), rng.uniform(0, 10, size=rows)
    area = rng.choice(["north", "south"], size=rows)
    y = 3 * x1 + x2 ** 1.5 + (area == "north") * 5 + rng.normal(scale=0.5, size=rows)
    return pd.DataFrame({"x1": x1, "x2": x2, "area": pd.array(area, dtype="str"), "price": y})


@pytest.fixture
def classification_frame() -> pd.DataFrame:
    return make_classification_frame()


@pytest.fixture
def regression_frame() -> pd.DataFrame:
    return make_regression_frame()
