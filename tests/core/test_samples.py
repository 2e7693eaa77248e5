"""The bundled scikit-learn samples in core.samples."""

from __future__ import annotations

import pandas as pd
import pytest

from core.errors import DojoError
from core.profiling import profile_frame
from core.samples import SAMPLE_DATASETS, list_samples, load_sample


def test_list_samples() -> None:
    assert list_samples() == ["iris", "wine", "breast_cancer", "diabetes"]


@pytest.mark.parametrize("sample_id", ["iris", "wine", "breast_cancer", "diabetes"])
def test_each_sample_loads_and_profiles_as_declared(sample_id: str) -> None:
    sample = SAMPLE_DATASETS[sample_id]
    loaded = load_sample(sample_id)
    assert loaded.name == sample_id and loaded.file_format == "sample"
    assert len(loaded.sha256) == 64 and loaded.sha256 == load_sample(sample_id).sha256
    assert sample.target == "target" and "target" in loaded.frame.columns
    for message in (sample.title, sample.description):
        assert message.text("en") != message.key and message.text("ja") != message.text("en")
    profile = profile_frame(loaded.frame, sample.target)
    assert profile.task.task == sample.task
    assert len(profile.features) == loaded.frame.shape[1] - 1


def test_class_names_are_the_labels() -> None:
    iris = load_sample("iris").frame
    assert set(iris["target"]) == {"setosa", "versicolor", "virginica"}
    assert pd.api.types.is_string_dtype(iris["target"])
    assert iris.shape == (150, 5)
    assert pd.api.types.is_float_dtype(load_sample("diabetes").frame["target"])


def test_unknown_sample() -> None:
    with pytest.raises(DojoError) as excinfo:
        load_sample("titanic")
    assert excinfo.value.key == "data.unknown_sample"
    assert "iris" in str(excinfo.value)
