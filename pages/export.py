"""Export: pick a trained candidate, download its bundle and the hand-over report, and send
each role the message that asks for its feedback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ui.bundles import (bundle_bytes, bundle_listing, bundle_metadata, bundle_text,
                        ensure_bundle, role_messages)
from ui.i18n import labels_for, metric_name, text_of, tr
from ui.page import run_page
from ui.state import DojoState, get_state
from ui.unsupervised import export_summary
from ui.training import sync_threshold
from ui.guide import render_guide

REPORT_FILES = (("html", "text/html", "report_download", ":material/description:"),
                ("md", "text/markdown", "report_download_md", ":material/article:"))


def render_choice(state: DojoState, keys: list[str]) -> str:
    if st.session_state.get("export_candidate") not in keys:
        st.session_state["export_candidate"] = (state.selected_candidate
                                                if state.selected_candidate in keys else keys[0])
    return st.selectbox(tr("app.export.candidate"), options=keys, key="export_candidate",
                        format_func=labels_for(keys, lambda k: text_of(state.result(k).name)),
                        help=tr("app.export.candidate_help"))


def render_summary(path: Path) -> None:
    meta = bundle_metadata(path)
    validation = scalar_metrics(meta.get("metrics", {}).get("validation"))
    test = scalar_metrics(meta.get("metrics", {}).get("test"))
    algorithm = text_of(meta.get("algorithm", {}).get("names")
                        or meta.get("algorithm", {}).get("name", ""))
    st.markdown(export_summary(meta, algorithm) or tr(
        "app.export.summary", algorithm=algorithm, target=meta.get("target") or "-",
        rows=meta.get("data", {}).get("rows", "-"), seed=meta.get("random_seed", "-")))
    columns = {tr("app.export.col_validation"): validation, tr("app.export.col_test"): test}
    columns = {name: values for name, values in columns.items() if values}
    if columns:
        st.dataframe(pd.DataFrame(columns), width="content")
        st.caption(tr("app.export.test_note"))


def render_decisions(state: DojoState, key: str, path: Path) -> None:
    """The decision threshold and the requirements check the bundle carries, if any."""
    meta = bundle_metadata(path)
    threshold = meta.get("decision_threshold")
    if threshold is not None:
        positive = (meta.get("classes") or ["", ""])[-1]
        st.markdown(tr("app.export.threshold", threshold=f"{threshold:.3f}", positive=positive))
        render_threshold_scores(state, key, threshold)
    scorecard = meta.get("scorecard")
    if scorecard and scorecard.get("lines"):
        verdict = "app.export.scorecard_passed" if scorecard.get("passed") else \
            "app.export.scorecard_failed"
        st.markdown(tr(verdict))


def render_threshold_scores(state: DojoState, key: str, threshold: float) -> None:
    """What the threshold changed: the same scores at the standard 0.5, for comparison."""
    from core.threshold import THRESHOLD_METRICS

    result = state.result(key)
    standard = (result.metrics.get("validation") or {}) if result is not None else {}
    scores = " · ".join(f"{metric_name(name)} {standard[name]:.3f}" for name in THRESHOLD_METRICS
                        if isinstance(standard.get(name), (int, float)))
    if scores:
        st.caption(tr("app.export.threshold_scores", threshold=f"{threshold:.3f}",
                      scores=scores))


def scalar_metrics(values: dict | None) -> dict[str, float]:
    return {metric_name(name): value for name, value in (values or {}).items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)}


def render_contents(path: Path) -> None:
    st.subheader(tr("app.export.contents"))
    listing = pd.DataFrame(bundle_listing(path))
    listing["about"] = [describe_member(name) for name in listing["file"]]
    st.dataframe(listing, hide_index=True, column_config={
        "file": tr("app.export.col_file"), "bytes": tr("app.export.col_bytes"),
        "about": tr("app.export.col_about")})


def describe_member(name: str) -> str:
    key = "app.export.member." + name.replace(".", "_").replace("/", "_")
    text = tr(key)
    return "" if text == key else text


def render_howto(path: Path) -> None:
    st.subheader(tr("app.export.howto"))
    st.markdown(tr("app.export.howto_text"))
    st.code(f"unzip {path.name} -d model\ncd model\npython -m pip install -r requirements.txt\n"
            "python predict.py sample_input.csv -o predictions.csv", language="bash")
    with st.expander(tr("app.export.predict_py")):
        st.code(bundle_text(path, "predict.py"), language="python")


def render_download(path: Path) -> None:
    st.download_button(tr("app.export.download"), data=path.read_bytes(), file_name=path.name,
                       mime="application/zip", key="bundle_download", type="primary",
                       icon=":material/download:", on_click="ignore")
    st.caption(tr("app.export.saved_at", path=str(path)))


def render_report(state: DojoState, key: str, path: Path) -> None:
    """The hand-over report (as stored in the bundle) and the message for each role."""
    from core.report import ROLES, report_file_name

    st.subheader(tr("app.export.report"))
    st.markdown(tr("app.export.report_text"))
    with st.container(horizontal=True):     # the two buttons side by side, each its own width
        for extension, mime, widget, icon in REPORT_FILES:
            content = bundle_bytes(path, f"extras/report.{extension}")
            if content is None:
                continue
            st.download_button(tr(f"app.export.report_{extension}"), data=content,
                               file_name=report_file_name(state.results_setup, key, extension),
                               mime=mime, key=widget, icon=icon, on_click="ignore")
    st.markdown(f"**{tr('app.export.messages')}**")
    st.caption(tr("app.export.messages_text"))
    messages = role_messages(state, key, path.name)
    for role in ROLES:
        with st.expander(tr(f"report.role.{role}"), icon=":material/mail:"):
            st.code(messages[role], language=None, wrap_lines=True)


def render() -> None:
    state = get_state()
    st.title(tr("app.export.title"))
    render_guide("export")
    st.markdown(tr("app.export.intro"))
    keys = state.model_keys()
    if not keys:
        st.info(tr("app.export.nothing"), icon=":material/info:")
        if st.button(tr("app.train.go_train"), key="go_train_from_export"):
            st.switch_page("pages/train.py")
        return
    key = render_choice(state, keys)
    sync_threshold(state, key)   # the costs may be set while this candidate was not on view
    with st.spinner(tr("app.export.writing")):
        path = ensure_bundle(state, key)
    render_download(path)
    render_summary(path)
    render_decisions(state, key, path)
    run_page(lambda: render_report(state, key, path))
    render_contents(path)
    render_howto(path)


run_page(render)
