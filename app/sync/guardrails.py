"""Offline guardrails, as the strongest registration clients have them: work piles up on a terminal that cannot
reach the centre, so new capture is refused once unsent items are older than N days or more than M (configurable,
`[sync]` in the terminal configuration), with a warning well before that. Unsent = pending, in flight, failed or in
conflict: a failed item is not delivered either, and the clerk must deal with it."""
from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from app.clock import as_utc, utcnow
from app.config import SyncConfig
from app.errors import ValidationFailed
from app.store import Store

log = logging.getLogger(__name__)

_limits: "weakref.WeakKeyDictionary[Store, SyncConfig]" = weakref.WeakKeyDictionary()
# O(1) however long the queue: the trigger-kept counters (schema 0005), and the oldest unsent message found as the
# first entry of each state's range of ix_outbox_state_seq
_UNSENT_SQL = text(
    "SELECT (SELECT coalesce(sum(n), 0) FROM outbox_counts WHERE key IN ('pending', 'inflight', 'failed', 'conflict')),"
    " (SELECT created_at FROM outbox WHERE seq = (SELECT min(s) FROM ("
    "   SELECT (SELECT min(seq) FROM outbox WHERE state = 'pending') AS s"
    "   UNION ALL SELECT (SELECT min(seq) FROM outbox WHERE state = 'inflight')"
    "   UNION ALL SELECT (SELECT min(seq) FROM outbox WHERE state = 'failed')"
    "   UNION ALL SELECT (SELECT min(seq) FROM outbox WHERE state = 'conflict'))))")


@dataclass(frozen=True)
class CaptureCheck:
    level: str  # ok / warn / block
    unsent: int
    oldest: datetime | None
    message: str = ""

    @property
    def oldest_days(self) -> float:
        return (utcnow() - self.oldest).total_seconds() / 86400 if self.oldest else 0.0


def configure(store: Store, limits: SyncConfig) -> None:
    """Thresholds for this store (the relay calls it with the terminal's `[sync]` section)."""
    _limits[store] = limits


def limits_for(store: Store) -> SyncConfig:
    return _limits.get(store) or SyncConfig()


def _parse(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    return as_utc(datetime.fromisoformat(str(value)))


def capture_check(store: Store, now: datetime | None = None) -> CaptureCheck:
    """Counters and four index look-ups: well under a millisecond for any number of unsent items."""
    cfg = limits_for(store)
    with store.engine.connect() as conn:
        count, oldest_raw = conn.execute(_UNSENT_SQL).one()
    oldest = _parse(oldest_raw)
    now = now or utcnow()
    days = (now - oldest).total_seconds() / 86400 if oldest else 0.0
    if count >= cfg.block_after_items:
        return CaptureCheck("block", count, oldest, f"本机有 {count} 条业务未上传（上限 {cfg.block_after_items} 条），"
                            "已暂停新受理。请联网同步或在“待上传”中处理失败项后继续。")
    if oldest and days >= cfg.block_after_days:
        return CaptureCheck("block", count, oldest, f"本机有业务超过 {cfg.block_after_days:g} 天未上传，已暂停新受理。"
                            "请尽快联网同步或在“待上传”中处理失败项。")
    if count >= cfg.warn_after_items or (oldest and days >= cfg.warn_after_days):
        return CaptureCheck("warn", count, oldest, f"本机有 {count} 条业务未上传，最早的已等待 {days:.1f} 天，请尽快联网同步。")
    return CaptureCheck("ok", count, oldest)


def enforce_capture_guardrails(store: Store, now: datetime | None = None) -> CaptureCheck:
    """Called by CaseService.intake before anything is written: refuse new capture past the limits (nothing is
    saved, the message says why and what to do); return the check so a screen can show a warning."""
    check = capture_check(store, now)
    if check.level == "block":
        log.warning("new capture refused by offline guardrail: %d unsent, oldest %s", check.unsent, check.oldest)
        raise ValidationFailed(check.message, f"guardrail: {check.unsent} unsent, oldest {check.oldest}",
                               field="sync")
    return check
