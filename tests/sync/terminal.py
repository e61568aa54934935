"""A client terminal for sync tests without Qt or devices: its own data dir, store, case service, scans, persons
and a relay tuned for tests (short backoffs, short timeouts)."""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select

from app.cases.attachments import AttachmentStore
from app.cases.service import Actor, CaseService
from app.catalog import Catalog, load_catalog
from app.config import SyncConfig, TerminalConfig
from app.ids import make_id_number
from app.store import Store, open_store
from app.store.models import Attachment, Case, CaseEvent, OutboxMessage
from app.sync.client import CentralApi
from app.sync.persons import PersonEditor
from app.sync.relay import OutboxRelay

ITEM = "resident_pension_enrolment"
MATERIALS = {"id_document": True, "hukou_book": True, "enrolment_form": True}
_serial = itertools.count(1)


@functools.lru_cache(maxsize=1)
def catalog(cache_dir: str | None = None) -> Catalog:
    return load_catalog(cache_dir=Path(cache_dir) if cache_dir else None)


def fast_sync(**over) -> SyncConfig:
    base = dict(retry_base_seconds=0.02, retry_cap_seconds=0.3, submit_settle_seconds=0, batch_size=50,
                status_interval_seconds=0, refdata_interval_seconds=0, chunk_bytes=4096)
    base.update(over)
    return SyncConfig(**base)


def unique_ssn(n: int | None = None) -> str:
    k = next(_serial) if n is None else n
    return make_id_number("150102", date(1965, 1, 1) + timedelta(days=k % 9000), (k // 9000) % 100, k % 2 == 0)


@dataclass
class Terminal:
    terminal_id: str
    data_dir: Path
    store: Store
    cases: CaseService
    attachments: AttachmentStore
    relay: OutboxRelay
    persons: PersonEditor
    actor: Actor

    def new_case(self, ssn: str | None = None):
        form = {"ssn": ssn or unique_ssn(), "name": "乌兰", "phone": "13904711234", "nation": "蒙古族",
                "enrolment_date": "2026-11-25"}
        return self.cases.accept(ITEM, form, MATERIALS, self.actor)

    def case_ids(self) -> set[str]:
        with self.store.session() as s:
            return set(s.scalars(select(Case.case_id)))

    def unsent(self) -> dict[str, int]:
        with self.store.session() as s:
            return dict(s.execute(select(OutboxMessage.state, func.count()).where(OutboxMessage.state.not_in(("sent", "superseded")))
                                  .group_by(OutboxMessage.state)).all())

    def close(self) -> None:
        self.relay.stop()
        self.relay.api.close()
        self.store.close()


def make_terminal(root: Path, url: str, terminal_id: str = "T01", *, timeout: float = 2.0, operator_id: str = "demo",
                  mode: str = "counter", store: Store | None = None, **sync_over) -> Terminal:
    data = root / terminal_id
    store = store or open_store(data)
    cat = catalog()
    cases = CaseService(store, cat)
    attachments = AttachmentStore(store, data / "attachments")
    term = TerminalConfig(terminal_id=terminal_id, mode=mode)
    api = CentralApi(url, timeout)
    relay = OutboxRelay(store, api, term, probe_interval=0.05, sync=fast_sync(**sync_over),
                        attachments_dir=data / "attachments")
    actor = Actor(operator_id, "演示柜员", "受理员", terminal_id, "150102")
    return Terminal(terminal_id, data, store, cases, attachments, relay, PersonEditor(store, api), actor)


def server_view(db_url: str, terminal_id: str) -> dict:
    """What the central database holds for one terminal."""
    from server import models as sm

    engine = create_engine(db_url)
    try:
        with engine.connect() as c:
            cases = c.execute(select(sm.Case.case_id, sm.Case.case_no).where(sm.Case.terminal_id == terminal_id)).all()
            ids = [r.case_id for r in cases]
            events = dict(c.execute(select(sm.Case.case_id, func.count(sm.CaseEvent.event_id))
                                    .join(sm.CaseEvent, sm.CaseEvent.case_pk == sm.Case.id)
                                    .where(sm.Case.terminal_id == terminal_id).group_by(sm.Case.case_id)).all())
            keys = dict(c.execute(select(sm.IdempotencyKey.response_status, func.count())
                                  .where(sm.IdempotencyKey.case_id.in_(ids)).group_by(sm.IdempotencyKey.response_status))
                        .all()) if ids else {}
            uploads = dict(c.execute(select(sm.AttachmentUpload.attachment_id, sm.AttachmentUpload.sha256)
                                     .where(sm.AttachmentUpload.state == "complete",
                                            sm.AttachmentUpload.case_id.in_(ids))).all()) if ids else {}
            ratings = set(c.scalars(select(sm.CaseRating.case_id).where(sm.CaseRating.case_id.in_(ids)))) if ids else set()
        return {"case_ids": ids, "case_nos": [r.case_no for r in cases], "events": events, "keys": keys,
                "uploads": uploads, "ratings": ratings}
    finally:
        engine.dispose()


def assert_converged(t: Terminal, db_url: str) -> dict:
    """Server records = client cases: no duplicates, no losses, everything delivered, scans verified."""
    srv = server_view(db_url, t.terminal_id)
    local = t.case_ids()
    assert len(srv["case_ids"]) == len(set(srv["case_ids"])), "duplicate cases on the server"
    assert len(srv["case_nos"]) == len(set(srv["case_nos"])), "duplicate case numbers on the server"
    assert set(srv["case_ids"]) == local, (f"lost: {len(local - set(srv['case_ids']))}, "
                                           f"unknown on server: {len(set(srv['case_ids']) - local)}")
    assert t.unsent() == {}, f"not delivered: {t.unsent()}"
    with t.store.session() as s:
        local_events = dict(s.execute(select(CaseEvent.case_id, func.count()).group_by(CaseEvent.case_id)).all())
        scans = dict(s.execute(select(Attachment.attachment_id, Attachment.sha256)).all())
        submits = s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "case.submit",
                                                                                 OutboxMessage.state == "sent"))
    assert srv["events"] == {k: v for k, v in local_events.items() if k in local}
    assert srv["uploads"] == scans, "scans missing or differing on the server"
    # every case arrived under its first key: a second key (200 "already held") would mean a blind re-send
    assert srv["keys"].get(200, 0) == 0 and srv["keys"].get(201, 0) == submits
    return srv
