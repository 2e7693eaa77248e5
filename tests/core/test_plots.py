import plotly.graph_objects as go

from core.data import LoadedData
from core.plots import candidate_figures, distribution_figure, target_distribution_figure
from core.training import prepare_setup, train_candidate
from tests.core.conftest import make_classification_frame, make_regression_frame


def setup_for(frame, target):
    return prepare_setup(LoadedData(frame, "t.csv", "0" * 64, "csv"), target)


def test_classification_figures_binary_and_multiclass() -> None:
    for labels in (("no", "yes"), ("a", "b", "c")):
        setup = setup_for(make_classification_frame(300, labels), "label")
        figures = candidate_figures(setup, train_candidate(setup, "lightgbm",
                                                           {"n_estimators": 30}), "ja")
        assert {"confusion_matrix", "roc", "pr", "learning_curve"} <= set(figures)
        assert len(figures["roc"].data) == (2 if len(labels) == 2 else 4)
        assert "混同行列" in figures["confusion_matrix"].layout.title.text


def test_svm_curves_come_from_decision_scores() -> None:
    setup = setup_for(make_classification_frame(), "label")
    figures = candidate_figures(setup, train_candidate(setup, "svm"))
    assert "roc" in figures and "learning_curve" not in figures


def test_regression_figures_and_profile_charts() -> None:
    frame = make_regression_frame()
    setup = setup_for(frame, "price")
    figures = candidate_figures(setup, train_candidate(setup, "ridge"))
    assert set(figures) == {"predicted_vs_actual", "residuals"}
    assert isinstance(distribution_figure(frame, "area"), go.Figure)
    assert target_distribution_figure(frame, "price", "regression").data[0].type == "histogram"
