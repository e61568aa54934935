"""Operator login: online against the central API, or offline with the verifier cached at the last online login
on this terminal (never the password itself), within a configured window."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.clock import as_utc, utcnow
from app.errors import AuthError, NetworkUnavailable, ServerRejected
from app.security.audit import append_audit
from app.security.passwords import hash_password, verify_password
from app.store import Store
from app.store.models import LocalSetting, Operator
from app.sync.client import CentralApi

log = logging.getLogger(__name__)
OFFLINE_WINDOW = timedelta(days=7)
MAX_FAILURES = 5  # 等保 2.0: lock an account after repeated failures
LOCK_MINUTES = 15


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
    def __init__(self, store: Store, api: CentralApi | None, terminal_id: str,
                 offline_window: timedelta = OFFLINE_WINDOW, max_failures: int = MAX_FAILURES,
                 lock_for: timedelta = timedelta(minutes=LOCK_MINUTES)):
        self.max_failures = max_failures
        self.lock_for = lock_for
        self.store = store
        self.api = api
        self.terminal_id = terminal_id
        self.offline_window = offline_window

    def login(self, operator_id: str, password: str) -> OperatorSession:
        operator_id = operator_id.strip()
        if not operator_id or not password:
            raise AuthError("请输入工号和密码。", "empty credentials")
        self._check_lock(operator_id)
        try:
            session = self._login(operator_id, password)
        except AuthError:
            self._count_failure(operator_id)
            raise
        self._clear_failures(operator_id)
        return session

    # -- lock-out after repeated failures (kept in local_settings: survives restarts, no schema change) ---------
    def _lock_key(self, operator_id: str) -> str:
        return f"lockout:{operator_id}"

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
        with self.store.session() as s:
            state = self._lock_state(s, operator_id)
            state["failures"] = int(state.get("failures", 0)) + 1
            if state["failures"] >= self.max_failures:
                state["until"] = (utcnow() + self.lock_for).isoformat()
                state["failures"] = 0
                append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id,
                             action="login.locked", object_type="operator", object_id=operator_id)
            s.merge(LocalSetting(key=self._lock_key(operator_id), value=json.dumps(state)))

    def _clear_failures(self, operator_id: str) -> None:
        with self.store.session() as s:
            row = s.get(LocalSetting, self._lock_key(operator_id))
            if row:
                s.delete(row)

    def _login(self, operator_id: str, password: str) -> OperatorSession:
        if self.api is not None:
            try:
                reply = self.api.login(operator_id, password, self.terminal_id)
            except NetworkUnavailable as exc:
                log.info("online login impossible, trying offline verifier: %s", exc.detail)
            except ServerRejected as exc:
                if exc.status in (401, 403):
                    self._audit(operator_id, "login.refused", {"code": exc.code})
                    raise AuthError(exc.user_message or "工号或密码错误。", exc.detail) from None
                log.warning("online login failed, trying offline verifier: %s", exc.detail)
            else:
                return self._online(operator_id, password, reply)
        return self._offline(operator_id, password)

    def _online(self, operator_id: str, password: str, reply: dict) -> OperatorSession:
        info = reply["operator"]
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
        return OperatorSession(operator_id, info["name"], tuple(info["roles"]), info["agency_code"], True,
                               reply.get("access_token"))

    def _offline(self, operator_id: str, password: str) -> OperatorSession:
        with self.store.session() as s:
            op = s.get(Operator, operator_id)
            if op is None or not op.password_verifier or op.disabled:
                raise AuthError("中心系统暂时无法连接，且该工号未在本终端联网登录过，无法离线登录。",
                                f"offline login refused for unknown operator on {self.terminal_id}")
            if not op.last_online_login_at or utcnow() - as_utc(op.last_online_login_at) > self.offline_window:
                raise AuthError(f"离线登录已超过{self.offline_window.days}天有效期，请在网络恢复后联网登录。",
                                "offline window expired")
            if not verify_password(op.password_verifier, password):
                append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id,
                             action="login.refused", object_type="operator", object_id=operator_id)
                raise AuthError("工号或密码错误。", "offline verifier mismatch")
            append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id,
                         action="login.offline", object_type="operator", object_id=operator_id)
            return OperatorSession(op.operator_id, op.name, tuple(op.roles), op.agency_code, False, None)

    def _audit(self, operator_id: str, action: str, detail: dict) -> None:
        with self.store.session() as s:
            append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=self.terminal_id, action=action,
                         object_type="operator", object_id=operator_id, detail=detail)


def seed_local_operator(store: Store, operator_id: str, name: str, roles: list[str], agency_code: str,
                        password: str, at: datetime | None = None) -> None:
    """Used by the embedded demo: lets the demo operator log in before the child server is up."""
    with store.session() as s:
        existing = s.get(Operator, operator_id)
        if existing and existing.password_verifier and verify_password(existing.password_verifier, password):
            return
        s.merge(Operator(operator_id=operator_id, name=name, roles=roles, agency_code=agency_code,
                         password_verifier=hash_password(password), last_online_login_at=at or utcnow(),
                         disabled=False))
