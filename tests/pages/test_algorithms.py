"""Algorithms page: the ranking reads the card from the session state."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.advisor import advise, top_picks
from core.requirements import parse_card_dict
from tests.pages.helpers import load_sample, open_page, state, texts

RULES = {"problem_type": "classification", "explanation": "rules"}


def test_without_a_card_the_page_says_so_and_ranks_by_problem_type(app: AppTest) -> None:
    open_page(app, "algorithms")
    assert "No requirements card yet" in texts(app.info)
    assert app.selectbox(key="algorithms_problem_type").value == "classification"
    assert len(app.dataframe[0].value) > 5


def test_the_card_in_the_state_drives_the_ranking(app: AppTest) -> None:
    state(app).requirements = dict(RULES)
    open_page(app, "algorithms")
    assert "Requirements: Classification" in texts(app.markdown)
    ranking = app.dataframe[0].value
    first_two = set(ranking.iloc[:2]["Algorithm"])
    assert first_two == {"Decision tree", "Logistic regression"}
    assert "No requirements card yet" not in texts(app.info)


def test_with_a_card_the_train_page_asks_the_advisor_itself(app: AppTest) -> None:
    state(app).requirements = dict(RULES)
    load_sample(app, "iris")
    open_page(app, "algorithms")
    assert state(app).algorithms is None, "a later change of the card still changes the picks"
    app.button(key="use_top_picks").click().run()
    assert not app.exception
    picks = top_picks(advise(parse_card_dict(RULES)))
    assert set(app.multiselect(key="algorithms").value) == set(picks)


def test_without_a_card_the_picks_go_to_the_train_page(app: AppTest) -> None:
    load_sample(app, "iris")
    open_page(app, "algorithms")
    assert state(app).algorithms, "the picks for the data's problem type"
    open_page(app, "train")
    assert app.multiselect(key="algorithms").value == state(app).algorithms


def test_algorithms_page_in_japanese(app: AppTest) -> None:
    state(app).requirements = dict(RULES)
    app.sidebar.selectbox(key="language").set_value("ja").run()
    open_page(app, "algorithms")
    assert not app.exception
    assert "要件: 分類" in texts(app.markdown)
