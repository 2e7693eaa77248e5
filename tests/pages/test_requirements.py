"""Requirements page: the card lives in the session state, is imported and shown on every page."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from core.requirements import parse_card_dict, summary
from tests.pages.helpers import load_sample, open_page, state, texts, train

EDGE_CARD = {"problem_type": "regression",
             "speed": {"mode": "batch", "items": 10000, "window_minutes": 360},
             "environment": {"location": "edge", "max_model_mb": 5},
             "explanation": "global", "accuracy": {"metric": "mae", "target": 3.0}}


def sidebar_text(at: AppTest) -> str:
    return texts(at.sidebar.markdown) + "\n" + texts(at.sidebar.caption)


def test_the_card_is_kept_in_the_state_and_follows_the_widgets(app: AppTest) -> None:
    open_page(app, "requirements")
    assert state(app).requirements == {"problem_type": "classification"}
    assert "requirements_card" not in app.session_state
    app.radio(key="req_explanation").set_value("rules").run()
    assert state(app).requirements["explanation"] == "rules"
    assert state(app).requirements_extras["how"] == "question"


def test_an_imported_card_fills_the_state_and_the_widgets(app: AppTest) -> None:
    open_page(app, "requirements")
    content = json.dumps(EDGE_CARD).encode("utf-8")
    app.file_uploader(key="requirements_upload").set_value(
        ("card.json", content, "application/json")).run()
    assert not app.exception
    assert state(app).requirements == EDGE_CARD
    assert state(app).requirements_extras == {"how": "direct", "question": None}
    assert app.selectbox(key="req_problem_type").value == "regression"
    assert app.radio(key="req_location").value == "edge"


def test_a_card_set_elsewhere_is_shown_by_the_page(app: AppTest) -> None:
    state(app).requirements = dict(EDGE_CARD)      # as a workshop scenario does
    state(app).requirements_extras = {"how": "direct", "question": None}
    open_page(app, "requirements")
    assert app.selectbox(key="req_problem_type").value == "regression"
    assert app.number_input(key="req_items").value == 10000
    assert state(app).requirements == EDGE_CARD


def test_the_short_form_is_in_the_sidebar_of_every_page(app: AppTest) -> None:
    open_page(app, "data")
    assert "Your requirements" not in sidebar_text(app)
    state(app).requirements = dict(EDGE_CARD)
    short = summary(parse_card_dict(EDGE_CARD), "en")
    for page in ("data", "train", "export", "predict"):
        open_page(app, page)
        assert short in sidebar_text(app), page
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert summary(parse_card_dict(EDGE_CARD), "ja") in sidebar_text(app)


def test_after_training_the_page_checks_the_candidates(app: AppTest) -> None:
    state(app).requirements = {"problem_type": "classification", "explanation": "rules"}
    load_sample(app, "iris")
    train(app, ["decision_tree"])
    open_page(app, "requirements")
    assert "Trained candidates against the requirements" in texts(app.subheader)
    assert app.dataframe[-1].value.iloc[0]["All met"] == "✓"
