"""Look-ups of cases on this terminal's store by what a person brings to a self-service terminal — a 受理编号 as typed
or scanned, their 社会保障号码 — and the last step a case went through. Qt-free, read-only; the kiosk's progress page
(ui.kiosk.services) calls these instead of writing SQL itself."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from app.store import Store
from app.store.models import Case, CaseEvent

SCAN_LIMIT = 20_000  # most recent cases compared when the typed number is only a part of a 受理编号


def normalize_case_no(raw: str) -> str:
    """A 受理编号 without hyphens, spaces or case: "150102-t07-20260301-0007" → "150102T07202603010007"."""
    return re.sub(r"[^0-9A-Z]", "", (raw or "").upper())


def find_case_id(store: Store, raw: str) -> str | None:
    """The case id of a 受理编号 as typed or scanned: hyphens and case ignored; the date and sequence alone (e.g.
    "20260301-0007") are enough when only one case on this terminal matches. None when none or several match."""
    wanted = normalize_case_no(raw)
    if len(wanted) < 8:
        return None
    with store.session() as s:
        rows = list(s.scalars(select(Case.case_id).where(Case.case_no == raw.strip().upper())))
        if not rows:
            candidates = s.execute(select(Case.case_id, Case.case_no).order_by(Case.created_at.desc())
                                   .limit(SCAN_LIMIT)).all()
            exact = [cid for cid, no in candidates if normalize_case_no(no) == wanted]
            rows = exact or [cid for cid, no in candidates if normalize_case_no(no).endswith(wanted)]
    return rows[0] if len(rows) == 1 else None


def person_case_ids(store: Store, ssn: str, limit: int = 6) -> list[str]:
    """The person's most recent cases on this terminal, newest first."""
    with store.session() as s:
        return list(s.scalars(select(Case.case_id).where(Case.applicant_ssn == ssn)
                              .order_by(Case.created_at.desc()).limit(limit)))


def last_event(store: Store, case_id: str) -> tuple[str, datetime | None] | None:
    """(event kind, when) of the case's latest event, or None when it has none."""
    with store.session() as s:
        row = s.execute(select(CaseEvent.kind, CaseEvent.at).where(CaseEvent.case_id == case_id)
                        .order_by(CaseEvent.seq.desc()).limit(1)).first()
    return (row[0], row[1]) if row is not None else None
