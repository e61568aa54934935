"""Time: instants are aware UTC datetimes, shown in Asia/Shanghai; SQLite hands back naive UTC, `as_utc` fixes that."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def to_local(dt: datetime) -> datetime:
    return as_utc(dt).astimezone(LOCAL_TZ)


def format_local(dt: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(dt).strftime(fmt)
