"""Credentials: Argon2id password hashes, and opaque bearer tokens stored only as their SHA-256."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

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
