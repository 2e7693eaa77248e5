"""The guided path: each page's What / Why / How, and the one recommended next action.

Every page calls :func:`render_guide` right under its title. The explanation sits in a
collapsible box (open for newcomers; once someone closes it, it stays closed on every
page). Under it, one callout names the single next thing to do: a primary button when
that happens on another page, a pointer to the control when it is on this page. app.py
runs the page inside :func:`guided_page`, which draws the callout after the page, so it
reflects what the page just did.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui.i18n import tr
from ui.nav import Step, next_step, workflow_steps
from ui.state import DojoState, get_state
from ui.widgets import force

GUIDE_KEY = "guide_open"          # the expander (CSS class st-key-guide_open)
NEXT_BUTTON_KEY = "guide_next"    # the recommended action's button, when there is one
GUIDED_PAGES: tuple[str, ...] = ("home", "requirements", "algorithms", "data", "train",
                                 "inspect", "export", "predict", "experiments")
PARTS: tuple[str, ...] = ("what", "why", "how")
_pending = threading.local()      # this script run's next-action slot (one run per thread)
# The next action stands out from the page without looking like an error: the theme's
# warm secondary background, with a bar in the primary colour on its left.
CALLOUT_CSS = """<style>
.st-key-guide_next_action { background: var(--st-secondary-background-color, #F4F1EC);
                            border-left: 6px solid var(--st-primary-color, #D0482F) !important; }
</style>"""


@dataclass(frozen=True)
class NextAction:
    """The one thing to do next: a sentence, and the page to open for it (None: this page)."""

    text_key: str
    page: str | None = None
    lead_key: str = "app.guide.next"   # "Next:", or "Done:" when the text says what was achieved
    button_key: str | None = None      # label of the button that opens ``page``
    params: dict[str, Any] = field(default_factory=dict)


def step_id(step: Step) -> str:
    """"data", "target", "train", "export" or "predict" (from the step's title key)."""
    return step.title_key.rsplit(".", 1)[-1]


def next_action(state: DojoState, page: str) -> NextAction:
    """What a newcomer on ``page`` should do next, from what the session has done so far."""
    if state.job_id is not None:
        if page == "train":
            return NextAction("app.guide.here.training")
        return _open_step(Step("pages/train.py", "app.step.train", "app.guide.training_elsewhere",
                               False))
    upcoming = next_step(workflow_steps(state))
    if upcoming is None:
        return NextAction("app.guide.all_done")
    step = step_id(upcoming)
    if page == "home" and step == "data":
        return NextAction("app.guide.here.home")
    if upcoming.page == f"pages/{page}.py":
        return NextAction(f"app.guide.here.{step}")
    # Say what was just achieved where it happened: the newcomer may not see it otherwise.
    achieved = {("data", "train"): "app.guide.ready_to_train",
                ("train", "export"): "app.guide.trained"}.get((page, step))
    return _open_step(upcoming, achieved)


def _open_step(step: Step, achieved: str | None = None) -> NextAction:
    return NextAction(achieved or step.hint_key, page=step.page,
                      lead_key="app.guide.done" if achieved else "app.guide.next",
                      button_key="app.guide.next_button", params={"step": step.title_key})


def render_guide(page: str) -> None:
    """The What / Why / How of ``page`` (collapsible), and a place for its next action.

    The action is drawn by :func:`guided_page` after the page has run, so it reflects
    what the page just did (a sample loaded, a target picked, a training started).
    """
    state = get_state()
    st.html(CALLOUT_CSS)
    with st.container(key="guide"):
        render_explanation(state, page)
        _pending.slot = (page, st.empty())


@contextmanager
def guided_page() -> Iterator[None]:
    """Around the page's run (app.py): afterwards, fill the page's next-action slot.

    A run that ends early (st.rerun, st.switch_page, st.stop) is followed by another run,
    which draws the action; the slot never outlives its run.
    """
    _pending.slot = None
    try:
        yield
        slot = _pending.slot
        if slot is not None:
            page, placeholder = slot
            with placeholder.container():
                render_next_action(next_action(get_state(), page))
    finally:
        _pending.slot = None


def render_explanation(state: DojoState, page: str) -> None:
    force(GUIDE_KEY, state.guide_open)   # the session's choice, on every page
    with st.expander(tr("app.guide.label"), key=GUIDE_KEY, on_change=_remember_open,
                     icon=":material/school:"):
        columns = st.columns(len(PARTS))
        for column, part in zip(columns, PARTS):
            column.markdown(f"**{tr(f'app.guide.{part}')}**  \n{tr(f'app.guide.{page}.{part}')}")


def _remember_open() -> None:
    """Runs before the rerun that follows a click on the box's header."""
    get_state().guide_open = bool(st.session_state.get(GUIDE_KEY, True))


def render_next_action(action: NextAction) -> None:
    params = {name: tr(value) for name, value in action.params.items()}
    icon = ":green[:material/check_circle:]" if action.lead_key == "app.guide.done" \
        else ":orange[:material/arrow_forward:]"
    text = f"{icon} **{tr(action.lead_key)}** {tr(action.text_key)}"
    with st.container(key="guide_next_action", border=True):
        if action.page is None:
            st.markdown(text)
            return
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(text)
        if right.button(tr(action.button_key, **params), key=NEXT_BUTTON_KEY, type="primary",
                        icon=":material/arrow_forward:"):
            st.switch_page(action.page)
