"""The single-terminal queue fallback: numbers drawn from a small SQLite file in the terminal's data directory, for
a counter that works offline or a hall without a central queue. Thread-safe; survives restarts within the day."""
from __future__ import annotations

import sqlite3
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.clock import LOCAL_TZ, utcnow
from app.queue.model import QueueError, Ticket, TicketStatus, format_number
from app.store import thread_guard

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY, day TEXT NOT NULL, category TEXT NOT NULL, seq INTEGER NOT NULL,
    number TEXT NOT NULL, item_code TEXT, item_name TEXT, status TEXT NOT NULL, issued_at TEXT NOT NULL,
    counter_no TEXT, operator_id TEXT, called_at TEXT, recalls INTEGER NOT NULL DEFAULT 0, case_id TEXT,
    UNIQUE (day, category, seq));
CREATE INDEX IF NOT EXISTS ix_tickets_waiting ON tickets (day, status, issued_at);
"""
_COLUMNS = ("ticket_id", "number", "category", "item_code", "item_name", "issued_at", "status", "counter_no",
            "operator_id", "called_at", "recalls", "case_id")


class LocalQueueSystem:
    """QueueSystem on one terminal. The ID number given at 取号 is not kept (it is not needed to call a ticket)."""

    def __init__(self, path: Path | str, item_names: Callable[[str], str | None] | None = None,
                 clock: Callable[[], datetime] = utcnow):
        self.path = Path(path)
        self.item_names = item_names
        self.clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connection(self):
        """The one connection, used under the lock. Not one per call: sqlite3's `with connection` does not close it,
        and every unclosed connection was left for the cyclic garbage collector, whose passes then closed SQLite
        files on whatever thread ran them — GUI stalls in the scripted day (issue 13)."""
        thread_guard.check()  # issue 13: never on the GUI thread
        with self._lock:
            if self._db is None:
                self._db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
            yield self._db

    @contextmanager
    def _transaction(self):
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error (the number series never skips or repeats)."""
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _today(self) -> str:
        return self.clock().astimezone(LOCAL_TZ).date().isoformat()

    def _row(self, db: sqlite3.Connection, ticket_id: str) -> Ticket:
        row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM tickets WHERE ticket_id = ?", (ticket_id,)).fetchone()
        if row is None:
            raise QueueError("该号码不存在（可能是前一天的号），请重新叫号。", f"local ticket {ticket_id} not found")
        d = dict(zip(_COLUMNS, row))
        return Ticket(number=d["number"], category=d["category"], item_code=d["item_code"], item_name=d["item_name"],
                      issued_at=datetime.fromisoformat(d["issued_at"]), status=TicketStatus(d["status"]),
                      ticket_id=d["ticket_id"], counter_no=d["counter_no"], operator_id=d["operator_id"],
                      called_at=datetime.fromisoformat(d["called_at"]) if d["called_at"] else None,
                      recalls=d["recalls"], case_id=d["case_id"])

    def issue_ticket(self, category: str, item_code: str | None = None, ssn: str | None = None) -> Ticket:
        category = (category or "").strip().upper()
        if not (len(category) == 1 and category.isalpha()):
            raise QueueError("号段无效，请选择业务类别后重新取号。", f"bad category {category!r}")
        name = self.item_names(item_code) if (item_code and self.item_names) else None
        ticket_id, day, now = str(uuid.uuid4()), self._today(), self.clock().isoformat()
        with self._transaction() as db:
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE day = ? AND category = ?",
                             (day, category)).fetchone()[0]
            db.execute("INSERT INTO tickets (ticket_id, day, category, seq, number, item_code, item_name, status, "
                       "issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?)",
                       (ticket_id, day, category, seq, format_number(category, seq), item_code, name, now))
            return self._row(db, ticket_id)

    def call_next(self, counter_no: str, operator_id: str, categories: list[str] | None = None) -> Ticket | None:
        day = self._today()
        where, args = "day = ? AND status = 'waiting'", [day]
        if categories:
            where += f" AND category IN ({', '.join('?' for _ in categories)})"
            args += list(categories)
        with self._transaction() as db:
            row = db.execute(f"SELECT ticket_id FROM tickets WHERE {where} ORDER BY issued_at, seq LIMIT 1",
                             args).fetchone()
            if row is None:
                return None
            db.execute("UPDATE tickets SET status = 'called', counter_no = ?, operator_id = ?, called_at = ? "
                       "WHERE ticket_id = ?", (counter_no, operator_id, self.clock().isoformat(), row[0]))
            return self._row(db, row[0])

    def _update(self, ticket: Ticket, sql: str, args: tuple, allowed: set[str]) -> Ticket:
        with self._connection() as db:
            current = self._row(db, ticket.ticket_id)
            if current.status.value not in allowed:
                raise QueueError(f"{current.number} 当前状态为“{current.status.label}”，不能执行此操作。",
                                 f"local ticket {current.number} is {current.status.value}")
            db.execute(f"UPDATE tickets SET {sql} WHERE ticket_id = ?", (*args, ticket.ticket_id))
            return self._row(db, ticket.ticket_id)

    def ticket(self, ticket_id: str) -> Ticket:
        """One ticket as it stands now (QueueError when there is none)."""
        with self._connection() as db:
            return self._row(db, ticket_id)

    def recall(self, ticket: Ticket) -> Ticket:
        return self._update(ticket, "status = 'called', recalls = recalls + 1, called_at = ?",
                            (self.clock().isoformat(),), {"called", "skipped"})

    def finish(self, ticket: Ticket, case_id: str | None = None) -> Ticket:
        return self._update(ticket, "status = 'finished', case_id = COALESCE(?, case_id)", (case_id,),
                            {"called", "finished"})

    def skip(self, ticket: Ticket) -> Ticket:
        return self._update(ticket, "status = 'skipped'", (), {"called", "skipped"})

    def waiting(self, category: str | None = None) -> int:
        sql, args = "SELECT COUNT(*) FROM tickets WHERE day = ? AND status = 'waiting'", [self._today()]
        if category:
            sql += " AND category = ?"
            args.append(category)
        with self._connection() as db:
            return int(db.execute(sql, args).fetchone()[0])
