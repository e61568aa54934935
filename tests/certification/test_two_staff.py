"""Two staff on every home visit (002 §30): the second confirms with their own credentials on the laptop; the same
person twice, a wrong password, an unknown colleague, a confirmation for another visit or an old one, and a bundle
naming one staff member (even correctly signed) are all refused — on the laptop and at the centre."""
import uuid
from datetime import timedelta

import pytest

from app.certification.evidence import EvidenceFile, TerminalSigner, make_bundle
from app.certification.field import StaffConfirmation, TwoStaffError, VisitIncomplete
from app.certification.rules import Outcome
from app.clock import utcnow
from app.errors import AuthError
from app.store.models import AuditRecord, Operator
from server.demo_data import DEMO_PASSWORD
from tests.certification.conftest import client, terminal_client
from tests.certification.helpers import PRIMARY, SECOND_ID, draft_for, portrait
from tests.certification.test_evidence import _assign, _laptop_with_visits

pytestmark = pytest.mark.integration


class says:
    """pytest.raises for our errors, matching the Chinese message the user sees."""

    def __init__(self, kind, text: str):
        self.kind, self.text = kind, text

    def __enter__(self):
        return self

    def __exit__(self, et, exc, tb):
        assert et is not None, f"{self.kind.__name__} not raised"
        assert issubclass(et, self.kind), f"{et.__name__}: {exc}"
        message = getattr(exc, "user_message", str(exc))
        assert self.text in message, message
        return True


@pytest.fixture
def laptop(tmp_path, central):
    lap, ids = _laptop_with_visits(tmp_path, central, f"TS{uuid.uuid4().hex[:8]}", 2)
    lap.ids = ids
    yield lap
    lap.close()


FRAMES = [portrait(dx=i * 2, seed=i) for i in range(4)]


def test_second_staff_must_be_someone_else_with_their_own_password(laptop):
    vid = laptop.ids[0]
    with pytest.raises(TwoStaffError):
        laptop.field.verify_second_staff(visit_id=vid, primary_operator_id="field1", operator_id="field1",
                                         password=DEMO_PASSWORD)
    with says(AuthError, "密码错误"):
        laptop.field.verify_second_staff(visit_id=vid, primary_operator_id="field1", operator_id=SECOND_ID,
                                         password="guess")
    with says(AuthError, "未在本机登录过"):
        laptop.field.verify_second_staff(visit_id=vid, primary_operator_id="field1", operator_id="stranger",
                                         password=DEMO_PASSWORD)
    with pytest.raises(AuthError):
        laptop.field.verify_second_staff(visit_id=vid, primary_operator_id="field1", operator_id=SECOND_ID,
                                         password="")
    with laptop.store.session() as s:
        s.get(Operator, SECOND_ID).disabled = True
    with pytest.raises(AuthError):
        laptop.field.verify_second_staff(visit_id=vid, primary_operator_id="field1", operator_id=SECOND_ID,
                                         password=DEMO_PASSWORD)
    with laptop.store.session() as s:
        s.get(Operator, SECOND_ID).disabled = False
        refused = s.query(AuditRecord).filter_by(action="certification.second_staff.refused").count()
    assert refused >= 3  # failures are audited
    ok = laptop.field.verify_second_staff(visit_id=vid, primary_operator_id="field1", operator_id=SECOND_ID,
                                          password=DEMO_PASSWORD)
    assert ok.operator_id == SECOND_ID and ok.method == "verifier" and ok.visit_id == vid


def test_key_store_wrap_confirms_a_colleague_without_a_cached_verifier(laptop):
    keys = laptop.keystore.unlock("field1", DEMO_PASSWORD)
    laptop.keystore.add_operator(keys, "field3", "pw-field3")
    ok = laptop.field.verify_second_staff(visit_id=laptop.ids[0], primary_operator_id="field1",
                                          operator_id="field3", password="pw-field3", keystore=laptop.keystore)
    assert ok.method == "keystore"
    with pytest.raises(AuthError):
        laptop.field.verify_second_staff(visit_id=laptop.ids[0], primary_operator_id="field1", operator_id="field3",
                                         password="wrong", keystore=laptop.keystore)


def test_a_visit_cannot_be_saved_without_a_valid_second_confirmation(laptop):
    a, b = laptop.ids
    draft = draft_for(a, Outcome.certified, FRAMES)
    with says(VisitIncomplete, "第二名工作人员"):
        laptop.field.commit_visit(draft, PRIMARY, None)
    for_b = laptop.field.verify_second_staff(visit_id=b, primary_operator_id="field1", operator_id=SECOND_ID,
                                             password=DEMO_PASSWORD)
    with says(VisitIncomplete, "另一次走访"):
        laptop.field.commit_visit(draft, PRIMARY, for_b)
    old = StaffConfirmation(a, SECOND_ID, "外勤认证员二", utcnow() - timedelta(hours=1), "verifier")
    with says(VisitIncomplete, "30分钟"):
        laptop.field.commit_visit(draft, PRIMARY, old)
    forged = StaffConfirmation(a, PRIMARY.operator_id, PRIMARY.name, utcnow(), "verifier")
    with says(VisitIncomplete, "同一人"):
        laptop.field.commit_visit(draft, PRIMARY, forged)
    assert laptop.field.visit(a).state == "assigned"  # nothing was saved
    assert not any(laptop.field.vault.directory.rglob("*.sealed")) if laptop.field.vault.directory.exists() else True
    ok = laptop.field.verify_second_staff(visit_id=a, primary_operator_id="field1", operator_id=SECOND_ID,
                                          password=DEMO_PASSWORD)
    res = laptop.field.commit_visit(draft, PRIMARY, ok)
    assert res.files == 3 and laptop.field.visit(a).state == "captured"
    with says(Exception, "不能重复保存"):
        laptop.field.commit_visit(draft, PRIMARY, ok)


def test_visit_rules_per_outcome(laptop):
    a = laptop.ids[0]
    ok = laptop.field.verify_second_staff(visit_id=a, primary_operator_id="field1", operator_id=SECOND_ID,
                                          password=DEMO_PASSWORD)
    no_photos = draft_for(a, Outcome.certified, FRAMES, photos={})
    with pytest.raises(VisitIncomplete) as info:
        laptop.field.commit_visit(no_photos, PRIMARY, ok)
    assert any("002 §30" in p for p in info.value.problems) and any("本人照片" in p for p in info.value.problems)
    with says(VisitIncomplete, "签字"):
        laptop.field.commit_visit(draft_for(a, Outcome.certified, FRAMES, signature_png=None), PRIMARY, ok)
    with says(VisitIncomplete, "死亡日期"):
        laptop.field.commit_visit(draft_for(a, Outcome.deceased, FRAMES), PRIMARY, ok)
    with says(VisitIncomplete, "迁居"):
        laptop.field.commit_visit(draft_for(a, Outcome.moved, FRAMES), PRIMARY, ok)
    with says(VisitIncomplete, "医院"):
        laptop.field.commit_visit(draft_for(a, Outcome.hospitalised, FRAMES), PRIMARY, ok)
    waived = draft_for(a, Outcome.certified, FRAMES, signature_png=None, signature_waived="卧床，右手无法书写")
    assert laptop.field.commit_visit(waived, PRIMARY, ok).files == 2


def test_server_refuses_a_bundle_with_one_staff_member(central):
    """Even correctly signed by a registered terminal key, a bundle naming one person is refused (422)."""
    terminal_id = f"TS{uuid.uuid4().hex[:8]}"
    vid = _assign(central, "field1", 1)[0]
    with client(central.url) as admin:
        ssn = admin.get("/api/v1/certification/visits", params={"operator_id": "field1"}).json()
    ssn = next(v["ssn"] for v in ssn["visits"] if v["visit_id"] == vid)
    signer = TerminalSigner.generate()
    files = [EvidenceFile("person-1.jpg", "person", "image/jpeg", b"\xff\xd8 a photo")]
    with terminal_client(central.url, terminal_id) as t:
        assert t.put(f"/api/v1/certification/terminal-keys/{terminal_id}",
                     json={"key_id": signer.key_id, "public_key": signer.public_key}).status_code == 200
        for staff in ([{"operator_id": "field1", "role": "primary"}],
                      [{"operator_id": "field1", "role": "primary"}, {"operator_id": "field1", "role": "second"}],
                      [{"operator_id": "field1", "role": "primary"}, {"operator_id": "nobody", "role": "second"}],
                      [{"operator_id": "field1", "role": "primary"}, {"operator_id": "disabled1", "role": "second"}]):
            facts = {"visit_id": vid, "terminal_id": terminal_id, "seq": 1, "prev_sha256": None,
                     "person": {"ssn": ssn, "name": "x"}, "outcome": "certified", "result_list": "eligible",
                     "staff": staff, "captured_at": utcnow().isoformat(), "detail": {}}
            r = t.post(f"/api/v1/certification/visits/{vid}/bundle", json=make_bundle(signer, facts, files))
            assert r.status_code == 422 and r.json()["error"]["code"] == "two_staff_required", r.text
        facts["staff"] = [{"operator_id": "field1", "role": "primary"}, {"operator_id": "field2", "role": "second"}]
        no_image = make_bundle(signer, facts, [EvidenceFile("signature.png", "signature", "image/png", b"png")])
        r = t.post(f"/api/v1/certification/visits/{vid}/bundle", json=no_image)
        assert r.status_code == 422 and r.json()["error"]["code"] == "evidence_missing"
        r = t.post(f"/api/v1/certification/visits/{vid}/bundle", json=make_bundle(signer, facts, files))
        assert r.status_code == 201 and r.json()["verified"] is True
