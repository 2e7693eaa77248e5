"""Controls for whoever runs a workshop: reset, presenter layout, fixed seeds (sidebar)."""

from __future__ import annotations

import streamlit as st

from core.jobs import get_pool
from ui.i18n import tr
from ui.state import DojoState, get_state
from ui.widgets import force, seed

FIXED_SEED = 42
PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMain"] .block-container { max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
[data-testid="stMain"] h1 { font-size: 2.6rem; }
</style>
"""


def apply_facilitator_settings(state: DojoState) -> None:
    """Before the page draws: pin the seed and enlarge the text when asked to."""
    if state.fixed_seeds:
        state.seed = FIXED_SEED
        force("split_seed", FIXED_SEED)     # the Data page's seed field shows the pinned value
    if state.presenter:
        st.html(PRESENTER_CSS)


def render_facilitator_controls(state: DojoState) -> None:
    """The sidebar expander "For facilitators"."""
    with st.expander(tr("app.facilitator.title"), icon=":material/co_present:"):
        seed("presenter_mode", state.presenter)
        state.presenter = st.toggle(tr("app.facilitator.presenter"), key="presenter_mode",
                                    help=tr("app.facilitator.presenter_help"))
        seed("fixed_seeds", state.fixed_seeds)
        state.fixed_seeds = st.toggle(tr("app.facilitator.fixed_seeds", seed=FIXED_SEED),
                                      key="fixed_seeds",
                                      help=tr("app.facilitator.fixed_seeds_help", seed=FIXED_SEED))
        st.divider()
        st.caption(tr("app.facilitator.reset_help"))
        confirm = st.checkbox(tr("app.facilitator.reset_confirm"), key="reset_confirm")
        if st.button(tr("app.facilitator.reset"), key="reset_session", disabled=not confirm,
                     icon=":material/restart_alt:"):
            reset_session()


def reset_session() -> None:
    """Forget everything this browser session holds (the experiment store on disk stays)."""
    state = get_state()
    if state.job_id is not None:
        get_pool().cancel(state.job_id)
    st.session_state.clear()
    st.switch_page("pages/home.py")
