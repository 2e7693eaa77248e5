"""Column roles, the problem type, target checks and leakage in core.profiling."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.data import load_table
from core.errors import DojoError
from core.i18n import Message
from core.profiling import (
    ROLES, DataProfile, drop_missing_target, infer_task, looks_like_id_name, profile_frame,
)


def _roles_frame(rows: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    sentences = [f"customer {i} wrote a long comment about the service and the price {i * 7}"
                 for i in range(rows)]
    return pd.DataFrame({
        "customer_id": np.arange(1000, 1000 + rows),
        "row": rng.permutation(rows),                       # a shuffled 0..n-1 range: a row number
        "amount": rng.normal(size=rows),                    # unique floats: still numeric
        "count": rng.integers(0, 50, size=rows),
        "colour": pd.array(rng.choice(["red", "green", "blue"], size=rows), dtype="str"),
        "flag": rng.choice([True, False], size=rows),
        "grade": pd.Categorical(rng.choice(["a", "b"], size=rows)),
        "when": pd.array([f"2024-01-{1 + i % 28:02d}" for i in range(rows)], dtype="str"),
        "stamp": pd.date_range("2024-01-01", periods=rows, freq="h"),
        "comment": pd.array(sentences, dtype="str"),
        "code": pd.array([f"C{i:05d}" for i in range(rows)], dtype="str"),
        "same": 7,
        "nothing": np.nan,
        "label": pd.array(rng.choice(["yes", "no"], size=rows), dtype="str"),
    })


EXPECTED_ROLES = {
    "customer_id": "id", "row": "id", "amount": "numeric", "count": "numeric",
    "colour": "categorical", "flag": "categorical", "grade": "categorical", "when": "datetime",
    "stamp": "datetime", "comment": "text", "code": "id", "same": "constant", "nothing": "empty",
}


def test_every_role_is_detected_with_a_reason() -> None:
    profile = profile_frame(_roles_frame(), target="label")
    for name, role in EXPECTED_ROLES.items():
        column = profile.column(name)
        assert column.role == role, name
        assert column.reason.text("en") != column.reason.key
        assert column.reason.text("ja") != column.reason.text("en")
    assert set(profile.features) == {"amount", "count", "colour", "flag", "grade"}
    assert profile.feature_roles["colour"] == "categorical"
    assert not profile.column("label").is_feature
    assert "generalise" in profile.column("customer_id").reason.text("en")


def test_missing_share_and_distinct() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 2.0, 2.0], "b": ["x", "y", None, "x"]})
    profile = profile_frame(frame)
    assert profile.column("a").missing_share == pytest.approx(0.25)
    assert profile.column("a").distinct == 2 and profile.column("b").distinct == 2
    assert profile.rows == 4 and profile.task is None


def test_integer_columns_need_an_id_name_or_a_range_to_be_ids() -> None:
    rng = np.random.default_rng(1)
    scattered = rng.choice(np.arange(10_000), size=100, replace=False)
    frame = pd.DataFrame({"ticket_no": scattered, "value": scattered + 1})
    profile = profile_frame(frame)
    assert profile.column("ticket_no").role == "id"
    assert profile.column("value").role == "numeric"


@pytest.mark.parametrize("name", ["Id", "ID", "customer_id", "CustomerID", "userId", "PhoneNo",
                                  "order number", "zip_code", "顧客番号", "ID番号", "No."])
def test_id_like_names(name: str) -> None:
    assert looks_like_id_name(name)


@pytest.mark.parametrize("name", ["price", "Paid", "width", "idea", "notes", "Area", "GRID"])
def test_names_that_are_not_ids(name: str) -> None:
    assert not looks_like_id_name(name)


def test_numeric_strings_are_not_dates_and_month_names_are_not_dates() -> None:
    rows = 50
    frame = pd.DataFrame({
        "years": pd.array([str(2000 + i % 5) for i in range(rows)], dtype="str"),
        "month": pd.array(["Jan", "Feb", "Mar", "Apr", "May"] * 10, dtype="str"),
        "phone": pd.array([f"{400 + i}-{1000 + i}" for i in range(rows)], dtype="str"),
        "jp_date": pd.array([f"2024年{1 + i % 12}月{1 + i % 28}日" for i in range(rows)], dtype="str"),
    })
    profile = profile_frame(frame)
    assert profile.column("years").role == "categorical"
    assert profile.column("month").role == "categorical"
    assert profile.column("phone").role == "id"
    assert profile.column("jp_date").role == "datetime"


def test_role_overrides_win_and_are_validated() -> None:
    frame = _roles_frame()
    profile = profile_frame(frame, target="label", role_overrides={"count": "categorical",
                                                                     "amount": "id"})
    assert profile.column("count").role == "categorical" and profile.column("count").is_feature
    assert not profile.column("amount").is_feature
    assert profile.column("amount").reason.key == "data.role_override"
    with pytest.raises(DojoError) as excinfo:
        profile_frame(frame, role_overrides={"amount": "wizard"})
    assert excinfo.value.key == "data.unknown_role"
    with pytest.raises(DojoError) as excinfo:
        profile_frame(frame, role_overrides={"ghost": "numeric"})
    assert excinfo.value.key == "data.override_column_not_found"


# ---------------------------------------------------------------- the task


@pytest.mark.parametrize("values, task, subtype, classes", [
    (["True.", "False.", "True.", "False."], "classification", "binary", ["False.", "True."]),
    (["yes", "no", "no", "yes", None], "classification", "binary", ["no", "yes"]),
    ([True, False, True, True], "classification", "binary", [False, True]),
    ([0, 1, 2, 0, 1, 2, 0, 1, 2, 1], "classification", "multiclass", [0, 1, 2]),
    ([1.0, 0.0, 1.0, np.nan, 0.0, 1.0], "classification", "binary", [0.0, 1.0]),
    ([0.5, 1.7, 2.2, 3.9, 0.1, 9.9], "regression", None, None),
    (list(range(100)), "regression", None, None),
    (list(range(30)) * 2, "regression", None, None),
])
def test_infer_task(values: list, task: str, subtype: str | None, classes: list | None) -> None:
    info = infer_task(pd.Series(values, name="y"))
    assert (info.task, info.subtype, info.classes) == (task, subtype, classes)
    if classes:
        assert all(type(c) in (str, int, float, bool) for c in info.classes)


def test_infer_task_on_an_empty_target() -> None:
    with pytest.raises(DojoError) as excinfo:
        infer_task(pd.Series([np.nan, np.nan], name="y"))
    assert excinfo.value.key == "data.target_all_missing"


def test_task_overrides() -> None:
    frame = pd.DataFrame({"x": range(40), "y": [0, 1, 2, 3] * 10, "s": ["a", "b"] * 20})
    assert profile_frame(frame, "y").task.task == "classification"
    assert profile_frame(frame, "y", task="regression").task.task == "regression"
    assert profile_frame(frame, "x", task="classification").task.subtype == "multiclass"
    with pytest.raises(DojoError) as excinfo:
        profile_frame(frame, "s", task="regression")
    assert excinfo.value.key == "data.regression_needs_numbers"
    with pytest.raises(DojoError) as excinfo:
        profile_frame(frame, "y", task="magic")
    assert excinfo.value.key == "data.unknown_task"
    unsupervised = profile_frame(frame, task="clustering")
    assert unsupervised.task is None and "y" in unsupervised.features


def test_target_errors() -> None:
    frame = pd.DataFrame({"x": range(10), "y": ["a"] * 10, "empty": [np.nan] * 10})
    for target, key in [("nope", "data.target_not_found"), ("y", "data.target_one_class"),
                        ("empty", "data.target_all_missing")]:
        with pytest.raises(DojoError) as excinfo:
            profile_frame(frame, target)
        assert excinfo.value.key == key
        assert "{" not in excinfo.value.message("en") and "{" not in excinfo.value.message("ja")
    with pytest.raises(DojoError) as excinfo:
        profile_frame(frame, "nope")
    assert "x" in str(excinfo.value)


def test_target_distribution_and_warnings() -> None:
    frame = pd.DataFrame({"x": range(12), "y": ["a"] * 6 + ["b"] * 4 + ["c"] + [None]})
    profile = profile_frame(frame, "y")
    assert profile.target_distribution == {"a": 6, "b": 4, "c": 1}
    keys = {w.key for w in profile.warnings}
    assert {"data.rare_class", "data.target_missing_values"} <= keys
    regression = profile_frame(pd.DataFrame({"x": range(50), "y": np.linspace(0, 1, 50) ** 2}), "y")
    assert set(regression.target_distribution) == {"min", "max", "mean", "median", "std"}
    assert regression.target_distribution["max"] == pytest.approx(1.0)


def test_drop_missing_target() -> None:
    frame = pd.DataFrame({"x": [1, 2, 3, 4], "y": ["a", None, "b", np.nan]})
    kept, dropped = drop_missing_target(frame, "y")
    assert dropped == 2 and kept["x"].tolist() == [1, 3] and kept.index.tolist() == [0, 1]
    same, none = drop_missing_target(kept, "y")
    assert none == 0 and same is kept
    assert Message("data.rows_dropped_missing_target", {"target": "y", "count": 2}).text("ja") != \
        "data.rows_dropped_missing_target"


# ---------------------------------------------------------------- leakage


def test_leakage_is_flagged_for_a_feature_that_gives_the_answer_away(classification_frame) -> None:
    frame = classification_frame.copy()
    frame["refund_issued"] = pd.array(np.where(frame["label"] == "yes", "Y", "N"), dtype="str")
    profile = profile_frame(frame, "label")
    assert profile.leakage == ["refund_issued"]
    warning = next(w for w in profile.warnings if w.key == "data.leakage_classification")
    assert warning.params["column"] == "refund_issued"
    assert "refund_issued" in warning.text("ja")


def test_regression_leakage(regression_frame) -> None:
    frame = regression_frame.copy()
    frame["price_in_yen"] = frame["price"] * 150 + 3
    profile = profile_frame(frame, "price")
    assert profile.leakage == ["price_in_yen"]
    assert any(w.key == "data.leakage_regression" for w in profile.warnings)


def test_no_leakage_for_honest_features(classification_frame) -> None:
    assert profile_frame(classification_frame, "label").leakage == []


# ---------------------------------------------------------------- real data and speed


def test_house_prices_profile(shared_data: Path) -> None:
    frame = load_table(shared_data / "house_prices.csv").frame
    profile = profile_frame(frame, "SalePrice")
    assert profile.task.task == "regression"
    assert profile.column("Id").role == "id"
    assert profile.column("LotFrontage").role == "numeric"
    assert profile.column("LotFrontage").missing_share > 0
    assert "SalePrice" not in profile.features and "Id" not in profile.features


def test_churn_profile(shared_data: Path) -> None:
    frame = load_table(shared_data / "churn.txt").frame
    profile = profile_frame(frame, "Churn?")
    assert (profile.task.task, profile.task.subtype) == ("classification", "binary")
    assert profile.task.classes == ["False.", "True."]
    assert profile.column("Phone").role == "id"
    assert profile.column("State").role == "categorical"


def test_profile_is_fast_on_a_large_frame() -> None:
    rng = np.random.default_rng(0)
    rows = 200_000
    frame = pd.DataFrame(rng.random((rows, 20)), columns=[f"f{i}" for i in range(20)])
    frame["city"] = pd.array(rng.choice(["a", "b", "c"], size=rows), dtype="str")
    frame["y"] = rng.integers(0, 2, size=rows)
    profile_frame(frame.head(100), "y")  # imports out of the timing
    start = time.perf_counter()
    profile = profile_frame(frame, "y")
    assert time.perf_counter() - start < 2.0
    assert isinstance(profile, DataProfile) and len(profile.features) == 21


def test_roles_constant_lists_every_role() -> None:
    assert set(EXPECTED_ROLES.values()) == set(ROLES)
