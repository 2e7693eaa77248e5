"""Predict page: what-if form, batch file with download, uploaded bundles (signed only)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.conftest import tiny_frame
from tests.pages.helpers import load_sample, open_page, state, texts, train, upload


def trained_iris(app: AppTest) -> AppTest:
    load_sample(app, "iris")
    return train(app, ["decision_tree"])


def test_without_models_the_page_offers_a_bundle_upload(app: AppTest) -> None:
    open_page(app, "predict")
    assert not app.exception
    assert app.radio(key="predict_source").value == "bundle"


def test_what_if_form_predicts_one_row(app: AppTest) -> None:
    trained_iris(app)
    open_page(app, "predict")
    assert len(app.number_input) == 4            # one input per feature
    app.number_input[2].set_value(1.0)           # petal length: small → setosa
    app.number_input[3].set_value(0.2)
    app.main.button[-1].click().run()                 # the form's submit button
    assert not app.exception and not app.error
    assert app.metric[0].value == "setosa"
    assert state(app).predictions_made == 1


def test_batch_prediction_of_an_uploaded_file(app: AppTest, tmp_path: Path) -> None:
    trained_iris(app)
    frame = state(app).data.frame.drop(columns=["target"]).head(7)
    path = tmp_path / "to_score.csv"
    frame.to_csv(path, index=False)
    open_page(app, "predict")
    upload(app, path, key="predict_upload")
    assert not app.error
    table = app.get("dataframe")[-1].value
    assert len(table) == 7 and "prediction" in table.columns
    assert any(e.proto.label.startswith("Download") for e in app.get("download_button"))


def test_batch_file_missing_columns_says_which(app: AppTest, tmp_path: Path) -> None:
    trained_iris(app)
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\n1,2\n")
    open_page(app, "predict")
    upload(app, path, key="predict_upload")
    assert app.error and not app.exception
    assert "sepal length (cm)" in texts(app.error)


def exported_bundle(app: AppTest, dojo_home: Path) -> Path:
    open_page(app, "export")
    return next((dojo_home / "bundles").glob("*.zip"))


def test_uploaded_signed_bundle_is_used(app: AppTest, tmp_path: Path, dojo_home: Path) -> None:
    open_page(app, "data")
    source = tmp_path / "tiny.csv"
    tiny_frame().to_csv(source, index=False)
    upload(app, source)
    app.selectbox(key="target_column").set_value("label").run()
    train(app, ["decision_tree"])
    bundle = exported_bundle(app, dojo_home)
    open_page(app, "predict")
    app.radio(key="predict_source").set_value("bundle").run()
    app.file_uploader(key="bundle_upload").set_value(
        (bundle.name, bundle.read_bytes(), "application/zip")).run()
    assert not app.exception and not app.error
    assert "Signature verified" in texts(app.success)
    app.main.button[-1].click().run()
    assert app.metric[0].value in {"yes", "no"}


def test_tampered_bundle_is_refused_with_a_message(app: AppTest, dojo_home: Path) -> None:
    trained_iris(app)
    bundle = exported_bundle(app, dojo_home)
    buffer = io.BytesIO()
    with zipfile.ZipFile(bundle) as original, zipfile.ZipFile(buffer, "w") as altered:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "sample_input.csv":
                data += b"\n"
            altered.writestr(item, data)
    open_page(app, "predict")
    app.radio(key="predict_source").set_value("bundle").run()
    app.file_uploader(key="bundle_upload").set_value(
        ("altered.zip", buffer.getvalue(), "application/zip")).run()
    assert app.error and not app.exception
    assert not app.number_input, "no form for a refused bundle"


def test_not_a_zip_is_refused(app: AppTest) -> None:
    open_page(app, "predict")
    app.file_uploader(key="bundle_upload").set_value(
        ("fake.zip", b"not a zip", "application/zip")).run()
    assert app.error and not app.exception


def test_predictions_keep_japanese_text(app: AppTest, japanese_cp932_csv: Path,
                                        tmp_path: Path) -> None:
    open_page(app, "data")
    upload(app, japanese_cp932_csv)
    app.selectbox(key="target_column").set_value("解約").run()
    train(app, ["decision_tree"])
    rows = pd.read_csv(japanese_cp932_csv, encoding="cp932").drop(columns=["解約"]).head(5)
    path = tmp_path / "score.csv"
    path.write_bytes(rows.to_csv(index=False).encode("cp932"))
    open_page(app, "predict")
    upload(app, path, key="predict_upload")
    assert not app.error
    table = app.get("dataframe")[-1].value
    assert set(table["prediction"]) <= {"はい", "いいえ"}
    assert "地域" in table.columns
