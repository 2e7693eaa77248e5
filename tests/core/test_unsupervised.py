"""Clustering and dimensionality reduction: every algorithm trains on a tiny table, the
metrics stay in range, the k sweep, cluster profiles, projections, loadings and the
leaderboard."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from core import catalog, plots, unsupervised
from core.data import LoadedData
from core.errors import DojoError
from core.evaluation import leaderboard
from core.training import (CandidateResult, TrainingSetup, best_candidate, plan_candidates,
                           prepare_setup, score_test, train_candidate, train_candidates)

TSNE_FAST = {"max_iter": 250, "perplexity": 10}


def loaded(frame: pd.DataFrame) -> LoadedData:
    return LoadedData(frame=frame, name="table.csv", sha256="0" * 64, file_format="csv")


def blobs_frame(rows: int = 150, seed: int = 0) -> pd.DataFrame:
    """Three clear groups in (x, y), a noisy column, a shop that follows the group, a
    segment column (the truth, to colour by) and a few missing values."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, rows)
    centres = np.array([[0.0, 0.0], [6.0, 6.0], [0.0, 7.0]])
    xy = centres[group] + rng.normal(scale=0.7, size=(rows, 2))
    shop = np.where(group == 1, "city", rng.choice(["mall", "online"], size=rows))
    frame = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "noise": rng.normal(size=rows),
                          "shop": pd.array(shop, dtype="str"), "segment": group})
    frame.loc[[3, 10], "x"] = np.nan
    return frame


def counts_frame(rows: int = 150, seed: int = 1) -> pd.DataFrame:
    """Non-negative word counts from two topics (LDA's kind of data) and a category."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, 2, rows)
    rates = np.array([[5.0, 4.0, 0.3, 0.2, 1.0], [0.2, 0.4, 5.0, 4.0, 1.0]])[topic]
    counts = rng.poisson(rates)
    frame = pd.DataFrame(counts, columns=[f"w{i}" for i in range(5)])
    frame["source"] = pd.array(np.where(topic == 0, "news", "blog"), dtype="str")
    frame["topic"] = topic
    return frame


@pytest.fixture(scope="module")
def clustering_setup() -> TrainingSetup:
    return prepare_setup(loaded(blobs_frame()), "segment", task="clustering", n_jobs=1)


@pytest.fixture(scope="module")
def reduction_setup() -> TrainingSetup:
    return prepare_setup(loaded(counts_frame()), "topic", task="dimensionality_reduction",
                         n_jobs=1)


@pytest.fixture(scope="module")
def clustering_results(clustering_setup: TrainingSetup) -> dict[str, CandidateResult]:
    results = train_candidates(clustering_setup, ["kmeans", "gaussian_mixture"])
    return {r.key: r for r in results}


def fast_params(algorithm_id: str) -> dict:
    return dict(TSNE_FAST) if algorithm_id == "tsne" else {}


@pytest.fixture(scope="module")
def reduction_results(reduction_setup: TrainingSetup) -> dict[str, CandidateResult]:
    ids = catalog.ids_for_task("dimensionality_reduction")
    results = train_candidates(reduction_setup, ids, {"tsne": TSNE_FAST})
    return {r.key: r for r in results}


# --- preparing a run without a target ----------------------------------------------------

def test_a_given_target_is_kept_out_of_the_features_and_its_missing_rows_kept() -> None:
    frame = blobs_frame(60)
    frame.loc[0, "segment"] = np.nan
    setup = prepare_setup(loaded(frame), "segment", task="clustering", n_jobs=1)
    assert "segment" not in setup.features and len(setup.frame) == 60
    assert setup.classes is None and setup.split.info.method == "random"
    no_target = prepare_setup(loaded(frame.drop(columns="segment")), None,
                              task="dimensionality_reduction", n_jobs=1)
    assert no_target.target is None and no_target.features == ["x", "y", "noise", "shop"]
    with pytest.raises(DojoError) as error:
        prepare_setup(loaded(frame), None, n_jobs=1)
    assert error.value.key == "unsupervised.target_or_task_needed"


def test_unsupervised_catalog_entries_are_declared_for_their_task() -> None:
    assert catalog.ids_for_task("clustering") == ["kmeans", "gaussian_mixture"]
    assert catalog.ids_for_task("dimensionality_reduction") == [
        "pca", "truncated_svd", "nmf", "lda", "lle", "tsne"]
    kmeans = catalog.get("kmeans").hyperparameters_for("clustering")[0]
    assert (kmeans.name, kmeans.kind, kmeans.low, kmeans.high, kmeans.default) == (
        "n_clusters", "int", 2, 20, 3)
    tsne = {h.name: h for h in catalog.get("tsne").hyperparameters_for("dimensionality_reduction")}
    assert (tsne["n_components"].low, tsne["n_components"].high) == (2, 3)
    for task in ("clustering", "dimensionality_reduction"):
        assert set(catalog.DEFAULT_CANDIDATES[task]) <= set(catalog.ids_for_task(task))


# --- clustering ---------------------------------------------------------------------------

def test_clustering_candidates_and_baselines_train_with_metrics_in_range(
        clustering_results: dict[str, CandidateResult]) -> None:
    assert list(clustering_results) == ["baseline", "baseline:single_cluster", "kmeans",
                                        "gaussian_mixture"]
    for key in ("kmeans", "gaussian_mixture", "baseline"):
        result = clustering_results[key]
        assert result.ok, result.error
        metrics = result.metrics["validation"]
        assert -1 <= metrics["silhouette"] <= 1 and metrics["n_clusters"] <= 3
        assert metrics["calinski_harabasz"] > 0 and metrics["davies_bouldin"] >= 0
        assert result.timings["latency_p95_ms"] >= result.timings["latency_p50_ms"] > 0
        assert result.timings["rows_per_second"] > 0 and result.model_size_bytes > 0
    kmeans = clustering_results["kmeans"].metrics["validation"]
    assert kmeans["silhouette"] > 0.5 and kmeans["n_clusters"] == 3    # three clear groups
    single = clustering_results["baseline:single_cluster"].metrics["validation"]
    assert single["silhouette"] is None and single["n_clusters"] == 1
    assert kmeans["inertia"] < single["inertia"] / 3


def test_baselines_take_the_first_candidate_size(clustering_setup: TrainingSetup,
                                                 reduction_setup: TrainingSetup) -> None:
    plan = plan_candidates(clustering_setup, ["gaussian_mixture"],
                           {"gaussian_mixture": {"n_components": 4}})
    assert plan[0] == ("baseline", "baseline", {"strategy": "random_centres", "n_clusters": 4})
    plan = plan_candidates(reduction_setup, ["pca"], {"pca": {"n_components": 3}})
    assert plan[0] == ("baseline", "baseline", {"strategy": "random_projection",
                                                 "n_components": 3})


def test_gaussian_mixture_pipeline_gives_membership_probabilities(
        clustering_setup: TrainingSetup, clustering_results: dict[str, CandidateResult]) -> None:
    X, _ = clustering_setup.part("validation")
    proba = clustering_results["gaussian_mixture"].pipeline.predict_proba(X)
    assert proba.shape == (len(X), 3) and np.allclose(proba.sum(axis=1), 1)


def test_too_many_clusters_fails_with_a_clear_message(clustering_setup: TrainingSetup) -> None:
    tiny = prepare_setup(loaded(blobs_frame(20)), None, task="clustering", n_jobs=1)
    result = train_candidate(tiny, "kmeans", {"n_clusters": 18})
    assert not result.ok and result.error.key == "unsupervised.too_many_clusters"


def test_clustering_metrics_directly() -> None:
    points = np.array([[0.0, 0], [0, 1], [10, 0], [10, 1], [0, 0.5], [10, 0.5]])
    labels = np.array([0, 0, 1, 1, 0, 1])
    metrics = unsupervised.clustering_metrics(points, labels)
    assert metrics["silhouette"] > 0.9 and metrics["davies_bouldin"] < 0.2
    assert metrics["inertia"] == pytest.approx(1 / 6)
    one = unsupervised.clustering_metrics(points, np.zeros(6))
    assert one["silhouette"] is None and one["calinski_harabasz"] is None


# --- the k sweep --------------------------------------------------------------------------

def test_k_sweep_suggests_the_true_number_of_groups(clustering_setup: TrainingSetup) -> None:
    sweep = unsupervised.k_sweep(clustering_setup, "kmeans", ks=range(2, 7), params={"n_init": 3})
    assert sweep.ks == [2, 3, 4, 5, 6] and sweep.parameter == "n_clusters"
    assert sweep.suggested_k == 3
    inertia = sweep.values("inertia")
    assert inertia[0] > inertia[1] > inertia[-1]
    figure = plots.k_sweep_figure(sweep, "ja")
    assert len(figure.data) == 2 and "k" in figure.layout.title.text


def test_k_sweep_limits_cancel_and_wrong_algorithm(clustering_setup: TrainingSetup) -> None:
    sweep = unsupervised.k_sweep(clustering_setup, "gaussian_mixture", ks=[1, 3, 99])
    assert sweep.ks == [3] and sweep.parameter == "n_components"
    cancel = threading.Event()
    cancel.set()
    stopped = unsupervised.k_sweep(clustering_setup, ks=[2, 3], cancel=cancel)
    assert stopped.ks == [] and stopped.suggested_k is None
    with pytest.raises(DojoError) as error:
        unsupervised.k_sweep(clustering_setup, "pca")
    assert error.value.key == "unsupervised.sweep_needs_clustering"


# --- cluster profiles and projections ------------------------------------------------------

def test_cluster_profile_against_the_whole(clustering_setup: TrainingSetup,
                                          clustering_results: dict[str, CandidateResult]) -> None:
    pipeline = clustering_results["kmeans"].pipeline
    profile = unsupervised.cluster_profile(clustering_setup, pipeline)
    assert sum(profile.sizes.values()) == profile.rows == len(clustering_setup.split.train)
    assert list(profile.numeric.index) == ["x", "y", "noise"]
    assert profile.numeric.loc["y"].max() - profile.numeric.loc["y"].min() > 4
    shares = profile.categorical.groupby(level="feature").sum()
    assert np.allclose(shares.to_numpy(), 1.0)
    assert profile.categorical_all.loc["shop"].sum() == pytest.approx(1.0)
    table = unsupervised.profile_table(profile, "All", "Cluster {cluster}")
    assert list(table.columns) == ["All", "Cluster 0", "Cluster 1", "Cluster 2"]
    assert "shop = city" in table.index
    figure = plots.cluster_profile_figure(profile, "en")
    assert figure.data[0].type == "heatmap" and len(figure.data[0].x) == 3


def test_cluster_projection_and_candidate_figures(
        clustering_setup: TrainingSetup, clustering_results: dict[str, CandidateResult]) -> None:
    result = clustering_results["kmeans"]
    projection = unsupervised.projection(clustering_setup, result.pipeline, dims=3,
                                         color_by="segment")
    assert list(projection.points.columns) == ["component_1", "component_2", "component_3",
                                               "cluster", "segment"]
    assert projection.method == "pca_of_input" and len(projection.explained) == 3
    assert plots.projection_figure(projection).data[0].type == "scatter3d"
    figures = plots.candidate_figures(clustering_setup, result, "ja")
    assert set(figures) == {"cluster_projection", "cluster_profile"}
    with pytest.raises(DojoError):
        unsupervised.projection(clustering_setup, result.pipeline, dims=4)
    with pytest.raises(DojoError):
        unsupervised.projection(clustering_setup, result.pipeline, color_by="nope")


# --- dimensionality reduction ------------------------------------------------------------

@pytest.mark.parametrize("algorithm_id", catalog.ids_for_task("dimensionality_reduction"))
def test_every_reduction_trains_with_metrics_in_range(
        reduction_results: dict[str, CandidateResult], algorithm_id: str) -> None:
    result = reduction_results[algorithm_id]
    assert result.ok, result.error
    metrics = result.metrics["validation"]
    assert 0 <= metrics["trustworthiness"] <= 1 and metrics["n_components"] >= 2
    invertible = algorithm_id in ("pca", "truncated_svd", "nmf")
    assert (metrics["explained_variance"] is not None) == invertible
    assert (metrics["reconstruction_error"] is not None) == invertible
    if invertible:
        assert metrics["explained_variance"] <= 1 and metrics["reconstruction_error"] >= 0
    if algorithm_id == "tsne":
        assert metrics["evaluated_on"] == "train" and "latency_p95_ms" not in result.timings
        assert result.notes[0].key == "unsupervised.train_rows_only"
    else:
        assert result.timings["latency_p95_ms"] > 0


def test_learned_reductions_beat_random_directions(
        reduction_results: dict[str, CandidateResult]) -> None:
    baseline = reduction_results["baseline"].metrics["validation"]["explained_variance"]
    for key in ("pca", "truncated_svd", "nmf"):
        assert reduction_results[key].metrics["validation"]["explained_variance"] > baseline
    best = best_candidate(list(reduction_results.values()), "dimensionality_reduction")
    assert best.key in ("pca", "truncated_svd", "nmf")


def test_tsne_has_no_test_scores_and_others_do(reduction_setup: TrainingSetup,
                                               reduction_results: dict[str, CandidateResult]) -> None:
    for key in ("tsne", "pca"):
        score_test(reduction_setup, reduction_results[key])
    assert "test" not in reduction_results["tsne"].metrics
    assert reduction_results["pca"].metrics["test"]["explained_variance"] > 0


def test_leaderboards_rank_by_the_primary_metric_or_the_fallback(
        clustering_results: dict[str, CandidateResult],
        reduction_results: dict[str, CandidateResult]) -> None:
    board = leaderboard(list(clustering_results.values()), "clustering")
    assert board.columns[1] == "Silhouette" and board["key"].iloc[-1] == "baseline:single_cluster"
    board = leaderboard(list(reduction_results.values()), "dimensionality_reduction", "ja")
    assert board.columns[1] == "説明された分散" and board["key"].iloc[0] != "baseline"
    only = [reduction_results["lle"], reduction_results["tsne"]]
    assert leaderboard(only, "dimensionality_reduction").columns[1] == "Trustworthiness"
    most_trustworthy = max(only, key=lambda r: r.metrics["validation"]["trustworthiness"])
    assert best_candidate(only, "dimensionality_reduction") is most_trustworthy


def test_lda_refuses_negative_numbers_and_nmf_rescales_them(clustering_setup: TrainingSetup) -> None:
    reduction = prepare_setup(loaded(blobs_frame().drop(columns="segment")), None,
                              task="dimensionality_reduction", n_jobs=1)
    lda = train_candidate(reduction, "lda")
    assert not lda.ok and lda.error.key == "unsupervised.negative_counts"
    assert "x" in lda.error.text("en") and "NMF" in lda.error.text("ja")
    nmf = train_candidate(reduction, "nmf")
    assert nmf.ok, nmf.error
    far = pd.DataFrame({"x": [-100.0], "y": [100.0], "noise": [0.0], "shop": ["mall"]})
    assert (nmf.pipeline.transform(far) >= 0).all()     # clipped into the training range


@pytest.mark.parametrize("algorithm_id, params, key", [
    ("pca", {"n_components": 9}, "unsupervised.too_many_components"),
    ("tsne", {"perplexity": 95}, "unsupervised.perplexity_too_high"),
    ("lle", {"n_neighbors": 95}, "unsupervised.too_few_rows_for_neighbours"),
])
def test_impossible_settings_fail_with_a_clear_message(reduction_setup: TrainingSetup,
                                                       algorithm_id: str, params: dict,
                                                       key: str) -> None:
    result = train_candidate(reduction_setup, algorithm_id, params)
    assert not result.ok and result.error.key == key


def test_projection_loadings_and_variance(reduction_setup: TrainingSetup,
                                          reduction_results: dict[str, CandidateResult]) -> None:
    pca = reduction_results["pca"].pipeline
    projection = unsupervised.projection(reduction_setup, pca, part="validation",
                                         color_by="topic")
    assert list(projection.points.columns) == ["component_1", "component_2", "topic"]
    assert len(projection.points) == len(reduction_setup.split.validation)
    table = unsupervised.loadings(pca)
    assert table.shape == (2, 7) and "source_news" in table.columns
    lda = unsupervised.loadings(reduction_results["lda"].pipeline)
    assert np.allclose(lda.sum(axis=1), 1.0)
    assert unsupervised.loadings(reduction_results["lle"].pipeline) is None
    ratios = unsupervised.explained_variance_ratio(pca)
    assert len(ratios) == 2 and 0 < sum(ratios) <= 1
    assert plots.loadings_figure(table, "ja").data[0].type == "heatmap"
    assert plots.explained_variance_figure(ratios).data[0].type == "bar"
    figures = plots.candidate_figures(reduction_setup, reduction_results["pca"])
    assert set(figures) == {"projection", "loadings", "explained_variance"}


def test_tsne_projection_uses_its_training_rows(reduction_setup: TrainingSetup,
                                               reduction_results: dict[str, CandidateResult]) -> None:
    pipeline = reduction_results["tsne"].pipeline
    projection = unsupervised.projection(reduction_setup, pipeline, part="validation",
                                         color_by="source")
    assert projection.part == "train"
    assert len(projection.points) == len(reduction_setup.split.train)
    figure = plots.projection_figure(projection, "en")
    assert {trace.name for trace in figure.data} == {"news", "blog"}
    assert set(plots.candidate_figures(reduction_setup, reduction_results["tsne"])) == {
        "projection"}
