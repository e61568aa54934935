"""Drain benchmark (issue 5): N queued cases (default 10,000) on a terminal, sent to the local reference server
(`python -m server`, its own process, SQLite file) by the real relay with batching. Prints cases/s; target ≥ 300/s.

The queue is built like intake builds it (case + its events + outbox message + audit, one local store) but in bulk,
so setting up 10,000 cases takes seconds: one real 受理 serves as the template, each copy gets fresh ids, a fresh case
number and a fresh valid ID number. Usage: .venv/bin/python bench/sync_bench.py [--cases 10000] [--batch 200]
"""
from __future__ import annotations

import argparse
import copy
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from app.cases.service import Actor, CaseService  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.config import SyncConfig, TerminalConfig  # noqa: E402
from app.ids import make_id_number  # noqa: E402
from app.store import open_store  # noqa: E402
from app.store.models import Case, CaseEvent, OutboxMessage  # noqa: E402
from app.sync.client import CentralApi  # noqa: E402
from app.sync.relay import OutboxRelay  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "server", "--port", str(port), "--database", f"sqlite:///{db}",
                             "--seed-demo", "--log-level", "warning"], cwd=Path(__file__).resolve().parents[1],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    api = CentralApi(url, 2.0)
    deadline = time.monotonic() + 60
    while True:
        try:
            api.health()
            break
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("reference server did not start")
            time.sleep(0.2)
    api.close()
    return proc, url


def build_queue(store, n: int, terminal_id: str) -> None:
    """One real intake as the template, then n-1 copies with fresh ids in one transaction."""
    catalog = load_catalog()
    cases = CaseService(store, catalog)
    actor = Actor("demo", "演示柜员", "受理员", terminal_id, "150102")
    form = {"ssn": make_id_number("150102", date(1970, 1, 1), 1, True), "name": "乌兰", "phone": "13904711234",
            "nation": "蒙古族", "enrolment_date": "2026-11-25"}
    cases.accept("resident_pension_enrolment", form, {"id_document": True, "hukou_book": True,
                                                       "enrolment_form": True}, actor)
    with store.session() as s:
        case = s.scalars(select(Case)).one()
        events = list(s.scalars(select(CaseEvent)))
        msg = s.scalars(select(OutboxMessage)).one()
        base_case = {c.name: getattr(case, c.name) for c in Case.__table__.columns}
        base_events = [{c.name: getattr(e, c.name) for c in CaseEvent.__table__.columns} for e in events]
        base_msg = {c.name: getattr(msg, c.name) for c in OutboxMessage.__table__.columns if c.name != "seq"}
    case_rows, event_rows, msg_rows = [], [], []
    for i in range(1, n):
        cid = str(uuid.uuid4())
        ssn = make_id_number("150102", date(1960, 1, 1) + timedelta(days=i % 9000), (i // 9000) % 100, i % 2 == 0)
        no = f"150102-{terminal_id}-{i:08d}"
        c = dict(base_case, case_id=cid, case_no=no, applicant_ssn=ssn)
        c["payload"] = copy.deepcopy(base_case["payload"])
        c["payload"]["form"]["ssn"] = ssn
        case_rows.append(c)
        evs = [dict(e, event_id=str(uuid.uuid4()), case_id=cid) for e in base_events]
        event_rows.extend(evs)
        body = copy.deepcopy(base_msg["body"])
        body.update(case_id=cid, case_no=no, applicant_ssn=ssn, payload=c["payload"])
        body["events"] = [dict(be, event_id=e["event_id"]) for be, e in zip(body["events"], evs)]
        msg_rows.append(dict(base_msg, message_id=str(uuid.uuid4()), idempotency_key=str(uuid.uuid4()),
                             aggregate_id=cid, body=body))
    with store.session() as s:
        s.execute(insert(Case), case_rows)
        s.execute(insert(CaseEvent), event_rows)
        s.execute(insert(OutboxMessage), msg_rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="yc-sync-bench-"))
    server, url = start_server(root / "central.sqlite3")
    try:
        store = open_store(root / "terminal")
        t0 = time.perf_counter()
        build_queue(store, args.cases, "TB01")
        print(f"queued {args.cases} cases in {time.perf_counter() - t0:.1f} s")
        relay = OutboxRelay(store, CentralApi(url, 30.0), TerminalConfig(terminal_id="TB01"), probe_interval=0.2,
                            sync=SyncConfig(batch_size=args.batch, submit_settle_seconds=0))
        relay._probe()
        relay._ensure_token()
        start = time.perf_counter()
        sent = relay._drain(0.0)
        elapsed = time.perf_counter() - start
        with store.session() as s:
            left = s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state != "sent"))
        rate = sent / elapsed
        print(f"drained {sent} cases in {elapsed:.2f} s: {rate:.0f} cases/s "
              f"(batch {args.batch}; {left} left) — target >= 300 cases/s: {'OK' if rate >= 300 and not left else 'MISSED'}")
        verify = CentralApi(url, 10.0, token=relay.api.token)
        import random

        with store.session() as s:
            sample = random.sample(list(s.scalars(select(Case.case_id))), 5)
        assert all(verify.case(c)["case_id"] == c for c in sample)
        relay.api.close()
        verify.close()
        store.close()
        return 0 if rate >= 300 and not left else 1
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
