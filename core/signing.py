"""Signing bundle files with the app's secret key (HMAC-SHA256).

A bundle holds a joblib file, and loading joblib runs code, so the app only loads bundles
whose signature verifies with its key. The key comes from ``DOJO_SIGNING_KEY`` when set (a
team that exchanges bundles shares it that way); otherwise from ``DOJO_HOME/signing.key``,
created on first use. Both hold text, and the key is that text's UTF-8 bytes, so
``DOJO_SIGNING_KEY="$(cat .dojo/signing.key)"`` signs exactly like the file does.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from core import config
from core.errors import DojoError

KEY_ENV = "DOJO_SIGNING_KEY"
KEY_FILE_NAME = "signing.key"
KEY_BYTES = 32


def key_path() -> Path:
    """Where the generated key lives: ``DOJO_HOME/signing.key``."""
    return config.dojo_home() / KEY_FILE_NAME


def _create_key_file(path: Path) -> None:
    """Write a fresh random key, readable by the owner only.

    ``O_EXCL`` makes a concurrent first start lose the race cleanly instead of
    overwriting a key that may already have signed something.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        handle = os.open(path, flags, 0o600)
    except FileExistsError:
        return
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")


def signing_key() -> bytes:
    """The secret key: ``DOJO_SIGNING_KEY`` if set and not empty, else the key file."""
    shared = os.environ.get(KEY_ENV, "").strip()
    if shared:
        return shared.encode("utf-8")
    path = key_path()
    if not path.exists():
        _create_key_file(path)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise DojoError("bundle.key_unreadable", path=str(path), detail=str(exc)) from exc
    if not text:
        raise DojoError("bundle.key_unreadable", path=str(path), detail="empty file")
    return text.encode("utf-8")


def canonical_message(files: dict[str, bytes]) -> bytes:
    """What is signed: for each file in name order, ``name\\n<sha256 hex>\\n``.

    Hashing each file first keeps the message small and makes the order of the zip
    members irrelevant; names are part of it so files cannot be swapped.
    """
    lines = []
    for name in sorted(files):
        digest = hashlib.sha256(files[name]).hexdigest()
        lines.append(f"{name}\n{digest}\n")
    return "".join(lines).encode("utf-8")


def sign_files(files: dict[str, bytes], key: bytes | None = None) -> str:
    """The HMAC-SHA256 signature (hex) of ``files`` with ``key`` (default: the app's key)."""
    secret = signing_key() if key is None else key
    return hmac.new(secret, canonical_message(files), hashlib.sha256).hexdigest()


def verify_files(files: dict[str, bytes], signature: str, key: bytes | None = None) -> bool:
    """Whether ``signature`` was made over exactly ``files`` with ``key``."""
    expected = sign_files(files, key)
    # compare_digest takes the same time wherever the strings differ; bytes, because
    # a tampered signature file may hold non-ASCII text, which it refuses as str.
    given = signature.strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected.encode("ascii"), given)
