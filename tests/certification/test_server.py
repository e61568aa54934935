"""The centre's side with real HTTP: the three lists, suspension when the deadline passed, resumption with back pay
after a counter certification sent through the outbox, kiosk photos compared by the back office, deaths and custody
from the counter (termination path, suspension, monthly report), the yearly report's reasons, and who may do what."""
from __future__ import annotations

import contextlib
import os
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.certification.face import FaceCheck
from app.certification.rules import LossKind
from app.certification.service import CertificationService, Identity
from app.clock import local_today
from app.config import TerminalConfig
from app.rules.months import Month
from app.store import open_store
from app.store.models import OutboxMessage
from app.sync.client import CentralApi
from app.sync.relay import OutboxRelay
from server.db import make_engine
from server.models import CertBenefit, CertEvent, Person
from server.pgtest import postgres_bin_dir, temporary_postgres
from server.testing import run_server_in_thread
from tests.certification.conftest import DATA_OFFICE, Central, client, seed, terminal_client
from tests.certification.helpers import fast_sync

pytestmark = pytest.mark.integration
TODAY = local_today()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own(request, tmp_path_factory):
    """A server of this module alone (the tests here suspend and resume people), on SQLite and on PostgreSQL."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            db_url = f"sqlite:///{tmp_path_factory.mktemp('cert-server') / 'central.db'}"
        else:
            if postgres_bin_dir() is None:
                if os.environ.get("CI"):
                    pytest.fail("PostgreSQL is required in CI (installer/setup-debian.sh installs it)")
                pytest.skip("PostgreSQL server binaries not installed")
            db_url = stack.enter_context(temporary_postgres())
        url = stack.enter_context(run_server_in_thread(db_url, seed_demo=True))
        seed(db_url)
        engine = make_engine(db_url)
        yield Central(url, db_url), engine
        engine.dispose()


@pytest.fixture
def counter(tmp_path, own):
    central, _ = own
    terminal_id = f"TC{uuid.uuid4().hex[:8]}"
    store = open_store(tmp_path / terminal_id)
    relay = OutboxRelay(store, CentralApi(central.url, 5), TerminalConfig(terminal_id=terminal_id),
                        probe_interval=0.05, sync=fast_sync())
    yield CertificationService(store, terminal_id), relay
    relay.stop()
    relay.api.close()
    store.close()


def _person(engine, n: int) -> tuple[str, str, Decimal]:
    with Session(engine) as s:
        rows = s.execute(select(CertBenefit.ssn, Person.name, CertBenefit.monthly_amount)
                         .join(Person, Person.ssn == CertBenefit.ssn).order_by(CertBenefit.ssn)).all()
    ssn, name, amount = rows[n]
    return ssn, name, Decimal(amount)


def _certified_only_in(engine, ssn: str, day: date) -> None:
    with Session(engine) as s:
        s.execute(delete(CertEvent).where(CertEvent.ssn == ssn))
        s.add(CertEvent(event_id=str(uuid.uuid4()), ssn=ssn, method="data_comparison", channel="test",
                        result="passed", certified_on=day, at=s.get(CertBenefit, ssn).updated_at, detail={}))
        s.commit()


def _live():
    return FaceCheck(True, queued=True, message="本机未配置人脸比对模型：照片已保存，将提交后台人工比对。",
                     metrics={"motion": 2.0})


def test_lists_cover_every_pensioner_with_reasons(own):
    central, _ = own
    with client(central.url, DATA_OFFICE) as c:  # a list of persons is an export (issue 11)
        r = c.get("/api/v1/certification/results", params={"year": TODAY.year}).json()
    assert sum(r["counts"].values()) == 50 and r["citation"] == "000 §82；003 9.6.5"
    assert r["counts"]["to_verify"] >= 10 and r["counts"]["eligible"] >= 30
    assert all(row["reason"] for rows in r["lists"].values() for row in rows)
    assert r["labels"] == {"eligible": "具备资格", "lost": "丧失资格", "to_verify": "待核实"}


def test_suspension_then_counter_certification_resumes_with_back_pay(own, counter):
    central, engine = own
    svc, relay = counter
    ssn, name, amount = _person(engine, 0)
    _certified_only_in(engine, ssn, date(TODAY.year - 2, 6, 1))  # missed last year's certification
    with client(central.url) as admin:
        run = admin.post("/api/v1/certification/status-changes/run", json={}).json()
        mine = [c for c in run["changes"] if c["ssn"] == ssn]
        assert mine and mine[0]["action"] == "suspend" and mine[0]["from_month"] == f"{TODAY.year}-01"
        again = admin.post("/api/v1/certification/status-changes/run", json={}).json()
        assert not [c for c in again["changes"] if c["ssn"] == ssn]  # idempotent
        st = admin.get(f"/api/v1/certification/persons/{ssn}").json()
        assert st["state"] == "suspended" and st["overdue"] is True
    rec = svc.record(Identity.typed(ssn, name), b"\xff\xd8live photo", _live(), channel="counter",
                     operator_id="demo", attested=True)
    assert rec.result == "passed"
    assert relay.drain(30)
    with svc.store.session() as s:
        reply = s.scalar(select(OutboxMessage.response).where(OutboxMessage.aggregate_id == rec.record_id))
    resume = reply["effects"][0]
    months = Month.of(TODAY) - Month(TODAY.year, 1)
    assert resume["action"] == "resume" and resume["from_month"] == str(Month.of(TODAY))
    if months:
        assert resume["back_pay_months"] == months
        assert Decimal(resume["back_pay"]) == amount * months
        assert "001 ch5 L75" in resume["explanation"][0]["citation"]
    with client(central.url) as admin:
        st = admin.get(f"/api/v1/certification/persons/{ssn}").json()
    assert st["state"] == "active" and st["overdue"] is False
    assert st["last_certification"]["method"] == "face_counter"


def test_kiosk_photo_waits_for_back_office_comparison(own, counter):
    central, engine = own
    svc, relay = counter
    ssn, name, _ = _person(engine, 1)
    _certified_only_in(engine, ssn, date(TODAY.year - 1, 3, 1))
    rec = svc.record(Identity.typed(ssn, name), b"\xff\xd8kiosk photo", _live(), channel="kiosk",
                     operator_id="kiosk")
    assert rec.result == "pending" and "后台人工比对" in rec.message
    assert relay.drain(30)
    with client(central.url) as admin, client(central.url, DATA_OFFICE) as data:
        lists = data.get("/api/v1/certification/results", params={"year": TODAY.year}).json()["lists"]
        assert ssn in {r["ssn"] for r in lists["to_verify"]}
        with client(central.url, "demo") as clerk:  # a 受理员 is not back office
            assert clerk.post(f"/api/v1/certification/records/{rec.record_id}/review",
                              json={"match": True}).status_code == 403
        r = admin.post(f"/api/v1/certification/records/{rec.record_id}/review", json={"match": True})
        assert r.status_code == 200 and r.json()["result"] == "passed"
        assert admin.post(f"/api/v1/certification/records/{rec.record_id}/review",
                          json={"match": True}).status_code == 404
        lists = data.get("/api/v1/certification/results", params={"year": TODAY.year}).json()["lists"]
    assert ssn in {r["ssn"] for r in lists["eligible"]}


def test_counter_reports_death_and_custody(own, counter):
    central, engine = own
    svc, relay = counter
    dead, dead_name, amount = _person(engine, 2)
    jailed, jailed_name, _ = _person(engine, 3)
    died = date(TODAY.year, max(1, TODAY.month - 2), 5)
    svc.report_loss(ssn=dead, name=dead_name, kind=LossKind.death, on=died, operator_id="demo", informant="其子")
    svc.report_loss(ssn=jailed, name=jailed_name, kind=LossKind.imprisonment, on=TODAY, operator_id="demo")
    assert {e["kind"] for e in svc.loss_events(TODAY.strftime("%Y-%m"))} == {"death", "imprisonment"}
    assert relay.drain(30)
    with client(central.url) as admin, client(central.url, DATA_OFFICE) as data:
        st = admin.get(f"/api/v1/certification/persons/{dead}").json()
        assert st["state"] == "terminating"
        st = admin.get(f"/api/v1/certification/persons/{jailed}").json()
        assert st["state"] == "suspended" and st["suspended_from"] == str(Month.of(TODAY) + 1)
        lists = data.get("/api/v1/certification/results", params={"year": TODAY.year}).json()["lists"]
        lost = {r["ssn"]: r["reason"] for r in lists["lost"]}
        assert "死亡" in lost[dead] and "羁押" in lost[jailed]
        month = data.get("/api/v1/certification/reports/monthly", params={"month": TODAY.strftime("%Y-%m")}).json()
    rows = {r["ssn"]: r for r in month["rows"]}
    assert rows[dead]["on"] == died.isoformat() and rows[dead]["kind_label"] == "死亡"
    assert rows[jailed]["source"] == "counter"
    with svc.store.session() as s:
        reply = s.scalar(select(OutboxMessage.response).where(OutboxMessage.kind == "certification.loss_event",
                                                              OutboxMessage.body["ssn"].as_string() == dead))
    term = reply["effects"][0]
    assert term["action"] == "terminate" and term["last_entitled"] == str(Month.of(died))
    paid_months = (Month.of(TODAY) - 1) - Month.of(died)
    assert term["overpaid_months"] == paid_months
    if paid_months:
        assert Decimal(term["overpaid"]) == amount * paid_months


def test_yearly_report_refused_without_reasons(own):
    central, _ = own
    with client(central.url) as admin, client(central.url, DATA_OFFICE) as data:
        rep = data.get("/api/v1/certification/reports/yearly", params={"year": TODAY.year, "region": "15"}).json()
        assert rep["due"] == f"{TODAY.year}-11-30" and not rep["submitted"]
        missing = [r["ssn"] for r in rep["uncertified"] if not r["reason"]]
        assert missing
        r = admin.post("/api/v1/certification/reports/yearly", json={"year": TODAY.year, "region": "15"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "reasons_missing"
        assert "002 §26" in r.json()["error"]["message"]
        r = admin.post("/api/v1/certification/reports/yearly",
                       json={"year": TODAY.year, "region": "15", "reasons": {s: "长期外出务工，已电话联系" for s in missing}})
        assert r.status_code == 201, r.text
        rep = data.get("/api/v1/certification/reports/yearly", params={"year": TODAY.year, "region": "15"}).json()
    assert rep["submitted"] and rep["submitted_at"] and not rep["overdue"]
    assert {r["reason"] for r in rep["uncertified"] if r["ssn"] in missing} == {"长期外出务工，已电话联系"}


def test_permissions_and_keys(own):
    central, engine = own
    with client(central.url, "field2") as other:
        assert other.get("/api/v1/certification/visits", params={"operator_id": "field1"}).status_code == 403
        assert other.get("/api/v1/certification/visits", params={"operator_id": "field2"}).status_code == 200
        assert other.post("/api/v1/certification/status-changes/run", json={}).status_code == 403
        assert other.post("/api/v1/certification/visit-assignments",
                          json={"operator_id": "field2", "ssns": []}).status_code == 403
        assert other.get("/api/v1/certification/results", params={"year": TODAY.year}).status_code == 403
    ssn = _person(engine, 5)[0]
    # issue 11 matrix: lists and reports are exports (数据管理员, 稽核员); 管理员 sees no personal data at all
    lists = ("/api/v1/certification/results", {"year": TODAY.year}), \
        ("/api/v1/certification/reports/monthly", {"month": TODAY.strftime("%Y-%m")}), \
        ("/api/v1/certification/reports/yearly", {"year": TODAY.year, "region": "15"})
    for operator in ("admin", "demo", "audit1"):
        with client(central.url, operator) as c:
            for path, params in lists:
                r = c.get(path, params=params)
                assert r.status_code == 403 and "导出个人数据" in r.json()["error"]["message"], (operator, path)
    with client(central.url, "admin") as c:
        assert c.get(f"/api/v1/certification/persons/{ssn}").status_code == 403
        assert c.post("/api/v1/certification/status-changes/run", json={}).status_code == 403
    with client(central.url, DATA_OFFICE) as c:
        assert all(c.get(path, params=params).status_code == 200 for path, params in lists)
        assert c.get(f"/api/v1/certification/persons/{ssn}").status_code == 200
        assert c.post("/api/v1/certification/status-changes/run", json={}).status_code == 403
    with client(central.url) as admin:
        r = admin.post("/api/v1/certification/visit-assignments",
                       json={"operator_id": "field2", "from_to_verify": True, "limit": 3})
        assert r.status_code == 200 and len(r.json()["visits"]) <= 3
        ssn = _person(engine, 4)[0]
        first = admin.post("/api/v1/certification/visit-assignments", json={"operator_id": "field2", "ssns": [ssn]})
        second = admin.post("/api/v1/certification/visit-assignments", json={"operator_id": "field1", "ssns": [ssn]})
        assert first.json()["visits"][0]["visit_id"] == second.json()["visits"][0]["visit_id"]  # one open visit
        assert admin.post("/api/v1/certification/visit-assignments",
                          json={"operator_id": "field2", "ssns": ["150102199001011234"]}).status_code == 422
    from app.certification.evidence import TerminalSigner

    signer = TerminalSigner.generate()
    a, b = f"TK{uuid.uuid4().hex[:8]}", f"TK{uuid.uuid4().hex[:8]}"
    key = {"key_id": signer.key_id, "public_key": signer.public_key}
    with terminal_client(central.url, a) as ta, terminal_client(central.url, b) as tb:
        assert ta.put(f"/api/v1/certification/terminal-keys/{a}", json=key).status_code == 200
        assert ta.put(f"/api/v1/certification/terminal-keys/{a}", json=key).status_code == 200  # idempotent
        assert ta.put(f"/api/v1/certification/terminal-keys/{b}", json=key).status_code == 403
        assert tb.put(f"/api/v1/certification/terminal-keys/{b}", json=key).status_code == 409
        bad = dict(key, key_id="0" * 16)
        assert tb.put(f"/api/v1/certification/terminal-keys/{b}", json=bad).status_code == 422
