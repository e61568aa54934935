"""Operator authentication (issue 11 point 1): configurable lock-out, the offline-login window, TOTP per agency
policy, password change and expiry — against a real local store and a real central API on loopback."""
from __future__ import annotations

from datetime import timedelta

import httpx
import pyotp
import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.errors import AuthError, ValidationFailed
from app.security.operators import Authenticator, PasswordExpired, SecondFactorRequired, seed_local_operator
from app.security.policy import AuthPolicy, cache_policy
from app.store.models import AuditRecord, Operator
from app.sync.client import CentralApi
from tests.security.auth_support import central, store  # noqa: F401  (fixtures)

DEAD_URL = "http://127.0.0.1:9"  # nothing listens: the central API is "down"


def _actions(store) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))


def _clock(monkeypatch, delta: timedelta) -> None:
    real = utcnow()
    monkeypatch.setattr("app.security.operators.utcnow", lambda: real + delta)


# -- lock-out ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, minutes", [(3, 2), (5, 15)])
def test_brute_force_locks_after_n_failures_for_t_minutes(store, monkeypatch, n, minutes):
    seed_local_operator(store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    auth = Authenticator(store, None, "T01", policy=AuthPolicy(max_failures=n, lock_minutes=minutes))
    for _ in range(n - 1):
        with pytest.raises(AuthError) as err:
            auth.login("demo", "guess")
        assert err.value.code != "operator_locked"
    assert auth.login("demo", "demo1234").operator_id == "demo"  # a success before N resets the count
    for _ in range(n):
        with pytest.raises(AuthError):
            auth.login("demo", "guess")
    with pytest.raises(AuthError) as err:  # the right password is refused while locked
        auth.login("demo", "demo1234")
    assert err.value.code == "operator_locked" and f"{minutes}分钟" in err.value.user_message
    assert _actions(store).count("login.locked") == 1
    _clock(monkeypatch, timedelta(minutes=minutes - 0.5))
    with pytest.raises(AuthError) as err:
        auth.login("demo", "demo1234")
    assert err.value.code == "operator_locked"
    _clock(monkeypatch, timedelta(minutes=minutes, seconds=1))
    assert auth.login("demo", "demo1234").operator_id == "demo"


def test_policy_from_the_central_api_replaces_the_terminal_default(store):
    seed_local_operator(store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    auth = Authenticator(store, None, "T01", policy=AuthPolicy(max_failures=5))
    cache_policy(store, AuthPolicy(max_failures=2, lock_minutes=30), "150102")
    for _ in range(2):
        with pytest.raises(AuthError):
            auth.login("demo", "guess")
    with pytest.raises(AuthError) as err:
        auth.login("demo", "demo1234")
    assert err.value.code == "operator_locked" and "30分钟" in err.value.user_message


# -- offline login window --------------------------------------------------------------------------------------------

def _offline_auth(store, days=7):
    return Authenticator(store, CentralApi(DEAD_URL, timeout=2), "T01", policy=AuthPolicy(offline_window_days=days))


def test_offline_login_within_the_window(store):
    seed_local_operator(store, "demo", "演示柜员", ["受理员"], "150102", "demo1234", at=utcnow() - timedelta(days=6))
    session = _offline_auth(store).login("demo", "demo1234")
    assert session.online is False and session.token is None and session.roles == ("受理员",)
    assert _actions(store)[-1] == "login.offline"


def test_offline_login_outside_the_window_is_refused(store):
    seed_local_operator(store, "demo", "演示柜员", ["受理员"], "150102", "demo1234", at=utcnow() - timedelta(days=8))
    with pytest.raises(AuthError) as err:
        _offline_auth(store).login("demo", "demo1234")
    assert "7天有效期" in err.value.user_message


def test_offline_login_of_an_operator_never_online_here_is_refused(store):
    seed_local_operator(store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    with pytest.raises(AuthError) as err:
        _offline_auth(store).login("audit1", "demo1234")
    assert "未在本终端联网登录过" in err.value.user_message


def test_the_cache_holds_a_verifier_never_the_password(store):
    seed_local_operator(store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
    with store.session() as s:
        verifier = s.get(Operator, "demo").password_verifier
    assert verifier.startswith("$argon2id$") and "demo1234" not in verifier


# -- against the central API: TOTP, expiry, change -------------------------------------------------------------------

def _client(url: str, operator_id: str, password: str = "demo1234", otp: str | None = None) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=10)
    body = {"operator_id": operator_id, "password": password, "terminal_id": "T-SEC"}
    if otp:
        body["otp"] = otp
    r = c.post("/api/v1/auth/login", json=body)
    assert r.status_code == 200, r.text
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


def _require_totp(url: str, operator_id: str, **policy) -> str:
    admin = _client(url, "admin")
    try:
        r = admin.put("/api/v1/auth/policies/150102", json={"totp_required": True, **policy})
        assert r.status_code == 200 and r.json()["totp_required"] is True
        r = admin.post(f"/api/v1/operators/{operator_id}/totp")
        assert r.status_code == 201 and r.json()["provisioning_uri"].startswith("otpauth://totp/")
        return r.json()["secret"]
    finally:
        admin.close()


@pytest.mark.integration
def test_totp_required_by_agency_policy(store, central):
    url, _db = central
    secret = _require_totp(url, "demo")
    auth = Authenticator(store, CentralApi(url), "T-SEC")
    with pytest.raises(SecondFactorRequired) as err:
        auth.login("demo", "demo1234")
    assert "动态口令" in err.value.user_message
    with pytest.raises(AuthError) as err:
        auth.login("demo", "demo1234", otp="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert err.value.code == "otp_invalid"
    code = pyotp.TOTP(secret).now()
    session = auth.login("demo", "demo1234", otp=code)
    assert session.online and session.token
    assert auth.policy("150102").totp_required, "the policy came down with the login and is cached"
    with pytest.raises(AuthError) as err:  # a code is accepted once: an observed code cannot be replayed
        auth.login("demo", "demo1234", otp=code)
    assert err.value.code == "otp_invalid"
    r = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": "audit1", "password": "demo1234",
                                                      "terminal_id": "T-SEC"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "totp_not_enrolled"
    # Offline the terminal cannot check a code (it never holds the secret): refused unless the policy allows it.
    offline = Authenticator(store, CentralApi(DEAD_URL, timeout=2), "T-SEC")
    with pytest.raises(AuthError) as err:
        offline.login("demo", "demo1234")
    assert err.value.code == "otp_offline_refused" and "动态口令" in err.value.user_message


@pytest.mark.integration
def test_totp_offline_allowed_when_the_agency_says_so(store, central):
    url, _db = central
    secret = _require_totp(url, "demo", totp_offline_allowed=True)
    Authenticator(store, CentralApi(url), "T-SEC").login("demo", "demo1234", otp=pyotp.TOTP(secret).now())
    session = Authenticator(store, CentralApi(DEAD_URL, timeout=2), "T-SEC").login("demo", "demo1234")
    assert session.online is False


@pytest.mark.integration
def test_server_locks_out_brute_force_across_terminals(central):
    url, _db = central
    for i in range(5):
        r = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": "demo", "password": f"guess{i}",
                                                          "terminal_id": f"T-{i}"})
        assert r.status_code == 401
    r = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": "demo", "password": "demo1234",
                                                      "terminal_id": "T-9"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "operator_locked"


@pytest.mark.integration
def test_expired_password_forces_a_change(store, central):
    url, db = central
    from sqlalchemy.orm import Session

    from server.db import make_engine
    from server.operators_auth import force_password_change

    engine = make_engine(db)
    with Session(engine) as s:
        force_password_change(s, "demo")
        s.commit()
    engine.dispose()
    auth = Authenticator(store, CentralApi(url), "T-SEC")
    with pytest.raises(PasswordExpired) as err:
        auth.login("demo", "demo1234")
    assert "密码已过期" in err.value.user_message
    with pytest.raises(ValidationFailed):  # checked on the terminal before anything is sent
        auth.change_password("demo", "demo1234", "short")
    r = httpx.post(f"{url}/api/v1/auth/password", json={"operator_id": "demo", "old_password": "demo1234",
                                                         "new_password": "abcdefghij", "terminal_id": "T-SEC"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "weak_password"  # and on the server
    with pytest.raises(AuthError) as err:
        auth.change_password("demo", "wrong-old1", "Newpass2025")
    assert err.value.code == "invalid_credentials"
    auth.change_password("demo", "demo1234", "Newpass2025")
    assert auth.login("demo", "Newpass2025").online
    with pytest.raises(AuthError):
        auth.login("demo", "demo1234")
    # the local verifier followed: offline, only the new password opens the terminal
    offline = Authenticator(store, CentralApi(DEAD_URL, timeout=2), "T-SEC")
    assert offline.login("demo", "Newpass2025").online is False
    with pytest.raises(AuthError):
        offline.login("demo", "demo1234")
    assert "password.changed" in _actions(store)


@pytest.mark.integration
def test_password_expiry_by_age_is_cached_for_offline_logins(store, central, monkeypatch):
    url, _db = central
    admin = _client(url, "admin")
    try:
        assert admin.put("/api/v1/auth/policies/150102", json={"password_max_age_days": 1}).status_code == 200
    finally:
        admin.close()
    auth = Authenticator(store, CentralApi(url), "T-SEC")
    assert auth.login("demo", "demo1234").online
    assert auth.policy("150102").password_max_age_days == 1
    offline = Authenticator(store, CentralApi(DEAD_URL, timeout=2), "T-SEC")
    assert offline.login("demo", "demo1234").online is False  # not expired yet
    _clock(monkeypatch, timedelta(days=2))
    with pytest.raises(AuthError) as err:
        offline.login("demo", "demo1234")
    assert err.value.code == "offline_password_expired" and "联网修改密码" in err.value.user_message


@pytest.mark.integration
@pytest.mark.gui
def test_login_dialog_asks_for_the_totp_code(qtbot, store, central, tmp_path):
    """The dialog shows the 动态口令 field when the server asks for it, keeps the password, and logs in with it."""
    from types import SimpleNamespace

    from app.config import Settings
    from ui.login import LoginDialog

    url, _db = central
    secret = _require_totp(url, "demo")
    api = CentralApi(url)
    runtime = SimpleNamespace(settings=Settings(), auth=Authenticator(store, api, "T-SEC"), api=api)
    dialog = LoginDialog(runtime, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.otp_edit.isVisible()
    qtbot.keyClicks(dialog.operator_edit, "demo")
    qtbot.keyClicks(dialog.password_edit, "demo1234")
    dialog.try_login()
    qtbot.waitUntil(lambda: dialog.otp_edit.isVisible(), timeout=15000)
    assert "动态口令" in dialog.error_label.text() and dialog.password_edit.text() == "demo1234"
    qtbot.keyClicks(dialog.otp_edit, pyotp.TOTP(secret).now())
    with qtbot.waitSignal(dialog.logged_in, timeout=15000) as blocker:
        dialog.try_login()
    assert blocker.args[0].online and api.token == blocker.args[0].token
