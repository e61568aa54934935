"""Encryption at rest end to end (issue 11 point 2): the login unlocks the key store and opens the SQLCipher store;
scans are AES-GCM sealed and still upload as plaintext; key rotation (also resumed after a crash); lock-out before
the store opens; enrolment of a second operator (password path, and the OS-keyring path with an in-memory backend,
since a Linux CI box has no keyring backend); the field laptop. The stolen-laptop test is in test_at_rest_stolen.py."""
from __future__ import annotations

import shutil
from datetime import date

import cv2
import numpy as np
import pytest

from app.bootstrap import bootstrap
from app.cases.service import Actor, MaterialState
from app.config import Settings
from app.errors import AuthError, StoreError, YichuangError
from app.ids import make_id_number
from app.paths import resolve_paths
from app.security.at_rest import FileCipher, complete_rotation, enrol_operator, keyring_available, rotate_keys
from app.security.keystore import KeyStore, Unlocked, key_id
from app.store import open_store
from app.store.database import rekey
from server.demo_data import DEMO_PASSWORD

OFFLINE = "http://127.0.0.1:9"
A = Actor("demo", "演示柜员", "受理员", "TAR01", "150102", ("受理员",))


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    from server.testing import run_server_in_thread

    db = tmp_path_factory.mktemp("at-rest-central") / "central.sqlite"
    with run_server_in_thread(f"sqlite:///{db}", seed_demo=True) as url:
        from server.certification import seed_demo_certification
        from server.db import make_engine

        engine = make_engine(f"sqlite:///{db}")
        seed_demo_certification(engine)
        engine.dispose()
        yield url


def settings_for(url: str, terminal_id: str, mode: str = "counter", **at_rest) -> Settings:
    return Settings.model_validate({
        "server": {"url": url, "timeout_seconds": 5, "probe_interval_seconds": 0.05},
        "terminal": {"terminal_id": terminal_id, "mode": mode},
        "at_rest": {"encrypt": True, "os_keyring": False, **at_rest},
        "sync": {"retry_base_seconds": 0.02, "retry_cap_seconds": 0.3, "submit_settle_seconds": 0,
                 "chunk_bytes": 4096, "status_interval_seconds": 3600, "refdata_interval_seconds": 3600},
        "retention": {"interval_minutes": 0}})


def start(home, url, terminal_id=None, mode="counter", **at_rest):
    # one terminal id per data dir: the server pins each terminal's key pair at its first request
    import hashlib

    terminal_id = terminal_id or "T" + hashlib.sha256(str(home).encode()).hexdigest()[:10].upper()
    return bootstrap(resolve_paths(home), settings_for(url, terminal_id, mode, **at_rest), console_log=False)


def jpeg(seed: int = 0) -> bytes:
    img = np.random.default_rng(seed).integers(0, 255, (120, 160, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", img)[1].tobytes()


def png(seed: int = 0) -> bytes:
    img = np.random.default_rng(seed).integers(0, 255, (60, 80), dtype=np.uint8)
    return cv2.imencode(".png", img)[1].tobytes()


def accept_case(runtime, ssn: str, name: str) -> str:
    svc = runtime.cases
    actor = Actor(A.operator_id, A.name, A.role, runtime.settings.terminal.terminal_id, A.agency_code, A.roles)
    item = svc.catalog.get("resident_pension_enrolment")
    form = {"ssn": ssn, "name": name, "phone": "13904719876", "enrolment_date": "2026-11-25",
            "residence_address": "锡林浩特市宝力根苏木"}
    res = svc.intake(item.code, form, {m.code: MaterialState.present.value for m in item.materials}, actor,
                     confirmed={i: True for i in range(len(item.conditions))})
    return res.case.case_id


# --- sealed files --------------------------------------------------------------------------------------------------

def test_file_cipher_nonce_aad_tamper_and_previous_key():
    old = Unlocked(b"t" * 32, b"o" * 32)
    cur = Unlocked(b"t" * 32, b"n" * 32, previous=old.dek)
    data = jpeg()
    a, b = FileCipher(cur).seal(data, b"id-1"), FileCipher(cur).seal(data, b"id-1")
    assert a != b and data not in a  # a fresh nonce per file
    assert FileCipher(cur).open(a, b"id-1") == data
    with pytest.raises(YichuangError):
        FileCipher(cur).open(a, b"id-2")  # a file moved under another attachment's id does not open
    flipped = bytearray(a)
    flipped[-1] ^= 1
    with pytest.raises(YichuangError):
        FileCipher(cur).open(bytes(flipped), b"id-1")
    sealed_old = FileCipher(old).seal(data, b"x")
    assert FileCipher(cur).open(sealed_old, b"x") == data  # during a rotation both keys read
    assert not FileCipher(cur).is_current(sealed_old) and FileCipher(cur).is_current(a)
    with pytest.raises(YichuangError):
        FileCipher(Unlocked(b"t" * 32, b"n" * 32)).open(sealed_old, b"x")  # after it, only the new one
    assert a[5:13] == key_id(cur.dek)


# --- login → unlock → store ------------------------------------------------------------------------------------------

def test_login_creates_key_store_opens_sqlcipher_and_uploads_plaintext(tmp_path, central):
    rt = start(tmp_path / "home", central)
    try:
        assert rt.store is None and rt.relay is None and rt.encrypted  # nothing opened before the login
        with pytest.raises(AuthError):
            rt.auth.login("demo", "wrong-password")  # refused by the centre: no key store is minted
        assert not rt.keystore.exists() and rt.store is None
        session = rt.auth.login("demo", DEMO_PASSWORD)
        assert session.online and rt.keystore.has_operator("demo")
        assert "pysqlcipher" in rt.store.engine.url.drivername
        case_id = accept_case(rt, make_id_number("150102", date(1968, 4, 2), 57, False), "其其格玛")
        photo = jpeg(1)
        view = rt.attachments.add(case_id, "id_card", photo, "image/jpeg", "身份证.jpg")
        blob = view.path.read_bytes()
        assert photo not in blob and FileCipher.is_sealed(blob)
        assert rt.attachments.read(view) == photo
        assert rt.relay.drain(60)  # the uploader reads plaintext through the store; the server checks SHA-256
        from sqlalchemy import select

        from app.store.models import OutboxMessage

        with rt.store.session() as s:
            states = {m.kind: m.state for m in s.scalars(select(OutboxMessage))}
        assert states["attachment.upload"] == "sent" and states["case.submit"] == "sent"
    finally:
        rt.close()
    # another start: the key store unlocks with the password, offline too (server unreachable)
    rt = start(tmp_path / "home", OFFLINE)
    try:
        with pytest.raises(AuthError):
            rt.auth.login("demo", "guess")
        assert rt.store is None
        rt.auth.login("demo", DEMO_PASSWORD)
        assert rt.cases.recent()[0].applicant_name == "其其格玛"
    finally:
        rt.close()


def test_lockout_before_the_store_opens(tmp_path, central):
    rt = start(tmp_path / "home", central)
    rt.auth.login("demo", DEMO_PASSWORD)
    rt.close()
    rt = start(tmp_path / "home", OFFLINE)
    try:
        for _ in range(5):
            with pytest.raises(AuthError) as err:
                rt.auth.login("demo", "brute-force")
            assert err.value.code != "operator_locked"
        with pytest.raises(AuthError) as err:
            rt.auth.login("demo", DEMO_PASSWORD)  # even the right password, while locked
        assert err.value.code == "operator_locked" and rt.store is None
    finally:
        rt.close()


def test_second_operator_is_enrolled_by_a_logged_in_colleague(tmp_path, central):
    rt = start(tmp_path / "home", central)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        rt.close_store()
        with pytest.raises(AuthError) as err:
            rt.auth.login("audit1", DEMO_PASSWORD)  # online-valid, but this terminal holds no key for them
        assert err.value.code == "not_enrolled" and rt.store is None
        rt.auth.login("demo", DEMO_PASSWORD)
        with pytest.raises(AuthError):
            enrol_operator(rt, "audit1", "not-their-password")
        enrol_operator(rt, "audit1", DEMO_PASSWORD)
        rt.close_store()
        assert rt.auth.login("audit1", DEMO_PASSWORD).operator_id == "audit1"
    finally:
        rt.close()


class MemoryKeyring:
    """An in-memory `keyring` backend standing in for Secret Service / Windows Credential Locker."""

    def __new__(cls):
        from keyring.backend import KeyringBackend

        class _Backend(KeyringBackend):
            priority = 10

            def __init__(self):
                super().__init__()
                self.items: dict = {}

            def get_password(self, service, username):
                return self.items.get((service, username))

            def set_password(self, service, username, password):
                self.items[(service, username)] = password

            def delete_password(self, service, username):
                self.items.pop((service, username), None)

        return _Backend()


@pytest.fixture
def memory_keyring():
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def test_os_keyring_wrap_lets_an_online_operator_join(tmp_path, central, memory_keyring):
    assert keyring_available()
    rt = start(tmp_path / "home", central, os_keyring=True)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        wraps = [k for k in memory_keyring.items if k[1].startswith("tmk-wrap/")]
        assert rt.keystore.has_secret_wrap("os-keyring") and len(wraps) == 1
        assert any(k[1].startswith("terminal-key/") for k in memory_keyring.items)  # the signing key: keyring too
        secret = memory_keyring.items[wraps[0]]
        assert secret not in (tmp_path / "home" / "data" / "keystore.json").read_text()
        rt.close_store()
        with pytest.raises(AuthError):
            rt.auth.login("audit1", "wrong")  # the keyring opens the keys, but the centre refuses the login
        assert rt.store is None and not rt.keystore.has_operator("audit1")
        rt.auth.login("audit1", DEMO_PASSWORD)
        assert rt.keystore.has_operator("audit1")  # joined: a wrap under their own password from now on
    finally:
        rt.close()


# --- key rotation ------------------------------------------------------------------------------------------------------

def _headers(rt) -> set[bytes]:
    return {p.read_bytes()[5:13] for p in rt.paths.attachments_dir.rglob("*") if p.is_file()}


def test_key_rotation_end_to_end(tmp_path, central):
    rt = start(tmp_path / "home", central)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        case_id = accept_case(rt, make_id_number("150102", date(1970, 1, 2), 3, True), "乌云其木格")
        views = [rt.attachments.add(case_id, "id_card", jpeg(i), "image/jpeg", f"{i}.jpg") for i in range(3)]
        old = rt.keys.dek
        report = rotate_keys(rt, "demo")
        assert report.database_rekeyed and report.files_resealed == 3
        assert rt.keys.dek != old and not rt.keys.rotating and "previous_dek" not in rt.keystore._load()
        assert _headers(rt) == {key_id(rt.keys.dek)}
        assert [rt.attachments.read(v) for v in views] == [jpeg(i) for i in range(3)]
        data_dir = rt.paths.data_dir
    finally:
        rt.close()
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    with pytest.raises(StoreError):
        open_store(copy, key=old)  # the old key opens nothing any more
    rt = start(tmp_path / "home", OFFLINE)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        assert rt.cases.recent()[0].applicant_name == "乌云其木格"
    finally:
        rt.close()


def test_rotation_interrupted_by_a_crash_resumes_at_the_next_login(tmp_path, central):
    rt = start(tmp_path / "home", central)
    rt.auth.login("demo", DEMO_PASSWORD)
    case_id = accept_case(rt, make_id_number("150102", date(1971, 5, 6), 8, False), "萨仁高娃")
    views = [rt.attachments.add(case_id, "id_card", jpeg(10 + i), "image/jpeg", f"{i}.jpg") for i in range(4)]
    # the crash: new DEK written, database re-keyed, one file of four re-sealed, then the power went
    new = rt.keystore.rotate_dek(rt.keys)
    rekey(rt.store, new.dek)
    v = views[0]
    v.path.write_bytes(FileCipher(new).seal(jpeg(10), v.attachment_id.encode()))
    rt.close()
    assert "previous_dek" in KeyStore(tmp_path / "home" / "data" / "keystore.json")._load()
    rt = start(tmp_path / "home", OFFLINE)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        assert not rt.keys.rotating and "previous_dek" not in rt.keystore._load()
        assert _headers(rt) == {key_id(new.dek)}
        assert [rt.attachments.read(x) for x in rt.attachments.list(case_id)] == [jpeg(10 + i) for i in range(4)]
    finally:
        rt.close()
    # crashed even earlier: the key store has the new DEK but the database still the old one
    rt = start(tmp_path / "home", OFFLINE)
    rt.auth.login("demo", DEMO_PASSWORD)
    rt.keys = rt.keystore.rotate_dek(rt.keys)
    rt.close()
    rt = start(tmp_path / "home", OFFLINE)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        assert rt.store_key == rt.keys.dek and not rt.keys.rotating
        assert rt.cases.recent()[0].applicant_name == "萨仁高娃"
        assert complete_rotation(rt).files_resealed == 0  # nothing left to do
    finally:
        rt.close()


# --- field mode ----------------------------------------------------------------------------------------------------------

def test_field_mode_needs_the_encrypted_store(tmp_path, central):
    rt = start(tmp_path / "home", central, terminal_id="TARF1", mode="field")
    try:
        rt.auth.login("field1", DEMO_PASSWORD)
        field = rt.field_service()
        assert field.store is rt.store
    finally:
        rt.close()
    plain = bootstrap(resolve_paths(tmp_path / "plain"), Settings.model_validate({
        "server": {"url": OFFLINE}, "terminal": {"terminal_id": "TARF2", "mode": "field"},
        "at_rest": {"encrypt": False}}), console_log=False)
    try:
        assert plain.store is not None and not plain.encrypted
        with pytest.raises(YichuangError) as err:
            plain.field_service()
        assert err.value.code == "store_not_encrypted"
    finally:
        plain.close()


def test_default_is_encrypted_on_field_laptops_only():
    from app.security.at_rest import encryption_enabled

    assert encryption_enabled(Settings.model_validate({"terminal": {"mode": "field"}}))
    assert not encryption_enabled(Settings.model_validate({"terminal": {"mode": "counter"}}))
    assert not encryption_enabled(Settings.model_validate({"terminal": {"mode": "kiosk"}}))
    assert encryption_enabled(Settings.model_validate({"terminal": {"mode": "counter"}, "at_rest": {"encrypt": True}}))
