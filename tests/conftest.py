"""Fixtures shared by the test suite: small data files and the real data, when present."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT / ".." / "shared" / "data"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: browser test against a real `streamlit run` server "
                                       "(skipped when chromium is missing)")


def tiny_frame(rows: int = 80, seed: int = 0) -> pd.DataFrame:
    """A small, learnable binary classification table with a categorical column."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=rows), rng.normal(size=rows)
    region = rng.choice(["north", "south", "east"], size=rows)
    label = np.where(x1 + 0.5 * x2 + (region == "north") > 0.3, "yes", "no")
    return pd.DataFrame({"x1": x1.round(3), "x2": x2.round(3), "region": region, "label": label})


@pytest.fixture
def tiny_csv(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.csv"
    tiny_frame().to_csv(path, index=False)
    return path


@pytest.fixture
def japanese_cp932_csv(tmp_path: Path) -> Path:
    """A Shift_JIS (cp932) CSV with Japanese column names and values."""
    frame = tiny_frame().rename(columns={"x1": "年齢", "x2": "利用額", "region": "地域",
                                         "label": "解約"})
    frame["地域"] = frame["地域"].map({"north": "北", "south": "南", "east": "東"})
    frame["解約"] = frame["解約"].map({"yes": "はい", "no": "いいえ"})
    path = tmp_path / "顧客.csv"
    path.write_bytes(frame.to_csv(index=False).encode("cp932"))
    return path


@pytest.fixture
def real_data() -> Path:
    if not (REAL_DATA / "churn.txt").is_file():
        pytest.skip("the shared real data (../shared/data) is not present")
    return REAL_DATA
