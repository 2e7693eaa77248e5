"""Experiments: every recorded run, filtered, compared side by side, and restored into the session."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core import experiment_plots as plots
from core import tracking
from ui.i18n import lang, text_of, tr
from ui.page import run_page
from ui.state import DojoState, get_state
from ui.widgets import drop
from ui.guide import render_guide

COMPARE_DEFAULT = 3
FILTERS: tuple[tuple[str, str], ...] = (("dataset", "app.experiments.filter_dataset"),
                                        ("algorithm", "app.experiments.filter_algorithm"),
                                        ("status", "app.experiments.filter_status"))


def render_store() -> None:
    """Where runs live, how to open MLflow's own UI, and any warning about the store."""
    status = tracking.status()
    if status.warning is not None:
        st.warning(text_of(status.warning), icon=":material/cloud_off:")
    with st.expander(tr("app.experiments.store"), icon=":material/database:"):
        st.markdown(tr("app.experiments.store_text", uri=status.configured_uri))
        st.code(f"mlflow ui --backend-store-uri {status.configured_uri}", language="bash")


def load_runs() -> pd.DataFrame:
    """Every run (MLflow is imported on the first visit only, hence the spinner)."""
    with st.spinner(tr("app.experiments.loading")):
        return tracking.list_runs()


def filter_label(column: str, value: Any) -> str:
    return tr(f"tracking.status.{value}") if column == "status" else str(value)


def render_filters(runs: pd.DataFrame) -> pd.DataFrame:
    """Multiselects per column and a baseline switch; empty selections keep everything."""
    columns = st.columns(len(FILTERS) + 1, vertical_alignment="bottom")
    chosen: dict[str, list[Any]] = {}
    for column, (name, label_key) in zip(columns, FILTERS):
        options = sorted(runs[name].dropna().unique().tolist(), key=str)
        with column:
            chosen[name] = st.multiselect(tr(label_key), options, key=f"experiments_{name}",
                                          format_func=lambda v, n=name: filter_label(n, v),
                                          placeholder=tr("app.experiments.filter_all"))
    with columns[-1]:
        with_baselines = st.toggle(tr("app.experiments.baselines"), key="experiments_baselines")
    filters = {name: values for name, values in chosen.items() if values}
    if not with_baselines:
        filters["baseline"] = [False]
    return tracking.filter_runs(runs, filters)


def render_table(runs: pd.DataFrame) -> None:
    st.caption(tr("app.experiments.count", count=len(runs)))
    with st.container(key="experiments_runs"):
        st.dataframe(plots.runs_table(runs, lang()), hide_index=True)


def pick_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs to compare (the newest few until the user picks)."""
    ids = runs["run_id"].tolist()
    labels = {row["run_id"]: plots.run_label(row, lang()) for _, row in runs.iterrows()}
    current = st.session_state.get("experiments_compare")
    if not isinstance(current, list) or any(i not in ids for i in current):
        st.session_state["experiments_compare"] = ids[:COMPARE_DEFAULT]
    picked = st.multiselect(tr("app.experiments.compare"), ids, key="experiments_compare",
                            format_func=labels.__getitem__,
                            help=tr("app.experiments.compare_help"))
    return runs[runs["run_id"].isin(picked)]


def pick_metric(runs: pd.DataFrame) -> str | None:
    """The score the charts show; the runs' primary validation metric until the user picks."""
    names = [n for n in plots.metric_names(runs) if n not in plots.TIMING_METRICS]
    if not names:
        return None
    if st.session_state.get("experiments_metric") not in names:
        primary = plots.primary_metric(runs)
        st.session_state["experiments_metric"] = primary if primary in names else names[0]
    return st.selectbox(tr("app.experiments.metric"), names, key="experiments_metric",
                        format_func=lambda n: plots.metric_label(n, lang()))


def render_compare(runs: pd.DataFrame) -> None:
    st.subheader(tr("app.experiments.compare_heading"))
    picked = pick_runs(runs)
    if picked.empty:
        st.info(tr("app.experiments.compare_none"), icon=":material/info:")
        return
    with st.container(key="experiments_comparison"):
        st.dataframe(plots.comparison_table(picked, lang()))
        params = plots.params_table(picked, lang())
        if not params.empty:
            st.caption(tr("app.experiments.params"))
            st.dataframe(params)
    render_plots(picked)


def render_plots(runs: pd.DataFrame) -> None:
    metric = pick_metric(runs)
    if metric is None:
        return
    # Figures are rebuilt only when the compared runs, the metric or the language change.
    memo = ("experiments_figures", tuple(runs["run_id"]), tuple(runs["status"]), metric, lang())
    scatter, parallel = get_state().remember(memo, lambda: (
        plots.metric_vs_time_figure(runs, metric, lang()),
        plots.parallel_coordinates_figure(runs, metric, lang())))
    with st.container(key="experiments_scatter"):
        if scatter is not None:
            st.plotly_chart(scatter)
    with st.container(key="experiments_parallel"):
        if parallel is not None:
            st.plotly_chart(parallel)
        else:
            st.caption(tr("app.experiments.no_params"))


def render_restore(state: DojoState, runs: pd.DataFrame) -> None:
    st.subheader(tr("app.experiments.restore_heading"))
    st.caption(tr("app.experiments.restore_help"))
    restorable = runs[runs["has_bundle"].astype(bool)]
    if restorable.empty:
        st.info(tr("app.experiments.restore_none"), icon=":material/info:")
        return
    labels = {row["run_id"]: plots.run_label(row, lang()) for _, row in restorable.iterrows()}
    run_id = st.selectbox(tr("app.experiments.restore_pick"), list(labels),
                          key="experiments_restore_run", format_func=labels.__getitem__)
    if st.button(tr("app.experiments.restore_button"), key="experiments_restore",
                 type="primary", icon=":material/restore:"):
        with st.spinner(tr("app.experiments.restoring")):
            restore(state, run_id)
    render_restored_notice()


def restore(state: DojoState, run_id: str) -> None:
    """The run's job into the session when its data is at hand, else its model for Predict."""
    from ui.data_source import adopt
    from ui.predicting import bundle_source

    run = tracking.get_run(run_id)
    loaded = tracking.data_for_run(run, state.data)
    if loaded is None:
        _, path = tracking.restore_run(run_id)
        state.uploaded_bundle = bundle_source(path.read_bytes(), path.name)
        st.session_state["experiments_restored"] = ("model_only", run)
        return
    restored = tracking.restore_results(run_id, loaded)
    adopt(state, loaded)
    if loaded.file_format == "sample":
        state.sample_id = loaded.name
    adopt_results(state, restored)
    st.session_state["experiments_restored"] = ("full", run)


def adopt_results(state: DojoState, restored: tracking.RestoredRun) -> None:
    """Make the restored job the session's results, as if it had just been trained."""
    setup = restored.setup
    info = setup.split.info
    state.target, state.task, state.seed = setup.target, setup.task, setup.seed
    state.valid_size, state.test_size = info.valid_size, info.test_size
    state.stratify, state.time_column = bool(info.stratified), info.time_column
    state.results, state.results_setup = list(restored.results), setup
    state.results_run = f"run-{restored.run_id[:12]}"
    state.bundles = {key: str(path) for key, path in restored.bundles.items()}
    state.selected_candidate, state.results_notice = restored.chosen_key, None
    state.algorithms = list(dict.fromkeys(r.algorithm_id for r in restored.results
                                          if not r.is_baseline))
    # Widgets still holding the previous session's picks would override the restored state.
    drop("target_column", "algorithms", "selected_candidate", "export_candidate")


def render_restored_notice() -> None:
    done = st.session_state.get("experiments_restored")
    if not done:
        return
    kind, run = done
    name = run.get(f"name_{lang()}") or run.get("name")
    if kind == "model_only":
        st.info(tr("app.experiments.restored_model_only", name=name, dataset=run["dataset"]),
                icon=":material/info:")
        if st.button(tr("app.experiments.go_predict"), key="experiments_go_predict"):
            st.switch_page("pages/predict.py")
        return
    st.success(tr("app.experiments.restored", name=name, dataset=run["dataset"]),
               icon=":material/check_circle:")
    left, right = st.columns(2)
    if left.button(tr("app.experiments.go_train"), key="experiments_go_train"):
        st.switch_page("pages/train.py")
    if right.button(tr("app.experiments.go_export"), key="experiments_go_export"):
        st.switch_page("pages/export.py")


def render() -> None:
    state = get_state()
    st.title(tr("app.experiments.title"))
    render_guide("experiments")
    st.markdown(tr("app.experiments.intro"))
    runs = load_runs()
    render_store()
    if runs.empty:
        st.info(tr("app.experiments.empty"), icon=":material/info:")
        return
    shown = render_filters(runs)
    render_table(shown)
    if shown.empty:
        return
    run_page(lambda: render_compare(shown))
    run_page(lambda: render_restore(state, shown))


run_page(render)
