"""Translation glue: the session's language applied to the catalog in core/locales."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from core.errors import DojoError
from core.i18n import Message, catalog, t
from ui.state import get_state

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ja": "日本語"}


def lang() -> str:
    """The language this session shows ("en" or "ja")."""
    return get_state().language


def tr(key: str, **params: Any) -> str:
    """The text of catalog ``key`` in the session's language."""
    return t(key, lang(), **params)


def text_of(message: Message | DojoError | dict[str, str] | str | None) -> str:
    """Any translatable thing the engine returns, as text in the session's language."""
    if message is None:
        return ""
    if isinstance(message, DojoError):
        return message.message(lang())
    if isinstance(message, Message):
        return message.text(lang())
    if isinstance(message, dict):
        return message.get(lang()) or message.get("en") or next(iter(message.values()), "")
    return str(message)


def metric_name(metric: str) -> str:
    """A metric's display name (the evaluation catalog's, else its id)."""
    key = f"eval.metric.{metric}"
    return tr(key) if key in catalog() else metric


def labels_for(options: Iterable[Any], label: Callable[[Any], str]) -> Callable[[Any], str]:
    """A format_func whose texts are fixed now, in the session's current language.

    Streamlit may call a widget's format_func later, outside this script run (AppTest
    does); looking the texts up eagerly keeps them in the language the page was drawn in.
    """
    mapping = {option: label(option) for option in options}
    return lambda option: mapping.get(option, str(option))
