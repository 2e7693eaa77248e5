"""The page boundary: bad input and bugs become a translated message, never a traceback."""

from __future__ import annotations

import logging
from typing import Callable

import streamlit as st

from core.errors import DojoError
from ui.i18n import text_of, tr

log = logging.getLogger("model_dojo.app")


def show_error(exc: BaseException) -> None:
    """Show ``exc`` as a translated message; bugs are logged with their traceback."""
    if isinstance(exc, DojoError):
        st.error(text_of(exc), icon=":material/error:")
        return
    log.exception("unexpected error in a page", exc_info=exc)
    st.error(tr("app.error.unexpected", detail=f"{type(exc).__name__}: {exc}"),
             icon=":material/bug_report:")


def run_page(render: Callable[[], None]) -> None:
    """Run a page's ``render``; whatever it raises, the state and the server survive.

    Streamlit's own control flow (st.rerun, st.switch_page, st.stop) derives from
    BaseException, not Exception, so it passes through untouched.
    """
    try:
        render()
    except Exception as exc:  # the boundary of the page: show, log, keep going
        show_error(exc)
