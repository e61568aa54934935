"""Retention (issue 11 point 5) on an encrypted counter against the real reference server: a case the centre
accepted is purged only after the grace period (rows, scans, outbox personal data; audit kept and still verifiable),
while a case the centre sent back for correction and a case not yet uploaded stay untouched; `yichuang purge --dry-run` lists without
changing anything."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import httpx
from sqlalchemy import select

from app.clock import utcnow
from app.ids import make_id_number
from app.security.audit import verify_chain
from app.security.retention import purge_runtime
from app.store.models import Attachment, AuditRecord, Case, OutboxMessage
from app.sync.statuses import pull_statuses
from server.demo_data import DEMO_PASSWORD
from tests.security.test_at_rest import accept_case, central, jpeg, start  # noqa: F401  (fixture)

LATER = timedelta(days=31)  # past the default 30-day grace period


def _decide(url: str, case_id: str, status: str, reason: str | None = None) -> None:
    token = httpx.post(f"{url}/api/v1/auth/login", json={"operator_id": "audit1", "password": DEMO_PASSWORD,
                                                         "terminal_id": "TRET-BO"}, timeout=30).json()["access_token"]
    r = httpx.post(f"{url}/api/v1/cases/{case_id}/decision", json={"status": status, "reason": reason},
                   headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text


def _session(tmp_path, central, terminal_id: str):  # noqa: F811
    rt = start(tmp_path / "home", central, terminal_id=terminal_id)
    rt.auth.login("demo", DEMO_PASSWORD)
    accepted = accept_case(rt, make_id_number("150102", date(1960, 3, 3), 41, False), "阿拉坦其其格")
    received = accept_case(rt, make_id_number("150102", date(1961, 4, 4), 42, True), "额尔敦巴雅尔")
    for i, cid in enumerate((accepted, received)):
        rt.attachments.add(cid, "id_card", jpeg(200 + i), "image/jpeg", "身份证.jpg")
    assert rt.relay.drain(60)
    _decide(central, accepted, "accepted")
    # 即时办结 at the counter, but the centre wants a correction: the clerk still needs it
    _decide(central, received, "needs_correction", "请补充户口簿首页")
    assert pull_statuses(rt.store, rt.relay.api) >= 2
    unsent = accept_case(rt, make_id_number("150102", date(1962, 5, 5), 43, False), "其木格")  # not uploaded
    rt.attachments.add(unsent, "id_card", jpeg(210), "image/jpeg", "身份证.jpg")
    return rt, accepted, received, unsent


def _present(rt, case_id: str) -> tuple[bool, int, bool]:
    with rt.store.session() as s:
        row = s.get(Case, case_id) is not None
        scans = len(list(s.scalars(select(Attachment).where(Attachment.case_id == case_id))))
    return row, scans, (rt.paths.attachments_dir / case_id).exists()


def test_purge_after_confirmation_and_grace_never_unsynced(tmp_path, central):  # noqa: F811
    rt, accepted, received, unsent = _session(tmp_path, central, "TRET1")
    try:
        dry = purge_runtime(rt, dry_run=True, now=utcnow() + LATER)
        assert dry.cases == [accepted] and dry.kept_unsynced == 2  # `received` waits for the clerk; `unsent`
        assert _present(rt, accepted) == (True, 1, True)  # a dry run changes nothing
        within = purge_runtime(rt)  # confirmed, but the grace period has not passed
        assert within.cases == [] and within.kept_in_grace == 1 and _present(rt, accepted) == (True, 1, True)
        done = purge_runtime(rt, now=utcnow() + LATER)
        assert done.cases == [accepted] and done.files_wiped >= 1
        assert _present(rt, accepted) == (False, 0, False)
        assert _present(rt, received) == (True, 1, True) and _present(rt, unsent) == (True, 1, True)
        with rt.store.session() as s:
            bodies = [m.body for m in s.scalars(select(OutboxMessage).where(OutboxMessage.aggregate_id == accepted))]
            kept = [m.state for m in s.scalars(select(OutboxMessage).where(OutboxMessage.aggregate_id == unsent))]
            audit = list(s.scalars(select(AuditRecord).where(AuditRecord.object_id == accepted)))
            assert verify_chain(s) is None  # the audit log is kept whole
        assert bodies and all(b == {"purged": True} for b in bodies)
        assert "pending" in kept
        actions = [a.action for a in audit]
        assert "retention.purge" in actions and len(actions) > 1  # the case's earlier audit records stay
        assert purge_runtime(rt, now=utcnow() + LATER).cases == []  # idempotent
    finally:
        rt.close()


def test_cli_purge_dry_run(tmp_path, central, monkeypatch, capsys):  # noqa: F811
    from app.config import write_default_config
    from ui.cli import main

    rt, accepted, _received, _unsent = _session(tmp_path, central, "TRET2")
    write_default_config(rt.paths.config_file, rt.settings.model_copy(
        update={"retention": rt.settings.retention.model_copy(update={"grace_days": 0})}))
    rt.close()
    monkeypatch.setenv("YICHUANG_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_PASSWORD + "\n"))
    assert main(["purge", "--dry-run"]) == 2  # encrypted: it needs an operator to unlock
    capsys.readouterr()
    assert main(["purge", "--dry-run", "--operator", "demo"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] and report["cases"] == [accepted]
    monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_PASSWORD + "\n"))
    assert main(["purge", "--operator", "demo"]) == 0
    assert json.loads(capsys.readouterr().out)["cases"] == [accepted]
    rt = start(tmp_path / "home", central, terminal_id="TRET2")
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        assert _present(rt, accepted) == (False, 0, False)
    finally:
        rt.close()
