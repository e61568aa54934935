"""The terminal's signing key at rest (issue 11, app.security.terminal_keys): encrypted under a machine-bound secret
when no OS keyring backend exists (as on this CI box), mode 0600, no raw key bytes under the data dir, a clear PEM of
an older version protected at the next start, and a data dir moved to another machine refused in Chinese."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from app.errors import YichuangError
from app.security import terminal_keys
from app.security.terminal_keys import KEY_FILE, TerminalKey, protection_status


def _raw_private(key: TerminalKey) -> bytes:
    return key._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _tree_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch):
    monkeypatch.setenv("YICHUANG_NO_KEYRING", "1")


def test_new_key_is_encrypted_machine_bound_and_0600(tmp_path):
    data = tmp_path / "data"
    key = TerminalKey.load_or_create(data)
    pem = (data / KEY_FILE).read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE((data / KEY_FILE).stat().st_mode) == 0o600
    assert protection_status(data) == "machine"
    raw = _raw_private(key)
    blob = _tree_bytes(data)
    assert raw not in blob and b"BEGIN PRIVATE KEY" not in blob
    again = TerminalKey.load_or_create(data)
    assert again.public_key == key.public_key and _raw_private(again) == raw
    assert again.sign(b"x") and again.key_id == key.key_id


def test_a_clear_key_of_an_older_version_is_protected_at_next_start(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    old = TerminalKey.generate()
    (data / KEY_FILE).write_bytes(old._key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    (data / KEY_FILE).chmod(0o644)
    assert protection_status(data) == "none"
    loaded = TerminalKey.load_or_create(data)
    assert loaded.public_key == old.public_key  # same registered identity
    assert protection_status(data) == "machine"
    assert _raw_private(old) not in _tree_bytes(data)
    assert stat.S_IMODE((data / KEY_FILE).stat().st_mode) == 0o600


def test_the_key_copied_to_another_machine_does_not_open(tmp_path, monkeypatch):
    data = tmp_path / "data"
    TerminalKey.load_or_create(data)
    monkeypatch.setattr(terminal_keys, "machine_id", lambda: b"another-machine-0123456789abcdef")
    with pytest.raises(YichuangError) as err:
        TerminalKey.load_or_create(data)
    assert err.value.code == "terminal_key_locked" and "重新登记终端" in err.value.user_message


def test_without_keyring_or_machine_id_the_clear_key_is_0600_and_doctor_warns(tmp_path, monkeypatch):
    from app.doctor import check_terminal_key

    monkeypatch.setattr(terminal_keys, "machine_id", lambda: None)
    data = tmp_path / "data"
    TerminalKey.load_or_create(data)
    assert protection_status(data) == "none"
    assert stat.S_IMODE((data / KEY_FILE).stat().st_mode) == 0o600
    check = check_terminal_key(data)
    assert check.level == "warn" and "未加密" in check.message
    monkeypatch.undo()
    monkeypatch.setenv("YICHUANG_NO_KEYRING", "1")
    TerminalKey.load_or_create(data)  # a machine id appears (or a keyring): protected at the next start
    assert check_terminal_key(data).level == "ok"
