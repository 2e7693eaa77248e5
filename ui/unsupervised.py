"""Clustering and dimensionality reduction in the app.

Three pieces the Data and Train pages call:

* the "no target" choice: a checkbox before ``target_column`` that turns the problem into
  finding groups (clustering) or reducing columns (dimensionality reduction);
* the k sweep ("Find the number of groups") beside the clustering hyperparameters, whose
  suggestion can be copied into the ``n_clusters`` / ``n_components`` slider;
* the projection controls under a result: what colours the points, and 2-D or 3-D.

"No target" is not a field of its own: it is ``state.target is None`` with an unsupervised
``state.task``, so everything that reads the state (the split, the setup, the sidebar's
progress) agrees on it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from core.catalog import UNSUPERVISED_TASKS, get as get_algorithm
from core.errors import DojoError
from ui.i18n import labels_for, lang, metric_name, text_of, tr
from ui.page import show_error
from ui.state import DojoState, get_state
from ui.widgets import force, seed

NO_TARGET_KEY = "no_target"
SUPERVISED_CHOICES: tuple[str, ...] = ("auto", "classification", "regression")
TASK_CHOICES: tuple[str, ...] = SUPERVISED_CHOICES + UNSUPERVISED_TASKS
PROJECTION_PLOTS: frozenset[str] = frozenset({"cluster_projection", "projection"})
# Colour-by choices that are not columns of the data (no column name starts with NUL).
BY_CLUSTER, NO_COLOUR = "\x00cluster", "\x00none"
SWEEP_ALGORITHM_KEY, SWEEP_BUTTON_KEY, SWEEP_USE_KEY = ("k_sweep_algorithm", "k_sweep_button",
                                                        "k_sweep_use")
COLOUR_KEY, THREE_D_KEY = "projection_color_by", "projection_3d"


def is_unsupervised(task: str | None) -> bool:
    return task in UNSUPERVISED_TASKS


# --- the Data page: no target ---------------------------------------------------------------

def no_target_chosen(state: DojoState) -> bool:
    """True when the user said the data has no column to predict."""
    return state.data is not None and state.target is None and is_unsupervised(state.task)


def goal_chosen(state: DojoState) -> bool:
    """Data is loaded and either a target is picked or "no target" is ticked."""
    return state.data is not None and (state.target is not None or no_target_chosen(state))


def _no_target_changed() -> None:
    """Checkbox callback (runs before the page): the target and task follow the tick."""
    state = get_state()
    if st.session_state.get(NO_TARGET_KEY):
        state.target = None
        if not is_unsupervised(state.task):
            state.task = "clustering"
        force("target_column", None)
    else:
        state.task = "auto"      # back to predicting a column: let the target decide
    force("task_choice", state.task)


def render_no_target_choice(state: DojoState) -> bool:
    """The "no column to predict" checkbox; returns whether it is ticked."""
    force(NO_TARGET_KEY, no_target_chosen(state))   # a sample or a new table may change it
    return st.checkbox(tr("app.unsupervised.no_target"), key=NO_TARGET_KEY,
                       help=tr("app.unsupervised.no_target_help"), on_change=_no_target_changed)


def task_options(no_target: bool) -> list[str]:
    """Problem types on offer: without a target only the two that need none."""
    return list(UNSUPERVISED_TASKS) if no_target else list(TASK_CHOICES)


def render_goal_note(state: DojoState) -> None:
    """What the chosen unsupervised task does, and what a target is still good for."""
    if not is_unsupervised(state.task) or state.data is None:
        return
    if state.target is None:
        st.info(tr(f"app.unsupervised.goal_{state.task}"), icon=":material/lightbulb:")
        st.caption(tr("app.unsupervised.keep_label_out"))
    else:
        st.info(tr("app.unsupervised.target_colours_only", target=state.target,
                   task=tr(f"app.task.{state.task}")), icon=":material/palette:")


# --- the Train page: captions ---------------------------------------------------------------

def setup_caption(setup: Any) -> str | None:
    """The line above the candidates for an unsupervised setup (None: a supervised one)."""
    if setup is None or not is_unsupervised(setup.task):
        return None
    key = "app.unsupervised.setup_coloured" if setup.target else "app.unsupervised.setup"
    return tr(key, name=setup.data_name, task=tr(f"app.task.{setup.task}"),
              features=len(setup.features), target=setup.target or "")


def trained_on_caption(setup: Any) -> str | None:
    """The provenance line above the leaderboard for an unsupervised run (None otherwise)."""
    if setup is None or not is_unsupervised(setup.task):
        return None
    sizes = setup.split.info.sizes
    key = "app.unsupervised.trained_on_coloured" if setup.target else "app.unsupervised.trained_on"
    return tr(key, name=setup.data_name, task=tr(f"app.task.{setup.task}"),
              target=setup.target or "", train=sizes.get("train", 0),
              validation=sizes.get("validation", 0), test=sizes.get("test", 0))


def baseline_note_key(task: str) -> str:
    """The Train page's line about baselines: random groups or directions need no target."""
    return f"app.unsupervised.baseline_note_{task}" if is_unsupervised(task) else \
        "app.train.baseline_note"


def render_metric_hint(task: str) -> None:
    """How to read the unsupervised scores, which few people know by heart."""
    if is_unsupervised(task):
        st.caption(tr(f"app.unsupervised.metrics_{task}"))


def export_summary(meta: dict[str, Any], algorithm: str) -> str | None:
    """The Export page's line for a bundle of an unsupervised model (None otherwise)."""
    task = meta.get("task")
    if not is_unsupervised(task):
        return None
    key = f"app.unsupervised.export_{task}"
    if not (meta.get("unsupervised") or {}).get("new_rows", True):
        key = "app.unsupervised.export_training_rows_only"   # t-SNE
    return tr(key, algorithm=algorithm,
              rows=meta.get("data", {}).get("rows", "-"), seed=meta.get("random_seed", "-"))


def explain_cannot_predict(state: DojoState, key: str) -> bool:
    """On the Predict page: say so, and return True, when candidate ``key`` cannot place new
    rows (t-SNE), instead of letting every prediction fail."""
    from core.unsupervised import can_score_new_rows

    setup, result = state.results_setup, state.result(key)
    if setup is None or result is None or can_score_new_rows(result.pipeline, setup.task):
        return False
    st.info(tr("app.unsupervised.predict_training_rows_only", name=text_of(result.name)),
            icon=":material/info:")
    return True


# --- the Train page: the k sweep ------------------------------------------------------------

def sweep_memo_key(state: DojoState, algorithm_id: str) -> tuple[Any, ...]:
    """What a sweep depends on: the data and split, the algorithm and its other settings."""
    from core.unsupervised import CLUSTER_COUNT_PARAM
    from ui.data_source import setup_key

    parameter = CLUSTER_COUNT_PARAM[algorithm_id]
    others = {k: v for k, v in state.params.get(algorithm_id, {}).items() if k != parameter}
    return (setup_key(state), algorithm_id, tuple(sorted((k, repr(v)) for k, v in others.items())))


def _use_k(algorithm_id: str, parameter: str, k: int) -> None:
    """Button callback: put the suggested k into the slider (before it is drawn)."""
    from ui.hyperparams import widget_key

    state = get_state()
    state.params.setdefault(algorithm_id, {})[parameter] = int(k)
    st.session_state[widget_key(algorithm_id, parameter)] = int(k)


def _sweep_algorithm(candidates: list[str]) -> str:
    if len(candidates) == 1:
        return candidates[0]
    seed(SWEEP_ALGORITHM_KEY, candidates[0], options=candidates)
    return st.radio(tr("app.unsupervised.sweep_algorithm"), options=candidates, horizontal=True,
                    key=SWEEP_ALGORITHM_KEY,
                    format_func=labels_for(candidates, lambda a: text_of(get_algorithm(a).names)))


def run_sweep(state: DojoState, setup: Any, algorithm_id: str) -> None:
    """Fit one model per k now (an explicit action) and keep the result in the state."""
    from core.unsupervised import k_sweep

    memo = sweep_memo_key(state, algorithm_id)
    with st.spinner(tr("app.unsupervised.sweeping")):
        sweep = k_sweep(setup, algorithm_id, params=dict(state.params.get(algorithm_id, {})))
    state.k_sweeps[algorithm_id] = (memo, sweep)


def render_k_sweep(state: DojoState, setup: Any, ids: list[str]) -> None:
    """"Find the number of groups" for the picked clustering algorithms that have a k."""
    from core.unsupervised import CLUSTER_COUNT_PARAM

    candidates = [a for a in ids if a in CLUSTER_COUNT_PARAM]
    if setup is None or setup.task != "clustering" or not candidates:
        return
    with st.container(border=True, key="k_sweep"):
        st.subheader(tr("app.unsupervised.sweep_heading"))
        st.markdown(tr("app.unsupervised.sweep_intro"))
        algorithm_id = _sweep_algorithm(candidates)
        if st.button(tr("app.unsupervised.sweep_button"), key=SWEEP_BUTTON_KEY,
                     icon=":material/query_stats:"):
            try:
                run_sweep(state, setup, algorithm_id)
            except DojoError as exc:
                show_error(exc)
                return
        stored = state.k_sweeps.get(algorithm_id)
        if stored is None:
            return
        if stored[0] != sweep_memo_key(state, algorithm_id):
            st.caption(tr("app.unsupervised.sweep_outdated"))
            return
        render_sweep_result(state, algorithm_id, stored[1])


def render_sweep_result(state: DojoState, algorithm_id: str, sweep: Any) -> None:
    """The elbow and silhouette curves, the suggested k and the button that applies it."""
    from core.plots import k_sweep_figure

    figure = state.remember(("k_sweep_figure", state.k_sweeps[algorithm_id][0], lang()),
                            lambda: k_sweep_figure(sweep, lang()))
    with st.container(key="k_sweep_chart"):
        st.plotly_chart(figure)
    st.caption(tr("app.unsupervised.sweep_read", rows=f"{sweep.train_rows:,}"))
    k = sweep.suggested_k
    if k is None:
        st.warning(tr("app.unsupervised.sweep_no_suggestion"), icon=":material/help:")
        return
    silhouette = sweep.metrics[sweep.ks.index(k)].get("silhouette")
    st.markdown(tr("app.unsupervised.sweep_suggestion", k=k, metric=metric_name("silhouette"),
                   value=f"{silhouette:.2f}" if silhouette is not None else "–"))
    current = state.params.get(algorithm_id, {}).get(sweep.parameter)
    if current == k:
        st.caption(tr("app.unsupervised.sweep_in_use", k=k))
        return
    st.button(tr("app.unsupervised.use_k", k=k), key=SWEEP_USE_KEY, type="primary",
              icon=":material/check:", on_click=_use_k, args=(algorithm_id, sweep.parameter, k))


# --- the Train page: projections --------------------------------------------------------------

def colour_options(setup: Any) -> tuple[list[str], str]:
    """The colour-by choices and the default: the clusters, or the target (else nothing)."""
    from core.unsupervised import color_columns

    columns = color_columns(setup)
    if setup.task == "clustering":
        return [BY_CLUSTER] + columns, BY_CLUSTER
    return [NO_COLOUR] + columns, setup.target if setup.target in columns else NO_COLOUR


def _colour_label(option: str) -> str:
    if option == BY_CLUSTER:
        return tr("app.unsupervised.colour_cluster")
    if option == NO_COLOUR:
        return tr("app.unsupervised.colour_none")
    return str(option)


def projection_figure(setup: Any, result: Any, dims: int, color_by: str | None) -> tuple[Any, int]:
    """The figure and the dimensions it really has (a model may have fewer than asked)."""
    from core import plots, unsupervised

    projection = unsupervised.projection(setup, result.pipeline, dims=dims, color_by=color_by)
    if color_by is not None and color_by != "cluster" and "cluster" in projection.points:
        # the figure colours by cluster whenever it can; the user asked for another column
        projection = dataclasses.replace(projection,
                                         points=projection.points.drop(columns="cluster"))
    return plots.projection_figure(projection, lang()), projection.dims


def render_projection(state: DojoState, result: Any) -> None:
    """The projection of a result with its controls: colour by, 2-D or 3-D."""
    setup = state.results_setup
    options, default = colour_options(setup)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        seed(COLOUR_KEY, default, options=options)
        colour = st.selectbox(tr("app.unsupervised.colour_by"), options=options, key=COLOUR_KEY,
                              format_func=labels_for(options, _colour_label),
                              help=tr("app.unsupervised.colour_by_help"))
    with right:
        three_d = st.toggle(tr("app.unsupervised.three_d"), key=THREE_D_KEY,
                            help=tr("app.unsupervised.three_d_help"))
    dims = 3 if three_d else 2
    color_by = None if colour in (BY_CLUSTER, NO_COLOUR) else colour
    try:
        figure, shown = state.remember(
            ("projection_figure", state.results_run, result.key, dims, color_by, lang()),
            lambda: projection_figure(setup, result, dims, color_by))
    except DojoError as exc:
        show_error(exc)
        return
    if shown < dims:
        st.caption(tr("app.unsupervised.fewer_dims", dims=shown))
    with st.container(key="projection_chart"):
        st.plotly_chart(figure)
