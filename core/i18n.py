"""Translations for every user-facing string (English and Japanese).

The catalogs live in ``core/locales/*.toml``: one file per area, each leaf table
holding ``en`` and ``ja`` for one key, so both languages of a message sit side by side.
Keys are the dotted table path, e.g. ``[data.empty_file]`` is ``data.empty_file``.
"""

from __future__ import annotations

import functools
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "ja")
DEFAULT_LANGUAGE = "en"
_LOCALE_DIR = Path(__file__).with_name("locales")


@dataclass(frozen=True)
class Message:
    """A translatable message: a catalog key and the values for its placeholders."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(self.key, lang, **self.params)


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, dict[str, str]]) -> None:
    for name, value in table.items():
        if not isinstance(value, dict):
            continue
        key = f"{prefix}{name}"
        if any(lang in value for lang in LANGUAGES) and not any(
            isinstance(v, dict) for v in value.values()
        ):
            out[key] = value
        else:
            _flatten(value, f"{key}.", out)


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """Every message key mapped to its texts by language."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(_LOCALE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(tomllib.load(handle), "", out)
    return out


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a message text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _localized(value: Any, lang: str) -> Any:
    """A parameter given in several languages ({"en": ..., "ja": ...}) in ``lang``."""
    if isinstance(value, dict) and DEFAULT_LANGUAGE in value:
        return value.get(lang) or value[DEFAULT_LANGUAGE]
    return value


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled.

    A parameter may itself be a ``{"en": ..., "ja": ...}`` dict (e.g. an algorithm's display
    names). A key missing from the catalog returns the key itself, so a page never breaks;
    the locale tests make sure that never ships.
    """
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE, key)
    try:
        return text.format(**{name: _localized(value, lang) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return text
