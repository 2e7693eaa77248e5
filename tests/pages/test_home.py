"""Home page: renders in both languages, shows the workflow, starts with a sample in one click."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.helpers import state, texts


def test_home_renders_with_sidebar_language_and_progress(app: AppTest) -> None:
    assert app.title[0].value == "Model Dojo"
    assert app.sidebar.selectbox(key="language").value == "en"
    sidebar = texts(app.sidebar.markdown)
    assert "Your progress" in sidebar and "Load data" in sidebar and "next" in sidebar
    assert app.button(key="start_sample")


def test_switching_to_japanese_translates_the_page(app: AppTest) -> None:
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert not app.exception
    assert state(app).language == "ja"
    assert "進み具合" in texts(app.sidebar.markdown)
    assert app.button(key="start_sample").label == "サンプルデータではじめる"


def test_start_with_sample_loads_iris_and_opens_the_data_page(app: AppTest) -> None:
    app.button(key="start_sample").click().run()
    assert not app.exception
    session = state(app)
    assert session.data is not None and session.data.name == "iris"
    assert session.target == "target"
    assert app.selectbox(key="target_column").value == "target"   # the Data page is showing
    assert "done" in texts(app.sidebar.markdown)


def test_language_survives_page_switches(app: AppTest) -> None:
    app.sidebar.selectbox(key="language").set_value("ja").run()
    app.switch_page("pages/data.py").run()
    app.switch_page("pages/home.py").run()
    assert app.sidebar.selectbox(key="language").value == "ja"
    assert app.title[0].value == "Model Dojo"


def test_home_opens_a_workshop_scenario_ready_to_train(app: AppTest) -> None:
    assert app.button(key="start_scenario").disabled           # nothing chosen yet
    app.selectbox(key="home_scenario").set_value("loan_approval").run()
    app.button(key="start_scenario").click().run()
    assert not app.exception
    session = state(app)
    assert session.sample_id == "loan_approval" and session.target == "approved"
    assert session.requirements["explanation"] == "per_prediction"
    assert app.selectbox(key="sample_dataset").value == "loan_approval"   # on the Data page
    assert app.button(key="guide_next").label == "Next: Train and compare"


def test_home_shows_the_guide_with_its_next_step(app: AppTest) -> None:
    assert app.expander[0].label == "About this step: what, why and how"
    assert "**Next:** Press **Start with a sample dataset** below" in texts(app.markdown)
