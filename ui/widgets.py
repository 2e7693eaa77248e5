"""Small widget helpers: widgets own their keys, the state object holds the values."""

from __future__ import annotations

from typing import Any, Sequence

import streamlit as st


def seed(key: str, value: Any, options: Sequence[Any] | None = None) -> None:
    """Give widget ``key`` the state's ``value`` unless it already holds a valid one.

    Streamlit drops a widget's value when the user moves to another page; seeding it
    from the state object before the widget is drawn makes every choice survive that.
    """
    current = st.session_state.get(key, _MISSING)
    if current is _MISSING or (options is not None and current not in options):
        st.session_state[key] = value


def force(key: str, value: Any) -> None:
    """Set widget ``key`` before it is drawn in this run (e.g. after a reset)."""
    st.session_state[key] = value


def drop(*keys: str) -> None:
    """Forget widget values so the next draw starts from the state object."""
    for key in keys:
        st.session_state.pop(key, None)


def resend_choices(skip_prefixes: Sequence[str] = ()) -> None:
    """Set every choice again, so the browser redraws it (after a language change).

    A select box's browser side holds the *text* of its choice: after the options'
    labels change language, it keeps showing the old text until its value is set from
    the script. Choices here are text ids or lists of them (select boxes, multiselects,
    radios); numbers, bools (buttons cannot be set), uploads and tables are left alone,
    and so are keys starting with ``skip_prefixes``. Each value is set to itself.
    """
    for key in list(st.session_state.keys()):
        if str(key).startswith(tuple(skip_prefixes)):
            continue
        value = st.session_state[key]
        is_list = isinstance(value, list) and value and all(isinstance(v, str) for v in value)
        if isinstance(value, str) or is_list:
            st.session_state[key] = value


class _Missing:
    pass


_MISSING = _Missing()
