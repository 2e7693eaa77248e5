"""Data page: upload, samples, target and problem type, roles, split, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.data_source
from tests.pages.helpers import load_sample, open_page, state, texts, upload


def test_upload_pick_target_and_see_split_sizes(app: AppTest, tiny_csv: Path) -> None:
    open_page(app, "data")
    upload(app, tiny_csv)
    assert "tiny.csv" in texts(app.success)
    app.selectbox(key="target_column").set_value("label").run()
    assert not app.exception and not app.error
    assert "Classification" in texts(app.info)
    sizes = {m.label: m.value for m in app.metric}
    assert sizes["Training rows"] == "48" and sizes["Validation rows"] == "16"
    assert state(app).target == "label"


def test_cp932_file_with_japanese_columns_just_works(app: AppTest,
                                                     japanese_cp932_csv: Path) -> None:
    open_page(app, "data")
    upload(app, japanese_cp932_csv)
    assert not app.error
    assert "解約" in app.selectbox(key="target_column").options
    app.selectbox(key="target_column").set_value("解約").run()
    assert not app.exception and not app.error
    assert "いいえ" in texts(app.info)       # the detected classes, decoded correctly


def test_sample_dataset_loads_with_its_target(app: AppTest) -> None:
    load_sample(app, "diabetes")
    assert state(app).data.name == "diabetes"
    assert app.selectbox(key="target_column").value == "target"
    assert "Regression" in texts(app.info)


def test_broken_file_shows_a_translated_error_and_keeps_the_earlier_data(
        app: AppTest, tmp_path: Path) -> None:
    load_sample(app, "iris")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"this is not parquet at all")
    upload(app, broken)
    assert app.error, "a broken file must say what is wrong"
    assert not app.exception
    assert state(app).data.name == "iris"
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert not app.exception
    assert any(ch >= "\u3040" for ch in texts(app.error)), texts(app.error)


def test_file_over_the_limit_is_refused(app: AppTest, tiny_csv: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_MAX_UPLOAD_MB", "0.0001")
    open_page(app, "data")
    upload(app, tiny_csv)
    assert app.error and not app.exception
    assert state(app).data is None


def test_target_with_one_class_says_what_to_do(app: AppTest, tmp_path: Path) -> None:
    path = tmp_path / "one_class.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i % 3},same\n" for i in range(30)))
    open_page(app, "data")
    upload(app, path)
    app.selectbox(key="target_column").set_value("y").run()
    assert not app.exception
    assert app.error, "a one-class target must be explained"


def test_nothing_is_reloaded_on_rerun(app: AppTest, tiny_csv: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = ui.data_source.load_table
    monkeypatch.setattr(ui.data_source, "load_table",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    open_page(app, "data")
    upload(app, tiny_csv)
    app.selectbox(key="target_column").set_value("label").run()
    app.run()
    app.run()
    assert len(calls) == 1


def test_choices_survive_switching_pages(app: AppTest, tiny_csv: Path) -> None:
    open_page(app, "data")
    upload(app, tiny_csv)
    app.selectbox(key="target_column").set_value("label").run()
    app.slider(key="valid_size").set_value(0.3).run()
    open_page(app, "home")
    open_page(app, "data")
    assert app.selectbox(key="target_column").value == "label"
    assert app.slider(key="valid_size").value == pytest.approx(0.3)
    assert state(app).valid_size == pytest.approx(0.3)


def test_role_override_changes_the_features(app: AppTest, tiny_csv: Path) -> None:
    open_page(app, "data")
    upload(app, tiny_csv)
    app.selectbox(key="target_column").set_value("label").run()
    state(app).role_overrides = {"region": "id"}
    app.run()
    assert not app.exception
    from ui.data_source import current_setup

    assert "region" not in current_setup(state(app)).features


def test_real_churn_file_profiles(app: AppTest, real_data: Path) -> None:
    open_page(app, "data")
    upload(app, real_data / "churn.txt")
    app.selectbox(key="target_column").set_value("Churn?").run()
    assert not app.exception and not app.error
    assert "Classification" in texts(app.info)


def test_excel_with_several_sheets_lets_the_user_pick_one(app: AppTest, tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"a": range(20), "b": range(20)}).to_excel(writer, sheet_name="first",
                                                                 index=False)
        pd.DataFrame({"x": range(30), "y": [i % 2 for i in range(30)]}).to_excel(
            writer, sheet_name="second", index=False)
    open_page(app, "data")
    upload(app, path)
    assert list(state(app).data.frame.columns) == ["a", "b"]
    app.selectbox(key="table_sheet").set_value("second").run()
    assert not app.exception and not app.error
    assert list(state(app).data.frame.columns) == ["x", "y"]
    assert app.selectbox(key="table_sheet").value == "second"
    assert app.selectbox(key="target_column").options == ["x", "y"]


def test_npz_arrays_can_be_chosen(app: AppTest, tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "arrays.npz"
    rng = np.random.default_rng(0)
    np.savez(path, features=rng.normal(size=(40, 3)), labels=rng.integers(0, 2, 40),
             other=rng.normal(size=(40, 2)))
    open_page(app, "data")
    upload(app, path)
    assert not app.exception and not app.error
    app.selectbox(key="table_npz_x").set_value("other").run()
    assert not app.exception
    assert state(app).data.frame.shape[1] in (2, 3)
    assert state(app).load_options["npz_x"] == "other"


# --- workshop scenarios in the sample picker --------------------------------------------------

from core.scenarios import SCENARIOS, load_scenario   # noqa: E402  (grouped with their tests)


def test_the_picker_offers_samples_then_workshop_scenarios(app: AppTest) -> None:
    open_page(app, "data")
    box = app.selectbox(key="sample_dataset")
    assert box.options[0].startswith("Sample · Iris")
    assert [o for o in box.options if o.startswith("Workshop · ")] == [
        f"Workshop · {t}" for t in ("Retail demand forecast (scenario)",
                                    "Remaining useful life of machine parts (scenario)",
                                    "Loan approval (scenario)",
                                    "Defective products on a production line (scenario)",
                                    "Customer churn with costs (scenario)")]


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_each_scenario_sets_target_task_card_and_tells_its_story(app: AppTest,
                                                                 scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    load_sample(app, scenario_id)
    session = state(app)
    assert session.target == scenario.target and session.task == scenario.task
    assert session.time_column == scenario.time_column
    assert session.requirements == scenario.card
    assert session.costs == (scenario.costs.to_dict() if scenario.costs else None)
    assert session.data.sha256 == load_scenario(scenario_id, seed=42).sha256   # the room's table
    assert app.selectbox(key="target_column").value == scenario.target
    assert app.selectbox(key="task_choice").value == scenario.task
    assert app.selectbox(key="time_column").value == scenario.time_column
    assert "The business case" in texts(app.markdown)
    assert not app.error
    sizes = {m.label: m.value for m in app.metric}
    assert int(sizes["Training rows"].replace(",", "")) > 1000


def test_switching_scenarios_replaces_the_earlier_choices(app: AppTest) -> None:
    load_sample(app, "demand_forecast")
    app.selectbox(key="sample_dataset").set_value("customer_churn").run()
    assert not app.exception
    session = state(app)
    assert (session.target, session.task, session.time_column) == ("churned", "classification",
                                                                   None)
    assert app.selectbox(key="time_column").value is None
    assert session.requirements == SCENARIOS["customer_churn"].card


def test_leaving_a_scenario_for_a_sample_drops_its_card(app: AppTest) -> None:
    load_sample(app, "customer_churn")
    app.selectbox(key="sample_dataset").set_value("iris").run()
    session = state(app)
    assert session.target == "target" and session.task == "auto"
    assert session.requirements is None and session.costs is None


def test_a_scenario_story_shows_in_japanese(app: AppTest) -> None:
    app.sidebar.selectbox(key="language").set_value("ja").run()
    load_sample(app, "defective_products")
    assert "ビジネスの事例" in texts(app.markdown)
    assert app.selectbox(key="sample_dataset").value == "defective_products"
    assert "ワークショップ · 製造ラインの不良品検出(シナリオ)" in app.selectbox(
        key="sample_dataset").options
