"""Person data edited on a terminal, with the server's version as the base of every update. No silent
last-write-wins: when another terminal changed the person first, the server refuses the stale update, the message
goes to `conflict` holding the server's version, and the clerk sees both and chooses (mine / theirs / a merge).

Local edits are applied to the local copy at once (one transaction with the outbox message), so the clerk works on
what they typed; consecutive edits not yet sent are folded into one message."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.errors import YichuangError
from app.ids import InvalidIdNumber, parse_id_number
from app.security.audit import append_audit
from app.store import Store
from app.store.models import OutboxMessage, SyncPerson
from app.sync.outbox import CONFLICT, FAILED, INFLIGHT, PENDING, PERSON_UPDATE, SUPERSEDED, new_message

log = logging.getLogger(__name__)

EDITABLE = {"phone": "联系电话", "residence_address": "居住地址", "postcode": "邮政编码"}
FIELD_LABELS = {"name": "姓名", "gender": "性别", "birth_date": "出生日期", "nation": "民族", **EDITABLE,
                "hukou_address": "户籍地址", "region_code": "行政区划", "village": "村（社区）"}


@dataclass(frozen=True)
class PersonView:
    ssn: str
    name: str
    version: int
    data: dict
    pending_edit: bool
    assigned_to: str | None


@dataclass(frozen=True)
class ConflictView:
    """Both versions side by side: what this terminal wanted (on `base_version`) and what the centre holds now."""

    message_id: str
    ssn: str
    base_version: int
    mine: dict  # the changes this terminal made
    base: dict  # the person as this terminal saw it when the clerk edited (local copy, with the changes applied)
    theirs: dict  # the centre's current data
    theirs_version: int

    @property
    def fields(self) -> list[str]:
        """Fields that differ between the two versions (what the clerk has to decide)."""
        keys = set(self.mine) | {k for k in EDITABLE if self.theirs.get(k) != self.base.get(k)}
        return [k for k in FIELD_LABELS if k in keys]


def _view(p: SyncPerson) -> PersonView:
    return PersonView(p.ssn, p.name, p.version, dict(p.data or {}), p.pending_edit, p.assigned_to)


def store_person(s: Session, ssn: str, version: int, data: dict, *, assigned_to: str | None = None,
                 keep_assignment: bool = True) -> SyncPerson:
    """Keep the centre's version of a person (look-up, delta, answer to an update)."""
    row = s.get(SyncPerson, ssn)
    now = utcnow()
    if row is None:
        row = SyncPerson(ssn=ssn, name=data.get("name", ""), data=data, version=version, assigned_to=assigned_to,
                         pending_edit=False, updated_at=now)
        s.add(row)
    elif row.pending_edit:
        pass  # a local edit waits: its outcome (sent or conflict) brings the centre's version
    elif version >= (row.version or 0):
        row.data, row.name, row.version, row.updated_at = data, data.get("name", row.name), version, now
    if assigned_to is not None or not keep_assignment:
        row.assigned_to = assigned_to
    return row


class PersonEditor:
    def __init__(self, store: Store, api=None):
        self.store = store
        self.api = api

    def get(self, ssn: str) -> PersonView | None:
        with self.store.session() as s:
            row = s.get(SyncPerson, ssn)
            return _view(row) if row else None

    def fetch(self, ssn: str) -> PersonView:
        """Look the person up centrally (online) and keep the versioned copy."""
        reply = self.api.versioned_person(ssn)
        with self.store.session() as s:
            return _view(store_person(s, reply["ssn"], reply["version"], reply["data"]))

    def assigned(self, operator_id: str) -> list[PersonView]:
        with self.store.session() as s:
            return [_view(p) for p in s.scalars(select(SyncPerson).where(SyncPerson.assigned_to == operator_id)
                                               .order_by(SyncPerson.name))]

    def edit(self, ssn: str, changes: dict[str, str], *, operator_id: str, terminal_id: str) -> PersonView:
        """Change contact data on the version held here; one transaction: local copy + outbox message + audit."""
        try:
            ssn = parse_id_number(ssn).number
        except InvalidIdNumber as exc:
            raise YichuangError(exc.reason, "bad ssn for person edit") from None
        changes = {k: v.strip() for k, v in changes.items() if k in EDITABLE and v is not None}
        if not changes:
            raise YichuangError("没有可保存的修改。", "no editable changes")
        now = utcnow()
        with self.store.session() as s:
            row = s.get(SyncPerson, ssn)
            if row is None or not row.version:
                raise YichuangError("本机没有该人员的中心版本，请联网查询后再修改。", f"person {ssn[-4:]} unknown locally")
            row.data = {**(row.data or {}), **changes}
            row.pending_edit, row.updated_at = True, now
            s.flush()  # write lock held from here: the relay cannot claim an edit between our look and our change
            open_edit = s.scalars(select(OutboxMessage).where(OutboxMessage.aggregate_id == ssn,
                                                              OutboxMessage.kind == PERSON_UPDATE,
                                                              OutboxMessage.state.in_((PENDING, INFLIGHT)))
                                  .order_by(OutboxMessage.seq.desc()).limit(1)).first()
            if open_edit is not None and open_edit.state == PENDING and open_edit.attempts == 0:
                body = dict(open_edit.body)  # never sent: fold this edit into it
                body["changes"] = {**body["changes"], **changes}
                body["at"] = now.isoformat()
                open_edit.body = body
            else:
                body = {"base_version": row.version, "changes": changes, "operator_id": operator_id,
                        "terminal_id": terminal_id, "at": now.isoformat()}
                depends = None
                if open_edit is not None:  # an edit already on its way: this one is based on its result
                    body["base_version"], body["base_from"] = None, open_edit.message_id
                    depends = open_edit.message_id
                s.add(new_message(aggregate_id=ssn, kind=PERSON_UPDATE, method="PATCH", path=f"/api/v1/persons/{ssn}",
                                  body=body, depends_on=depends, now=now))
            append_audit(s, at=now, operator_id=operator_id, terminal_id=terminal_id, action="person.edit",
                         object_type="person", object_id=ssn, detail={"fields": sorted(changes)})
            return _view(row)

    # -- conflicts ---------------------------------------------------------------------------------------------
    def conflicts(self) -> list[ConflictView]:
        with self.store.session() as s:
            rows = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == PERSON_UPDATE,
                                                         OutboxMessage.state == CONFLICT).order_by(OutboxMessage.seq))
            return [self._conflict_view(s, m) for m in rows]

    def conflict(self, message_id: str) -> ConflictView:
        with self.store.session() as s:
            m = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
            if m is None or m.state != CONFLICT:
                raise YichuangError("该冲突已处理。", f"message {message_id} is not in conflict")
            return self._conflict_view(s, m)

    @staticmethod
    def _conflict_view(s: Session, m: OutboxMessage) -> ConflictView:
        person = s.get(SyncPerson, m.aggregate_id)
        current = m.response or {}
        return ConflictView(m.message_id, m.aggregate_id, m.body.get("base_version") or 0, dict(m.body["changes"]),
                            dict(person.data if person else {}), dict(current.get("data") or {}),
                            int(current.get("version") or 0))

    def resolve(self, message_id: str, choice: str, *, operator_id: str, terminal_id: str,
                merged: dict[str, str] | None = None) -> PersonView:
        """`mine`: send my changes again on the centre's current version; `theirs`: drop my changes, take the
        centre's version; `merged`: send `merged` (the clerk's field-by-field choice) on the current version."""
        if choice not in ("mine", "theirs", "merged"):
            raise YichuangError("请选择保留哪个版本。", f"bad choice {choice}")
        now = utcnow()
        with self.store.session() as s:
            m = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
            if m is None or m.state != CONFLICT:
                raise YichuangError("该冲突已处理。", f"message {message_id} is not in conflict")
            current = m.response or {}
            theirs, version = dict(current.get("data") or {}), int(current.get("version") or 0)
            person = s.get(SyncPerson, m.aggregate_id)
            if choice == "theirs":
                changes = {}
            elif choice == "mine":
                changes = dict(m.body["changes"])
            else:
                changes = {k: v for k, v in (merged or {}).items() if k in EDITABLE and v != theirs.get(k)}
            new_id = None
            if changes:
                body = {"base_version": version, "changes": changes, "operator_id": operator_id,
                        "terminal_id": terminal_id, "at": now.isoformat()}
                new = new_message(aggregate_id=m.aggregate_id, kind=PERSON_UPDATE, method="PATCH", path=m.path,
                                  body=body, now=now)
                s.add(new)
                new_id = new.message_id
            m.state, m.replaced_by = SUPERSEDED, new_id
            later = list(s.scalars(select(OutboxMessage).where(OutboxMessage.depends_on == m.message_id,
                                                               OutboxMessage.state.in_((PENDING, FAILED)))))
            for dep in later:  # edits chained on the refused one ride on the resolution instead (never sent yet)
                dep.depends_on = new_id
                if dep.body.get("base_from") == m.message_id:
                    body = dict(dep.body)
                    if new_id:
                        body["base_from"] = new_id
                    else:
                        body["base_version"] = version
                        body.pop("base_from", None)
                    dep.body = body
            if person is not None:
                person.data = {**theirs, **changes}
                person.name = theirs.get("name", person.name)
                person.version = version
                person.pending_edit = bool(changes) or bool(later)
                person.updated_at = now
            append_audit(s, at=now, operator_id=operator_id, terminal_id=terminal_id, action="person.conflict",
                         object_type="person", object_id=m.aggregate_id,
                         detail={"choice": choice, "fields": sorted(changes), "server_version": version})
            return _view(person) if person else PersonView(m.aggregate_id, theirs.get("name", ""), version, theirs,
                                                            False, None)


# --- hooks of the sync engine (app.sync.outbox) -----------------------------------------------------------------

def fix_base_version(s: Session, m: OutboxMessage) -> None:
    """At claim time (before the first send, so the body is final from then on): an edit queued while an earlier one
    was in flight is based on the version the earlier one produced."""
    body = dict(m.body or {})
    if body.get("base_version") is not None or not body.get("base_from"):
        return
    dep = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == body["base_from"]))
    person = s.get(SyncPerson, m.aggregate_id)
    version = ((dep.response or {}).get("version") if dep is not None else None) or (person.version if person else 1)
    body["base_version"] = int(version)
    body.pop("base_from", None)
    m.body = body


def after_person_update(s: Session, m: OutboxMessage, outcome) -> None:
    """Inside the settle transaction: keep the centre's answer as the local copy's version."""
    person = s.get(SyncPerson, m.aggregate_id)
    if person is None:
        return
    still_open = s.scalar(select(OutboxMessage.seq).where(OutboxMessage.aggregate_id == m.aggregate_id,
                                                          OutboxMessage.kind == PERSON_UPDATE,
                                                          OutboxMessage.state.in_((PENDING, INFLIGHT)),
                                                          OutboxMessage.message_id != m.message_id).limit(1))
    if outcome.kind == "sent" and outcome.body:
        person.version = int(outcome.body.get("version") or person.version)
        if not still_open:
            person.data = dict(outcome.body.get("data") or person.data)
            person.pending_edit = False
        person.updated_at = utcnow()
    elif outcome.kind == "conflict":
        person.pending_edit = True  # stays ours until the clerk chooses


def conflict_count(store: Store) -> int:
    with store.session() as s:
        return len(list(s.scalars(select(OutboxMessage.seq).where(OutboxMessage.kind == PERSON_UPDATE,
                                                                 OutboxMessage.state == CONFLICT))))


__all__ = ["PersonEditor", "PersonView", "ConflictView", "store_person", "EDITABLE", "FIELD_LABELS"]
