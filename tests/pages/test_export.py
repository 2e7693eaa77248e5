"""Export page: the whole flow upload → target → train → leaderboard → export, and the bundle."""

from __future__ import annotations

import zipfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.bundle import load_bundle
from tests.pages.helpers import load_sample, open_page, state, texts, train, upload


def download_buttons(at: AppTest) -> list:
    return [e for e in at.get("download_button") if getattr(e, "proto", None) is not None]


def test_without_results_the_page_points_to_training(app: AppTest) -> None:
    open_page(app, "export")
    assert "Train" in texts(app.info)
    assert not download_buttons(app)


def test_upload_target_train_leaderboard_export(app: AppTest, tiny_csv: Path,
                                                dojo_home: Path) -> None:
    open_page(app, "data")
    upload(app, tiny_csv)
    app.selectbox(key="target_column").set_value("label").run()
    train(app, ["decision_tree", "logistic_regression"])
    assert app.get("dataframe"), "the leaderboard is shown"
    open_page(app, "export")
    assert not app.error
    buttons = download_buttons(app)
    assert len(buttons) == 1 and buttons[0].proto.label == "Download the model bundle"
    bundles = list((dojo_home / "bundles").glob("*.zip"))
    assert len(bundles) == 1
    with zipfile.ZipFile(bundles[0]) as archive:
        assert {"model.joblib", "metadata.json", "predict.py", "signature"} <= set(
            archive.namelist())
    loaded = load_bundle(bundles[0])
    assert loaded.metadata["target"] == "label"
    assert loaded.metadata["metrics"]["test"], "the exported model is scored on the test rows"
    assert "python predict.py" in texts(app.code)


def test_bundle_is_written_once_per_candidate(app: AppTest, dojo_home: Path) -> None:
    load_sample(app, "iris")
    train(app, ["decision_tree", "logistic_regression"])
    open_page(app, "export")
    first = list((dojo_home / "bundles").glob("*.zip"))
    stamp = first[0].stat().st_mtime_ns
    app.run()
    open_page(app, "home")
    open_page(app, "export")
    assert list((dojo_home / "bundles").glob("*.zip")) == first
    assert first[0].stat().st_mtime_ns == stamp
    other = next(k for k in ("decision_tree", "logistic_regression")
                 if k != app.selectbox(key="export_candidate").value)
    app.selectbox(key="export_candidate").set_value(other).run()
    assert len(list((dojo_home / "bundles").glob("*.zip"))) == 2
    assert set(state(app).bundles) == {"decision_tree", "logistic_regression"}


def test_export_page_in_japanese(app: AppTest) -> None:
    load_sample(app, "iris")
    train(app, ["decision_tree"])
    app.sidebar.selectbox(key="language").set_value("ja").run()
    open_page(app, "export")
    assert download_buttons(app)[0].proto.label == "モデルバンドルをダウンロード"
    assert "中身" in texts(app.subheader)
