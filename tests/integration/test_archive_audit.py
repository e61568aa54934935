"""Archive package on 办结, prints journal, 好差评, audit upload and the audit verify command."""
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.bootstrap import bootstrap
from app.cases.journal import rate_case, record_print
from app.cases.service import Actor, MaterialState
from app.config import Settings
from app.errors import YichuangError
from app.ids import make_id_number
from app.paths import resolve_paths
from app.store.models import AuditRecord, Rating
from server import models as sm
from server.testing import run_server_in_thread

A = Actor("demo", "演示柜员", "受理员", "T01", "150102", ("受理员",))
SSN = make_id_number("150102", date(1970, 7, 1), 12, False)


@pytest.fixture
def rt(tmp_path):
    runtime = bootstrap(resolve_paths(tmp_path / "c"), Settings.model_validate({"server": {"url": "http://127.0.0.1:9"}}),
                        console_log=False)
    yield runtime
    runtime.close()


def _completed_case(rt):
    form = {"ssn": SSN, "name": "萨仁", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    item = rt.catalog.get("resident_pension_enrolment")
    r = rt.cases.intake(item.code, form, {m.code: MaterialState.present.value for m in item.materials}, A,
                        confirmed={i: True for i in range(len(item.conditions))})
    assert r.case.status == "completed"
    return r.case


def test_archive_package_with_manifest_hashes_and_missing_scans(rt, tmp_path):
    case = _completed_case(rt)
    rt.attachments.add(case.case_id, "id_document", b"\x89PNG fake id scan", "image/png", "id.png")
    doc = tmp_path / "receipt.pdf"
    doc.write_bytes(b"%PDF-1.4 receipt")
    res = rt.archiver.package(case.case_id, [doc], "demo", "T01")
    assert res.archive_no.startswith(f"{date.today().year}-QT00-T01-")
    with zipfile.ZipFile(res.path) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert z.read("documents/receipt.pdf") == b"%PDF-1.4 receipt"
        assert {s["material_code"] for s in manifest["scans"]} == {"id_document"}
    assert SSN not in json.dumps(manifest, ensure_ascii=False)  # masked + hash only
    assert any("户口簿首页和本人页" in m for m in res.missing)  # presented but never scanned
    assert rt.archiver.package(case.case_id, [doc], "demo", "T01").archive_no == res.archive_no  # idempotent


def test_archive_refused_before_completion(rt):
    form = {"ssn": SSN, "name": "萨仁", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    r = rt.cases.intake("resident_pension_enrolment", form, {}, A, confirmed={0: True, 1: True, 2: True, 3: True})
    with pytest.raises(YichuangError):
        rt.archiver.package(r.case.case_id, [], "demo", "T01")


def test_print_journal_rating_and_verify_command(rt, tmp_path):
    case = _completed_case(rt)
    with pytest.raises(YichuangError):
        record_print(rt.store, case_id="00000000-0000-0000-0000-000000000000", document="受理回执", path="/x.pdf",
                     operator_id="demo", terminal_id="T01")
    record_print(rt.store, case_id=case.case_id, document="受理回执", path="/tmp/r.pdf", operator_id="demo",
                 terminal_id="T01")
    rate_case(rt.store, case_id=case.case_id, rating=5, comment="很快", channel="counter", operator_id="demo",
              terminal_id="T01")
    with pytest.raises(YichuangError):
        rate_case(rt.store, case_id=case.case_id, rating=4, comment=None, channel="counter", operator_id="demo",
                  terminal_id="T01")
    with rt.store.session() as s:
        assert s.get(Rating, case.case_id).rating == 5
        actions = list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    assert actions == ["config.initial", "case.accepted", "document.print", "case.rating"]
    exe = str(Path(sys.executable).with_name("yichuang"))
    env = dict(os.environ, YICHUANG_HOME=str(tmp_path / "c"))
    ok = subprocess.run([exe, "audit", "verify"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "校验通过" in ok.stdout
    engine = create_engine(f"sqlite:///{rt.paths.database_file}")
    with engine.begin() as c:  # tamper with one row behind the application's back
        c.execute(text("UPDATE audit_log SET object_id = 'other' WHERE id = 2"))
    engine.dispose()
    bad = subprocess.run([exe, "audit", "verify"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "记录 2" in bad.stdout


def test_audit_records_and_rating_reach_the_server(tmp_path):
    db = f"sqlite:///{tmp_path / 'central.db'}"
    with run_server_in_thread(db, seed_demo=True) as url:
        runtime = bootstrap(resolve_paths(tmp_path / "c"), Settings.model_validate({"server": {"url": url}}),
                            console_log=False)
        try:
            case = _completed_case(runtime)
            rate_case(runtime.store, case_id=case.case_id, rating=4, comment=None, channel="counter",
                      operator_id="demo", terminal_id="T01")
            runtime.relay.run_once()
            st = runtime.relay.status()
            assert st.pending == 0 and st.failed == 0
            with runtime.store.session() as s:
                assert s.scalar(select(func.count()).select_from(AuditRecord).where(
                    AuditRecord.uploaded.is_(False))) == 0
                local = s.scalar(select(func.count()).select_from(AuditRecord))
            runtime.relay.run_once()  # nothing new, nothing duplicated
        finally:
            runtime.close()
    engine = create_engine(db)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(sm.AuditEntry)) == local
        assert c.scalar(select(sm.CaseRating.rating)) == 4
    engine.dispose()
