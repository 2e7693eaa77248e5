"""The hand-over report: both languages, an HTML page that works offline, a message per role."""

from __future__ import annotations

import re

import pytest

from core.data import LoadedData
from core.errors import DojoError
from core.i18n import t
from core.report import BUSINESS_ROLES, ROLES, build_report
from tests.core.conftest import make_classification_frame, make_regression_frame

CARD = {"problem_type": "classification",
        "speed": {"mode": "online", "latency_ms": 0.000001, "items_per_minute": 5},
        "environment": {"location": "edge", "cpu_cores": 1},
        "accuracy": {"metric": "f1_macro", "target": 0.01}}
SCORECARD = {"lines": [{"requirement": "latency", "verdict": "fails", "text": "3 ms > 1 µs"},
                       {"requirement": "accuracy", "verdict": "meets", "text": "0.9 ≥ 0.01"}]}
UNTRANSLATED = re.compile(r"\b(?:report|eval|tracking)\.[a-z_]+\.?[a-z_]*\b")


@pytest.fixture(scope="module")
def trained() -> tuple:
    from core.training import prepare_setup, train_candidates

    frame = make_classification_frame(rows=200)
    loaded = LoadedData(frame=frame, name="<b>shop</b>.csv", sha256="12" * 32, file_format="csv")
    setup = prepare_setup(loaded, "label", seed=1)
    return setup, train_candidates(setup, ["decision_tree", "logistic_regression"])


@pytest.fixture(scope="module")
def reports(trained: tuple) -> dict:
    setup, results = trained
    return {lang: build_report(setup, results, None, lang, card=CARD, scorecard=SCORECARD,
                               bundle_name="churn-model.zip") for lang in ("en", "ja")}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_section_is_there_in_both_languages(reports: dict, lang: str) -> None:
    report = reports[lang]
    for key in ("report.summary_heading", "report.card_heading", "report.scorecard_heading",
                "report.chosen_heading", "report.leaderboard_heading", "report.plots_heading",
                "report.timings_heading", "report.usage_heading", "report.messages_heading"):
        heading = t(key, lang)
        assert f"## {heading}" in report.markdown and f"<h2>{heading}</h2>" in report.html
    assert t("report.timing.latency_p95_ms", lang) in report.markdown
    assert "python predict.py" in report.markdown and "churn-model.zip" in report.markdown
    assert not UNTRANSLATED.findall(report.markdown + "".join(report.messages.values()))


def test_japanese_report_is_japanese(reports: dict) -> None:
    ja, en = reports["ja"], reports["en"]
    assert "選んだモデルとその理由" in ja.markdown and "The chosen model" not in ja.markdown
    assert '<html lang="ja">' in ja.html and '<html lang="en">' in en.html
    assert "ビジネスケース" in ja.messages["product_manager"]


def test_html_is_self_contained_with_one_copy_of_plotly(reports: dict) -> None:
    page = reports["en"].html
    assert page.count("plotly.js v") == 1            # the library banner, once per report
    assert "<script src" not in page and "<link" not in page   # nothing fetched from a network
    assert page.count('class="plotly-graph-div"') >= 3          # leaderboard, confusion, ROC …
    assert "Plotly.newPlot" in page


def test_user_text_is_escaped_in_html(reports: dict) -> None:
    page = reports["en"].html
    assert "&lt;b&gt;shop&lt;/b&gt;.csv" in page and "<b>shop</b>" not in page


def test_a_ready_message_for_each_role(reports: dict, trained: tuple) -> None:
    from core.report import fmt
    from core.training import best_candidate

    setup, results = trained
    chosen = best_candidate(results, setup.task)
    messages = reports["en"].messages
    assert set(messages) == set(ROLES)
    for role in BUSINESS_ROLES:
        assert "business case still hold" in messages[role]
        assert t(f"report.role.{role}", "en") in messages[role]
        assert fmt(chosen.metrics["validation"]["f1_macro"]) in messages[role]
    assert "Review request: algorithm choice and accuracy" in messages["data_scientist"]
    assert "python predict.py" not in messages["data_scientist"]
    latency = fmt(chosen.timings["latency_p95_ms"])
    for role in ("ml_engineer", "mlops_engineer"):
        assert "python predict.py" in messages[role] and latency in messages[role]
    assert "Review request" in messages["ml_engineer"]


def test_card_and_scorecard_drive_the_verdicts(reports: dict) -> None:
    text = reports["en"].markdown
    assert "the target is met" in text
    assert "is OVER the budget" in text             # a 1 µs latency budget is never met
    assert "| requirement | verdict | text |" in text and "3 ms > 1 µs" in text
    assert "Where it runs · location" in text


def test_without_card_or_scorecard_those_sections_are_left_out(trained: tuple) -> None:
    setup, results = trained
    report = build_report(setup, results, "logistic_regression", "en")
    assert "## Requirements card" not in report.markdown and "## Scorecard" not in report.markdown
    assert "No accuracy target was set" in report.markdown
    assert set(report.files("r")) == {"r.html", "r.md"}


def test_a_hand_picked_model_says_which_was_best(trained: tuple) -> None:
    from core.training import best_candidate

    setup, results = trained
    best = best_candidate(results, setup.task)
    other = next(r for r in results if r.ok and not r.is_baseline and r is not best)
    text = build_report(setup, results, other.key, "en").markdown
    assert f"{other.name['en']} was chosen by hand" in text and best.name["en"] in text


def test_regression_report(tmp_path) -> None:
    from core.training import prepare_setup, train_candidates

    loaded = LoadedData(frame=make_regression_frame(rows=150), name="houses.csv",
                        sha256="34" * 32, file_format="csv")
    setup = prepare_setup(loaded, "price", seed=2)
    results = train_candidates(setup, ["ridge"])
    card = {"problem_type": "regression", "accuracy": {"metric": "rmse", "target": 0.001},
            "speed": {"mode": "batch", "items": 10000, "window_minutes": 360}}
    report = build_report(setup, results, None, "ja", card=card)
    assert "RMSE" in report.markdown and "目標に届いていません" in report.markdown
    assert "分の枠内に収まります" in report.markdown


def test_nothing_trained_is_a_clear_error(trained: tuple) -> None:
    setup, results = trained
    with pytest.raises(DojoError) as error:
        build_report(setup, [r for r in results if r.is_baseline], None, "en")
    assert error.value.key == "report.no_model"
