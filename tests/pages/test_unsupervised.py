"""Clustering and dimensionality reduction in the app: "no target" on the Data page, the k
sweep and the projection controls on the Train page, and the pages after training."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import open_page, state, texts, train, upload
from ui.unsupervised import BY_CLUSTER, NO_TARGET_KEY


def blobs_frame(rows: int = 150, seed: int = 0) -> pd.DataFrame:
    """Three well-separated groups in four numeric columns, plus the group as a label."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0, 0], [6, 6, 0, 0], [0, 6, 6, 6]], dtype=float)
    group = np.arange(rows) % 3
    values = centres[group] + rng.normal(scale=0.6, size=(rows, 4))
    frame = pd.DataFrame(values.round(3), columns=["a", "b", "c", "d"])
    frame["segment"] = np.array(["gold", "silver", "bronze"])[group]
    return frame


@pytest.fixture
def blobs_csv(tmp_path: Path) -> Path:
    path = tmp_path / "shops.csv"
    blobs_frame().drop(columns="segment").to_csv(path, index=False)
    return path


def choose_no_target(app: AppTest, path: Path) -> AppTest:
    open_page(app, "data")
    upload(app, path)
    app.checkbox(key=NO_TARGET_KEY).check().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_no_target_offers_only_the_unsupervised_tasks(app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    task = app.selectbox(key="task_choice")
    assert task.value == "clustering"
    assert task.options == ["Clustering", "Dimensionality reduction"]
    assert app.selectbox(key="target_column").disabled
    assert state(app).target is None and state(app).task == "clustering"
    assert "Clustering" in texts(app.info)
    assert [t.label for t in app.tabs][:3] == ["Columns and roles", "Missing values",
                                               "Distributions"]
    assert "Target" not in [t.label for t in app.tabs], "no target tab without a target"
    assert app.slider(key="valid_size"), "the split is shown without a target"
    assert app.checkbox(key="stratify").disabled
    app.checkbox(key=NO_TARGET_KEY).uncheck().run()
    assert state(app).task == "auto"
    assert not app.selectbox(key="target_column").disabled
    assert "Regression" in app.selectbox(key="task_choice").options


def test_a_target_with_an_unsupervised_task_only_colours(app: AppTest, tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    blobs_frame().to_csv(path, index=False)
    open_page(app, "data")
    upload(app, path)
    app.selectbox(key="target_column").set_value("segment").run()
    app.selectbox(key="task_choice").set_value("clustering").run()
    assert "only colours the plots" in texts(app.info)
    open_page(app, "train")
    assert "segment" in texts(app.caption) and "only colours" in texts(app.caption)
    assert state(app).memo, "the setup is prepared"


def test_clustering_trains_kmeans_and_the_leaderboard_shows_silhouette(
        app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    open_page(app, "train")
    assert "no column to predict" in texts(app.caption)
    assert set(app.multiselect(key="algorithms").options) >= {"k-means", "Gaussian mixture"}
    train(app, ["kmeans"])
    session = state(app)
    assert {r.key for r in session.results} >= {"kmeans"}
    board = app.get("dataframe")[0].value
    assert "Silhouette" in board.columns
    kmeans = session.result("kmeans")
    assert kmeans.metrics["validation"]["silhouette"] > 0.5
    assert "Silhouette" in texts(app.caption), "the scores are explained"
    assert [t.label for t in app.tabs] == ["Groups on a map", "What each group looks like"]
    colour = app.selectbox(key="projection_color_by")
    assert colour.value == BY_CLUSTER
    colour.set_value("a").run()
    app.toggle(key="projection_3d").set_value(True).run()
    assert not app.exception and not app.error


def test_the_k_sweep_suggests_a_k_and_use_sets_it(app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    open_page(app, "train")
    app.multiselect(key="algorithms").set_value(["kmeans"]).run()
    assert app.slider(key="hp.kmeans.n_clusters").value == 3
    app.slider(key="hp.kmeans.n_clusters").set_value(5).run()
    app.button(key="k_sweep_button").click().run()
    assert not app.exception and not app.error
    sweep = state(app).k_sweeps["kmeans"][1]
    assert sweep.suggested_k == 3
    assert "Suggested: **3 groups**" in texts(app.markdown)
    app.button(key="k_sweep_use").click().run()
    assert app.slider(key="hp.kmeans.n_clusters").value == 3
    assert state(app).params["kmeans"]["n_clusters"] == 3
    assert not _has_button(app, "k_sweep_use"), "the suggestion is in use"
    assert "set to 3 groups" in texts(app.caption)
    app.run()   # kept across reruns: nothing is swept again
    assert state(app).k_sweeps["kmeans"][1] is sweep


def _has_button(app: AppTest, key: str) -> bool:
    return any(b.key == key for b in app.button)


def test_dimensionality_reduction_with_pca(app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    app.selectbox(key="task_choice").set_value("dimensionality_reduction").run()
    assert state(app).task == "dimensionality_reduction"
    train(app, ["pca"])
    session = state(app)
    pca = session.result("pca")
    assert pca.ok and pca.metrics["validation"]["explained_variance"] > 0.5
    board = app.get("dataframe")[0].value
    assert "Explained variance" in board.columns
    labels = [t.label for t in app.tabs]
    assert labels[0] == "Rows on a map" and "What the new columns are made of" in labels
    app.toggle(key="projection_3d").set_value(True).run()
    assert "cannot be drawn in 3-D" in texts(app.caption), "PCA keeps 2 components by default"
    assert not app.exception and not app.error


def test_tsne_says_it_only_knows_its_training_rows(app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    app.selectbox(key="task_choice").set_value("dimensionality_reduction").run()
    train(app, ["tsne"])
    app.selectbox(key="selected_candidate").set_value("tsne").run()
    assert "t-SNE cannot place new rows" in texts(app.info)
    open_page(app, "export")
    assert not app.error and "cannot place new rows" in texts(app.markdown)
    open_page(app, "predict")
    assert "cannot predict here" in texts(app.info)
    assert not app.error and not [b for b in app.button if "whatif_form" in str(b.key)]


def test_export_and_predict_work_for_a_clustering_model(app: AppTest, blobs_csv: Path,
                                                        dojo_home: Path) -> None:
    choose_no_target(app, blobs_csv)
    train(app, ["kmeans"])
    open_page(app, "export")
    assert not app.error, texts(app.error)
    assert list((dojo_home / "bundles").glob("*.zip"))
    assert "puts each row into a group" in texts(app.markdown)
    open_page(app, "predict")
    next(b for b in app.button if "whatif_form" in str(b.key)).click().run()
    assert not app.exception and not app.error, texts(app.error)
    assert app.get("metric")[0].value in {"0", "1", "2"}


def test_predict_shows_the_new_columns_of_a_reduction(app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    app.selectbox(key="task_choice").set_value("dimensionality_reduction").run()
    train(app, ["pca"])
    open_page(app, "predict")
    submit = [b for b in app.button if "whatif_form" in str(b.key)]
    assert submit, "the what-if form is shown"
    submit[0].click().run()
    assert not app.exception and not app.error, texts(app.error)
    result = app.get("dataframe")[-1].value
    assert list(result.columns) == ["component_1", "component_2"]


def test_inspect_does_not_break_on_a_clustering_model(app: AppTest, blobs_csv: Path) -> None:
    choose_no_target(app, blobs_csv)
    train(app, ["kmeans"])
    open_page(app, "inspect")
    assert not app.exception
