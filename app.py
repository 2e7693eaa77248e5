"""Model Dojo's entry point: page config, navigation over pages/, and the sidebar.

Run with ``streamlit run app.py``. This file only routes; the pages do the work.
"""

from __future__ import annotations

import streamlit as st

from ui.facilitator import apply_facilitator_settings, render_facilitator_controls
from ui.guide import guided_page
from ui.i18n import LANGUAGE_NAMES, tr
from ui.nav import build_pages, render_progress
from ui.requirements_card import render_sidebar_summary
from ui.state import get_state
from ui.widgets import resend_choices, seed

st.set_page_config(page_title="Model Dojo", page_icon=":material/school:", layout="wide")

state = get_state()
seed("language", state.language, options=list(LANGUAGE_NAMES))
if st.session_state["language"] != state.language:
    # Select boxes redraw their choice in the new language; the what-if form holds the
    # user's data values, which a language does not change.
    resend_choices(skip_prefixes=("language", "whatif."))
state.language = st.session_state["language"]   # the user's latest pick, before any text is drawn

navigation = st.navigation(build_pages())
with st.sidebar:
    st.selectbox(tr("app.sidebar.language"), options=list(LANGUAGE_NAMES),
                 format_func=LANGUAGE_NAMES.__getitem__, key="language")
    card_summary = st.empty()
    progress = st.empty()
    render_facilitator_controls(state)
apply_facilitator_settings(state)
with guided_page():   # the guide's next action is drawn after the page ran
    navigation.run()
with progress.container():   # drawn after the page, so it reflects what the page just did
    render_progress(state)
with card_summary.container():
    render_sidebar_summary(state)
