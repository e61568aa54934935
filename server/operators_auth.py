"""Operator authentication beyond the password, on the central API: the agency's policy (lock-out, TOTP, password
expiry; app.security.policy), TOTP (RFC 6238, pyotp) enrolment and verification, password change, and the
permission check of the shared matrix (resources/security/permissions.yaml) for operator tokens.

`check_login` and `count_password_failure` are called by POST /auth/login (server/api.py); `install` adds the
tables (if missing) and the routes to an app."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pyotp
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.errors import ValidationFailed
from app.security.permissions import Perm, allowed
from app.security.policy import AuthPolicy, check_new_password
from server.api import _E401, ApiError, Authenticated, _err, _sessions, iso
from server.db import UTCDateTime, utcnow
from server.models import Base, Operator, Terminal
from server.security import (Principal, hash_password, is_sealed_secret, open_secret, revoke_tokens, seal_secret,
                             server_key, verify_password)

log = logging.getLogger("yichuang.server.auth")
router = APIRouter(prefix="/api/v1", tags=["auth"])
ISSUER = "一窗 Yichuang"


class OperatorCredential(Base):
    """Per operator: TOTP secret, password age, forced change, failure counter (server-side lock-out)."""

    __tablename__ = "operator_credentials"

    operator_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # sealed with the server key (server.security.seal_secret, "v1:…"); never the base32 seed in clear (issue 11)
    totp_secret: Mapped[str | None] = mapped_column(String(255), nullable=True)
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a code is accepted once
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AgencyAuthPolicy(Base):
    __tablename__ = "agency_auth_policies"

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    policy: Mapped[dict] = mapped_column(JSON, default=dict)


def install(app: FastAPI) -> None:
    engine = app.state.engine
    for table in (OperatorCredential.__table__, AgencyAuthPolicy.__table__):
        try:
            table.create(engine, checkfirst=True)
        except (OperationalError, ProgrammingError):  # another worker created it in between
            pass
    migrate_totp_secrets(engine)
    app.include_router(router)


def _totp_aad(operator_id: str) -> str:
    return f"totp:{operator_id}"


def migrate_totp_secrets(engine) -> int:
    """Seal TOTP seeds a database from before issue 11's hardening kept in clear (widening the column on
    PostgreSQL first); idempotent, so every worker may run it at start. Returns how many were sealed."""
    from sqlalchemy import select, text

    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE operator_credentials ALTER COLUMN totp_secret TYPE VARCHAR(255)"))
    key = server_key(engine)
    sealed = 0
    with Session(engine) as s:
        for cred in s.scalars(select(OperatorCredential).where(OperatorCredential.totp_secret.is_not(None))):
            if not is_sealed_secret(cred.totp_secret):
                cred.totp_secret = seal_secret(key, cred.totp_secret, _totp_aad(cred.operator_id))
                sealed += 1
        s.commit()
    if sealed:
        log.info("sealed %d TOTP secrets kept in clear", sealed)
    return sealed


def totp_seed(s: Session, cred: OperatorCredential) -> str | None:
    """The operator's base32 seed, opened with the server key (a seed still in clear is sealed on the way)."""
    if not cred.totp_secret:
        return None
    key = server_key(s)
    if not is_sealed_secret(cred.totp_secret):
        seed = cred.totp_secret
        cred.totp_secret = seal_secret(key, seed, _totp_aad(cred.operator_id))
        return seed
    return open_secret(key, cred.totp_secret, _totp_aad(cred.operator_id))


# --- state --------------------------------------------------------------------------------------------------------

def policy_of(s: Session, agency_code: str | None) -> AuthPolicy:
    row = s.get(AgencyAuthPolicy, agency_code) if agency_code else None
    return AuthPolicy.from_dict(row.policy) if row else AuthPolicy()


def set_policy(s: Session, agency_code: str, policy: AuthPolicy) -> None:
    row = s.get(AgencyAuthPolicy, agency_code) or AgencyAuthPolicy(agency_code=agency_code)
    row.policy = policy.to_dict()
    s.merge(row)


def _credential(s: Session, operator_id: str) -> OperatorCredential:
    cred = s.get(OperatorCredential, operator_id)
    if cred is None:
        cred = OperatorCredential(operator_id=operator_id, failures=0, must_change=False)
        s.add(cred)
    return cred


def enrol_totp(s: Session, operator_id: str) -> tuple[str, str]:
    """A new secret for the operator (replacing any old one); returns (secret, otpauth:// URI for the QR code)."""
    op = s.get(Operator, operator_id)
    if op is None:
        raise ApiError(404, "operator_not_found", "未找到该工号", f"no operator {operator_id}")
    cred = _credential(s, operator_id)
    seed = pyotp.random_base32()
    cred.totp_secret = seal_secret(server_key(s), seed, _totp_aad(operator_id))
    cred.totp_enrolled_at = utcnow()
    cred.totp_last_step = None
    return seed, pyotp.TOTP(seed).provisioning_uri(name=operator_id, issuer_name=ISSUER)


def force_password_change(s: Session, operator_id: str) -> None:
    """After an administrator's reset: the next login must change the password first."""
    _credential(s, operator_id).must_change = True


def password_expires_at(s: Session, op: Operator, policy: AuthPolicy) -> datetime | None:
    if policy.password_max_age_days <= 0:
        return None
    cred = s.get(OperatorCredential, op.operator_id)
    changed = (cred.password_changed_at if cred and cred.password_changed_at else None) or op.created_at
    return changed + timedelta(days=policy.password_max_age_days)


def _verify_totp(s: Session, cred: OperatorCredential, code: str) -> bool:
    """±1 step of 30 s for clock drift; a step already used is refused (no replay of an observed code)."""
    if not cred.totp_secret or not code.isdigit() or len(code) != 6:
        return False
    try:
        totp = pyotp.TOTP(totp_seed(s, cred))
    except Exception:  # sealed under another server key (InvalidTag) or damaged: no second factor can pass
        log.error("TOTP secret of an operator cannot be opened with this server's key")
        return False
    now = utcnow()
    for drift in (0, -1, 1):
        at = now + timedelta(seconds=30 * drift)
        if totp.verify(code, for_time=at, valid_window=0):
            step = int(at.timestamp()) // 30
            if cred.totp_last_step is not None and step <= cred.totp_last_step:
                return False
            cred.totp_last_step = step
            return True
    return False


def count_password_failure(s: Session, operator_id: str) -> None:
    """A wrong password for a known operator: count it; lock after the policy's N. Commits (the caller raises)."""
    op = s.get(Operator, operator_id)
    if op is None:
        return
    policy = policy_of(s, op.agency_code)
    cred = _credential(s, operator_id)
    cred.failures = (cred.failures or 0) + 1
    if cred.failures >= policy.max_failures:
        cred.failures = 0
        cred.locked_until = utcnow() + policy.lock_for
        log.warning("operator %s locked for %s minutes after %s failures", operator_id, policy.lock_minutes,
                    policy.max_failures)
    s.commit()


def _locked(cred: OperatorCredential | None) -> ApiError | None:
    if cred is not None and cred.locked_until is not None and cred.locked_until > utcnow():
        minutes = max(1, int((cred.locked_until - utcnow()).total_seconds() // 60) + 1)
        return ApiError(403, "operator_locked", f"密码错误次数过多，账号已锁定，请{minutes}分钟后再试或联系管理员解锁",
                        f"operator locked until {iso(cred.locked_until)}")
    return None


def _second_factor(s: Session, op: Operator, otp: str | None, policy: AuthPolicy) -> None:
    if not policy.totp_required:
        return
    cred = s.get(OperatorCredential, op.operator_id)
    if cred is None or not cred.totp_secret:
        raise ApiError(403, "totp_not_enrolled", "本机构要求动态口令登录，您尚未开通动态口令，请联系管理员",
                       "TOTP required by policy but the operator has no secret")
    if not otp:
        raise ApiError(401, "otp_required", "请输入动态口令（手机验证器中的6位数字）", "TOTP code required by policy")
    if not _verify_totp(s, cred, otp.strip()):
        count_password_failure(s, op.operator_id)
        raise ApiError(401, "otp_invalid", "动态口令错误或已过期，请输入验证器中最新的6位数字", "TOTP code rejected")


def check_login(s: Session, op: Operator, otp: str | None) -> None:
    """After the password matched: lock-out, then the second factor, then the password's age. Raises ApiError."""
    cred = s.get(OperatorCredential, op.operator_id)
    locked = _locked(cred)
    if locked is not None:
        raise locked
    policy = policy_of(s, op.agency_code)
    _second_factor(s, op, otp, policy)
    expires = password_expires_at(s, op, policy)
    if (cred is not None and cred.must_change) or (expires is not None and expires <= utcnow()):
        s.commit()  # keep the TOTP step used
        raise ApiError(403, "password_expired", "密码已过期，请先修改密码", "password expired or reset by an administrator")
    if cred is not None:
        cred.failures = 0


def require_permission(s: Session, principal: Principal, action: Perm | str) -> Operator | None:
    """Operator tokens are checked against the matrix; terminal tokens (a kiosk, a relay) act for the terminal,
    whose cases carry the operator checked on the terminal. Raises 403."""
    if principal.kind != "operator":
        return None
    op = s.get(Operator, principal.subject)
    if op is None or op.status != "active" or not allowed(op.roles or [], action):
        raise ApiError(403, "forbidden", "没有权限执行此操作", f"operator {principal.subject} lacks {Perm(action).value}")
    return op


# --- routes -------------------------------------------------------------------------------------------------------

class PolicyOut(BaseModel):
    max_failures: int
    lock_minutes: int
    idle_lock_minutes: float
    offline_window_days: float
    totp_required: bool
    totp_offline_allowed: bool
    password_min_length: int
    password_max_age_days: int


class PolicyIn(BaseModel):
    max_failures: int = Field(default=5, ge=1, le=20)
    lock_minutes: int = Field(default=15, ge=1, le=1440)
    idle_lock_minutes: float = Field(default=10.0, ge=0, le=240)
    offline_window_days: float = Field(default=7.0, ge=0, le=90)
    totp_required: bool = False
    totp_offline_allowed: bool = False
    password_min_length: int = Field(default=8, ge=8, le=64)
    password_max_age_days: int = Field(default=90, ge=0, le=3650)


class AuthPolicyReply(BaseModel):
    agency_code: str
    policy: PolicyOut
    password_expires_at: str | None = None
    totp_enrolled: bool = False


class PasswordChange(BaseModel):
    operator_id: str = Field(min_length=1, max_length=64)
    old_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)
    terminal_id: str = Field(min_length=1, max_length=64)
    otp: str | None = Field(default=None, max_length=16)


class PasswordChanged(BaseModel):
    changed_at: str
    password_expires_at: str | None = None


class TotpEnrolled(BaseModel):
    operator_id: str
    secret: str = Field(description="base32; shown once, for the operator's authenticator app")
    provisioning_uri: str = Field(description="otpauth:// URI (QR code)")


_E403 = {403: _err("没有权限 (forbidden)")}


def _require_admin(s: Session, p: Principal, agency_code: str | None = None) -> Operator:
    op = require_permission(s, p, Perm.admin)
    if op is None:
        raise ApiError(403, "forbidden", "没有权限执行此操作", "a terminal token cannot administer operators")
    if agency_code is not None and op.agency_code != agency_code:
        raise ApiError(403, "forbidden", "只能管理本机构的设置", f"admin of {op.agency_code} on {agency_code}")
    return op


@router.get("/auth/policy", response_model=AuthPolicyReply, responses=_E401)
def get_policy(request: Request, p: Authenticated) -> dict[str, Any]:
    """The authentication policy of the caller's agency (and, for an operator, the password's expiry)."""
    with _sessions(request)() as s:
        op = s.get(Operator, p.subject) if p.kind == "operator" else None
        if op is not None:
            agency = op.agency_code
        else:
            terminal = s.get(Terminal, p.terminal_id or p.subject)
            agency = terminal.agency_code if terminal else ""
        policy = policy_of(s, agency)
        expires = password_expires_at(s, op, policy) if op is not None else None
        cred = s.get(OperatorCredential, op.operator_id) if op is not None else None
        return {"agency_code": agency, "policy": policy.to_dict(),
                "password_expires_at": iso(expires) if expires else None,
                "totp_enrolled": bool(cred and cred.totp_secret)}


@router.put("/auth/policies/{agency_code}", response_model=PolicyOut, responses={**_E401, **_E403})
def put_policy(agency_code: str, body: PolicyIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Set the agency's authentication policy (管理员 of that agency)."""
    with _sessions(request)() as s:
        admin = _require_admin(s, p, agency_code)
        policy = AuthPolicy.from_dict(body.model_dump())
        set_policy(s, agency_code, policy)
        s.commit()
        log.info("auth policy of %s set by %s", agency_code, admin.operator_id)
        return policy.to_dict()


@router.post("/operators/{operator_id}/totp", response_model=TotpEnrolled, status_code=201,
             responses={**_E401, **_E403, 404: _err("未找到该工号 (operator_not_found)")})
def post_totp(operator_id: str, request: Request, p: Authenticated) -> dict[str, Any]:
    """Enrol (or re-enrol) an operator's TOTP secret (管理员 of the operator's agency); shown once."""
    with _sessions(request)() as s:
        target = s.get(Operator, operator_id)
        if target is None:
            raise ApiError(404, "operator_not_found", "未找到该工号", f"no operator {operator_id}")
        _require_admin(s, p, target.agency_code)
        secret, uri = enrol_totp(s, operator_id)
        s.commit()
        log.info("TOTP enrolled for %s", operator_id)
        return {"operator_id": operator_id, "secret": secret, "provisioning_uri": uri}


@router.post("/auth/password", response_model=PasswordChanged,
             responses={401: _err("原密码或动态口令错误 (invalid_credentials, otp_required, otp_invalid)"),
                        403: _err("账号已锁定或停用 (operator_locked, operator_disabled)"),
                        422: _err("新密码不符合要求 (weak_password, validation_error)")})
def change_password(body: PasswordChange, request: Request) -> dict[str, Any]:
    """Change one's password with the old one (no token needed: an expired password cannot log in)."""
    with _sessions(request)() as s:
        op = s.get(Operator, body.operator_id)
        if not verify_password(op.password_hash if op else None, body.old_password):
            count_password_failure(s, body.operator_id)
            raise ApiError(401, "invalid_credentials", "账号或原密码错误", "operator id or old password does not match")
        if op.status != "active":
            raise ApiError(403, "operator_disabled", "该账号已被锁定或停用，请联系管理员", f"operator status is {op.status}")
        locked = _locked(s.get(OperatorCredential, op.operator_id))
        if locked is not None:
            raise locked
        policy = policy_of(s, op.agency_code)
        _second_factor(s, op, body.otp, policy)
        try:
            check_new_password(policy, body.new_password, body.old_password)
        except ValidationFailed as exc:
            s.commit()
            raise ApiError(422, "weak_password", exc.user_message, exc.detail) from None
        now = utcnow()
        op.password_hash = hash_password(body.new_password)
        cred = _credential(s, op.operator_id)
        cred.password_changed_at, cred.must_change, cred.failures = now, False, 0
        revoke_tokens(s, "operator", op.operator_id)  # sessions opened with the old password end
        s.commit()
        log.info("password changed for %s at %s", op.operator_id, body.terminal_id)
        expires = password_expires_at(s, op, policy)
        return {"changed_at": iso(now), "password_expires_at": iso(expires) if expires else None}
