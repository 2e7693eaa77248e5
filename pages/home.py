"""Home: what Model Dojo does, where the user stands, and a one-click start."""

from __future__ import annotations

import streamlit as st

from ui.data_source import load_sample_into_state
from ui.i18n import tr
from ui.nav import next_step, step_marker, workflow_steps
from ui.page import run_page
from ui.state import get_state

START_SAMPLE = "iris"


def render_intro() -> None:
    st.title(tr("app.home.title"))
    st.markdown(tr("app.home.intro"))


def render_steps() -> None:
    state = get_state()
    steps = workflow_steps(state)
    upcoming = next_step(steps)
    st.subheader(tr("app.home.steps"))
    for step in steps:
        st.markdown(f"{step_marker(step, upcoming)}  \n:gray[{tr(step.hint_key)}]")
    if upcoming is not None and state.data is not None:
        if st.button(tr("app.home.continue", step=tr(upcoming.title_key)), key="home_continue",
                     type="primary", icon=":material/arrow_forward:"):
            st.switch_page(upcoming.page)


def render_start() -> None:
    st.subheader(tr("app.home.start"))
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown(tr("app.home.start_sample"))
        if st.button(tr("app.home.start_sample_button"), key="start_sample", type="primary",
                     icon=":material/play_arrow:"):
            load_sample_into_state(START_SAMPLE, with_target=True)
            st.switch_page("pages/data.py")
    with right, st.container(border=True):
        st.markdown(tr("app.home.start_own"))
        if st.button(tr("app.home.start_own_button"), key="start_own",
                     icon=":material/upload_file:"):
            st.switch_page("pages/data.py")


def render() -> None:
    render_intro()
    render_start()
    render_steps()


run_page(render)
