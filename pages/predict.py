"""Predict: one what-if prediction from a form, or a whole file at once."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import DojoError
from ui.i18n import labels_for, text_of, tr
from ui.page import run_page, show_error
from ui.predicting import (bundle_source, category_options, example_values, features_of,
                           is_whole_number, predict_frame, read_batch, session_source)
from ui.state import DojoState, PredictSource, get_state
from ui.unsupervised import explain_cannot_predict
from ui.guide import render_guide

SOURCES = ("session", "bundle")
FORM_COLUMNS = 3


def pick_source(state: DojoState) -> PredictSource | None:
    keys = state.model_keys()
    if "predict_source" not in st.session_state:
        st.session_state["predict_source"] = "session" if keys else "bundle"
    kind = st.radio(tr("app.predict.source"), options=list(SOURCES), horizontal=True,
                    format_func=labels_for(SOURCES, lambda s: tr(f"app.predict.source_{s}")), key="predict_source")
    if kind == "session":
        if not keys:
            st.info(tr("app.predict.no_session_models"), icon=":material/info:")
            return None
        if st.session_state.get("predict_candidate") not in keys:
            st.session_state["predict_candidate"] = (
                state.selected_candidate if state.selected_candidate in keys else keys[0])
        key = st.selectbox(tr("app.predict.candidate"), options=keys, key="predict_candidate",
                           format_func=labels_for(keys, lambda k: text_of(state.result(k).name)))
        if explain_cannot_predict(state, key):   # t-SNE only knows its training rows
            return None
        return session_source(state, key)
    return pick_bundle(state)


def pick_bundle(state: DojoState) -> PredictSource | None:
    uploaded = st.file_uploader(tr("app.predict.bundle_upload"), type=["zip"],
                                key="bundle_upload", help=tr("app.predict.bundle_help"))
    if uploaded is None:
        return state.uploaded_bundle
    try:
        source = state.remember(("bundle", uploaded.file_id),
                                lambda: bundle_source(uploaded.getvalue(), uploaded.name))
    except DojoError as exc:
        show_error(exc)
        return None
    state.uploaded_bundle = source
    st.success(tr("app.predict.bundle_verified", name=source.label), icon=":material/verified:")
    return source


def input_widget(state: DojoState, source: PredictSource, feature: dict[str, Any],
                 default: Any) -> Any:
    name, key = feature["name"], f"whatif.{source.fingerprint}.{feature['name']}"
    label = str(name)
    if feature.get("role") == "numeric" and is_whole_number(feature):
        return st.number_input(label, value=None if default is None else int(default), step=1,
                               key=key, placeholder=tr("app.predict.missing_value"))
    if feature.get("role") == "numeric":
        return st.number_input(label, value=None if default is None else float(default),
                               key=key, placeholder=tr("app.predict.missing_value"))
    options = state.remember(("categories", source.fingerprint, name),
                             lambda: category_options(state, source, name))
    if options:
        index = options.index(default) if default in options else None
        return st.selectbox(label, options=options, index=index, key=key,
                            accept_new_options=True, placeholder=tr("app.predict.missing_value"))
    return st.text_input(label, value="" if default is None else str(default), key=key) or None


def render_whatif(state: DojoState, source: PredictSource) -> None:
    st.subheader(tr("app.predict.whatif"))
    st.caption(tr("app.predict.whatif_help"))
    features = features_of(source)
    defaults = state.remember(("examples", source.fingerprint),
                              lambda: example_values(state, source))
    with st.form(key="whatif_form"):
        columns = st.columns(FORM_COLUMNS)
        row = {}
        for index, feature in enumerate(features):
            with columns[index % FORM_COLUMNS]:
                row[feature["name"]] = input_widget(state, source, feature,
                                                    defaults.get(feature["name"]))
        submitted = st.form_submit_button(tr("app.predict.predict_one"), type="primary",
                                          icon=":material/bolt:")
    if submitted:
        result = predict_frame(source, pd.DataFrame([row]))
        state.predictions_made += 1
        render_single(result)


def render_single(result: pd.DataFrame) -> None:
    with st.container(key="whatif_result", border=True):
        if "prediction" not in result:   # a dimensionality reduction: its new columns
            st.dataframe(result, hide_index=True)
            return
        st.metric(tr("app.predict.prediction"), str(result["prediction"].iloc[0]))
        probabilities = result.drop(columns=["prediction"])
        if not probabilities.empty:
            st.dataframe(probabilities, hide_index=True)


def render_batch(state: DojoState, source: PredictSource) -> None:
    st.subheader(tr("app.predict.batch"))
    st.caption(tr("app.predict.batch_help"))
    uploaded = st.file_uploader(tr("app.predict.batch_upload"), key="predict_upload",
                                type=["csv", "tsv", "txt", "parquet", "pq", "xlsx", "json",
                                      "jsonl", "ndjson"])
    if uploaded is None:
        return
    output = state.remember(("batch", source.fingerprint, uploaded.file_id),
                            lambda: batch_predictions(source, uploaded.getvalue(), uploaded.name))
    st.dataframe(output.head(200))
    st.download_button(tr("app.predict.download"), data=to_csv(output),
                       file_name=f"predictions-{uploaded.name.rsplit('.', 1)[0]}.csv",
                       mime="text/csv", key="predictions_download", on_click="ignore",
                       icon=":material/download:")


def batch_predictions(source: PredictSource, content: bytes, name: str) -> pd.DataFrame:
    frame = read_batch(source, content, name)
    predictions = predict_frame(source, frame)
    get_state().predictions_made += 1
    return pd.concat([frame.reset_index(drop=True), predictions.reset_index(drop=True)], axis=1)


def to_csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")   # with a BOM, so Excel shows Japanese text


def render() -> None:
    state = get_state()
    st.title(tr("app.predict.title"))
    render_guide("predict")
    st.markdown(tr("app.predict.intro"))
    source = pick_source(state)
    if source is None:
        return
    run_page(lambda: render_whatif(state, source))
    run_page(lambda: render_batch(state, source))


run_page(render)
