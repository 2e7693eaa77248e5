"""Splitting rows into train / validation / test with a recorded seed."""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import DojoError

MAX_PART = 0.9        # valid_size and test_size each stay below this
MAX_HELD_OUT = 0.95   # together they stay below this, so something is left to train on


@dataclass
class SplitInfo:
    method: str               # "random" | "stratified" | "time"
    sizes: dict[str, int]     # {"train": n, "validation": n, "test": n}
    seed: int
    stratified: bool
    valid_size: float
    test_size: float
    time_column: str | None = None


@dataclass
class DataSplit:
    train: np.ndarray         # positional row indices into the frame
    validation: np.ndarray
    test: np.ndarray
    info: SplitInfo


def split_dataset(frame: pd.DataFrame, target: str | None, task: str, valid_size: float = 0.2,
                  test_size: float = 0.2, seed: int = 42, stratify: bool = True,
                  time_column: str | None = None) -> DataSplit:
    """Split the rows of ``frame`` into train, validation and test parts.

    Parameters
    ----------
    frame : DataFrame
        The table; the result holds positional indices into it.
    target : str or None
        The target column (None for unsupervised tasks).
    task : str
        "classification" enables stratification; other tasks split at random.
    valid_size, test_size : float
        Fractions of the rows; each in [0, 0.9), together below 0.95. Validation must get
        at least one row; ``test_size=0`` gives an empty test part.
    seed : int
        Makes the split reproducible.
    stratify : bool
        Keep class proportions (classification only), when every class has enough rows;
        otherwise the split is random and ``info.stratified`` is False.
    time_column : str, optional
        Split by time instead: oldest rows train, then validation, newest test.

    Returns
    -------
    DataSplit
        np.int64 index arrays (sorted within each part, except time order for time splits).

    Raises
    ------
    DojoError
        Bad sizes, too few rows, an unknown target or time column, or unparseable times.
    """
    _check_fractions(valid_size, test_size)
    if target is not None and target not in frame.columns:
        raise DojoError("data.target_not_found", target=target,
                        available=", ".join(str(c) for c in frame.columns[:10]))
    n_train, n_valid, n_test = part_sizes(len(frame), valid_size, test_size)
    if time_column is not None:
        parts, method, stratified = _time_split(frame, time_column, n_train, n_valid), "time", False
    else:
        labels = _strata(frame, target, task, stratify)
        parts = _stratified_split(labels, n_valid, n_test, seed) if labels is not None else None
        stratified = parts is not None
        if parts is None:
            parts = _random_split(len(frame), n_valid, n_test, seed)
        method = "stratified" if stratified else "random"
    train, validation, test = (np.asarray(p, dtype=np.int64) for p in parts)
    info = SplitInfo(method=method, seed=seed, stratified=stratified, valid_size=valid_size,
                     test_size=test_size, time_column=time_column,
                     sizes={"train": len(train), "validation": len(validation), "test": len(test)})
    return DataSplit(train=train, validation=validation, test=test, info=info)


def _check_fractions(valid_size: float, test_size: float) -> None:
    """Both fractions in range, validation not empty, and enough left over to train on."""
    for value in (valid_size, test_size):
        if not isinstance(value, numbers.Real) or not 0 <= value < MAX_PART:
            raise DojoError("data.bad_split_sizes", valid_size=valid_size, test_size=test_size)
    if valid_size <= 0 or valid_size + test_size >= MAX_HELD_OUT:
        raise DojoError("data.bad_split_sizes", valid_size=valid_size, test_size=test_size)


def part_sizes(rows: int, valid_size: float, test_size: float) -> tuple[int, int, int]:
    """Rows for train, validation and test: at least one in each non-empty part."""
    n_test = max(1, round(rows * test_size)) if test_size > 0 else 0
    n_valid = max(1, round(rows * valid_size))
    n_train = rows - n_valid - n_test
    if n_train < 1:
        raise DojoError("data.too_few_rows_to_split", rows=rows)
    return n_train, n_valid, n_test


def _strata(frame: pd.DataFrame, target: str | None, task: str, stratify: bool) -> np.ndarray | None:
    """Class codes to stratify on, or None when the split should be random."""
    if not stratify or target is None or task != "classification":
        return None
    # Missing labels form their own group rather than breaking the split.
    codes, _ = pd.factorize(frame[target], use_na_sentinel=True)
    return codes


def _random_split(rows: int, n_valid: int, n_test: int,
                  seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed).permutation(rows)
    test, validation, train = order[:n_test], order[n_test:n_test + n_valid], order[n_test + n_valid:]
    return np.sort(train), np.sort(validation), np.sort(test)


def _stratified_split(labels: np.ndarray, n_valid: int, n_test: int,
                      seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Class-preserving split, or None when some class is too small to reach every part."""
    from sklearn.model_selection import train_test_split

    counts = np.bincount(labels - labels.min())
    counts = counts[counts > 0]
    parts_needed = 3 if n_test else 2
    if counts.min() < parts_needed or min(n_valid, n_test or n_valid) < len(counts):
        return None
    rows = np.arange(len(labels))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rest, test = ((rows, rows[:0]) if n_test == 0 else train_test_split(
                rows, test_size=n_test, stratify=labels, random_state=seed))
            train, validation = train_test_split(rest, test_size=n_valid, stratify=labels[rest],
                                                 random_state=seed)
    except ValueError:  # a class still too small after the first cut
        return None
    return np.sort(train), np.sort(validation), np.sort(test)


def _time_split(frame: pd.DataFrame, time_column: str, n_train: int,
                n_valid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Oldest rows train, the next ones validate, the newest test; each part in time order."""
    if time_column not in frame.columns:
        raise DojoError("data.time_column_not_found", column=time_column,
                        available=", ".join(str(c) for c in frame.columns[:10]))
    times = _as_times(frame[time_column])
    unparsed = int(times.isna().sum())
    if unparsed:
        raise DojoError("data.time_column_unparseable", column=time_column, count=unparsed)
    order = np.argsort(times.to_numpy(), kind="stable")
    return order[:n_train], order[n_train:n_train + n_valid], order[n_train + n_valid:]


def _as_times(values: pd.Series) -> pd.Series:
    """Numbers and datetimes sort as they are; text is parsed as dates."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(values, format="mixed", errors="coerce")
