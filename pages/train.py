"""Train: choose candidates and their hyperparameters, train them with baselines, compare."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.catalog import get as get_algorithm, ids_for_task
from core.errors import DojoError
from core.evaluation import PRIMARY_METRIC, higher_is_better, leaderboard
from core.i18n import catalog
from core.plots import candidate_figures
from ui.data_source import current_setup
from ui.hyperparams import changed_params, render_panel
from ui.i18n import labels_for, lang, metric_name, text_of, tr
from ui.page import run_page, show_error
from ui.requirements_card import card_fingerprint, current_card, render_scorecards
from ui.state import DojoState, get_state
from ui.unsupervised import (PROJECTION_PLOTS, baseline_note_key, goal_chosen, render_k_sweep,
                             render_metric_hint, render_projection, setup_caption,
                             trained_on_caption)
from ui.training import (CHEAPEST, STANDARD, collect_finished, default_algorithms, is_binary,
                         is_busy, job_panel, start_job, sync_threshold, threshold_sweep)
from ui.widgets import seed
from ui.guide import render_guide


def render_algorithm_picker(state: DojoState, task: str) -> list[str]:
    options = ids_for_task(task)
    default, advised = default_algorithms(state, task)
    chosen = state.algorithms if state.algorithms is not None else default
    chosen = [a for a in chosen if a in options]
    current = st.session_state.get("algorithms")
    if not isinstance(current, list) or any(a not in options for a in current):
        st.session_state["algorithms"] = chosen
    picked = st.multiselect(tr("app.train.algorithms"), options=options,
                            format_func=labels_for(options, lambda a: text_of(get_algorithm(a).names)),
                            key="algorithms", help=tr("app.train.algorithms_help"),
                            placeholder=tr("app.train.algorithms_placeholder"))
    # Untouched defaults stay "not chosen", so a card made later still brings its picks.
    state.algorithms = None if list(picked) == default else list(picked)
    if advised and state.algorithms is None:
        st.caption(tr("app.train.advisor_picks"), help=tr("app.train.advisor_picks_help"))
    st.caption(tr(baseline_note_key(task)), help=tr("app.train.baseline_help"))
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
    st.caption(trained_on_caption(setup) or tr(
        "app.train.trained_on", name=setup.data_name, target=setup.target or "-",
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
    render_metric_hint(task)
    table = table.drop(columns=["key"], errors="ignore")
    # The candidate's name stays whole and in view while the metrics scroll sideways.
    name = st.column_config.TextColumn(width="large", pinned=True)
    with st.container(key="leaderboard"):
        st.dataframe(table, hide_index=True, column_config={table.columns[0]: name})
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
    for note in result.notes:   # e.g. that t-SNE cannot place new rows
        st.info(text_of(note), icon=":material/info:")
    tabs = st.tabs([plot_title(name) for name in figures])
    for tab, (name, figure) in zip(tabs, figures.items()):
        with tab:
            if name in PROJECTION_PLOTS:
                render_projection(state, result)   # with colour-by and 2-D / 3-D
            else:
                st.plotly_chart(figure)


def plot_title(name: str) -> str:
    key = f"app.plot.{name}"
    return tr(key) if key in catalog() else name.replace("_", " ")


def render_tracking_warning() -> None:
    """Say so when runs cannot reach the team's experiment server (they are kept locally)."""
    from core.tracking import status

    warning = status().warning
    if warning is not None:
        st.warning(text_of(warning), icon=":material/cloud_off:")


def render_requirements_check(state: DojoState) -> None:
    """The scorecard under the leaderboard when the session has a requirements card."""
    card = current_card(state)
    if card is None:
        st.caption(tr("app.train.no_card"))
        return
    render_scorecards(state, card)


COST_WIDGETS = {"false_positive": "cost_false_positive", "false_negative": "cost_false_negative"}


def costs_changed() -> None:
    """Callback of the cost boxes: the state's costs follow them before the page is drawn.

    An emptied box empties its cost (the sweep waits for both); the currency and the value
    of a caught positive, which only a scenario sets, stay.
    """
    state = get_state()
    entered = {name: st.session_state.get(widget) for name, widget in COST_WIDGETS.items()}
    kept = {k: v for k, v in (state.costs or {}).items() if k not in entered}
    empty = all(value is None for value in entered.values())
    state.costs = None if empty and not kept else {**kept, **entered}
    sync_thresholds(state)


def choice_changed(key: str) -> None:
    """Callback of the threshold choice: stored before the page (and its scorecard) is drawn."""
    state = get_state()
    state.threshold_choices[key] = st.session_state[f"threshold_choice.{key}"]
    sync_threshold(state, key)


def sync_thresholds(state: DojoState) -> None:
    """Every trained candidate's threshold in line with the costs (sweeps are memoised)."""
    if not is_binary(state.results_setup):
        state.thresholds.clear()
        return
    for result in state.results:
        if result.ok and not result.is_baseline:
            sync_threshold(state, result.key)


def render_cost_inputs(state: DojoState, positive: str) -> None:
    """The price of each kind of mistake, kept in ``state.costs`` (a scenario may fill it)."""
    costs = dict(state.costs or {})
    for name, widget in COST_WIDGETS.items():
        value = costs.get(name)
        seed(widget, float(value) if isinstance(value, (int, float)) else None)
    currency = f" ({costs['currency']})" if costs.get("currency") else ""
    mistakes = (("false_positive", "fp"), ("false_negative", "fn"))
    for column, (name, short) in zip(st.columns(2), mistakes):
        with column:
            st.number_input(tr(f"app.threshold.cost_{short}", positive=positive) + currency,
                            min_value=0.0, value=None, key=COST_WIDGETS[name],
                            placeholder=tr("app.threshold.cost_placeholder"),
                            help=tr(f"app.threshold.cost_{short}_help", positive=positive),
                            on_change=costs_changed)


def render_threshold_check(value: dict[str, Any]) -> None:
    """The card's accuracy metric at the chosen threshold against its target, if it has one."""
    check = value.get("accuracy")
    if not check or check.get("target") is None:
        return
    met = check["meets_at_best"]
    text = tr("app.threshold.accuracy_met" if met else "app.threshold.accuracy_missed",
              metric=metric_name(check["metric"]), best=f"{check['at_best']:.3f}",
              default=f"{check['at_default']:.3f}", target=f"{check['target']:g}")
    (st.success if met else st.warning)(text, icon=":material/flag:")


def render_threshold_choice(state: DojoState, key: str, best: float) -> None:
    widget = f"threshold_choice.{key}"
    seed(widget, state.threshold_choices.get(key, CHEAPEST), options=[CHEAPEST, STANDARD])
    labels = {CHEAPEST: tr("app.threshold.use_cheapest", threshold=f"{best:.3f}"),
              STANDARD: tr("app.threshold.use_standard")}
    st.radio(tr("app.threshold.choice"), options=[CHEAPEST, STANDARD], key=widget,
             format_func=labels_for(labels, labels.__getitem__), on_change=choice_changed,
             args=(key,))
    applied = state.thresholds.get(key)
    if applied is not None:
        st.caption(tr("app.threshold.stored", threshold=f"{applied:.3f}",
                      positive=str(state.results_setup.classes[1])))


def render_threshold(state: DojoState, key: str) -> None:
    """Binary classification: what each mistake costs, and the cheapest decision threshold."""
    from core.threshold import business_value, cost_figure

    setup, result = state.results_setup, state.result(key)
    if not is_binary(setup) or result is None or not result.ok or result.is_baseline:
        return
    positive = str(setup.classes[1])
    with st.container(border=True, key="threshold_section"):
        st.subheader(tr("app.threshold.heading"))
        st.markdown(tr("app.threshold.intro", positive=positive, model=text_of(result.name)))
        render_cost_inputs(state, positive)
        try:
            sweep = threshold_sweep(state, key)
        except DojoError as exc:
            state.thresholds.pop(key, None)
            show_error(exc)
            return
        if sweep is None:
            state.thresholds.pop(key, None)
            st.caption(tr("app.threshold.enter_costs"))
            return
        memo = (state.results_run, key, tuple(sorted(state.costs.items())))
        figure = state.remember(("threshold_figure", *memo, lang()),
                                lambda: cost_figure(sweep, lang()))
        st.plotly_chart(figure)
        st.markdown(text_of(sweep.summary()))
        value = state.remember(("business_value", *memo, card_fingerprint(state)),
                               lambda: business_value(sweep, state.requirements))
        st.info(text_of(value["text"]), icon=":material/payments:")
        render_threshold_check(value)
        render_threshold_choice(state, key, sweep.best_threshold)


def render_results(state: DojoState) -> None:
    if state.results_notice is not None:
        st.warning(text_of(state.results_notice), icon=":material/info:")
    render_tracking_warning()
    if not state.results:
        return
    sync_thresholds(state)    # costs set elsewhere (a scenario) apply before anything is judged
    render_leaderboard(state)
    run_page(lambda: render_requirements_check(state))
    render_candidate_plots(state)
    if state.selected_candidate is not None:
        run_page(lambda: render_threshold(state, state.selected_candidate))
    if st.button(tr("app.train.go_export"), key="go_export", icon=":material/arrow_forward:"):
        st.switch_page("pages/export.py")


def render_setup_part(state: DojoState) -> None:
    if not goal_chosen(state):
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
    st.caption(setup_caption(setup) or tr(
        "app.train.setup", name=setup.data_name, target=setup.target or "-",
        task=tr(f"app.task.{task}"), features=len(setup.features)))
    ids = render_algorithm_picker(state, task)
    render_hyperparameters(state, ids, task)
    render_k_sweep(state, setup, ids)
    render_slow_warnings(setup, ids)
    render_train_button(state, setup, ids, task)


def render() -> None:
    state = get_state()
    collect_finished(state)
    st.title(tr("app.train.title"))
    render_guide("train")
    st.markdown(tr("app.train.intro"))
    run_page(lambda: render_setup_part(state))
    if state.job_id is not None:
        job_panel()
    run_page(lambda: render_results(state))


run_page(render)
