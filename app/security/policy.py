"""The agency's operator-authentication policy (等保 2.0 身份鉴别; 003 13.5 用户、动态口令和数字证书): lock-out after N
failures for T minutes, idle auto-lock, TOTP second factor, offline-login window, password length and expiry.

The central API owns the policy per agency (server/operators_auth.py, GET /api/v1/auth/policy); the terminal caches
the last one it received in local_settings so offline logins and the idle lock follow it too. Qt-free."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import timedelta
from typing import Any

from app.errors import ValidationFailed
from app.store import Store
from app.store.models import LocalSetting

_CACHE_KEY = "auth_policy"


@dataclass(frozen=True)
class AuthPolicy:
    max_failures: int = 5  # 登录失败N次锁定
    lock_minutes: int = 15  # 锁定T分钟
    idle_lock_minutes: float = 10.0  # 无操作N分钟自动锁屏 (0 = never)
    offline_window_days: float = 7.0  # 离线登录：须在N天内于本终端联网登录过
    totp_required: bool = False  # 动态口令 (TOTP, RFC 6238) required at online login
    # Offline login cannot check a TOTP code (the terminal does not keep the shared secret: a stolen laptop would
    # then hold both factors). When TOTP is required, offline login is refused unless the agency allows it here.
    totp_offline_allowed: bool = False
    password_min_length: int = 8
    password_max_age_days: int = 90  # 0 = passwords never expire

    @property
    def lock_for(self) -> timedelta:
        return timedelta(minutes=self.lock_minutes)

    @property
    def offline_window(self) -> timedelta:
        return timedelta(days=self.offline_window_days)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> AuthPolicy:
        """Known keys only (a newer server may send more); wrong types fall back to the default of that key."""
        base = cls()
        if not isinstance(data, dict):
            return base
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            default = getattr(base, f.name)
            raw = data[f.name]
            try:
                value = bool(raw) if isinstance(default, bool) else type(default)(raw)
            except (TypeError, ValueError):
                continue
            if not isinstance(default, bool) and value < 0:
                continue
            values[f.name] = value
        return replace(base, **values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_new_password(policy: AuthPolicy, new_password: str, old_password: str | None = None) -> None:
    """等保 2.0 口令复杂度: at least `password_min_length` characters with letters and digits, not the old one."""
    if len(new_password) < policy.password_min_length:
        raise ValidationFailed(f"新密码至少需要{policy.password_min_length}位。", "new password too short",
                               field="new_password")
    if not (any(c.isalpha() for c in new_password) and any(c.isdigit() for c in new_password)):
        raise ValidationFailed("新密码须同时包含字母和数字。", "new password lacks letters or digits",
                               field="new_password")
    if old_password is not None and new_password == old_password:
        raise ValidationFailed("新密码不能与原密码相同。", "new password equals the old one", field="new_password")


def cached_policy(store: Store, agency_code: str | None = None) -> AuthPolicy | None:
    """The policy last received from the central API (for `agency_code`, or the terminal's last one)."""
    with store.session() as s:
        row = s.get(LocalSetting, f"{_CACHE_KEY}:{agency_code}" if agency_code else _CACHE_KEY)
        return AuthPolicy.from_dict(json.loads(row.value)) if row else None


def cache_policy(store: Store, policy: AuthPolicy, agency_code: str) -> None:
    with store.session() as s:
        value = json.dumps(policy.to_dict())
        s.merge(LocalSetting(key=f"{_CACHE_KEY}:{agency_code}", value=value))
        s.merge(LocalSetting(key=_CACHE_KEY, value=value))
