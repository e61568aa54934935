"""受理 on a real SQLite store: atomic writes, validation rules from the catalog, case numbers, audit chain."""
from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.cases.service import CaseService
from app.catalog import load_catalog
from app.errors import ValidationFailed
from app.ids import make_id_number
from app.security.audit import verify_chain
from app.store import open_store
from app.store.models import AuditRecord, Case, CaseEvent, OutboxMessage
from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form


@pytest.fixture
def service(tmp_path):
    return CaseService(open_store(tmp_path / "data"), load_catalog())


def _count(store, model):
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_accept_writes_case_event_outbox_and_audit_together(service):
    view = service.accept("resident_pension_enrolment", applicant_form(), ALL_MATERIALS, ACTOR)
    assert view.case_no.startswith("150102-T01-") and view.case_no.endswith("-0001")
    assert view.payload["form"]["gender"] == "男" and view.payload["form"]["birth_date"] == "1980-05-17"
    for model in (Case, OutboxMessage, AuditRecord):
        assert _count(service.store, model) == 1
    # 即时办结 (004:L1642): 受理 and 办结 are two events of one transaction
    assert _count(service.store, CaseEvent) == 2 and view.status == "completed"
    with service.store.session() as s:
        msg = s.scalars(select(OutboxMessage)).one()
        assert msg.body["case_id"] == view.case_id
        assert [e["kind"] for e in msg.body["events"]] == ["accept", "complete"]
        assert msg.idempotency_key and msg.state == "pending"


def test_failure_inside_transaction_leaves_nothing(service, monkeypatch):
    import app.cases.service as mod

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(mod, "append_audit", boom)
    with pytest.raises(RuntimeError):
        service.accept("resident_pension_enrolment", applicant_form(), ALL_MATERIALS, ACTOR)
    for model in (Case, CaseEvent, OutboxMessage, AuditRecord):
        assert _count(service.store, model) == 0


def test_under_16_refused_citing_the_standard(service):
    young = make_id_number("150102", date(2011, 1, 1), 3, False)
    with pytest.raises(ValidationFailed) as err:
        service.accept("resident_pension_enrolment", applicant_form(young), ALL_MATERIALS, ACTOR)
    assert "年满16周岁" in err.value.user_message and "004:L1604" in err.value.user_message
    assert err.value.field == "ssn"


@pytest.mark.parametrize("over, field, words", [
    ({"ssn": "150102198005172311"}, "ssn", "校验位"),
    ({"phone": "12345"}, "phone", "联系电话"),
    ({"name": ""}, "name", "请填写姓名"),
    ({"gender": "女"}, "gender", "性别与公民身份号码不符"),
    ({"enrolment_date": "2026/11/25"}, "enrolment_date", "年-月-日"),
])
def test_field_errors_name_the_field(service, over, field, words):
    with pytest.raises(ValidationFailed) as err:
        service.accept("resident_pension_enrolment", applicant_form(**over), ALL_MATERIALS, ACTOR)
    assert err.value.field == field and words in err.value.user_message
    assert _count(service.store, Case) == 0


def test_missing_material_refused(service):
    with pytest.raises(ValidationFailed) as err:
        service.accept("resident_pension_enrolment", applicant_form(), {"id_document": True}, ACTOR)
    assert "户口簿首页和本人页" in err.value.user_message and err.value.field == "materials"


def test_duplicate_and_sequence(service):
    service.accept("resident_pension_enrolment", applicant_form(), ALL_MATERIALS, ACTOR)
    with pytest.raises(ValidationFailed) as err:
        service.accept("resident_pension_enrolment", applicant_form(), ALL_MATERIALS, ACTOR)
    assert "请勿重复受理" in err.value.user_message
    other = make_id_number("150105", date(1975, 8, 9), 41, False)
    second = service.accept("resident_pension_enrolment", applicant_form(other, name="其其格"), ALL_MATERIALS, ACTOR)
    assert second.case_no.endswith("-0002")


def test_audit_chain_detects_tampering(service):
    service.accept("resident_pension_enrolment", applicant_form(), ALL_MATERIALS, ACTOR)
    other = make_id_number("150105", date(1975, 8, 9), 41, False)
    service.accept("resident_pension_enrolment", applicant_form(other, name="其其格"), ALL_MATERIALS, ACTOR)
    with service.store.session() as s:
        assert verify_chain(s) is None
        s.execute(update(AuditRecord).where(AuditRecord.id == 1).values(operator_id="someone"))
    with service.store.session() as s:
        assert verify_chain(s) == 1
