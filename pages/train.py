"""Train: choose candidates and their hyperparameters, train them with baselines, compare."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.catalog import DEFAULT_CANDIDATES, get as get_algorithm, ids_for_task
from core.errors import DojoError
from core.evaluation import PRIMARY_METRIC, higher_is_better, leaderboard
from core.i18n import catalog
from core.plots import candidate_figures
from ui.data_source import current_setup
from ui.hyperparams import changed_params, render_panel
from ui.i18n import labels_for, lang, metric_name, text_of, tr
from ui.page import run_page, show_error
from ui.state import DojoState, get_state
from ui.training import collect_finished, is_busy, job_panel, start_job


def render_algorithm_picker(state: DojoState, task: str) -> list[str]:
    options = ids_for_task(task)
    chosen = state.algorithms if state.algorithms is not None else DEFAULT_CANDIDATES.get(task, [])
    chosen = [a for a in chosen if a in options]
    current = st.session_state.get("algorithms")
    if not isinstance(current, list) or any(a not in options for a in current):
        st.session_state["algorithms"] = chosen
    picked = st.multiselect(tr("app.train.algorithms"), options=options,
                            format_func=labels_for(options, lambda a: text_of(get_algorithm(a).names)),
                            key="algorithms", help=tr("app.train.algorithms_help"),
                            placeholder=tr("app.train.algorithms_placeholder"))
    state.algorithms = list(picked)
    st.caption(tr("app.train.baseline_note"), help=tr("app.train.baseline_help"))
    return list(picked)


def render_hyperparameters(state: DojoState, ids: list[str], task: str) -> None:
    if not ids:
        return
    st.subheader(tr("app.train.hyperparameters"))
    st.caption(tr("app.train.hyperparameters_help"))
    for algorithm_id in ids:
        spec = get_algorithm(algorithm_id)
        changed = changed_params(state, spec, task)
        badge = tr("app.train.changed", count=len(changed)) if changed else ""
        with st.expander(f"{text_of(spec.names)} {badge}".strip()):
            st.caption(text_of(spec.summary))
            render_panel(state, spec, task)


def render_slow_warnings(setup: Any, ids: list[str]) -> None:
    from core.training import slow_choice_warnings

    for message in slow_choice_warnings(setup, ids):
        st.warning(text_of(message), icon=":material/timer:")


def render_train_button(state: DojoState, setup: Any, ids: list[str], task: str) -> None:
    busy = is_busy(state)
    clicked = st.button(tr("app.train.button"), key="train_button", type="primary",
                        disabled=busy or not ids, icon=":material/rocket_launch:")
    if not ids:
        st.caption(tr("app.train.pick_one"))
    if clicked and not busy:
        params = {a: changed_params(state, get_algorithm(a), task) for a in ids}
        start_job(state, setup, ids, {a: p for a, p in params.items() if p})


def render_provenance(state: DojoState) -> None:
    setup = state.results_setup
    sizes = setup.split.info.sizes
    st.caption(tr("app.train.trained_on", name=setup.data_name, target=setup.target or "-",
                  task=tr(f"app.task.{setup.task}"), train=sizes.get("train", 0),
                  validation=sizes.get("validation", 0), test=sizes.get("test", 0)))


def render_leaderboard(state: DojoState) -> None:
    st.subheader(tr("app.train.leaderboard"))
    render_provenance(state)
    task = state.results_setup.task
    table = leaderboard(state.results, task, lang())
    metric = PRIMARY_METRIC.get(task, "")
    help_key = ("app.train.leaderboard_help" if higher_is_better(metric)
                else "app.train.leaderboard_help_lower")
    st.caption(tr(help_key, metric=metric_name(metric)))
    with st.container(key="leaderboard"):
        st.dataframe(table.drop(columns=["key"], errors="ignore"), hide_index=True)
    for result in state.results:
        if not result.ok:
            st.warning(tr("app.train.failed_candidate", name=text_of(result.name),
                          reason=text_of(result.error)), icon=":material/error:")


def render_candidate_plots(state: DojoState) -> None:
    usable = [r for r in state.results if r.ok]
    if not usable:
        return
    keys = [r.key for r in usable]
    if st.session_state.get("selected_candidate") not in keys:
        st.session_state["selected_candidate"] = (state.selected_candidate
                                                  if state.selected_candidate in keys else keys[0])
    key = st.selectbox(tr("app.train.selected"), options=keys, key="selected_candidate",
                       format_func=labels_for(keys, lambda k: text_of(state.result(k).name)))
    state.selected_candidate = key
    result = state.result(key)
    figures = state.remember(("figures", state.results_run, key, lang()),
                             lambda: candidate_figures(state.results_setup, result, lang()))
    if not figures:
        return
    tabs = st.tabs([plot_title(name) for name in figures])
    for tab, figure in zip(tabs, figures.values()):
        with tab:
            st.plotly_chart(figure)


def plot_title(name: str) -> str:
    key = f"app.plot.{name}"
    return tr(key) if key in catalog() else name.replace("_", " ")


def render_results(state: DojoState) -> None:
    if state.results_notice is not None:
        st.warning(text_of(state.results_notice), icon=":material/info:")
    if not state.results:
        return
    render_leaderboard(state)
    render_candidate_plots(state)
    if st.button(tr("app.train.go_export"), key="go_export", icon=":material/arrow_forward:"):
        st.switch_page("pages/export.py")


def render_setup_part(state: DojoState) -> None:
    if state.data is None or state.target is None:
        st.info(tr("app.train.need_data"), icon=":material/info:")
        if st.button(tr("app.train.go_data"), key="go_data"):
            st.switch_page("pages/data.py")
        return
    try:
        setup = current_setup(state)
    except DojoError as exc:
        show_error(exc)
        return
    task = setup.task
    st.caption(tr("app.train.setup", name=setup.data_name, target=setup.target or "-",
                  task=tr(f"app.task.{task}"), features=len(setup.features)))
    ids = render_algorithm_picker(state, task)
    render_hyperparameters(state, ids, task)
    render_slow_warnings(setup, ids)
    render_train_button(state, setup, ids, task)


def render() -> None:
    state = get_state()
    collect_finished(state)
    st.title(tr("app.train.title"))
    st.markdown(tr("app.train.intro"))
    run_page(lambda: render_setup_part(state))
    if state.job_id is not None:
        job_panel()
    run_page(lambda: render_results(state))


run_page(render)
