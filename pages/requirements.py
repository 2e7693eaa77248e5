"""Requirements: the use case's card (problem type, speed, environment, explanation, accuracy).

The card lives in ``DojoState.requirements`` as its JSON dict (the same file the command
line takes with ``--requirements``). Widgets own ``req_*`` keys and are seeded from that
dict, so the card survives page switches; it can be downloaded and imported again. After
training, the trained candidates are checked against it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from core.catalog import EXPLANATION_LEVELS
from core.errors import DojoError
from core.requirements import (BUSINESS_QUESTIONS, METRICS, PROBLEM_TYPES, RequirementsCard,
                               card_json, conflicts, cost_value, delivery_value, expert_range,
                               metric_label, parse_card, parse_card_dict, problem_type_for,
                               quality_recall_target, quality_value, summary)
from core.requirements import render as render_message
from ui.i18n import labels_for, lang, tr
from ui.page import run_page, show_error
from ui.requirements_card import render_scorecards
from ui.state import DojoState, get_state
from ui.widgets import seed
from ui.guide import render_guide

UNSTATED = "unstated"
SPEED_MODES = (UNSTATED, "online", "batch")
LOCATIONS = (UNSTATED, "cloud", "edge")
EXPLANATIONS = (UNSTATED, *EXPLANATION_LEVELS)


# --- the card <-> the widgets ------------------------------------------------------------------

def widget_values(card: dict[str, Any]) -> dict[str, Any]:
    """The value of every ``req_*`` widget for a card dict."""
    speed, env = card.get("speed") or {}, card.get("environment") or {}
    accuracy, data = card.get("accuracy") or {}, card.get("data") or {}
    values = {"req_problem_type": card.get("problem_type", "classification"),
              "req_speed_mode": speed.get("mode", UNSTATED) if speed else UNSTATED,
              "req_location": env.get("location", UNSTATED) if env else UNSTATED,
              "req_gpu": bool(env.get("gpu", False)),
              "req_explanation": card.get("explanation") or UNSTATED,
              "req_metric": accuracy.get("metric", UNSTATED),
              "req_value_formula": accuracy.get("value_formula", "")}
    for name in ("latency_ms", "items_per_minute", "deadline_minutes", "items", "window_minutes"):
        values[f"req_{name}"] = speed.get(name)
    for name in ("cpu_cores", "workers", "max_model_mb", "max_memory_mb"):
        values[f"req_{name}"] = env.get(name)
    for name in ("target", "novice", "expert"):
        values[f"req_{name}"] = accuracy.get(name)
    values["req_rows"], values["req_features"] = data.get("rows"), data.get("features")
    return values


def _stated(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value not in (None, "")}


def card_from_widgets() -> dict[str, Any]:
    """The card dict the widgets describe (parts left unstated are left out)."""
    get = st.session_state.get
    card: dict[str, Any] = {"problem_type": get("req_problem_type", "classification")}
    card["speed"] = _speed_part(get("req_speed_mode", UNSTATED))
    if get("req_location", UNSTATED) != UNSTATED:
        card["environment"] = _stated({
            "location": get("req_location"), "cpu_cores": get("req_cpu_cores"),
            "gpu": get("req_gpu") or None, "workers": get("req_workers"),
            "max_model_mb": get("req_max_model_mb"), "max_memory_mb": get("req_max_memory_mb")})
    if get("req_explanation", UNSTATED) != UNSTATED:
        card["explanation"] = get("req_explanation")
    if get("req_metric", UNSTATED) in METRICS.get(card["problem_type"], ()):
        card["accuracy"] = _stated({name: get(f"req_{name}") for name in (
            "metric", "target", "value_formula", "novice", "expert")})
    card["data"] = _stated({"rows": get("req_rows"), "features": get("req_features")}) or None
    return {name: part for name, part in card.items() if part}


def _speed_part(mode: str) -> dict[str, Any] | None:
    get = st.session_state.get
    if mode == "online":
        names = ("latency_ms", "items_per_minute", "deadline_minutes")
    elif mode == "batch":
        names = ("items", "window_minutes")
    else:
        return None
    return {"mode": mode, **_stated({name: get(f"req_{name}") for name in names})}


def set_widgets(card: dict[str, Any]) -> None:
    """Put a card's values into the widgets (before they are drawn, or from a callback)."""
    for key, value in widget_values(card).items():
        st.session_state[key] = value


def stored_card(state: DojoState) -> dict[str, Any]:
    return state.requirements or {"problem_type": "classification"}


# --- import --------------------------------------------------------------------------------------

def render_import(state: DojoState) -> None:
    uploaded = st.file_uploader(tr("app.requirements.import"), type=["json"],
                                key="requirements_upload", help=tr("app.requirements.import_help"))
    if uploaded is None or st.session_state.get("requirements_upload_token") == uploaded.file_id:
        return
    st.session_state["requirements_upload_token"] = uploaded.file_id
    try:
        card = parse_card(uploaded.getvalue(), uploaded.name)
    except DojoError as exc:
        show_error(exc)
        return
    state.requirements = card.to_dict()
    set_widgets(card.to_dict())
    # The imported problem type wins over a business question picked earlier.
    state.requirements_extras = {"how": "direct", "question": None}
    st.session_state.update({"req_how": "direct", "req_question": None})
    st.success(tr("app.requirements.imported", name=uploaded.name), icon=":material/upload:")


# --- sections ------------------------------------------------------------------------------------

def render_problem_type(state: DojoState) -> None:
    st.subheader(tr("app.requirements.problem_heading"))
    extras = state.requirements_extras
    extras.setdefault("how", "question")
    extras.setdefault("question", None)
    seed("req_how", extras["how"], options=["question", "direct"])
    how = st.radio(tr("app.requirements.problem_how"), options=["question", "direct"],
                   horizontal=True, key="req_how",
                   format_func=labels_for(["question", "direct"],
                                          lambda o: tr(f"app.requirements.how_{o}")))
    extras["how"] = how
    if how == "question":
        render_question(extras)
    options = list(PROBLEM_TYPES)
    st.selectbox(tr("app.requirements.problem_type"), options=options, key="req_problem_type",
                 disabled=how == "question",
                 format_func=labels_for(options, lambda p: tr(f"requirements.problem.{p}")))


def render_question(extras: dict[str, Any]) -> None:
    questions = list(BUSINESS_QUESTIONS)
    seed("req_question", extras.get("question"), options=questions + [None])
    question = st.selectbox(tr("app.requirements.question"), options=questions, index=None,
                            key="req_question", placeholder=tr("app.requirements.question_pick"),
                            format_func=labels_for(questions,
                                                   lambda q: tr(f"requirements.question.{q}")))
    extras["question"] = question
    if question is None:
        return
    answer = problem_type_for(question)
    if answer.problem_type is None:
        st.warning(render_message(answer.reason, lang()), icon=":material/block:")
        return
    st.info(render_message(answer.reason, lang()), icon=":material/lightbulb:")
    st.session_state["req_problem_type"] = answer.problem_type


def _number(label_key: str, key: str, whole: bool = False, help_key: str | None = None) -> None:
    st.number_input(tr(label_key), key=key, value=None, min_value=1 if whole else 0.0,
                    step=1 if whole else None, format="%d" if whole else None,
                    help=tr(help_key) if help_key else None,
                    placeholder=tr("app.requirements.not_stated"))


def render_speed() -> None:
    st.subheader(tr("app.requirements.speed_heading"))
    mode = st.radio(tr("app.requirements.speed_mode"), options=list(SPEED_MODES),
                    horizontal=True, key="req_speed_mode",
                    format_func=labels_for(SPEED_MODES, lambda m: tr(f"app.requirements.mode_{m}")))
    columns = st.columns(3)
    if mode == "online":
        with columns[0]:
            _number("app.requirements.latency_ms", "req_latency_ms",
                    help_key="app.requirements.latency_help")
        with columns[1]:
            _number("app.requirements.items_per_minute", "req_items_per_minute")
        with columns[2]:
            _number("app.requirements.deadline_minutes", "req_deadline_minutes",
                    help_key="app.requirements.deadline_help")
    elif mode == "batch":
        with columns[0]:
            _number("app.requirements.items", "req_items", whole=True)
        with columns[1]:
            _number("app.requirements.window_minutes", "req_window_minutes")
        with columns[2]:
            render_window_helper()


def render_window_helper() -> None:
    with st.popover(tr("app.requirements.window_from_times"), icon=":material/schedule:"):
        start = st.time_input(tr("app.requirements.window_start"), value=dt.time(0, 0),
                              key="req_window_start")
        end = st.time_input(tr("app.requirements.window_end"), value=dt.time(6, 0),
                            key="req_window_end")
        minutes = window_minutes(start, end)
        st.button(tr("app.requirements.use_window", minutes=minutes), key="req_use_window",
                  on_click=_set_state, args=({"req_window_minutes": float(minutes)},))


def window_minutes(start: dt.time, end: dt.time) -> int:
    """Minutes from ``start`` to ``end``, across midnight when ``end`` is earlier."""
    begin, finish = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return (finish - begin) % (24 * 60) or 24 * 60


def _set_state(values: dict[str, Any]) -> None:
    # Callbacks run before the next script run, when widget values may still be changed.
    st.session_state.update(values)


def render_environment() -> None:
    st.subheader(tr("app.requirements.environment_heading"))
    location = st.radio(tr("app.requirements.location"), options=list(LOCATIONS),
                        horizontal=True, key="req_location",
                        format_func=labels_for(LOCATIONS, _location_label))
    if location == UNSTATED:
        return
    left, middle, right = st.columns(3)
    with left:
        _number("app.requirements.cpu_cores", "req_cpu_cores", whole=True,
                help_key="app.requirements.cpu_cores_help")
    with middle:
        _number("app.requirements.workers", "req_workers", whole=True)
    with right:
        st.checkbox(tr("app.requirements.gpu"), key="req_gpu")
    if location == "edge":
        left, right = st.columns(2)
        with left:
            _number("app.requirements.max_model_mb", "req_max_model_mb")
        with right:
            _number("app.requirements.max_memory_mb", "req_max_memory_mb")


def _location_label(location: str) -> str:
    if location == UNSTATED:
        return tr("app.requirements.unstated")
    return tr(f"requirements.location.{location}")


def render_explanation() -> None:
    st.subheader(tr("app.requirements.explanation_heading"))
    st.radio(tr("app.requirements.explanation"), options=list(EXPLANATIONS), key="req_explanation",
             format_func=labels_for(EXPLANATIONS, _explanation_label),
             help=tr("app.requirements.explanation_help"))


def _explanation_label(level: str) -> str:
    if level == UNSTATED:
        return tr("app.requirements.unstated")
    return tr(f"app.requirements.explanation_{level}")


def render_accuracy() -> None:
    st.subheader(tr("app.requirements.accuracy_heading"))
    problem_type = st.session_state.get("req_problem_type", "classification")
    options = [UNSTATED, *METRICS[problem_type]]
    if st.session_state.get("req_metric") not in options:
        st.session_state["req_metric"] = UNSTATED
    left, right = st.columns(2)
    with left:
        st.selectbox(tr("app.requirements.metric"), options=options, key="req_metric",
                     format_func=labels_for(options, _metric_label))
    if st.session_state["req_metric"] == UNSTATED:
        return
    with right:
        st.number_input(tr("app.requirements.target"), key="req_target", value=None,
                        placeholder=tr("app.requirements.not_stated"), format="%.4f")
    st.text_input(tr("app.requirements.value_formula"), key="req_value_formula",
                  help=tr("app.requirements.value_formula_help"))
    with st.expander(tr("app.requirements.derive"), icon=":material/calculate:"):
        render_value_calculators(st.session_state["req_metric"])


def _metric_label(metric: str) -> str:
    return tr("app.requirements.unstated") if metric == UNSTATED else metric_label(metric, lang())


def render_value_calculators(metric: str) -> None:
    tabs = st.tabs([tr(f"app.requirements.calc_{name}")
                    for name in ("quality", "cost", "delivery", "range")])
    with tabs[0]:
        render_quality_calculator()
    with tabs[1]:
        render_cost_calculator()
    with tabs[2]:
        render_delivery_calculator()
    with tabs[3]:
        render_range_calculator(metric)


def _inputs(prefix: str, names: tuple[str, ...]) -> list[float]:
    columns = st.columns(len(names))
    values = []
    for column, name in zip(columns, names):
        with column:
            values.append(st.number_input(tr(f"app.requirements.{prefix}_{name}"), min_value=0.0,
                                          value=0.0, key=f"calc_{prefix}_{name}"))
    return values


def _use_formula(value: Any, key: str) -> None:
    formula = value.formula(lang())
    st.markdown(f"**{formula}**")
    st.button(tr("app.requirements.use_formula"), key=key, on_click=_set_state,
              args=({"req_value_formula": formula},))


def render_quality_calculator() -> None:
    before, after, loss = _inputs("quality", ("before", "after", "loss"))
    _use_formula(quality_value(before, after, loss), "calc_use_quality")
    needed = st.number_input(tr("app.requirements.quality_needed"), min_value=0.0, value=0.0,
                             key="calc_quality_needed",
                             help=tr("app.requirements.quality_needed_help"))
    if needed > 0:
        try:
            recall = quality_recall_target(before, loss, needed)
        except DojoError as exc:
            show_error(exc)
            return
        st.button(tr("app.requirements.use_recall", recall=f"{recall:.2f}"),
                  key="calc_use_recall", on_click=_set_state,
                  args=({"req_metric": "recall", "req_target": round(recall, 4)},))


def render_cost_calculator() -> None:
    before, after, hours, wage = _inputs("cost", ("before", "after", "hours", "wage"))
    _use_formula(cost_value(before, after, hours, wage), "calc_use_cost")


def render_delivery_calculator() -> None:
    before, after = _inputs("delivery", ("before", "after"))
    _use_formula(delivery_value(before, after), "calc_use_delivery")


def render_range_calculator(metric: str) -> None:
    st.caption(tr("app.requirements.range_help"))
    left, right = st.columns(2)
    with left:
        novice = st.number_input(tr("app.requirements.novice"), value=None, key="calc_novice",
                                 format="%.4f")
    with right:
        expert = st.number_input(tr("app.requirements.expert"), value=None, key="calc_expert",
                                 format="%.4f")
    position = st.slider(tr("app.requirements.position"), 0.0, 1.0, 0.0, 0.05,
                         key="calc_position", help=tr("app.requirements.position_help"))
    if novice is None or expert is None:
        return
    try:
        accuracy = expert_range(metric, novice, expert, position)
    except DojoError as exc:
        show_error(exc)
        return
    st.button(tr("app.requirements.use_range", target=f"{accuracy.target:g}"),
              key="calc_use_range", on_click=_set_state, args=({
                  "req_target": accuracy.target, "req_novice": novice, "req_expert": expert,
                  "req_value_formula": accuracy.value_formula},))


def render_data_size() -> None:
    st.subheader(tr("app.requirements.data_heading"))
    st.caption(tr("app.requirements.data_help"))
    left, right = st.columns(2)
    with left:
        _number("app.requirements.rows", "req_rows", whole=True)
    with right:
        _number("app.requirements.features", "req_features", whole=True)


# --- the result ------------------------------------------------------------------------------

def render_card(card: RequirementsCard) -> None:
    st.subheader(tr("app.requirements.card_heading"))
    with st.container(key="requirements_summary"):
        st.markdown(f"**{summary(card, lang())}**")
    problems = conflicts(card)
    for problem in problems:
        st.error(problem.text(lang()), icon=":material/warning:")
    if not problems:
        st.success(tr("app.requirements.coherent"), icon=":material/check_circle:")
    st.download_button(tr("app.requirements.download"), data=card_json(card).encode("utf-8"),
                       file_name="requirements.json", mime="application/json",
                       key="requirements_download", icon=":material/download:",
                       on_click="ignore")
    with st.expander(tr("app.requirements.json")):
        st.code(card_json(card), language="json")
    if st.button(tr("app.requirements.go_algorithms"), key="go_algorithms", type="primary",
                 icon=":material/arrow_forward:"):
        st.switch_page("pages/algorithms.py")


def render() -> None:
    state = get_state()
    st.title(tr("app.requirements.title"))
    render_guide("requirements")
    st.markdown(tr("app.requirements.intro"))
    render_import(state)
    for key, value in widget_values(stored_card(state)).items():
        seed(key, value)
    render_problem_type(state)
    render_speed()
    render_environment()
    render_explanation()
    render_accuracy()
    render_data_size()
    card = parse_card_dict(card_from_widgets())
    state.requirements = card.to_dict()
    render_card(card)
    render_scorecards(state, card)


run_page(render)
