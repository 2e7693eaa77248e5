"""Where Model Dojo keeps its files and the limits it enforces."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MAX_UPLOAD_MB = 200


def dojo_home() -> Path:
    """The folder for everything the app persists (``DOJO_HOME``, default ``.dojo``)."""
    home = Path(os.environ.get("DOJO_HOME", ".dojo")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def max_upload_bytes() -> int:
    """The largest data file accepted, from ``DOJO_MAX_UPLOAD_MB`` (default 200 MB)."""
    raw = os.environ.get("DOJO_MAX_UPLOAD_MB", "")
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


def default_threads() -> int:
    """Threads for training and inference: ``DOJO_THREADS``, else all cores."""
    raw = os.environ.get("DOJO_THREADS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return max(1, os.cpu_count() or 1)
