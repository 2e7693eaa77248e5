"""Export: pick a trained candidate, see what its bundle holds, download it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ui.bundles import bundle_listing, bundle_metadata, bundle_text, ensure_bundle
from ui.i18n import labels_for, metric_name, text_of, tr
from ui.page import run_page
from ui.state import DojoState, get_state


def exportable_keys(state: DojoState) -> list[str]:
    return [r.key for r in state.results if r.ok and not r.is_baseline]


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
    st.markdown(tr("app.export.summary", algorithm=text_of(meta.get("algorithm", {}).get("names")
                                             or meta.get("algorithm", {}).get("name", "")),
                   target=meta.get("target") or "-", rows=meta.get("data", {}).get("rows", "-"),
                   seed=meta.get("random_seed", "-")))
    columns = {tr("app.export.col_validation"): validation, tr("app.export.col_test"): test}
    columns = {name: values for name, values in columns.items() if values}
    if columns:
        st.dataframe(pd.DataFrame(columns), width="content")
        st.caption(tr("app.export.test_note"))


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
    key = "app.export.member." + name.replace(".", "_")
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


def render() -> None:
    state = get_state()
    st.title(tr("app.export.title"))
    st.markdown(tr("app.export.intro"))
    keys = exportable_keys(state)
    if not keys:
        st.info(tr("app.export.nothing"), icon=":material/info:")
        if st.button(tr("app.train.go_train"), key="go_train_from_export"):
            st.switch_page("pages/train.py")
        return
    key = render_choice(state, keys)
    with st.spinner(tr("app.export.writing")):
        path = ensure_bundle(state, key)
    render_download(path)
    render_summary(path)
    render_contents(path)
    render_howto(path)


run_page(render)
