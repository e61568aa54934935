"""Credentials: Argon2id password hashes, opaque bearer tokens stored only as their SHA-256, and the server's own
secret key sealing secrets at rest (AES-GCM; operators' TOTP seeds)."""
from __future__ import annotations

import base64 as _base64
import hashlib
import os as _os
import secrets
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path as _Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.db import utcnow
from server.models import EnrolmentCode, Token

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# verified against when the operator does not exist, so both failures take the same time
_DUMMY_HASH = _hasher.hash("yichuang-no-such-operator")

OPERATOR_TOKEN_TTL = timedelta(hours=12)
TERMINAL_TOKEN_TTL = timedelta(days=365)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who a bearer token speaks for."""

    kind: str  # operator | terminal
    subject: str
    terminal_id: str | None


def issue_token(
    session: Session, kind: str, subject: str, ttl: timedelta, terminal_id: str | None = None
) -> tuple[str, datetime]:
    """Mint a random token, store its hash, return the token (shown once) and its expiry."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + ttl
    session.add(
        Token(
            token_hash=sha256_hex(token),
            kind=kind,
            subject=subject,
            terminal_id=terminal_id,
            issued_at=now,
            expires_at=expires_at,
        )
    )
    return token, expires_at


def revoke_tokens(session: Session, kind: str, subject: str) -> None:
    session.execute(delete(Token).where(Token.kind == kind, Token.subject == subject))


def purge_expired_tokens(session: Session, kind: str, subject: str) -> None:
    session.execute(
        delete(Token).where(Token.kind == kind, Token.subject == subject, Token.expires_at <= utcnow())
    )


def resolve_token(session: Session, token: str) -> Principal | None:
    row = session.scalar(select(Token).where(Token.token_hash == sha256_hex(token)))
    if row is None or row.expires_at <= utcnow():
        return None
    return Principal(kind=row.kind, subject=row.subject, terminal_id=row.terminal_id)


def add_enrolment_code(
    session: Session, code: str, *, agency_code: str | None = None, expires_at: datetime | None = None
) -> None:
    """Store an enrolment code (hashed) unless it is already there."""
    code_hash = sha256_hex(code.strip())
    if session.get(EnrolmentCode, code_hash) is None:
        session.add(EnrolmentCode(code_hash=code_hash, agency_code=agency_code, expires_at=expires_at))


# --- the server's own secret key (issue 11: secrets at rest, e.g. operators' TOTP seeds) ---------------------------
# AES-256-GCM under a key that never lives in the database: from $YICHUANG_SERVER_KEY (base64, 32 bytes; what a
# provincial deployment sets from its secret store), else a file `yichuang-server.key` (mode 0600, created once) in
# $YICHUANG_SERVER_DATA_DIR, else beside the SQLite database file, else in the working directory. An in-memory SQLite
# database (tests) gets a key for the life of its engine. A copied database alone reveals no sealed secret.

ENV_SERVER_KEY = "YICHUANG_SERVER_KEY"
ENV_SERVER_DATA_DIR = "YICHUANG_SERVER_DATA_DIR"
SERVER_KEY_FILE = "yichuang-server.key"
SEALED_PREFIX = "v1:"
_engine_keys: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_KEY_DIRS: dict[str, _Path] = {}  # database URL → key dir, set by whoever made the database (server.pgtest)


def set_key_dir(database_url: str, directory: _Path) -> None:
    """Keep the key of this database in `directory` (a throwaway test cluster's own temp dir: the key goes with it)."""
    _KEY_DIRS[str(database_url)] = _Path(directory)


def server_key_file(database_url: str) -> _Path | None:
    """Where the key file lives for this database (None: an in-memory database, whose key dies with it)."""
    from sqlalchemy.engine import make_url

    if _os.environ.get(ENV_SERVER_DATA_DIR):
        return _Path(_os.environ[ENV_SERVER_DATA_DIR]) / SERVER_KEY_FILE
    url = make_url(str(database_url))
    for known, directory in _KEY_DIRS.items():
        if make_url(known).render_as_string(hide_password=False) == url.render_as_string(hide_password=False):
            return directory / SERVER_KEY_FILE
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory"):
            return None
        return _Path(url.database).expanduser().resolve().parent / SERVER_KEY_FILE
    return _Path.cwd() / SERVER_KEY_FILE


def load_or_create_server_key(database_url: str) -> bytes:
    env = _os.environ.get(ENV_SERVER_KEY)
    if env:
        key = _base64.b64decode(env.strip())
        if len(key) != 32:
            raise RuntimeError(f"${ENV_SERVER_KEY} must be 32 bytes in base64")
        return key
    path = server_key_file(database_url)
    if path is None:
        return _os.urandom(32)
    try:
        key = _base64.b64decode(path.read_text(encoding="ascii").strip())
        if len(key) == 32:
            return key
        raise RuntimeError(f"server key file {path} is damaged")
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = _os.urandom(32)
    tmp = path.with_name(path.name + f".{_os.getpid()}.tmp")
    fd = _os.open(tmp, _os.O_WRONLY | _os.O_CREAT | _os.O_EXCL, 0o600)
    with _os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(_base64.b64encode(key).decode("ascii") + "\n")
        fh.flush()
        _os.fsync(fh.fileno())
    try:
        _os.link(tmp, path)  # never replaces a key another worker wrote first
    except FileExistsError:
        tmp.unlink()
        return load_or_create_server_key(database_url)
    tmp.unlink()
    return key


def server_key(session_or_engine) -> bytes:
    """The key of the database this session (or engine) works on, loaded once per engine."""
    engine = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    key = _engine_keys.get(engine)
    if key is None:
        key = _engine_keys[engine] = load_or_create_server_key(str(engine.url.render_as_string(hide_password=False)))
    return key


def seal_secret(key: bytes, plaintext: str, aad: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = _os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), aad.encode("utf-8"))
    return SEALED_PREFIX + _base64.b64encode(nonce + ct).decode("ascii")


def is_sealed_secret(value: str | None) -> bool:
    return bool(value) and value.startswith(SEALED_PREFIX)


def open_secret(key: bytes, sealed: str, aad: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = _base64.b64decode(sealed[len(SEALED_PREFIX):])
    return AESGCM(key).decrypt(raw[:12], raw[12:], aad.encode("utf-8")).decode("utf-8")


# --- least privilege on the central API (issue 11; resources/security/permissions.yaml, one matrix for all) ---------
# Who acts: an operator token → that operator. A terminal token (the relay of a counter, a kiosk, a field laptop)
# acts for the operator its signed request names (the case's / update's operator_id, checked at login on the
# terminal), whose roles the centre looks up itself: an unknown or disabled operator is refused. A kiosk names its
# own pseudo-operator `kiosk-<terminal id>` (role 自助终端). A terminal request naming nobody (scan uploads, reads of
# the relay) acts with the role of the terminal's registered mode.

TERMINAL_MODE_ROLES = {"counter": "受理员", "kiosk": "自助终端", "field": "外勤人员"}


def acting_roles(session: Session, principal: Principal, operator_id: str | None = None) -> tuple[str, list[str]]:
    """(who acts, their roles) for a request; raises the 403 ApiError for an unknown or disabled operator."""
    from server.api import ApiError
    from server.models import Operator, Terminal

    if principal.kind == "operator":
        op = session.get(Operator, principal.subject)
        if op is None or op.status != "active":
            raise ApiError(403, "operator_disabled", "该账号已被锁定或停用，请联系管理员", "operator token of an inactive operator")
        return op.operator_id, list(op.roles or [])
    terminal_id = principal.terminal_id or principal.subject
    terminal = session.get(Terminal, terminal_id)
    if operator_id:
        op = session.get(Operator, operator_id)
        if op is not None:
            if op.status != "active":
                raise ApiError(403, "operator_disabled", "经办人账号已被锁定或停用，中心不予接收",
                               "request names an inactive operator")
            return op.operator_id, list(op.roles or [])
        if terminal is not None and terminal.mode == "kiosk" and operator_id == f"kiosk-{terminal_id}":
            return operator_id, [TERMINAL_MODE_ROLES["kiosk"]]
        raise ApiError(403, "operator_unknown", "经办人工号不在中心系统中，不予接收，请联系管理员",
                       "request names an operator unknown to the central API")
    role = TERMINAL_MODE_ROLES.get(terminal.mode) if terminal is not None else None
    return terminal_id, [role] if role else []


def authorize(session: Session, principal: Principal, action, *, operator_id: str | None = None,
              item_code: str | None = None) -> str:
    """The matrix's verdict for this request: returns who acts, or raises 403 with the Chinese message naming the
    action and the roles that may do it (app.security.permissions)."""
    from app.security.permissions import PermissionDenied, default_matrix
    from server.api import ApiError

    who, roles = acting_roles(session, principal, operator_id)
    try:
        default_matrix().require(roles, action, item=item_code)
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", exc.user_message, f"{principal.kind}: {exc.detail}") from None
    return who


# A case event's step → the matrix action its operator must hold (POST /cases/{id}/events, issue 11): a verdict is
# its stage's action; a step taken by a back-office role (a return, a completion after approval) is that role's
# stage action; the front office's steps (受理, 补正, 提交, 撤回, 办结 at the counter …) are 受理.
_VERDICT_PERMISSIONS = {"approve_review": "review", "approve_recheck": "recheck", "approve_final": "approve"}
_STAGE_ROLE_PERMISSIONS = {"审核员": "review", "复核员": "recheck", "审批人": "approve"}


def event_permission(kind: str, role: str | None) -> str:
    return _VERDICT_PERMISSIONS.get(kind) or _STAGE_ROLE_PERMISSIONS.get(role or "", "accept")
