"""TOTP seeds on the reference server are sealed with the server's key (issue 11): the database file holds no seed
in clear, a seed kept in clear by an older server is sealed at start, and logins with the second factor still work;
the key file is 0600 beside the database, and a database copied without it cannot yield the seeds."""
from __future__ import annotations

import base64
import stat

import httpx
import pyotp
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.security.operators import Authenticator
from app.sync.client import CentralApi
from server.db import make_engine
from server.operators_auth import OperatorCredential, migrate_totp_secrets
from server.security import SERVER_KEY_FILE, is_sealed_secret, server_key
from tests.security.auth_support import store  # noqa: F401  (fixture)
from tests.security.test_auth import _require_totp

pytestmark = pytest.mark.integration


def _db_bytes(path) -> bytes:
    out = path.read_bytes()
    for extra in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + extra)
        if side.exists():
            out += side.read_bytes()
    return out


def test_totp_seed_is_sealed_in_the_database_and_login_still_works(tmp_path, store, monkeypatch):  # noqa: F811
    from server.testing import run_server_in_thread

    monkeypatch.delenv("YICHUANG_SERVER_KEY", raising=False)
    monkeypatch.delenv("YICHUANG_SERVER_DATA_DIR", raising=False)
    db = tmp_path / "central" / "central.sqlite"
    db.parent.mkdir()
    with run_server_in_thread(f"sqlite:///{db}", seed_demo=True) as url:
        secret = _require_totp(url, "demo")
        raw = _db_bytes(db)
        assert secret.encode() not in raw and base64.b32decode(secret) not in raw
        auth = Authenticator(store, CentralApi(url), "T-TOTP")
        session = auth.login("demo", "demo1234", otp=pyotp.TOTP(secret).now())
        assert session.online and session.token
    key_file = db.parent / SERVER_KEY_FILE
    assert key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        cred = s.get(OperatorCredential, "demo")
        assert is_sealed_secret(cred.totp_secret) and secret not in cred.totp_secret
    engine.dispose()
    assert secret.encode() not in _db_bytes(db)


def test_clear_seeds_of_an_older_server_are_sealed_at_start(tmp_path, store, monkeypatch):  # noqa: F811
    from server.testing import run_server_in_thread

    monkeypatch.setenv("YICHUANG_SERVER_KEY", base64.b64encode(b"k" * 32).decode())
    db = tmp_path / "old.sqlite"
    url_db = f"sqlite:///{db}"
    with run_server_in_thread(url_db, seed_demo=True) as url:
        _require_totp(url, "demo")
    # as an older server left it: the seed in clear
    clear = pyotp.random_base32()
    engine = make_engine(url_db)
    with Session(engine) as s:
        s.execute(update(OperatorCredential).where(OperatorCredential.operator_id == "demo")
                  .values(totp_secret=clear, totp_last_step=None))
        s.commit()
    assert server_key(engine) == b"k" * 32  # the key comes from the environment, no file is written
    engine.dispose()
    assert clear.encode() in _db_bytes(db)
    assert not (tmp_path / SERVER_KEY_FILE).exists()
    with run_server_in_thread(url_db) as url:  # start-up migrates
        engine = make_engine(url_db)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        assert clear.encode() not in _db_bytes(db)
        session = Authenticator(store, CentralApi(url), "T-TOTP").login("demo", "demo1234",
                                                                        otp=pyotp.TOTP(clear).now())
        assert session.online
    engine = make_engine(url_db)
    assert migrate_totp_secrets(engine) == 0  # idempotent
    engine.dispose()


def test_a_database_copied_without_its_key_yields_no_second_factor(tmp_path, store, monkeypatch):  # noqa: F811
    from server.testing import run_server_in_thread

    monkeypatch.delenv("YICHUANG_SERVER_KEY", raising=False)
    db = tmp_path / "a" / "central.sqlite"
    db.parent.mkdir()
    with run_server_in_thread(f"sqlite:///{db}", seed_demo=True) as url:
        secret = _require_totp(url, "demo")
    # another server (another key) on a copy of the database: the sealed seed does not open, the login is refused
    monkeypatch.setenv("YICHUANG_SERVER_KEY", base64.b64encode(b"x" * 32).decode())
    with run_server_in_thread(f"sqlite:///{db}") as url:
        r = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": "demo", "password": "demo1234",
                                                          "terminal_id": "T-TOTP", "otp": pyotp.TOTP(secret).now()})
        assert r.status_code == 401 and r.json()["error"]["code"] == "otp_invalid"
        assert "动态口令" in r.json()["error"]["message"]
