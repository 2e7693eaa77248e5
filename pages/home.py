"""Home: what Model Dojo does, where the user stands, and a one-click start."""

from __future__ import annotations

import streamlit as st

from core.scenarios import get_scenario, list_scenarios
from ui.data_source import load_sample_into_state
from ui.guide import render_guide
from ui.i18n import labels_for, text_of, tr
from ui.nav import next_step, step_marker, workflow_steps
from ui.page import run_page
from ui.state import get_state

START_SAMPLE = "iris"


def render_intro() -> None:
    st.title(tr("app.home.title"))
    st.markdown(tr("app.home.intro"))


def render_steps() -> None:
    steps = workflow_steps(get_state())
    upcoming = next_step(steps)
    st.subheader(tr("app.home.steps"))
    for step in steps:
        st.markdown(f"{step_marker(step, upcoming)}  \n:gray[{tr(step.hint_key)}]")


def render_start() -> None:
    """Three ways in; the sample is the highlighted one until something is loaded."""
    fresh = get_state().data is None
    st.subheader(tr("app.home.start"))
    sample, scenario, own = st.columns(3)
    with sample, st.container(border=True):
        st.markdown(tr("app.home.start_sample"))
        if st.button(tr("app.home.start_sample_button"), key="start_sample",
                     type="primary" if fresh else "secondary", icon=":material/play_arrow:"):
            load_sample_into_state(START_SAMPLE, with_target=True)
            st.switch_page("pages/data.py")
    with scenario, st.container(border=True):
        render_scenario_start()
    with own, st.container(border=True):
        st.markdown(tr("app.home.start_own"))
        if st.button(tr("app.home.start_own_button"), key="start_own",
                     icon=":material/upload_file:"):
            st.switch_page("pages/data.py")


def scenario_title(scenario_id: str) -> str:
    return text_of(get_scenario(scenario_id).title)


def render_scenario_start() -> None:
    """Workshops: open one of the built-in business cases, ready to train."""
    st.markdown(tr("app.home.start_scenario"))
    ids = list_scenarios()
    chosen = st.selectbox(tr("app.home.scenario"), options=ids, key="home_scenario",
                          format_func=labels_for(ids, scenario_title), index=None,
                          placeholder=tr("app.home.scenario_placeholder"),
                          label_visibility="collapsed")
    if st.button(tr("app.home.start_scenario_button"), key="start_scenario",
                 disabled=chosen is None, icon=":material/groups:"):
        load_sample_into_state(chosen, with_target=True)
        st.switch_page("pages/data.py")


def render() -> None:
    render_intro()
    render_guide("home")
    render_start()
    render_steps()


run_page(render)
