"""Reference data down-sync: the catalog version, parameters and the holiday calendar the centre publishes, and
for a field terminal the persons assigned to its operator — a delta after the cursor the terminal holds, applied
with the cursor in one transaction (a document is only replaced by a newer version)."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import select

from app.calendar.working_days import WorkCalendar
from app.clock import utcnow
from app.store import Store
from app.store.models import LocalSetting, RefDocument, SyncPerson
from app.sync.persons import store_person

log = logging.getLogger(__name__)


def _cursor_key(operator_id: str | None) -> str:
    return f"sync.refdata_cursor:{operator_id or '-'}"


def pull_refdata(store: Store, api, *, operator_id: str | None = None, limit: int = 500) -> int:
    """Fetch and apply all changes after the saved cursor. Returns the number of items applied."""
    applied = 0
    key = _cursor_key(operator_id)
    while True:
        with store.session() as s:
            row = s.get(LocalSetting, key)
            cursor = int(row.value) if row else 0
        delta = api.refdata_delta(cursor, operator_id, limit)
        items = delta.get("items") or []
        with store.session() as s:
            for item in items:
                applied += _apply(s, item, operator_id)
            s.merge(LocalSetting(key=key, value=str(int(delta.get("cursor") or cursor))))
        if not delta.get("more") or not items:
            if applied:
                log.info("reference data: %d items updated", applied)
            return applied


def _apply(s, item: dict, operator_id: str | None) -> int:
    kind, key, version = item["kind"], item["key"], int(item.get("version") or 0)
    if kind == "person":
        row = s.get(SyncPerson, key)
        if item.get("deleted"):
            if row is not None and row.assigned_to == operator_id:
                if row.pending_edit:
                    row.assigned_to = None  # keep it until its edit is delivered
                else:
                    s.delete(row)
                return 1
            return 0
        store_person(s, key, version, item.get("data") or {}, assigned_to=operator_id)
        return 1
    doc = s.get(RefDocument, (kind, key))
    if doc is not None and doc.version >= version:
        return 0
    if doc is None:
        s.add(RefDocument(kind=kind, key=key, version=version, data=item.get("data") or {}, updated_at=utcnow()))
    else:
        doc.version, doc.data, doc.updated_at = version, item.get("data") or {}, utcnow()
    return 1


def documents(store: Store, kind: str) -> dict[str, tuple[int, dict]]:
    with store.session() as s:
        return {d.key: (d.version, dict(d.data or {})) for d in s.scalars(select(RefDocument)
                                                                          .where(RefDocument.kind == kind))}


def central_catalog_version(store: Store) -> str | None:
    doc = documents(store, "catalog").get("current")
    return doc[1].get("catalog_version") if doc else None


def central_calendar(store: Store) -> WorkCalendar | None:
    """The holiday calendar as last pulled from the centre (None before the first pull)."""
    docs = documents(store, "calendar")
    if not docs:
        return None
    holidays: set[date] = set()
    workdays: set[date] = set()
    years: set[int] = set()
    for _version, doc in docs.values():
        years.add(int(doc["year"]))
        for h in doc.get("holidays", []):
            d, end = date.fromisoformat(h["from"]), date.fromisoformat(h["to"])
            while d <= end:
                holidays.add(d)
                d += timedelta(days=1)
        workdays.update(date.fromisoformat(x) for x in doc.get("workdays", []))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years))
