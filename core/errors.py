"""The one exception type for bad input, carrying a translatable message."""

from __future__ import annotations

from typing import Any

from core.i18n import DEFAULT_LANGUAGE, Message


class DojoError(Exception):
    """Bad input: what is wrong and what to do, as a catalog message.

    The CLI prints ``message()`` and exits 2; pages show ``message(lang)``.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def as_message(self) -> Message:
        return Message(self.key, dict(self.params))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.as_message.text(lang)

    def __str__(self) -> str:
        return self.message(DEFAULT_LANGUAGE)
