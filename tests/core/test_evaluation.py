import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from core.evaluation import (classification_metrics, higher_is_better, leaderboard,
                             measure_latency, model_size_bytes, regression_metrics)
from core.i18n import Message
from core.training import CandidateResult


def test_classification_metrics_binary_uses_the_positive_class() -> None:
    y = ["no", "yes", "yes", "no", "yes"]
    pred = ["no", "yes", "no", "no", "yes"]
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3], [0.1, 0.9]])
    m = classification_metrics(y, pred, ["no", "yes"], proba)
    assert m["accuracy"] == 0.8 and m["recall"] == 2 / 3 and m["roc_auc"] == 1.0
    assert m["confusion_matrix"] == [[2, 0], [1, 2]]
    assert m["log_loss"] > 0


def test_classification_metrics_without_probabilities_use_scores() -> None:
    m = classification_metrics([0, 1, 1], [0, 1, 0], [0, 1], scores=np.array([-1.0, 2, -0.5]))
    assert m["roc_auc"] == 1.0 and "log_loss" not in m


def test_regression_metrics_and_zero_targets() -> None:
    m = regression_metrics([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    assert np.isclose(m["rmse"], np.sqrt(1 / 3)) and np.isclose(m["mae"], 1 / 3)
    assert regression_metrics([0.0, 1.0], [0.0, 1.0])["mape"] is None


def test_direction_latency_and_size() -> None:
    assert higher_is_better("f1") and not higher_is_better("rmse")
    X = pd.DataFrame({"a": np.arange(50.0), "b": np.arange(50.0) % 3})
    model = LogisticRegression().fit(X, np.arange(50) % 2)
    timings = measure_latency(model, X, max_rows=30)
    assert timings["latency_rows_measured"] == 30 and timings["latency_p95_ms"] > 0
    assert model_size_bytes(model) > 100


def test_leaderboard_sorts_best_first_with_difference_to_baseline() -> None:
    def result(key: str, f1: float, baseline: bool = False) -> CandidateResult:
        return CandidateResult(key=key, algorithm_id=key, name={"en": key, "ja": key},
                               library="scikit-learn", hyperparameters={}, is_baseline=baseline,
                               pipeline=object(), metrics={"validation": {"f1_macro": f1}})

    failed = CandidateResult(key="svm", algorithm_id="svm", name={"en": "svm", "ja": "svm"},
                             library="scikit-learn", hyperparameters={},
                             error=Message("train.out_of_memory"))
    board = leaderboard([result("baseline", 0.4, True), result("a", 0.7), result("b", 0.9),
                         failed], "classification")
    assert board["key"].tolist() == ["b", "a", "baseline", "svm"]
    assert board.loc[0, "vs baseline"] == 0.5
    ja = leaderboard([result("baseline", 0.4, True)], "classification", "ja")
    assert "候補" in ja.columns
