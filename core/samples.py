"""The sample datasets that ship with scikit-learn, ready to load without a file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.data import LoadedData
from core.errors import DojoError
from core.i18n import Message


@dataclass(frozen=True)
class SampleDataset:
    """One bundled dataset: how to show it and what it predicts."""

    id: str
    title: Message          # display name (en/ja)
    description: Message    # one line on what it holds
    task: str               # "classification" | "regression"
    loader: str             # the sklearn.datasets function that loads it
    target: str = "target"


def _sample(sample_id: str, task: str, loader: str) -> SampleDataset:
    return SampleDataset(id=sample_id, title=Message(f"data.sample.{sample_id}.title"),
                         description=Message(f"data.sample.{sample_id}.description"),
                         task=task, loader=loader)


SAMPLE_DATASETS: dict[str, SampleDataset] = {
    "iris": _sample("iris", "classification", "load_iris"),
    "wine": _sample("wine", "classification", "load_wine"),
    "breast_cancer": _sample("breast_cancer", "classification", "load_breast_cancer"),
    "diabetes": _sample("diabetes", "regression", "load_diabetes"),
}


def list_samples() -> list[str]:
    """The ids of the bundled samples, in display order."""
    return list(SAMPLE_DATASETS)


def load_sample(sample_id: str) -> LoadedData:
    """Load a bundled sample as a table with its target in the column "target".

    Classification targets hold the class names (e.g. "setosa"), not codes, so that what
    the app shows reads like real data.

    Raises
    ------
    DojoError
        ``data.unknown_sample`` for an id not in ``SAMPLE_DATASETS``.
    """
    sample = SAMPLE_DATASETS.get(sample_id)
    if sample is None:
        raise DojoError("data.unknown_sample", sample=sample_id, available=", ".join(SAMPLE_DATASETS))
    frame = _sample_frame(sample)
    digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    return LoadedData(frame=frame, name=sample.id, sha256=digest, file_format="sample",
                      size_bytes=int(frame.memory_usage(deep=True).sum()))


def _sample_frame(sample: SampleDataset) -> pd.DataFrame:
    import sklearn.datasets

    load: Callable[..., Any] = getattr(sklearn.datasets, sample.loader)
    bunch = load(as_frame=True)
    frame = bunch.frame.copy()
    if sample.task == "classification":
        names = np.asarray(bunch.target_names, dtype=str)
        frame[sample.target] = pd.Series(names[bunch.target.to_numpy()], index=frame.index,
                                         dtype="str")
    return frame
