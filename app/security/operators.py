"""Operator login: online against the central API (password, then the TOTP code when the agency's policy asks for
it), or offline with the verifier cached at the last online login on this terminal (never the password itself),
within the policy's window; lock-out after N failures for T minutes; password change and expiry."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.clock import as_utc, utcnow
from app.errors import AuthError, NetworkUnavailable, ServerRejected
from app.security.audit import append_audit
from app.security.passwords import hash_password, verify_password
from app.security.policy import AuthPolicy, cache_policy, cached_policy, check_new_password
from app.store import Store
from app.store.models import LocalSetting, Operator
from app.sync.client import CentralApi

log = logging.getLogger(__name__)
OFFLINE_WINDOW = timedelta(days=AuthPolicy.offline_window_days)
MAX_FAILURES = AuthPolicy.max_failures  # 等保 2.0: lock an account after repeated failures
LOCK_MINUTES = AuthPolicy.lock_minutes


class SecondFactorRequired(AuthError):
    """The password was right; the agency's policy wants the 6-digit 动态口令 too (the dialog asks for it)."""

    code = "otp_required"


class PasswordExpired(AuthError):
    """The password was right but has expired (or an administrator reset it): it must be changed first."""

    code = "password_expired"


@dataclass(frozen=True)
class OperatorSession:
    operator_id: str
    name: str
    roles: tuple[str, ...]
    agency_code: str
    online: bool
    token: str | None = None

    @property
    def primary_role(self) -> str:
        return self.roles[0] if self.roles else "受理员"


class Authenticator:
    """`policy` is the terminal's default; a policy received from the central API (cached locally) replaces it.
    The keyword arguments `offline_window`, `max_failures` and `lock_for` override single values of the default."""

    def __init__(self, store: Store, api: CentralApi | None, terminal_id: str,
                 offline_window: timedelta | None = None, max_failures: int | None = None,
                 lock_for: timedelta | None = None, *, policy: AuthPolicy | None = None):
        base = policy or AuthPolicy()
        if offline_window is not None:
            base = replace(base, offline_window_days=offline_window.total_seconds() / 86400)
        if max_failures is not None:
            base = replace(base, max_failures=max_failures)
        if lock_for is not None:
            base = replace(base, lock_minutes=lock_for.total_seconds() / 60)
        self.default_policy = base
        self.store = store
        self.api = api
        self.terminal_id = terminal_id

    # -- the policy in force ---------------------------------------------------------------------------------------
    def policy(self, agency_code: str | None = None) -> AuthPolicy:
        """The agency's policy last received online on this terminal, else the terminal's default."""
        return cached_policy(self.store, agency_code) or cached_policy(self.store) or self.default_policy

    @property
    def max_failures(self) -> int:
        return self.policy().max_failures

    @property
    def lock_for(self) -> timedelta:
        return self.policy().lock_for

    @property
    def offline_window(self) -> timedelta:
        return self.policy().offline_window

    # -- login -----------------------------------------------------------------------------------------------------
    def login(self, operator_id: str, password: str, otp: str | None = None) -> OperatorSession:
        """Raise AuthError (Chinese message); SecondFactorRequired / PasswordExpired tell the dialog what to ask."""
        operator_id = operator_id.strip()
        if not operator_id or not password:
            raise AuthError("请输入工号和密码。", "empty credentials")
        otp = (otp or "").strip() or None
        self._check_lock(operator_id)
        try:
            session = self._login(operator_id, password, otp)
        except (SecondFactorRequired, PasswordExpired):
            raise  # the password itself was right: not a failure
        except AuthError:
            self._count_failure(operator_id)
            raise
        self._clear_failures(operator_id)
        return session

    def verify_unlock(self, session: OperatorSession, password: str) -> bool:
        """The idle lock: the logged-in operator re-enters the password. Checked against the local verifier (set at
        this login), so it works offline; failures count towards the lock-out like any login."""
        self._check_lock(session.operator_id)
        with self.store.session() as s:
            op = s.get(Operator, session.operator_id)
            ok = bool(op and op.password_verifier and verify_password(op.password_verifier, password))
            append_audit(s, at=utcnow(), operator_id=session.operator_id, terminal_id=self.terminal_id,
                         action="session.unlocked" if ok else "session.unlock_refused", object_type="operator",
                         object_id=session.operator_id)
        if ok:
            self._clear_failures(session.operator_id)
        else:
            self._count_failure(session.operator_id)
        return ok

    def record_idle_lock(self, session: OperatorSession) -> None:
        with self.store.session() as s:
            append_audit(s, at=utcnow(), operator_id=session.operator_id, terminal_id=self.terminal_id,
                         action="session.locked", object_type="operator", object_id=session.operator_id,
                         detail={"reason": "idle"})

    # -- password change ---------------------------------------------------------------------------------------------
    def change_password(self, operator_id: str, old_password: str, new_password: str,
                        otp: str | None = None) -> None:
        """Change the password on the central API (it needs the network); the local verifier follows at once so the
        old password no longer opens this terminal offline."""
        operator_id = operator_id.strip()
        check_new_password(self.policy(), new_password, old_password)
        self._check_lock(operator_id)
        if self.api is None:
            raise AuthError("修改密码需要连接中心系统。", "no central API configured")
        body = {"operator_id": operator_id, "old_password": old_password, "new_password": new_password,
                "terminal_id": self.terminal_id}
        if otp:
            body["otp"] = otp.strip()
        try:
            # CentralApi has no method for this route (app/sync/client.py): the client's request primitive is used.
            self.api._request("POST", "/api/v1/auth/password", json=body)
        except NetworkUnavailable:
            raise AuthError("中心系统暂时无法连接，修改密码需要联网，请稍后再试。", "password change offline") from None
        except ServerRejected as exc:
            if exc.code in ("invalid_credentials", "otp_invalid"):
                self._count_failure(operator_id)
            if exc.code == "otp_required":
                raise SecondFactorRequired(exc.user_message or "请输入动态口令。", exc.detail) from None
            raise AuthError(exc.user_message or "修改密码失败。", exc.detail, code=exc.code) from None
        now = utcnow()
        with self.store.session() as s:
            op = s.get(Operator, operator_id)
            if op is not None:
                op.password_verifier = hash_password(new_password)
            expiry = s.get(LocalSetting, self._expiry_key(operator_id))
            if expiry is not None:
                s.delete(expiry)  # the new password's expiry arrives with the next online login
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id,
                         action="password.changed", object_type="operator", object_id=operator_id)
        self._clear_failures(operator_id)
        log.info("password changed for operator %s", operator_id)

    # -- lock-out after repeated failures (kept in local_settings: survives restarts, no schema change) ---------
    def _lock_key(self, operator_id: str) -> str:
        return f"lockout:{operator_id}"

    def _expiry_key(self, operator_id: str) -> str:
        return f"pwd_expires:{operator_id}"

    def _lock_state(self, s, operator_id: str) -> dict:
        row = s.get(LocalSetting, self._lock_key(operator_id))
        return json.loads(row.value) if row else {"failures": 0, "until": None}

    def _check_lock(self, operator_id: str) -> None:
        with self.store.session() as s:
            state = self._lock_state(s, operator_id)
        until = datetime.fromisoformat(state["until"]) if state.get("until") else None
        if until and utcnow() < until:
            minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
            raise AuthError(f"密码错误次数过多，账号已锁定，请{minutes}分钟后再试或联系管理员解锁。",
                            f"operator locked until {until.isoformat()}", code="operator_locked")

    def _count_failure(self, operator_id: str) -> None:
        policy = self.policy()
        with self.store.session() as s:
            state = self._lock_state(s, operator_id)
            state["failures"] = int(state.get("failures", 0)) + 1
            if state["failures"] >= policy.max_failures:
                state["until"] = (utcnow() + policy.lock_for).isoformat()
                state["failures"] = 0
                append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id,
                             action="login.locked", object_type="operator", object_id=operator_id,
                             detail={"minutes": policy.lock_minutes})
                log.warning("operator %s locked out for %s minutes after %s failures", operator_id,
                            policy.lock_minutes, policy.max_failures)
            s.merge(LocalSetting(key=self._lock_key(operator_id), value=json.dumps(state)))

    def _clear_failures(self, operator_id: str) -> None:
        with self.store.session() as s:
            row = s.get(LocalSetting, self._lock_key(operator_id))
            if row:
                s.delete(row)

    # -- online / offline --------------------------------------------------------------------------------------------
    def _login(self, operator_id: str, password: str, otp: str | None) -> OperatorSession:
        if self.api is not None:
            try:
                reply = self._api_login(operator_id, password, otp)
            except NetworkUnavailable as exc:
                log.info("online login impossible, trying offline verifier: %s", exc.detail)
            except ServerRejected as exc:
                if exc.status in (401, 403):
                    self._audit(operator_id, "login.refused", {"code": exc.code})
                    message = exc.user_message or "工号或密码错误。"
                    if exc.code == "otp_required":
                        raise SecondFactorRequired(message, exc.detail) from None
                    if exc.code == "password_expired":
                        raise PasswordExpired(message, exc.detail) from None
                    raise AuthError(message, exc.detail, code=exc.code) from None
                log.warning("online login failed, trying offline verifier: %s", exc.detail)
            else:
                return self._online(operator_id, password, reply)
        return self._offline(operator_id, password)

    def _api_login(self, operator_id: str, password: str, otp: str | None) -> dict:
        if otp is None:
            return self.api.login(operator_id, password, self.terminal_id)
        # CentralApi.login has no otp parameter (app/sync/client.py): the same route with the one more field.
        return self.api._request("POST", "/api/v1/auth/login", json={
            "operator_id": operator_id, "password": password, "terminal_id": self.terminal_id, "otp": otp}).json()

    def _online(self, operator_id: str, password: str, reply: dict) -> OperatorSession:
        info = reply["operator"]
        token = reply.get("access_token")
        now = utcnow()
        with self.store.session() as s:
            op = s.get(Operator, operator_id) or Operator(operator_id=operator_id)
            op.name, op.roles, op.agency_code = info["name"], list(info["roles"]), info["agency_code"]
            op.password_verifier = hash_password(password)
            op.last_online_login_at = now
            op.disabled = False
            s.merge(op)
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id, action="login.online",
                         object_type="operator", object_id=operator_id)
        if token:
            self._refresh_policy(operator_id, info["agency_code"], token)
        return OperatorSession(operator_id, info["name"], tuple(info["roles"]), info["agency_code"], True, token)

    def _refresh_policy(self, operator_id: str, agency_code: str, token: str) -> None:
        """Cache the agency's policy and this operator's password expiry for offline logins and the idle lock."""
        self.api.token = token  # the API client speaks for the operator who just logged in (as the dialog sets)
        try:
            reply = self.api._request("GET", "/api/v1/auth/policy").json()
        except (NetworkUnavailable, ServerRejected) as exc:
            log.info("authentication policy not refreshed: %s", exc.detail)
            return
        cache_policy(self.store, AuthPolicy.from_dict(reply.get("policy")), agency_code)
        with self.store.session() as s:
            expires = reply.get("password_expires_at")
            key = self._expiry_key(operator_id)
            if expires:
                s.merge(LocalSetting(key=key, value=str(expires)))
            elif s.get(LocalSetting, key) is not None:
                s.delete(s.get(LocalSetting, key))

    def _offline(self, operator_id: str, password: str) -> OperatorSession:
        refusal: AuthError | None = None
        with self.store.session() as s:
            op = s.get(Operator, operator_id)
            if op is None or not op.password_verifier or op.disabled:
                raise AuthError("中心系统暂时无法连接，且该工号未在本终端联网登录过，无法离线登录。",
                                f"offline login refused for unknown operator on {self.terminal_id}")
            policy = self.policy(op.agency_code)
            if not op.last_online_login_at or utcnow() - as_utc(op.last_online_login_at) > policy.offline_window:
                raise AuthError(f"离线登录已超过{policy.offline_window_days:g}天有效期，请在网络恢复后联网登录。",
                                "offline window expired")
            if not verify_password(op.password_verifier, password):
                refusal = AuthError("工号或密码错误。", "offline verifier mismatch")
                action = "login.refused"
            elif policy.totp_required and not policy.totp_offline_allowed:
                refusal = AuthError("本机构要求动态口令登录，离线状态下无法核验，请在网络恢复后联网登录。",
                                    "offline login refused: TOTP required by policy", code="otp_offline_refused")
                action = "login.refused"
            elif self._password_expired(s, operator_id):
                refusal = AuthError("密码已过期，须联网修改密码后才能登录。", "offline login refused: password expired",
                                    code="offline_password_expired")
                action = "login.refused"
            else:
                action = "login.offline"
            append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id,
                         action=action, object_type="operator", object_id=operator_id,
                         detail={"code": refusal.code} if refusal else {})
            result = OperatorSession(op.operator_id, op.name, tuple(op.roles), op.agency_code, False, None)
        if refusal is not None:
            raise refusal  # after the commit, so the refusal stays in the audit log
        return result

    def _password_expired(self, s, operator_id: str) -> bool:
        row = s.get(LocalSetting, self._expiry_key(operator_id))
        if row is None:
            return False
        try:
            return utcnow() >= as_utc(datetime.fromisoformat(row.value.replace("Z", "+00:00")))
        except ValueError:
            return False

    def _audit(self, operator_id: str, action: str, detail: dict) -> None:
        with self.store.session() as s:
            append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id, action=action,
                         object_type="operator", object_id=operator_id, detail=detail)


def seed_local_operator(store: Store, operator_id: str, name: str, roles: list[str], agency_code: str,
                        password: str, at: datetime | None = None, *, keep_existing: bool = False) -> None:
    """Used by the embedded demo: lets the demo operator log in before the child server is up. `keep_existing`: an
    operator already seeded is left as it is."""
    with store.session() as s:
        existing = s.get(Operator, operator_id)
        if existing and existing.password_verifier and keep_existing and not existing.disabled:
            return  # the demo's start: no Argon2 verify (0.25 s of every start); a password changed in the demo stays
        if existing and existing.password_verifier and verify_password(existing.password_verifier, password):
            return
        s.merge(Operator(operator_id=operator_id, name=name, roles=roles, agency_code=agency_code,
                         password_verifier=hash_password(password), last_online_login_at=at or utcnow(),
                         disabled=False))
