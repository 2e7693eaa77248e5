"""Tree drawing: every tree-based algorithm in raw names and categories, surrogates, limits."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from core.data import LoadedData
from core.training import TrainingSetup, prepare_setup
from core.trees import draw_candidate_tree, draw_tree, fit_surrogate, tree_count
from tests.core.conftest import make_classification_frame, make_regression_frame
from tests.core.test_explain import train_candidate

TREE_ALGORITHMS = ("decision_tree", "random_forest", "xgboost", "lightgbm",
                   "hist_gradient_boosting")
SMALL = {"random_forest": {"n_estimators": 10}, "xgboost": {"n_estimators": 10},
         "lightgbm": {"n_estimators": 10}, "hist_gradient_boosting": {"max_iter": 10}}


def loaded(frame: pd.DataFrame) -> LoadedData:
    return LoadedData(frame=frame, name="table.csv", sha256="0" * 64, file_format="csv")


def colour_frame(rows: int = 240, seed: int = 0) -> pd.DataFrame:
    """The label depends mostly on a category, so the first split is on it."""
    rng = np.random.default_rng(seed)
    colour = rng.choice(["red", "green", "blue", "grey"], size=rows)
    x1 = rng.normal(size=rows)
    warm = np.isin(colour, ["red", "grey"])
    label = np.where(warm ^ (rng.random(rows) < 0.05), "yes", "no")
    x1[rng.choice(rows, rows // 10, replace=False)] = np.nan
    return pd.DataFrame({"x1": x1, "colour": pd.array(colour, dtype="str"), "label": label})


@pytest.fixture(scope="module")
def colour_setup() -> TrainingSetup:
    return prepare_setup(loaded(colour_frame()), "label", n_jobs=1)


@pytest.fixture(scope="module")
def trained(colour_setup: TrainingSetup) -> dict:
    return {a: train_candidate(colour_setup, a, SMALL.get(a)) for a in TREE_ALGORITHMS}


def node_count(dot: str) -> int:
    return len(re.findall(r"^\s+n\d+ \[label=", dot, flags=re.M))


@pytest.mark.parametrize("algorithm_id", TREE_ALGORITHMS)
def test_every_tree_model_draws_its_own_tree_in_raw_terms(algorithm_id: str, trained: dict,
                                                          colour_setup: TrainingSetup) -> None:
    result = trained[algorithm_id]
    assert result.ok, result.error
    drawing = draw_candidate_tree(colour_setup, result, max_depth=2)
    assert drawing.kind == "model" and drawing.n_trees == tree_count(result.pipeline) >= 1
    assert drawing.dot.startswith("digraph") and drawing.dot.rstrip().endswith("}")
    # Category values, not ordinal codes; raw names, not f0 / Column_0.
    assert re.search(r"colour in \{[^}]*(red|grey|green|blue)", drawing.dot), drawing.dot
    assert not re.search(r"\b(f\d+|Column_\d+)\b", drawing.dot)
    assert "samples = " in drawing.dot or "cover = " in drawing.dot


def test_class_shares_and_means_are_shown(trained: dict, colour_setup: TrainingSetup) -> None:
    dot = draw_candidate_tree(colour_setup, trained["decision_tree"], max_depth=3).dot
    assert re.search(r"(yes|no) \d+% · (yes|no) \d+%", dot) and "→ " in dot
    setup = prepare_setup(loaded(make_regression_frame(200)), "price", n_jobs=1)
    tree = train_candidate(setup, "decision_tree")
    assert "mean = " in draw_candidate_tree(setup, tree).dot


def test_depth_limit_cuts_the_tree_and_says_so(trained: dict,
                                               colour_setup: TrainingSetup) -> None:
    result = trained["decision_tree"]
    shallow = draw_candidate_tree(colour_setup, result, max_depth=1)
    deeper = draw_candidate_tree(colour_setup, result, max_depth=3)
    assert node_count(shallow.dot) == 3 < node_count(deeper.dot)
    assert shallow.depth_shown == 1 and shallow.tree_depth > 1
    assert "more nodes below" in shallow.dot and "dashed" in shallow.dot


def test_each_tree_of_an_ensemble_can_be_picked(trained: dict,
                                                colour_setup: TrainingSetup) -> None:
    for algorithm_id in ("random_forest", "lightgbm", "xgboost"):
        result = trained[algorithm_id]
        first = draw_candidate_tree(colour_setup, result, tree_index=0, max_depth=3)
        last = draw_candidate_tree(colour_setup, result, tree_index=first.n_trees - 1,
                                   max_depth=3)
        assert first.tree_index == 0 and last.tree_index == first.n_trees - 1 > 0
        assert first.dot != last.dot
    beyond = draw_candidate_tree(colour_setup, trained["random_forest"], tree_index=10_000)
    assert beyond.tree_index == beyond.n_trees - 1


def test_multiclass_boosting_trees_name_their_class() -> None:
    setup = prepare_setup(loaded(make_classification_frame(240, (0, 1, 2))), "label", n_jobs=1)
    for algorithm_id in ("lightgbm", "xgboost", "hist_gradient_boosting"):
        result = train_candidate(setup, algorithm_id, SMALL[algorithm_id])
        drawing = draw_candidate_tree(setup, result, tree_index=4)
        assert drawing.n_trees % 3 == 0
        assert drawing.class_label == 1 and drawing.round == 2
        assert drawing.caption.key == "inspect.tree.caption_model_class"


def test_missing_values_are_routed_visibly(trained: dict, colour_setup: TrainingSetup) -> None:
    # x1 has gaps, colour has none: only x1's splits say where missing values go.
    dot = draw_candidate_tree(colour_setup, trained["random_forest"], max_depth=6).dot
    assert "· missing" in dot
    for line in dot.splitlines():
        if "· missing" in line:
            parent = re.match(r"\s+(n\d+) ->", line).group(1)
            assert re.search(rf"{parent} \[label=\"x1 ", dot)


@pytest.mark.parametrize("algorithm_id", ["logistic_regression", "knn"])
def test_models_without_trees_get_a_labelled_surrogate(algorithm_id: str,
                                                       colour_setup: TrainingSetup) -> None:
    result = train_candidate(colour_setup, algorithm_id)
    assert tree_count(result.pipeline) == 0
    drawing = draw_candidate_tree(colour_setup, result, max_depth=2)
    assert drawing.kind == "surrogate" and "Surrogate" in drawing.dot
    assert drawing.caption.key == "inspect.tree.caption_surrogate_accuracy"
    assert "colour in {" in drawing.dot
    X, _ = colour_setup.part("validation")
    surrogate = fit_surrogate(result.pipeline, X, "classification", 2)
    imitated = surrogate.tree.predict(_codes(surrogate, X))
    agreement = np.mean(imitated == result.pipeline.predict(X).astype(str))
    assert drawing.fidelity == pytest.approx(agreement) and drawing.fidelity > 0.8


def _codes(surrogate, X: pd.DataFrame) -> np.ndarray:
    """The surrogate's own input: raw numbers, categories as codes of its category order."""
    out = X.copy()
    for column, values in surrogate.cmap.categories.items():
        name = surrogate.cmap.features[column]
        out[name] = pd.Categorical(X[name].astype(object), categories=values).codes
        out.loc[X[name].isna(), name] = np.nan
    return out.to_numpy(dtype=float)


def test_regression_surrogate_reports_r2_and_ensembles_can_ask_for_one(
        trained: dict, colour_setup: TrainingSetup) -> None:
    setup = prepare_setup(loaded(make_regression_frame(200)), "price", n_jobs=1)
    drawing = draw_candidate_tree(setup, train_candidate(setup, "ridge"), max_depth=3)
    assert drawing.fidelity_metric == "r2" and 0.5 < drawing.fidelity <= 1
    forest = draw_candidate_tree(colour_setup, trained["random_forest"], surrogate=True)
    assert forest.kind == "surrogate" and forest.fidelity_metric == "accuracy"


def test_surrogate_needs_rows(colour_setup: TrainingSetup) -> None:
    result = train_candidate(colour_setup, "naive_bayes")
    with pytest.raises(ValueError):
        draw_tree(result.pipeline, colour_setup.features, None, task="classification")


def test_labels_follow_the_language(trained: dict, colour_setup: TrainingSetup) -> None:
    dot = draw_candidate_tree(colour_setup, trained["decision_tree"], lang="ja").dot
    assert "サンプル数" in dot and "はい" in dot and "samples" not in dot


def test_category_conditions_read_naturally() -> None:
    from core.explain import ColumnMap
    from core.trees import _Node, condition_text
    letters = list("abcdefghij")
    cmap = ColumnMap.identity(["x", "letter"], {"letter": letters})
    assert condition_text(cmap, _Node(feature=0, threshold=2.5)) == "x ≤ 2.5"
    assert condition_text(cmap, _Node(feature=1, threshold=1.5)) == "letter in {a, b}"
    assert condition_text(cmap, _Node(feature=1, threshold=7.5)) == "letter not in {i, j}"
    assert condition_text(cmap, _Node(feature=1, threshold=0.5, strict=True)) == "letter in {a}"
    coded = ColumnMap(["letter"], ["letter"], (0,), {0: ["a", "b"]}, {0: -1.0})
    assert condition_text(coded, _Node(feature=0, threshold=0.5)) == "letter in {a, missing}"
