"""Every workshop scenario trains end to end in a real browser: picked in `sample_dataset`, its
target and story shown, trained with LightGBM (and the baselines), the leaderboard on screen,
the scenario's requirements card checked by the scorecard, and, where mistakes have a price,
the threshold panel.

The scenarios are 3,000–4,000 rows. Only LightGBM is kept of the default candidates (the
other defaults are exercised elsewhere), so each scenario trains in a few seconds and the
file stays around two minutes on two busy cores.
"""

from __future__ import annotations

import pytest

from core.i18n import t
from core.scenarios import SCENARIOS
from tests.e2e.browser import choose, key, shoot, wait_idle

TRAIN_SECONDS = 240
EXCEPTION = '[data-testid="stException"]'


def picker_label(scenario_id: str) -> str:
    return t("app.data.group_scenario", "en", name=t(f"scenarios.{scenario_id}.title", "en"))


def selected(page, widget_key: str) -> str:
    """The text a selectbox shows as chosen."""
    return key(page, widget_key).get_by_role("combobox").first.input_value()


def keep_only(page, widget_key: str, option: str) -> None:
    """Remove every other chosen option of a multiselect (one click per removal)."""
    tags = key(page, widget_key).locator("button[aria-label^='Remove ']")
    others = [label for label in tags.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
              if label != f"Remove {option}"]
    for label in others:
        key(page, widget_key).locator(f"button[aria-label='{label}']").click()
        wait_idle(page)
    assert key(page, widget_key).locator(f"button[aria-label='Remove {option}']").count() == 1


def no_exception(page) -> None:
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_scenario_trains_end_to_end(page, server, scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    page.goto(server["url"])        # the entry point first: it sets up the navigation
    wait_idle(page)
    page.locator(f'a[data-testid="stSidebarNavLink"][href="{server["url"]}/data"]').click()
    wait_idle(page)
    choose(page, "sample_dataset", picker_label(scenario_id))
    no_exception(page)
    assert selected(page, "target_column") == scenario.target
    assert key(page, "scenario_story").is_visible()
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    key(page, "guide_next").locator("button").click()            # "Next: Train and compare"
    wait_idle(page)
    keep_only(page, "algorithms", "LightGBM")
    key(page, "train_button").locator("button").click()
    page.wait_for_selector(".st-key-leaderboard", timeout=TRAIN_SECONDS * 1000)
    wait_idle(page)
    no_exception(page)
    board = key(page, "leaderboard")
    assert board.is_visible()
    assert page.locator('[data-testid="stAlertContentWarning"]').filter(
        has_text="failed").count() == 0, "a default candidate failed"
    assert key(page, "scorecard").count() == 1, "the scenario's requirements card is checked"
    if scenario.costs is not None:     # binary with a price per mistake: the threshold panel
        assert key(page, "threshold_section").count() == 1
    shoot(page, f"scenario-{scenario_id}-train")
