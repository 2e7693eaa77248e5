"""The guided path: What / Why / How on every page in both languages, the one recommended
next action, facilitator controls (reset, presenter layout, fixed seeds)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import LANGUAGES, catalog, t
from tests.pages.helpers import load_sample, open_page, state, texts, train
from ui.guide import GUIDED_PAGES, PARTS, next_action
from ui.nav import available_pages
from ui.state import DojoState

STEPS = ("data", "target", "train", "export", "predict")


def primary_buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.proto.type == "primary"]


def test_every_guide_text_exists_in_every_language() -> None:
    known = catalog()
    keys = [f"app.guide.{page}.{part}" for page in GUIDED_PAGES for part in PARTS]
    keys += [f"app.guide.here.{step}" for step in STEPS if step != "target"] + [
        "app.guide.here.target", "app.guide.here.home", "app.guide.here.training"]
    missing = [key for key in keys if key not in known]
    assert not missing, missing
    for key in keys:
        for language in LANGUAGES:
            assert t(key, language).strip(), (key, language)


def test_every_page_has_a_guide() -> None:
    pages = {spec.url_path for spec in available_pages()}
    assert pages <= set(GUIDED_PAGES), pages - set(GUIDED_PAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_shows_what_why_how_and_a_next_action(app: AppTest, language: str) -> None:
    app.sidebar.selectbox(key="language").set_value(language).run()
    for spec in available_pages():
        open_page(app, spec.url_path)
        labels = [e.label for e in app.expander]
        assert t("app.guide.label", language) in labels, (spec.url_path, labels)
        shown = texts(app.markdown)
        for part in PARTS:
            assert t(f"app.guide.{spec.url_path}.{part}", language) in shown, (spec.url_path, part)
        assert f"**{t('app.guide.next', language)}**" in shown, spec.url_path


def test_home_highlights_start_with_a_sample_and_nothing_else(app: AppTest) -> None:
    assert primary_buttons(app) == ["start_sample"]
    assert "Start with a sample dataset" in texts(app.markdown)   # the Next: callout names it


def test_after_the_start_the_data_page_recommends_training(app: AppTest) -> None:
    app.button(key="start_sample").click().run()
    assert primary_buttons(app) == ["guide_next"]
    assert app.button(key="guide_next").label == "Next: Train and compare"
    assert "**Done:** The data is loaded, the target is chosen" in texts(app.markdown)
    app.button(key="guide_next").click().run()
    assert not app.exception
    assert primary_buttons(app) == ["train_button"]             # the Train page
    assert "Press **Train** below" in texts(app.markdown)


def test_after_training_the_train_page_says_so_and_points_to_the_download(app: AppTest) -> None:
    load_sample(app, "iris")
    train(app, ["decision_tree"])
    assert "**Done:** The leaderboard below ranks the candidates" in texts(app.markdown)
    assert app.button(key="guide_next").label == "Next: Download the model"
    app.button(key="guide_next").click().run()
    assert not app.exception
    assert app.title[0].value == "Export"


def test_home_after_loading_points_onwards(app: AppTest) -> None:
    load_sample(app, "iris")
    open_page(app, "home")
    assert primary_buttons(app) == ["guide_next"]
    assert app.button(key="start_sample").proto.type == "secondary"


def test_pages_ahead_of_the_data_send_the_newcomer_to_the_data_page(app: AppTest) -> None:
    open_page(app, "train")
    app.button(key="guide_next").click().run()
    assert not app.exception
    assert app.selectbox(key="sample_dataset")                   # the Data page


def test_next_action_follows_the_workflow() -> None:
    fresh = DojoState()
    assert next_action(fresh, "home").text_key == "app.guide.here.home"
    assert next_action(fresh, "data").text_key == "app.guide.here.data"
    assert next_action(fresh, "train").page == "pages/data.py"
    busy = DojoState(job_id="job-1")
    assert next_action(busy, "train").text_key == "app.guide.here.training"
    assert next_action(busy, "data").page == "pages/train.py"


def test_a_collapsed_guide_stays_collapsed_on_every_page(app: AppTest) -> None:
    assert app.expander[0].proto.expanded            # newcomers see it open
    state(app).guide_open = False
    for name in ("data", "train", "home"):
        open_page(app, name)
        guide = next(e for e in app.expander if e.label == "About this step: what, why and how")
        assert not guide.proto.expanded, name


def test_reset_forgets_everything(app: AppTest) -> None:
    load_sample(app, "customer_churn")
    app.sidebar.selectbox(key="language").set_value("ja").run()
    assert app.button(key="reset_session").disabled          # needs the confirmation first
    app.checkbox(key="reset_confirm").check().run()
    app.button(key="reset_session").click().run()
    assert not app.exception
    fresh = state(app)
    assert fresh.data is None and fresh.requirements is None and fresh.language == "en"
    assert app.title[0].value == "Model Dojo"                # back on Home
    assert not app.checkbox(key="reset_confirm").value


def test_presenter_layout_injects_larger_text(app: AppTest) -> None:
    assert not any("font-size" in str(h.proto.body) for h in app.get("html"))
    app.toggle(key="presenter_mode").set_value(True).run()
    assert state(app).presenter
    assert any("font-size" in str(h.proto.body) for h in app.get("html"))
    open_page(app, "data")                                    # and it stays on
    assert any("font-size" in str(h.proto.body) for h in app.get("html"))


def test_fixed_seeds_pin_the_split_seed(app: AppTest) -> None:
    load_sample(app, "iris")
    app.number_input(key="split_seed").set_value(7).run()
    assert state(app).seed == 7
    app.toggle(key="fixed_seeds").set_value(True).run()
    assert state(app).seed == 42
    assert app.number_input(key="split_seed").value == 42
    assert app.number_input(key="split_seed").disabled
    open_page(app, "train")
    open_page(app, "data")
    assert state(app).seed == 42
