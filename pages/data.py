"""Data: load a table, look at it, pick the target and the problem type, set the split."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.data import SUPPORTED_SUFFIXES
from core.errors import DojoError
from core.plots import distribution_figure, missing_values_figure, target_distribution_figure
from core.profiling import ROLES
from ui.data_source import (TABLE_CHOICES, auto_profile, current_profile, current_setup,
                            data_fingerprint, load_sample_into_state, load_upload, reload_upload)
from ui.i18n import labels_for, lang, text_of, tr
from ui.page import run_page, show_error
from ui.guide import render_guide
from ui.samples import sample_description, sample_ids, sample_label, scenario_story
from ui.state import DojoState, get_state
from ui.unsupervised import (goal_chosen, is_unsupervised, no_target_chosen, render_goal_note,
                             render_no_target_choice, task_options)
from ui.widgets import force, seed

PREVIEW_ROWS = 200
BUILT_IN_FORMATS = ("sample", "scenario")


def render_source(state: DojoState) -> None:
    st.subheader(tr("app.data.source"))
    left, right = st.columns(2)   # room for the workshop scenarios' longer names
    with left:
        uploaded = st.file_uploader(tr("app.data.upload"), key="data_upload",
                                    type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
                                    help=tr("app.data.upload_help"))
        if uploaded is not None:
            load_upload(uploaded.file_id, uploaded.name, uploaded.getvalue)
            if state.upload_token == uploaded.file_id:
                force("sample_dataset", None)
        if uploaded is not None and state.load_error and state.load_error[0] == uploaded.file_id:
            st.error(text_of(state.load_error[1]), icon=":material/error:")
        if uploaded is not None and state.upload_token == uploaded.file_id:
            render_table_choice(state, uploaded)
    with right:
        render_sample_picker(state)


def render_table_choice(state: DojoState, uploaded) -> None:
    """Files holding several tables (Excel sheets, HDF5 keys, npz arrays): pick one."""
    choices = state.data.choices
    picked = dict(state.load_options)
    for option, (choice_key, label_key, optional) in TABLE_CHOICES.items():
        options = list(choices.get(choice_key, []))
        if len(options) < (1 if optional else 2):
            continue
        current = picked.get(option) or (None if optional else options[0])
        seed(f"table_{option}", current, options=options + ([None] if optional else []))
        picked[option] = st.selectbox(tr(label_key), options=options, key=f"table_{option}",
                                      placeholder=tr("app.data.choice_none"))
    picked = {k: v for k, v in picked.items() if v}
    if picked != {k: v for k, v in state.load_options.items() if v}:
        reload_upload(uploaded.name, uploaded.getvalue, picked)
        st.rerun()


def render_sample_picker(state: DojoState) -> None:
    ids = sample_ids()
    seed("sample_dataset", state.sample_id, options=ids + [None])
    chosen = st.selectbox(tr("app.data.sample"), options=ids, format_func=labels_for(ids, sample_label),
                          index=None, placeholder=tr("app.data.sample_placeholder"),
                          key="sample_dataset", help=tr("app.data.sample_help"))
    if chosen is not None and chosen != state.sample_id:
        load_sample_into_state(chosen, with_target=True)
        for widget, value in (("target_column", state.target), ("task_choice", state.task),
                              ("time_column", state.time_column)):
            force(widget, value)   # the new table's choices, not the old widgets' values
    if chosen is not None:
        st.caption(sample_description(chosen))


def render_loaded(state: DojoState) -> None:
    data = state.data
    frame = data.frame
    encoding = f" · {data.encoding}" if data.encoding else ""
    st.success(tr("app.data.loaded", name=data.name, rows=f"{len(frame):,}",
                  columns=len(frame.columns), format=format_name(data.file_format)) + encoding,
               icon=":material/check_circle:")
    for note in data.notes:
        st.info(text_of(note))
    story = scenario_story(state.sample_id)
    if story is not None:
        with st.container(border=True, key="scenario_story"):
            st.markdown(f"**{tr('app.data.scenario_story')}**  \n{text_of(story)}")
            st.caption(tr("app.data.scenario_card"))
    with st.expander(tr("app.data.preview", rows=min(PREVIEW_ROWS, len(frame))), expanded=True):
        with st.container(key="data_preview"):
            st.dataframe(frame.head(PREVIEW_ROWS), height=240)


def format_name(file_format: str) -> str:
    """"csv", "parquet"... as they are; the built-in kinds ("sample", "scenario") translated."""
    return tr(f"app.data.format_{file_format}") if file_format in BUILT_IN_FORMATS else file_format


def render_target(state: DojoState) -> None:
    st.subheader(tr("app.data.target_heading"))
    no_target = render_no_target_choice(state)
    columns = list(state.data.frame.columns)
    seed("target_column", state.target, options=columns + [None])
    left, right = st.columns(2)
    with left:
        target = st.selectbox(tr("app.data.target"), options=columns, index=None,
                              placeholder=tr("app.unsupervised.target_not_needed" if no_target
                                             else "app.data.target_placeholder"),
                              key="target_column", help=tr("app.data.target_help"),
                              disabled=no_target)
    if target != state.target:
        state.target = target
        state.role_overrides.pop(target, None)
    with right:
        tasks = task_options(no_target)
        seed("task_choice", state.task, options=tasks)
        state.task = st.selectbox(tr("app.data.task"), options=tasks,
                                  format_func=labels_for(tasks, lambda task: tr(f"app.task.{task}")),
                                  key="task_choice", help=tr("app.data.task_help"),
                                  disabled=target is None and not no_target)
    render_goal_note(state)


def render_detected_task(state: DojoState) -> None:
    profile = auto_profile(state)
    info = profile.task
    if info is None:
        return
    classes = ""
    if info.classes:
        shown = ", ".join(str(c) for c in info.classes[:8])
        classes = tr("app.data.classes", count=len(info.classes), classes=shown)
    subtype = tr(f"app.subtype.{info.subtype}") if info.subtype else ""
    st.info(tr("app.data.detected_task", task=tr(f"app.task.{info.task}"), subtype=subtype,
               classes=classes), icon=":material/lightbulb:")


def role_table(state: DojoState) -> pd.DataFrame:
    inferred = auto_profile(state)
    current = current_profile(state)
    rows = []
    for col in current.columns:
        auto = inferred.column(col.name)
        reason = text_of(auto.reason)
        if col.name in state.role_overrides:
            reason = tr("app.data.role_overridden", role=tr(f"app.role.{auto.role}"),
                        reason=reason)
        rows.append({"column": col.name, "role": col.role, "feature": col.is_feature,
                     "reason": reason, "dtype": col.dtype,
                     "missing": round(100 * col.missing_share, 1), "distinct": col.distinct})
    return pd.DataFrame(rows)


def render_roles(state: DojoState) -> None:
    st.caption(tr("app.data.roles_help"))
    table = role_table(state)
    config = {
        "column": st.column_config.TextColumn(tr("app.data.col_column"), disabled=True),
        "role": st.column_config.SelectboxColumn(
            tr("app.data.col_role"), options=list(ROLES), required=True,
            format_func=labels_for(ROLES, lambda role: tr(f"app.role.{role}")), help=tr("app.data.col_role_help")),
        "feature": st.column_config.CheckboxColumn(tr("app.data.col_feature"), disabled=True,
                                                   help=tr("app.data.col_feature_help")),
        "reason": st.column_config.TextColumn(tr("app.data.col_reason"), disabled=True,
                                              width="large"),
        "dtype": st.column_config.TextColumn(tr("app.data.col_dtype"), disabled=True),
        "missing": st.column_config.NumberColumn(tr("app.data.col_missing"), disabled=True,
                                                 format="%.1f %%"),
        "distinct": st.column_config.NumberColumn(tr("app.data.col_distinct"), disabled=True),
    }
    with st.container(key="column_roles_box"):
        edited = st.data_editor(table, column_config=config, hide_index=True, key="column_roles",
                                num_rows="fixed", height=min(420, 38 + 35 * len(table)))
    apply_role_edits(state, edited)


def apply_role_edits(state: DojoState, edited: pd.DataFrame) -> None:
    inferred = {c.name: c.role for c in auto_profile(state).columns}
    overrides = {name: role for name, role in zip(edited["column"], edited["role"])
                 if role != inferred.get(name) and name != state.target}
    if overrides != state.role_overrides:
        state.role_overrides = overrides
        st.rerun()


def render_profile(state: DojoState) -> None:
    st.subheader(tr("app.data.profile"))
    profile = current_profile(state)
    for warning in profile.warnings:
        st.warning(text_of(warning), icon=":material/warning:")
    names = ["app.data.tab_roles", "app.data.tab_missing", "app.data.tab_distribution"]
    tabs = st.tabs([tr(name) for name in names + ([] if no_target_chosen(state)
                                                    else ["app.data.tab_target"])])
    with tabs[0]:
        render_roles(state)
    with tabs[1], st.container(key="missing_chart"):
        st.plotly_chart(state.remember(("fig_missing", data_fingerprint(state), lang()),
                                       lambda: missing_values_figure(profile, lang())))
    with tabs[2]:
        render_distribution(state)
    if len(tabs) < 4:   # no target: nothing to show there
        return
    with tabs[3], st.container(key="target_chart"):
        if state.target is None:
            st.caption(tr("app.data.pick_target_first"))
        else:
            st.plotly_chart(state.remember(
                ("fig_target", data_fingerprint(state), state.target, state.task, lang()),
                lambda: target_distribution_figure(state.data.frame, state.target,
                                                   profile.task.task if profile.task else "auto",
                                                   lang())))


def render_distribution(state: DojoState) -> None:
    columns = list(state.data.frame.columns)
    seed("distribution_column", columns[0], options=columns)
    column = st.selectbox(tr("app.data.distribution_column"), options=columns,
                          key="distribution_column")
    with st.container(key="distribution_chart"):
        st.plotly_chart(state.remember(
            ("fig_distribution", data_fingerprint(state), column, lang()),
            lambda: distribution_figure(state.data.frame, column, lang())))


def render_split(state: DojoState) -> None:
    st.subheader(tr("app.data.split"))
    st.caption(tr("app.data.split_help"))
    cols = st.columns(4)
    seed("valid_size", state.valid_size)
    seed("test_size", state.test_size)
    seed("split_seed", state.seed)
    seed("stratify", state.stratify)
    with cols[0]:
        state.valid_size = st.slider(tr("app.data.valid_size"), 0.05, 0.4, step=0.05,
                                     key="valid_size", format="%.2f")
    with cols[1]:
        state.test_size = st.slider(tr("app.data.test_size"), 0.05, 0.4, step=0.05,
                                    key="test_size", format="%.2f")
    with cols[2]:
        pinned = tr("app.data.seed_pinned") if state.fixed_seeds else ""
        state.seed = int(st.number_input(tr("app.data.seed"), min_value=0, max_value=2**31 - 1,
                                         step=1, key="split_seed", disabled=state.fixed_seeds,
                                         help=f"{tr('app.data.seed_help')} {pinned}".strip()))
    with cols[3]:
        detected = auto_profile(state).task
        regression = (detected is not None and detected.task != "classification"
                      or is_unsupervised(state.task))   # no classes to keep equal
        state.stratify = st.checkbox(tr("app.data.stratify"), key="stratify",
                                     help=tr("app.data.stratify_help"), disabled=regression)
    render_time_column(state)
    render_split_sizes(state)


def render_time_column(state: DojoState) -> None:
    options = [c for c in state.data.frame.columns if c != state.target]
    seed("time_column", state.time_column, options=options + [None])
    state.time_column = st.selectbox(tr("app.data.time_column"), options=options, index=None,
                                     placeholder=tr("app.data.time_column_none"),
                                     key="time_column", help=tr("app.data.time_column_help"))


def render_split_sizes(state: DojoState) -> None:
    try:
        setup = current_setup(state)
    except DojoError as exc:
        show_error(exc)
        return
    info = setup.split.info
    cols = st.columns(4)
    for col, part in zip(cols, ("train", "validation", "test")):
        col.metric(tr(f"app.split.{part}"), f"{info.sizes.get(part, 0):,}")
    cols[3].metric(tr("app.data.split_method"), tr(f"app.split.method_{info.method}"))
    for note in setup.notes:
        st.info(text_of(note))
    if st.button(tr("app.data.go_train"), key="go_train",   # the guide's button is the primary one
                 icon=":material/arrow_forward:"):
        st.switch_page("pages/train.py")


def render() -> None:
    state = get_state()
    st.title(tr("app.data.title"))
    render_guide("data")   # its "What" says what the old one-line intro said
    render_source(state)
    if state.data is None:
        st.info(tr("app.data.nothing_loaded"), icon=":material/info:")
        return
    render_loaded(state)
    render_target(state)
    if state.target is not None:
        run_section(lambda: render_detected_task(state))
    run_section(lambda: render_profile(state))
    if goal_chosen(state):
        run_section(lambda: render_split(state))


def run_section(render_part) -> None:
    """A section that fails shows why; the rest of the page still renders."""
    run_page(render_part)


run_page(render)
