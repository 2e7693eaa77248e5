"""The Inspect page with a session built directly: tree, importance, SHAP, failures, language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from core import explain
from core.data import LoadedData
from core.training import prepare_setup
from tests.core.conftest import make_classification_frame
from tests.core.test_explain import train_candidate
from ui.state import STATE_KEY, DojoState

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "inspect.py")


@pytest.fixture(scope="module")
def session() -> dict[str, Any]:
    frame = make_classification_frame(200)
    setup = prepare_setup(LoadedData(frame=frame, name="table.csv", sha256="0" * 64,
                                     file_format="csv"), "label", n_jobs=1)
    results = [train_candidate(setup, "lightgbm", {"n_estimators": 10}),
               train_candidate(setup, "logistic_regression")]
    return {"setup": setup, "results": results}


def open_page(session: dict[str, Any] | None, language: str = "en") -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    state = DojoState(language=language)
    if session is not None:
        state.results, state.results_setup = session["results"], session["setup"]
        state.results_run, state.selected_candidate = "run-1", "lightgbm"
    app.session_state[STATE_KEY] = state
    return app.run()


def types_in(app: AppTest, key: str) -> set[str]:
    return {getattr(node, "type", "") for node in app.get_by_key(key)}


def test_without_a_trained_model_the_page_says_what_to_do() -> None:
    app = open_page(None)
    assert not app.exception
    assert "No trained model yet" in app.info[0].value
    assert app.button(key="go_train_from_inspect")


def test_tree_importance_and_shap_are_shown(session: dict[str, Any]) -> None:
    app = open_page(session)
    assert not app.exception and not app.error
    assert "graphviz_chart" in types_in(app, "tree_view")
    assert "plotly_chart" in types_in(app, "shap_summary")
    assert app.number_input(key="tree_index").max == 10
    assert any("relies most on x1" in m.value for m in app.markdown)
    # importance ×2, beeswarm, bar, dependence, waterfall
    assert len(app.get("plotly_chart")) >= 6


def test_controls_redraw_without_errors(session: dict[str, Any]) -> None:
    app = open_page(session)
    app.slider(key="tree_depth").set_value(1)
    app.number_input(key="tree_index").set_value(4)
    app.selectbox(key="shap_feature").set_value("colour")
    app.selectbox(key="shap_row").set_value(5)
    app.run()
    assert not app.exception and not app.error
    assert "Tree 4 of 10" in " ".join(c.value for c in app.caption)
    app.toggle(key="tree_surrogate").set_value(True).run()
    assert "Surrogate" in app.get_by_key("tree_view").info[0].value


def test_a_model_without_trees_gets_a_surrogate(session: dict[str, Any]) -> None:
    app = open_page(session)
    app.selectbox(key="inspect_candidate").set_value("logistic_regression").run()
    assert not app.exception
    view = app.get_by_key("tree_view")
    assert "Surrogate" in view.info[0].value and "graphviz_chart" in types_in(app, "tree_view")
    assert "plotly_chart" in types_in(app, "shap_summary")


def test_a_failing_explainer_leaves_the_rest_of_the_page(session: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("explainer exploded")

    explain.clear_cache()
    monkeypatch.setattr(explain, "_values_by_method", fail)
    app = open_page(session)
    explain.clear_cache()    # the failure must not outlive this test
    assert not app.exception
    assert any("explainer exploded" in w.value for w in app.warning)
    assert "graphviz_chart" in types_in(app, "tree_view")
    with pytest.raises(KeyError):
        app.get_by_key("shap_summary")


def test_a_slow_permutation_importance_waits_for_a_click(session: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explain, "PERMUTATION_BUDGET_SECONDS", 0.0)   # everything is "slow"
    app = open_page(session)
    assert not app.exception and len(app.get("plotly_chart")) == 5
    app.button(key="run_permutation").click().run()
    assert not app.exception and len(app.get("plotly_chart")) == 6
    app.run()    # asked once: stays shown
    assert len(app.get("plotly_chart")) == 6


def test_the_page_speaks_japanese(session: dict[str, Any]) -> None:
    app = open_page(session, "ja")
    assert not app.exception
    assert app.title[0].value == "モデルの中身を見る"
    assert any("モデルが最も頼りにしているのは" in m.value for m in app.markdown)


def test_the_app_lists_and_opens_the_inspect_page(app: AppTest, session: dict[str, Any]) -> None:
    from tests.pages.helpers import open_page as switch_to

    state = app.session_state[STATE_KEY]
    state.results, state.results_setup = session["results"], session["setup"]
    state.results_run = "run-1"
    switch_to(app, "inspect")
    assert "graphviz_chart" in types_in(app, "tree_view")
    assert "plotly_chart" in types_in(app, "shap_summary")
