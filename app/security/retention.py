"""Retention (issue 11 point 5): local copies of cases and their scans are purged once the centre holds them — every
outbox message of the case delivered (`state='sent'`), the centre's verdict `accepted` or the case finished here
(办结 / 不予受理 / 终止 / 撤回) with nothing the clerk still has to answer — and a configured grace period has passed
since the last delivery or verdict. Unsynced work is never touched: one unsent, failed or conflicting message, or a
verdict waiting for the clerk (退回 / 补正), keeps the whole case.

What goes: the case row and its events, scans (overwritten, then removed), the archive package and receipt files of
the case, ratings, and the personal data inside its outbox messages (bodies reduced to a stub; the rows stay, so the
outbox counters and the relay's bookkeeping are unchanged). What stays: the audit log. Its records carry no personal
data (ids, actions); they are kept at least `audit_keep_days` (≥ 180, 网络安全法 第21条) and this job never deletes
any (the hash chain stays verifiable from its start); each purge adds a `retention.purge` record.

Run by the client every `[retention] interval_minutes`, or `yichuang purge [--dry-run]` (JSON on stdout)."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from app.clock import as_utc, utcnow
from app.security.audit import append_audit
from app.store import Store
from app.store.models import ArchivePackage, Attachment, Case, CaseEvent, OutboxMessage, Rating

log = logging.getLogger(__name__)

FINISHED_HERE = ("completed", "refused", "terminated", "withdrawn")  # app.workflow.machine.FINAL
CONFIRMED_REMOTE = ("accepted", "completed")
WAITING = ("pending", "inflight", "failed", "conflict")  # app.sync.outbox.UNSENT
NEEDS_CLERK = ("rejected", "needs_correction", "resubmit")  # app.sync.outbox.REMOTE_NEEDS_CLERK
PURGED_BODY = {"purged": True}


@dataclass
class PurgeReport:
    dry_run: bool
    grace_days: float
    cases: list[str] = field(default_factory=list)  # case ids (not personal data)
    kept_unsynced: int = 0
    kept_in_grace: int = 0
    files_wiped: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _eligible(case: Case, messages: list[OutboxMessage], cutoff: datetime) -> str:
    """'purge', 'unsynced' or 'grace' for one case."""
    if not messages or any(m.state in WAITING for m in messages):
        return "unsynced"
    live = [m for m in messages if m.state == "sent"]
    if not live:
        return "unsynced"
    submissions = [m for m in live if m.kind in ("case.submit", "case.resubmit")]
    if not submissions:
        return "unsynced"
    head = max(submissions, key=lambda m: m.seq)
    if head.remote_status in NEEDS_CLERK or case.sync_state != "synced":
        return "unsynced"
    if head.remote_status not in CONFIRMED_REMOTE and case.status not in FINISHED_HERE:
        return "unsynced"
    stamps = [as_utc(m.sent_at) for m in live if m.sent_at] + [as_utc(m.remote_at) for m in live if m.remote_at]
    if not stamps or max(stamps) > cutoff:
        return "grace"
    return "purge"


def purge(store: Store, *, grace_days: float, attachments=None, terminal_id: str = "", dry_run: bool = False,
          now: datetime | None = None) -> PurgeReport:
    """Purge every case that qualifies (see the module's docstring). `attachments` is the AttachmentStore whose
    files are wiped. One transaction per case: a crash leaves each case whole or gone (files are wiped after the
    commit; a leftover folder of a case no row names is wiped at the next run)."""
    now = now or utcnow()
    cutoff = now - timedelta(days=grace_days)
    report = PurgeReport(dry_run=dry_run, grace_days=grace_days)
    with store.session() as s:
        candidates = list(s.scalars(select(Case.case_id)))
    for case_id in candidates:
        with store.session() as s:
            s.connection().exec_driver_sql("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left behind
            case = s.get(Case, case_id)
            if case is None:
                continue
            messages = list(s.scalars(select(OutboxMessage).where(OutboxMessage.aggregate_id == case_id)))
            verdict = _eligible(case, messages, cutoff)
            if verdict == "unsynced":
                report.kept_unsynced += 1
                continue
            if verdict == "grace":
                report.kept_in_grace += 1
                continue
            report.cases.append(case_id)
            if dry_run:
                continue
            package = s.get(ArchivePackage, case_id)
            files = [Path(package.path)] if package is not None and package.path else []
            if case.document_path:
                files.append(Path(case.document_path))
            n_scans = len(list(s.scalars(select(Attachment.attachment_id).where(Attachment.case_id == case_id))))
            for m in messages:
                m.body, m.response, m.remote_reason = dict(PURGED_BODY), None, None
            s.execute(delete(Attachment).where(Attachment.case_id == case_id))
            s.execute(delete(CaseEvent).where(CaseEvent.case_id == case_id))
            s.execute(delete(Rating).where(Rating.case_id == case_id))
            s.execute(delete(ArchivePackage).where(ArchivePackage.case_id == case_id))
            s.delete(case)
            append_audit(s, at=now, operator_id="system", terminal_id=terminal_id or case.terminal_id,
                         action="retention.purge", object_type="case", object_id=case_id,
                         detail={"scans": n_scans, "files": len(files), "grace_days": grace_days})
        if attachments is not None:
            report.files_wiped += attachments.wipe_case_files(case_id)
        for path in files:
            report.files_wiped += _wipe(path)
    if not dry_run and report.cases:
        with store.engine.connect() as conn:  # the WAL would otherwise still hold the deleted pages
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("retention purge", extra={"cases": len(report.cases), "files": report.files_wiped})
    return report


def _wipe(path: Path) -> int:
    from app.security.at_rest import wipe_file

    try:
        return int(wipe_file(path))
    except OSError as exc:
        log.warning("retention: could not wipe a file: %s", type(exc).__name__)
        return 0


def purge_runtime(runtime, *, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """The purge of a running client (its store open)."""
    return purge(runtime.store, grace_days=runtime.settings.retention.grace_days, attachments=runtime.attachments,
                 terminal_id=runtime.settings.terminal.terminal_id, dry_run=dry_run, now=now)


# --- `yichuang purge` ---------------------------------------------------------------------------------------------------

def register(sub) -> None:
    from app.security.cli_unlock import add_operator_argument

    p = sub.add_parser("purge", help="清除中心已确认且超过保留期的本机业务副本和扫描件（--dry-run 只列出）")
    p.add_argument("--dry-run", action="store_true", help="只列出将被清除的业务，不做任何改动")
    add_operator_argument(p)
    p.set_defaults(func=cmd_purge)


def cmd_purge(args) -> int:
    """On an encrypted terminal the operator unlocks the store as at the login window (app.security.cli_unlock)."""
    from app.security.cli_unlock import run_with_runtime

    def body(runtime) -> int:
        report = purge_runtime(runtime, dry_run=args.dry_run)
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0

    return run_with_runtime(args.operator, body)
