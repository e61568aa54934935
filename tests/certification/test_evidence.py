"""Evidence bundles: signed and hashed on the laptop; any change after signing — a photo's bytes, a manifest field,
the signature, a file added or removed, another key — is detected on the laptop and refused by the server, which
keeps the untouched twin. Sealed files on disk: a changed or swapped file does not open."""
import copy
import json
import uuid

import httpx
import pytest

from app.certification.evidence import (EvidenceFile, EvidenceTampered, EvidenceVault, TerminalSigner, b64,
                                        make_bundle, unb64, verify_bundle)
from app.certification.rules import Outcome
from app.store.models import CertEvidence, OutboxMessage
from tests.certification.conftest import DATA_OFFICE, client, terminal_client
from tests.certification.helpers import PRIMARY, SECOND_ID, draft_for, make_laptop, next_people, portrait
from server.demo_data import DEMO_PASSWORD

pytestmark = pytest.mark.integration


def _bundle(signer=None):
    signer = signer or TerminalSigner.generate()
    facts = {"visit_id": "v1", "terminal_id": "T1", "seq": 1, "prev_sha256": None, "outcome": "certified",
             "person": {"ssn": "150102194501011234", "name": "乌兰"},
             "staff": [{"operator_id": "a", "role": "primary"}, {"operator_id": "b", "role": "second"}]}
    files = [EvidenceFile("person-1.jpg", "person", "image/jpeg", b"\xff\xd8photo-bytes" * 50),
             EvidenceFile("signature.png", "signature", "image/png", b"\x89PNGsig" * 30)]
    return signer, make_bundle(signer, facts, files)


def test_untouched_bundle_verifies():
    signer, bundle = _bundle()
    v = verify_bundle(bundle, public_key=signer.public_key)
    assert v.files["person-1.jpg"].startswith(b"\xff\xd8") and len(v.sha256) == 64


@pytest.mark.parametrize("tamper", ["photo_byte", "manifest_field", "signature", "extra_file", "missing_file",
                                    "other_key", "hash_rewritten"])
def test_any_change_after_signing_is_detected(tamper):
    signer, bundle = _bundle()
    bad = copy.deepcopy(bundle)
    if tamper == "photo_byte":
        data = bytearray(unb64(bad["files"]["person-1.jpg"]))
        data[10] ^= 0x01
        bad["files"]["person-1.jpg"] = b64(bytes(data))
    elif tamper == "manifest_field":
        bad["manifest"]["outcome"] = "deceased"
    elif tamper == "signature":
        sig = bytearray(unb64(bad["signature"]))
        sig[0] ^= 0xFF
        bad["signature"] = b64(bytes(sig))
    elif tamper == "extra_file":
        bad["files"]["note.txt"] = b64(b"added later")
    elif tamper == "missing_file":
        del bad["files"]["signature.png"]
    elif tamper == "other_key":  # re-signed by someone else's key
        other, _ = _bundle()
        bad["manifest"]["outcome"] = "deceased"
        bad = make_bundle(other, {k: v for k, v in bad["manifest"].items() if k not in ("format", "key_id", "files")},
                          [EvidenceFile(e["name"], e["kind"], e["mime_type"], unb64(bundle["files"][e["name"]]))
                           for e in bundle["manifest"]["files"]])
    elif tamper == "hash_rewritten":  # file changed and its manifest hash updated to match: signature breaks
        import hashlib

        new = b"\xff\xd8another photo"
        bad["files"]["person-1.jpg"] = b64(new)
        entry = bad["manifest"]["files"][0]
        entry["size"], entry["sha256"] = len(new), hashlib.sha256(new).hexdigest()
    with pytest.raises(EvidenceTampered) as info:
        verify_bundle(bad, public_key=signer.public_key)
    assert info.value.problems and info.value.code == "evidence_tampered"


def test_sealed_files_detect_changes_and_swaps(tmp_path):
    vault = EvidenceVault(tmp_path, b"k" * 32)
    rel_a = vault.put("visit-1", "person-1.jpg", b"photo A")
    rel_b = vault.put("visit-1", "with_staff-1.jpg", b"photo B")
    assert vault.get(rel_a, "visit-1", "person-1.jpg") == b"photo A"
    assert b"photo A" not in (tmp_path / rel_a).read_bytes()
    with pytest.raises(EvidenceTampered):  # swapped: the name is bound into the seal
        vault.get(rel_b, "visit-1", "person-1.jpg")
    box = json.loads((tmp_path / rel_a).read_text())
    box["ct"] = box["ct"][:-4] + ("AAAA" if box["ct"][-4:] != "AAAA" else "BBBB")
    (tmp_path / rel_a).write_text(json.dumps(box))
    with pytest.raises(EvidenceTampered):
        vault.get(rel_a, "visit-1", "person-1.jpg")
    with pytest.raises(Exception):
        EvidenceVault(tmp_path, b"")  # no DEK, no field data


def _assign(central, operator_id: str, n: int) -> list[str]:
    with client(central.url, DATA_OFFICE) as data:
        ssns = [r["ssn"] for r in data.get("/api/v1/certification/results",
                                           params={"year": 2020}).json()["lists"]["to_verify"]]
    with client(central.url) as admin:
        r = admin.post("/api/v1/certification/visit-assignments",
                       json={"operator_id": operator_id, "ssns": next_people(ssns, n), "reason": "测试"})
        assert r.status_code == 200, r.text
        return [v["visit_id"] for v in r.json()["visits"]]


def _laptop_with_visits(tmp_path, central, terminal_id, n=2):
    from app.sync.client import CentralApi
    from tests.certification.conftest import token

    ids = _assign(central, PRIMARY.operator_id, n)
    lap = make_laptop(tmp_path, central.url, terminal_id)
    api = CentralApi(central.url, 30, token=token(central.url, PRIMARY.operator_id, terminal_id))
    lap.field.download(api, PRIMARY.operator_id)
    api.close()
    return lap, ids


def test_laptop_detects_a_sealed_file_changed_after_signing(tmp_path, central):
    lap, ids = _laptop_with_visits(tmp_path, central, f"TE{uuid.uuid4().hex[:8]}", 1)
    try:
        vid = ids[0]
        frames = [portrait(dx=i * 2, seed=i) for i in range(5)]
        conf = lap.field.verify_second_staff(visit_id=vid, primary_operator_id=PRIMARY.operator_id,
                                             operator_id=SECOND_ID, password=DEMO_PASSWORD)
        lap.field.commit_visit(draft_for(vid, Outcome.certified, frames), PRIMARY, conf)
        assert lap.field.verify_visit(vid) == []
        with lap.store.session() as s:
            ev = s.query(CertEvidence).filter_by(owner_id=vid, file_name="person-1.jpg").one()
            rel = ev.path
        path = lap.field.vault.directory / rel
        raw = bytearray(path.read_bytes())
        raw[40] = ord("A") if raw[40] != ord("A") else ord("B")
        path.write_bytes(bytes(raw))
        problems = lap.field.verify_visit(vid)
        assert any("person-1.jpg" in p for p in problems)
        # the queued bundle changed in the (encrypted) database is caught as well
        with lap.store.session() as s:
            msg = s.query(OutboxMessage).filter_by(aggregate_id=vid).one()
            body = copy.deepcopy(msg.body)
            body["manifest"]["notes"] = "改过的备注"
            msg.body = body
        assert any("签名无效" in p for p in lap.field.verify_visit(vid))
    finally:
        lap.close()


def test_server_refuses_a_tampered_bundle_and_keeps_the_original(tmp_path, central):
    terminal_id = f"TE{uuid.uuid4().hex[:8]}"
    lap, ids = _laptop_with_visits(tmp_path, central, terminal_id, 2)
    try:
        frames = [portrait(dx=i * 2, seed=i) for i in range(5)]
        for vid in ids:
            conf = lap.field.verify_second_staff(visit_id=vid, primary_operator_id=PRIMARY.operator_id,
                                                 operator_id=SECOND_ID, password=DEMO_PASSWORD)
            lap.field.commit_visit(draft_for(vid, Outcome.certified, frames), PRIMARY, conf)
        # someone edits the queued bundle of the first visit after signing (a photo replaced)
        with lap.store.session() as s:
            msg = s.query(OutboxMessage).filter_by(aggregate_id=ids[0]).one()
            body = copy.deepcopy(msg.body)
            body["files"]["person-1.jpg"] = b64(b"\xff\xd8 someone else's photo")
            msg.body = body
        assert lap.relay.drain(60)
        with lap.store.session() as s:
            states = {m.aggregate_id: (m.state, m.error_code) for m in s.query(OutboxMessage)
                      .filter(OutboxMessage.aggregate_id.in_(ids))}
        assert states[ids[0]] == ("failed", "evidence_tampered")
        assert states[ids[1]][0] == "sent"
        assert lap.field.wipe_confirmed() == 1
        assert {v.visit_id: v.state for v in lap.field.visits(include_wiped=True) if v.visit_id in ids} == \
            {ids[0]: "failed", ids[1]: "wiped"}
        with client(central.url) as admin:
            assert admin.get(f"/api/v1/certification/visits/{ids[0]}/receipt").status_code == 404
            assert admin.get(f"/api/v1/certification/visits/{ids[1]}/receipt").json()["verified"] is True
        # the same tampering tried directly by the terminal's own token: refused with the reason
        with lap.store.session() as s:
            body = s.query(OutboxMessage).filter_by(aggregate_id=ids[0]).one().body
        with terminal_client(central.url, terminal_id) as t:
            r = t.post(f"/api/v1/certification/visits/{ids[0]}/bundle", json=body)
        # a re-registration rotates the token but the key stays registered: still refused for the content
        assert r.status_code == 422 and r.json()["error"]["code"] == "evidence_tampered"
        # the refused visit is captured again and this time accepted
        lap.field.reopen(ids[0], PRIMARY.operator_id)
        assert lap.field.visit(ids[0]).state == "assigned"
        conf = lap.field.verify_second_staff(visit_id=ids[0], primary_operator_id=PRIMARY.operator_id,
                                             operator_id=SECOND_ID, password=DEMO_PASSWORD)
        lap.field.commit_visit(draft_for(ids[0], Outcome.certified, frames), PRIMARY, conf)
        assert lap.relay.drain(60)
        assert lap.field.wipe_confirmed() == 1
        with client(central.url) as admin:
            assert admin.get(f"/api/v1/certification/visits/{ids[0]}/receipt").json()["verified"] is True
        with pytest.raises(Exception):
            lap.field.reopen(ids[1], PRIMARY.operator_id)  # only refused visits
    finally:
        lap.close()


def test_bundle_from_another_terminal_is_refused(tmp_path, central):
    terminal_id = f"TE{uuid.uuid4().hex[:8]}"
    lap, ids = _laptop_with_visits(tmp_path, central, terminal_id, 1)
    try:
        conf = lap.field.verify_second_staff(visit_id=ids[0], primary_operator_id=PRIMARY.operator_id,
                                             operator_id=SECOND_ID, password=DEMO_PASSWORD)
        lap.field.commit_visit(draft_for(ids[0], Outcome.certified, [portrait(dx=i) for i in range(4)]), PRIMARY,
                               conf)
        with lap.store.session() as s:
            body = s.query(OutboxMessage).filter_by(aggregate_id=ids[0]).one().body
        with terminal_client(central.url, f"TX{uuid.uuid4().hex[:8]}") as other:
            r = other.post(f"/api/v1/certification/visits/{ids[0]}/bundle", json=body)
        assert r.status_code == 403
        with httpx.Client(base_url=central.url) as anon:
            assert anon.post(f"/api/v1/certification/visits/{ids[0]}/bundle", json=body).status_code == 401
    finally:
        lap.close()
