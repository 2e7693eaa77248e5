"""Export page: the whole flow upload → target → train → leaderboard → export, and the bundle."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
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
    buttons = {b.key: b for b in download_buttons(app)}
    assert buttons["bundle_download"].proto.label == "Download the model bundle"
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
    labels = {b.key: b.proto.label for b in download_buttons(app)}
    assert labels["bundle_download"] == "モデルバンドルをダウンロード"
    assert labels["report_download"] == "レポートをダウンロード(HTML)"
    assert "中身" in texts(app.subheader)


# --- the hand-over report, the card and the decision threshold in the bundle -----------------

CARD = {"problem_type": "classification", "explanation": "global",
        "accuracy": {"metric": "recall", "target": 0.5}}


def bundles_in(home: Path) -> list[Path]:
    return sorted((home / "bundles").glob("*.zip"))


def train_with_costs(at: AppTest, path: Path) -> AppTest:
    """Logistic regression on ``path`` with a miss 20 times dearer than a false alarm."""
    state(at).requirements = dict(CARD)
    state(at).costs = {"false_positive": 1.0, "false_negative": 20.0}
    open_page(at, "data")
    upload(at, path)
    at.selectbox(key="target_column").set_value("label").run()
    return train(at, ["logistic_regression"])


def test_report_downloads_and_a_message_per_role(app: AppTest, tiny_csv: Path,
                                                 dojo_home: Path) -> None:
    from core.report import ROLES

    open_page(app, "data")
    upload(app, tiny_csv)
    app.selectbox(key="target_column").set_value("label").run()
    train(app, ["decision_tree"])
    open_page(app, "export")
    buttons = {b.key: b.proto.label for b in download_buttons(app)}
    assert buttons["report_download"] == "Download the report (HTML)"
    assert buttons["report_download_md"] == "Download the report (Markdown)"
    with zipfile.ZipFile(bundles_in(dojo_home)[0]) as archive:
        html = archive.read("extras/report.html").decode("utf-8")
        markdown = archive.read("extras/report.md").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Decision tree" in html
    assert "Decision tree" in markdown
    roles = [e for e in app.expander if e.label in {"Product manager", "MLOps engineer"}]
    assert len(roles) == 2
    codes = [c.value for c in app.code]
    assert sum("Decision tree" in code for code in codes) >= len(ROLES)


def test_the_bundle_holds_card_scorecard_threshold_and_predict_py_honours_it(
        app: AppTest, noisy_csv: Path, dojo_home: Path, tmp_path: Path) -> None:
    train_with_costs(app, noisy_csv)
    threshold = state(app).thresholds["logistic_regression"]
    assert threshold < 0.5
    open_page(app, "export")
    assert "Decision threshold" in texts(app.markdown)
    [path] = bundles_in(dojo_home)
    meta = load_bundle(path).metadata
    assert meta["requirements"] == CARD
    assert meta["scorecard"]["candidate"] == "logistic_regression"
    assert {line["requirement"] for line in meta["scorecard"]["lines"]} == {"explanation",
                                                                           "accuracy"}
    assert meta["decision_threshold"] == pytest.approx(threshold)
    standard = state(app).result("logistic_regression").metrics
    assert meta["metrics"]["validation"]["recall"] > standard["validation"]["recall"], \
        "the bundle's scores are the handed-over model's, at its threshold"
    assert meta["metrics"]["test"]["roc_auc"] == pytest.approx(standard["test"]["roc_auc"])
    with zipfile.ZipFile(path) as archive:
        assert "Decision threshold" in archive.read("extras/report.md").decode("utf-8")
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    # The bundle's own sample rows, then every row of the data: one run of predict.py.
    sample = pd.read_csv(folder / "sample_input.csv")
    rows = pd.concat([sample, pd.read_csv(noisy_csv)[list(sample.columns)]])
    rows.to_csv(folder / "rows.csv", index=False)
    done = subprocess.run([sys.executable, "predict.py", "rows.csv", "-o", "out.csv"],
                          cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = pd.read_csv(folder / "out.csv")
    expected = np.where(out["probability_yes"] >= threshold, "yes", "no")
    assert list(out["prediction"]) == list(expected)
    between = out[(out["probability_yes"] >= threshold) & (out["probability_yes"] < 0.5)]
    assert len(between) and set(between["prediction"]) == {"yes"}, "0.5 would have said no"
    stored = pd.read_csv(folder / "sample_predictions.csv")
    assert list(stored["prediction"]) == list(out["prediction"][:len(sample)])


def test_the_bundle_is_rewritten_when_threshold_or_card_change_not_on_rerun(
        app: AppTest, noisy_csv: Path, dojo_home: Path) -> None:
    train_with_costs(app, noisy_csv)
    open_page(app, "export")
    app.run()
    first = bundles_in(dojo_home)
    assert len(first) == 1
    open_page(app, "train")
    app.radio(key="threshold_choice.logistic_regression").set_value("standard").run()
    open_page(app, "export")
    second = [p for p in bundles_in(dojo_home) if p not in first]
    assert len(second) == 1 and "decision_threshold" not in load_bundle(second[0]).metadata
    state(app).requirements = {"problem_type": "classification", "explanation": "rules"}
    app.run()
    third = [p for p in bundles_in(dojo_home) if p not in first + second]
    assert len(third) == 1
    assert load_bundle(third[0]).metadata["requirements"]["explanation"] == "rules"
    app.run()
    assert len(bundles_in(dojo_home)) == 3


def test_test_scores_reach_the_recorded_runs(app: AppTest, noisy_csv: Path) -> None:
    from core import tracking

    train_with_costs(app, noisy_csv)
    open_page(app, "export")
    assert tracking.flush(120)
    job = tracking.job_of(state(app).result("logistic_regression"))
    runs = tracking.list_runs({"job": job}).set_index("candidate_key")
    for key in ("logistic_regression", "baseline"):
        assert runs.loc[key, "metrics.test_accuracy"] == pytest.approx(
            state(app).result(key).metrics["test"]["accuracy"])
