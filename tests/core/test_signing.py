"""Signing: the key's origin, and that any change to any file or key breaks the signature."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from core import signing
from core.errors import DojoError

FILES = {"model.joblib": b"\x00\x01model bytes", "metadata.json": b'{"a": 1}',
         "predict.py": b"print('hi')\n"}


@pytest.fixture(autouse=True)
def _no_shared_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(signing.KEY_ENV, raising=False)


def test_key_file_is_created_once_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_HOME", str(tmp_path))
    key = signing.signing_key()
    path = tmp_path / "signing.key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64 and int(key, 16) >= 0
    assert signing.signing_key() == key


def test_shared_key_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_HOME", str(tmp_path))
    file_key = signing.signing_key()
    from_file = signing.sign_files(FILES)
    monkeypatch.setenv(signing.KEY_ENV, "team secret")
    assert signing.signing_key() == b"team secret"
    assert signing.sign_files(FILES) != from_file
    # Copying the key file's text into the variable signs exactly like the file.
    monkeypatch.setenv(signing.KEY_ENV, file_key.decode())
    assert signing.sign_files(FILES) == from_file


def test_signature_verifies_only_the_same_files() -> None:
    signature = signing.sign_files(FILES)
    assert signing.verify_files(dict(reversed(list(FILES.items()))), signature)
    assert signing.verify_files(FILES, signature.upper() + "\n")
    assert not signing.verify_files({**FILES, "extra": b""}, signature)
    assert not signing.verify_files({k: v for k, v in FILES.items() if k != "predict.py"}, signature)
    renamed = {("other.py" if k == "predict.py" else k): v for k, v in FILES.items()}
    assert not signing.verify_files(renamed, signature)


@pytest.mark.parametrize("name", sorted(FILES))
def test_one_changed_byte_in_any_file_is_refused(name: str) -> None:
    signature = signing.sign_files(FILES)
    content = bytearray(FILES[name])
    content[len(content) // 2] ^= 0x01
    assert not signing.verify_files({**FILES, name: bytes(content)}, signature)


def test_another_key_is_refused() -> None:
    signature = signing.sign_files(FILES, key=b"key one")
    assert signing.verify_files(FILES, signature, key=b"key one")
    assert not signing.verify_files(FILES, signature, key=b"key two")


def test_garbage_signature_is_refused_not_crashing() -> None:
    assert not signing.verify_files(FILES, "")
    assert not signing.verify_files(FILES, "日本語の署名")


def test_canonical_message_lists_names_and_hashes_in_order() -> None:
    message = signing.canonical_message({"b": b"", "a": b""}).decode()
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert message == f"a\n{empty}\nb\n{empty}\n"


def test_empty_key_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJO_HOME", str(tmp_path))
    (tmp_path / "signing.key").write_text("")
    with pytest.raises(DojoError) as caught:
        signing.signing_key()
    assert caught.value.key == "bundle.key_unreadable"
