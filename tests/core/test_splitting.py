"""Train / validation / test splits in core.splitting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import DojoError
from core.splitting import split_dataset


def _frame(rows: int = 200, minority: float = 0.1) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    labels = np.where(np.arange(rows) < rows * minority, "rare", "common")
    return pd.DataFrame({"x": rng.normal(size=rows), "label": rng.permutation(labels)})


def _all_rows(split) -> np.ndarray:
    return np.concatenate([split.train, split.validation, split.test])


def test_sizes_partition_and_dtype() -> None:
    split = split_dataset(_frame(), "label", "classification", valid_size=0.2, test_size=0.1)
    assert split.info.sizes == {"train": 140, "validation": 40, "test": 20}
    assert sorted(_all_rows(split).tolist()) == list(range(200))
    for part in (split.train, split.validation, split.test):
        assert part.dtype == np.int64 and np.all(np.diff(part) > 0)
    assert (split.info.valid_size, split.info.test_size, split.info.seed) == (0.2, 0.1, 42)


def test_stratified_keeps_class_proportions() -> None:
    frame = _frame(rows=1000, minority=0.1)
    split = split_dataset(frame, "label", "classification", seed=3)
    assert split.info.stratified and split.info.method == "stratified"
    for part in (split.train, split.validation, split.test):
        share = (frame["label"].iloc[part] == "rare").mean()
        assert share == pytest.approx(0.1, abs=0.01)


def test_stratification_falls_back_when_a_class_is_too_small() -> None:
    frame = pd.DataFrame({"x": range(50), "label": ["a"] * 49 + ["b"]})
    split = split_dataset(frame, "label", "classification")
    assert not split.info.stratified and split.info.method == "random"
    assert len(_all_rows(split)) == 50


def test_regression_and_unsupervised_splits_are_random() -> None:
    frame = pd.DataFrame({"x": range(100), "y": np.linspace(0, 1, 100)})
    assert split_dataset(frame, "y", "regression").info.method == "random"
    unsupervised = split_dataset(frame, None, "clustering", test_size=0)
    assert unsupervised.info.sizes == {"train": 80, "validation": 20, "test": 0}
    assert unsupervised.test.dtype == np.int64


def test_same_seed_same_split_other_seed_other_split() -> None:
    frame = _frame()
    first = split_dataset(frame, "label", "classification", seed=7)
    again = split_dataset(frame, "label", "classification", seed=7)
    other = split_dataset(frame, "label", "classification", seed=8)
    assert np.array_equal(first.train, again.train) and np.array_equal(first.test, again.test)
    assert not np.array_equal(first.train, other.train)
    random_a = split_dataset(frame, "label", "classification", seed=7, stratify=False)
    random_b = split_dataset(frame, "label", "classification", seed=7, stratify=False)
    assert np.array_equal(random_a.validation, random_b.validation)


def test_time_split_orders_oldest_to_newest() -> None:
    dates = pd.date_range("2024-01-01", periods=100, freq="D")
    frame = pd.DataFrame({"when": pd.array(dates.strftime("%Y-%m-%d")[::-1], dtype="str"),
                          "y": range(100)})
    split = split_dataset(frame, "y", "regression", time_column="when")
    assert split.info.method == "time" and split.info.time_column == "when"
    when = pd.to_datetime(frame["when"])
    assert when.iloc[split.train].max() < when.iloc[split.validation].min()
    assert when.iloc[split.validation].max() < when.iloc[split.test].min()
    assert split.info.sizes == {"train": 60, "validation": 20, "test": 20}


def test_time_split_errors() -> None:
    frame = pd.DataFrame({"when": pd.array(["2024-01-01", "soon"] * 10, dtype="str"), "y": range(20)})
    with pytest.raises(DojoError) as excinfo:
        split_dataset(frame, "y", "regression", time_column="when")
    assert excinfo.value.key == "data.time_column_unparseable"
    with pytest.raises(DojoError) as excinfo:
        split_dataset(frame, "y", "regression", time_column="missing")
    assert excinfo.value.key == "data.time_column_not_found"


@pytest.mark.parametrize("valid_size, test_size", [
    (0.0, 0.2), (-0.1, 0.2), (0.9, 0.0), (0.2, 0.95), (0.5, 0.45), (0.6, 0.4),
])
def test_bad_sizes(valid_size: float, test_size: float) -> None:
    with pytest.raises(DojoError) as excinfo:
        split_dataset(_frame(), "label", "classification", valid_size=valid_size, test_size=test_size)
    assert excinfo.value.key == "data.bad_split_sizes"
    assert "{" not in excinfo.value.message("ja")


def test_too_few_rows_and_unknown_target() -> None:
    with pytest.raises(DojoError) as excinfo:
        split_dataset(pd.DataFrame({"x": [1, 2]}), None, "clustering")
    assert excinfo.value.key == "data.too_few_rows_to_split"
    with pytest.raises(DojoError) as excinfo:
        split_dataset(_frame(), "ghost", "classification")
    assert excinfo.value.key == "data.target_not_found"


def test_small_frames_still_get_a_validation_row() -> None:
    split = split_dataset(pd.DataFrame({"x": range(5)}), None, "clustering", valid_size=0.05,
                          test_size=0.05)
    assert split.info.sizes == {"train": 3, "validation": 1, "test": 1}
