"""The hyperparameter panel, generated from the catalog's HyperparameterSpec entries."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import streamlit as st

from core.catalog import AlgorithmSpec, HyperparameterSpec
from ui.i18n import labels_for, lang, text_of, tr
from ui.state import DojoState, get_state
from ui.widgets import drop, seed

LOG_GRID_POINTS = 41


def widget_key(algorithm_id: str, name: str) -> str:
    return f"hp.{algorithm_id}.{name}"


def _round_sig(value: float, digits: int = 2) -> float:
    if value == 0:
        return 0.0
    return round(value, -int(math.floor(math.log10(abs(value)))) + digits - 1)


def log_grid(spec: HyperparameterSpec, current: Any) -> list[Any]:
    """Values spaced evenly on a log scale between low and high, plus default and current."""
    low, high = float(spec.low), float(spec.high)
    points = np.geomspace(max(low, 1e-12), high, LOG_GRID_POINTS)
    if spec.kind == "int":
        values = {int(round(p)) for p in points} | {int(spec.default), int(current)}
    else:
        values = {_round_sig(float(p)) for p in points} | {float(spec.default), float(current)}
    return sorted(v for v in values if low <= v <= high)


def format_value(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _option_text(spec: HyperparameterSpec, option: Any) -> str:
    """A select option in plain words with the library's value beside it, or the value."""
    if option not in spec.option_labels:
        return format_value(option)
    return f"{spec.option_label(option, lang())} ({option})"


def _number_widget(spec: HyperparameterSpec, key: str, label: str, help_text: str) -> Any:
    if spec.log and spec.low is not None and spec.high is not None:
        options = log_grid(spec, st.session_state[key])
        return st.select_slider(label, options=options, format_func=format_value, key=key,
                                help=help_text)
    if spec.kind == "int":
        return st.slider(label, int(spec.low), int(spec.high), step=int(spec.step or 1), key=key,
                         help=help_text)
    step = float(spec.step) if spec.step else (float(spec.high) - float(spec.low)) / 100
    return st.slider(label, float(spec.low), float(spec.high), step=step, key=key,
                     help=help_text)


def hyperparameter_widget(algorithm_id: str, spec: HyperparameterSpec, value: Any) -> Any:
    """One widget for ``spec`` showing ``value``; returns what the user set."""
    key = widget_key(algorithm_id, spec.name)
    seed(key, value)
    label = text_of(spec.label)
    help_text = f"{text_of(spec.help)}\n\n`{spec.name}`"
    if spec.kind == "bool":
        return st.toggle(label, key=key, help=help_text)
    if spec.kind == "select":
        return st.selectbox(label, options=list(spec.options), key=key, help=help_text,
                            format_func=labels_for(spec.options,
                                                   lambda option: _option_text(spec, option)))
    chosen = _number_widget(spec, key, label, help_text)
    return int(chosen) if spec.kind == "int" else _round_sig(float(chosen), 6)


def reset_algorithm(algorithm_id: str, names: list[str]) -> None:
    """Back to the catalog defaults (a button callback, so it runs before the widgets)."""
    get_state().params.pop(algorithm_id, None)
    drop(*(widget_key(algorithm_id, name) for name in names))


def render_panel(state: DojoState, spec: AlgorithmSpec, task: str) -> None:
    """The sliders of one algorithm, two per row, with a reset button."""
    specs = spec.hyperparameters_for(task)
    if not specs:
        st.caption(tr("app.train.no_hyperparameters"))
        return
    chosen = {**spec.defaults(task), **state.params.get(spec.id, {})}
    values: dict[str, Any] = {}
    columns = st.columns(2)
    for index, hp in enumerate(specs):
        with columns[index % 2]:
            values[hp.name] = hyperparameter_widget(spec.id, hp, chosen[hp.name])
    state.params[spec.id] = values
    st.button(tr("app.train.reset_defaults"), key=f"hp_reset.{spec.id}",
              icon=":material/restart_alt:", on_click=reset_algorithm,
              args=(spec.id, [hp.name for hp in specs]))


def changed_params(state: DojoState, spec: AlgorithmSpec, task: str) -> dict[str, Any]:
    """The values that differ from the defaults (what the run records as chosen)."""
    defaults = spec.defaults(task)
    names = {hp.name for hp in spec.hyperparameters_for(task)}
    return {name: value for name, value in state.params.get(spec.id, {}).items()
            if name in names and value != defaults.get(name)}
