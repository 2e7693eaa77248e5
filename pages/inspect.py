"""Inspect: look inside a trained candidate — its tree, feature importance and SHAP.

Everything shown is computed by core.trees / core.explain (cached there by model and data,
so a rerun recomputes nothing) and drawn by core.explain_plots; each section runs behind
its own error boundary, so one that fails leaves the others on the page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.explain import (PERMUTATION_BUDGET_SECONDS, PermutationPlan, ShapResult,
                          explain_candidate, model_importance, output_phrase,
                          permutation_importance_by_feature, plan_permutation, reading,
                          strongest_interaction)
from core.explain_plots import (beeswarm_figure, dependence_figure, importance_figure,
                                shap_bar_figure, waterfall_figure)
from core.trees import DEFAULT_DEPTH, draw_candidate_tree, tree_count
from ui.i18n import lang, text_of, tr
from ui.page import run_page
from ui.state import DojoState, get_state
from ui.training import collect_finished
from ui.guide import render_guide

SUPERVISED = ("classification", "regression")
MAX_DRAWN_DEPTH = 8


def render_choice(state: DojoState, keys: list[str]) -> Any:
    if st.session_state.get("inspect_candidate") not in keys:
        st.session_state["inspect_candidate"] = (state.selected_candidate
                                                 if state.selected_candidate in keys else keys[0])
    key = st.selectbox(tr("app.inspect.candidate"), options=keys, key="inspect_candidate",
                       format_func=lambda k: text_of(state.result(k).name),
                       help=tr("app.inspect.candidate_help"))
    return state.result(key)


# --- tree -------------------------------------------------------------------------------------

def _clamp_widget(key: str, low: int, high: int, default: int) -> None:
    # A value kept from another candidate may be out of this one's range.
    value = st.session_state.get(key)
    if not isinstance(value, int) or not low <= value <= high:
        st.session_state[key] = default


def render_tree_controls(count: int) -> tuple[int, int, bool]:
    """(depth, tree index, surrogate) chosen by the user for a model with ``count`` trees."""
    left, middle, right = st.columns(3)
    _clamp_widget("tree_depth", 1, MAX_DRAWN_DEPTH, DEFAULT_DEPTH)
    depth = left.slider(tr("app.inspect.depth"), 1, MAX_DRAWN_DEPTH, key="tree_depth",
                        help=tr("app.inspect.depth_help"))
    surrogate = count == 0
    if count > 1:
        surrogate = right.toggle(tr("app.inspect.use_surrogate"), key="tree_surrogate",
                                 help=tr("app.inspect.use_surrogate_help"))
    index = 1
    if count > 1 and not surrogate:
        _clamp_widget("tree_index", 1, count, 1)
        index = middle.number_input(tr("app.inspect.tree_index", count=count), min_value=1,
                                    max_value=count, step=1, key="tree_index",
                                    help=tr("app.inspect.tree_index_help"))
    return depth, int(index) - 1, surrogate


def render_tree(state: DojoState, result: Any) -> None:
    st.subheader(tr("app.inspect.tree_heading"))
    setup = state.results_setup
    count = tree_count(result.pipeline)
    if count == 0:
        st.caption(tr("app.inspect.no_trees"))
    with st.container(key="tree_view"):
        depth, index, surrogate = render_tree_controls(count)
        drawing = draw_candidate_tree(setup, result, index, depth, surrogate, lang())
        if drawing.kind == "surrogate":
            st.info(text_of(drawing.caption), icon=":material/account_tree:")
        else:
            st.caption(text_of(drawing.caption))
        if drawing.tree_depth > drawing.depth_shown:
            st.caption(tr("app.inspect.depth_cut", shown=drawing.depth_shown,
                          full=drawing.tree_depth))
        st.graphviz_chart(drawing.dot)


# --- importance -------------------------------------------------------------------------------

def render_own_importance(state: DojoState, result: Any) -> None:
    own = model_importance(result.pipeline, state.results_setup.features)
    if own is None:
        st.info(tr("app.inspect.no_own_importance"), icon=":material/info:")
        return
    st.plotly_chart(state.remember(("inspect_own", state.results_run, result.key, lang()),
                                   lambda: importance_figure(own, lang())))


def permutation_wanted(state: DojoState, result: Any, plan: PermutationPlan) -> bool:
    """Run at once when it fits the budget; otherwise only after the user asks (once)."""
    asked = ("inspect_perm_asked", state.results_run, result.key)
    if plan.seconds <= PERMUTATION_BUDGET_SECONDS * 1.5 or asked in state.memo:
        return True
    st.caption(tr("app.inspect.permutation_slow", seconds=f"{plan.seconds:.0f}"))
    if st.button(tr("app.inspect.permutation_run"), key="run_permutation"):
        state.remember(asked, lambda: True)
        return True
    return False


def render_permutation_importance(state: DojoState, result: Any) -> None:
    X, y = state.results_setup.part("validation")
    if not len(X):
        X, y = state.results_setup.part("train")
    seed = state.results_setup.seed
    if not permutation_wanted(state, result, plan_permutation(result.pipeline, X, y, seed=seed)):
        return
    with st.spinner(tr("app.inspect.computing_permutation")):
        found = permutation_importance_by_feature(result.pipeline, X, y, seed=seed)
    if not found.ok:
        st.warning(text_of(found.error), icon=":material/warning:")
        return
    st.plotly_chart(state.remember(("inspect_perm", state.results_run, result.key, lang()),
                                   lambda: importance_figure(found, lang())))
    st.caption(tr("app.inspect.permutation_sizes", rows=found.rows, repeats=found.repeats))
    for note in found.notes:
        st.caption(text_of(note))


def render_importance(state: DojoState, result: Any) -> None:
    st.subheader(tr("app.inspect.importance_heading"))
    st.caption(tr("app.inspect.importance_help"))
    left, right = st.columns(2)
    with left:
        run_page(lambda: render_own_importance(state, result))
    with right:
        run_page(lambda: render_permutation_importance(state, result))


# --- SHAP -------------------------------------------------------------------------------------

def render_class_picker(result: Any) -> Any:
    classes = list(getattr(result.pipeline, "classes_", []))
    if len(classes) <= 2:
        return None
    if st.session_state.get("shap_class") not in classes:
        st.session_state["shap_class"] = classes[0]
    return st.selectbox(tr("app.inspect.shap_class"), options=classes, key="shap_class",
                        format_func=str, help=tr("app.inspect.shap_class_help"))


def render_shap_summary(state: DojoState, result: Any, shap: ShapResult) -> None:
    st.caption(tr("app.inspect.explained_by", explainer=tr(f"inspect.explainer.{shap.explainer}"),
                  rows=len(shap.rows), total=shap.total_rows, seconds=f"{shap.seconds:.1f}"))
    for note in shap.notes:
        st.caption(text_of(note))
    memo = (state.results_run, result.key, shap.class_label, lang())
    with st.container(key="shap_summary"):
        swarm, bars = st.tabs([tr("app.inspect.tab_beeswarm"), tr("app.inspect.tab_bar")])
        with swarm:
            st.plotly_chart(state.remember(("inspect_swarm", *memo),
                                           lambda: beeswarm_figure(shap, lang())))
        with bars:
            st.plotly_chart(state.remember(("inspect_bar", *memo),
                                           lambda: shap_bar_figure(shap, lang())))
    st.caption(tr("app.inspect.additivity", what=output_phrase(shap, lang()),
                  base=f"{shap.base_value:.4g}"))


def render_reading(shap: ShapResult) -> None:
    st.markdown(f"**{tr('app.inspect.reading_heading')}**")
    st.markdown("\n".join(f"- {line}" for line in reading(shap, lang())))


def render_dependence(state: DojoState, result: Any, shap: ShapResult) -> None:
    st.markdown(f"**{tr('app.inspect.dependence_heading')}**")
    options = list(shap.mean_abs().index)
    if st.session_state.get("shap_feature") not in options:
        st.session_state["shap_feature"] = options[0]
    feature = st.selectbox(tr("app.inspect.dependence_feature"), options=options,
                           key="shap_feature", help=tr("app.inspect.dependence_help"))
    memo = ("inspect_dependence", state.results_run, result.key, shap.class_label, feature,
            lang())

    def build() -> Any:
        return dependence_figure(shap, feature, strongest_interaction(shap, feature), lang())
    st.plotly_chart(state.remember(memo, build))


def _row_labels(state: DojoState, result: Any, shap: ShapResult) -> list[str]:
    """One label per explained row, built once (thousands of rows must not cost a rerun)."""
    def build() -> list[str]:
        return [tr("app.inspect.row_option", row=row, output=f"{output:.4g}")
                for row, output in zip(shap.rows.index, shap.predictions)]
    return state.remember(("inspect_row_labels", state.results_run, result.key,
                           shap.class_label, lang()), build)


def render_waterfall(state: DojoState, result: Any, shap: ShapResult) -> None:
    st.markdown(f"**{tr('app.inspect.waterfall_heading')}**")
    positions = list(range(len(shap.rows)))
    if st.session_state.get("shap_row") not in positions:
        st.session_state["shap_row"] = 0
    labels = _row_labels(state, result, shap)
    position = st.selectbox(tr("app.inspect.waterfall_row"), options=positions, key="shap_row",
                            format_func=lambda p: labels[p],
                            help=tr("app.inspect.waterfall_help"))
    st.plotly_chart(state.remember(
        ("inspect_waterfall", state.results_run, result.key, shap.class_label, position, lang()),
        lambda: waterfall_figure(shap, position, lang())))


def render_shap(state: DojoState, result: Any) -> None:
    st.subheader(tr("app.inspect.shap_heading"))
    st.caption(tr("app.inspect.shap_help"))
    class_label = render_class_picker(result)
    with st.spinner(tr("app.inspect.computing_shap")):
        shap = explain_candidate(state.results_setup, result, class_label)
    if not shap.ok:
        st.warning(text_of(shap.error), icon=":material/warning:")
        return
    render_shap_summary(state, result, shap)
    render_reading(shap)
    run_page(lambda: render_dependence(state, result, shap))
    run_page(lambda: render_waterfall(state, result, shap))


# --- page -------------------------------------------------------------------------------------

def render_nothing_yet() -> None:
    st.info(tr("app.inspect.nothing"), icon=":material/info:")
    if st.button(tr("app.inspect.go_train"), key="go_train_from_inspect"):
        st.switch_page("pages/train.py")


def render() -> None:
    state = get_state()
    collect_finished(state)
    st.title(tr("app.inspect.title"))
    render_guide("inspect")
    st.markdown(tr("app.inspect.intro"))
    keys = state.model_keys()
    if not keys or state.results_setup is None:
        render_nothing_yet()
        return
    if state.results_setup.task not in SUPERVISED:
        st.info(tr("app.inspect.unsupported_task"), icon=":material/info:")
        return
    result = render_choice(state, keys)
    run_page(lambda: render_tree(state, result))
    run_page(lambda: render_importance(state, result))
    run_page(lambda: render_shap(state, result))


run_page(render)
