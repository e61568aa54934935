"""The sync endpoints of the reference server, on SQLite and PostgreSQL: batch intake exactly once, verdicts feed,
re-submission, chunked attachments verified per chunk and per file, versioned person updates, reference data delta."""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone

import pytest

from server.demo_data import demo_person, demo_person_ssns
from tests.sync.conftest import login, terminal_client, tid

pytestmark = pytest.mark.integration


def case_body(terminal_id: str, **over) -> dict:
    ssn = demo_person_ssns("uninsured")[0]
    now = datetime(2026, 3, 3, 1, 30, tzinfo=timezone.utc).isoformat()
    body = {"case_id": str(uuid.uuid4()), "case_no": f"150102-{terminal_id}-{uuid.uuid4().hex[:10]}",
            "item_code": "resident_pension_enrolment", "item_name": "城乡居民养老保险参保登记", "applicant_ssn": ssn,
            "applicant_name": demo_person(ssn).name, "agency_code": "150102", "terminal_id": terminal_id,
            "operator_id": "demo", "status": "completed", "accepted_at": now, "payload": {"form": {"ssn": ssn}},
            "events": [{"event_id": str(uuid.uuid4()), "kind": "accept", "from_status": None, "to_status": "accepted",
                        "operator_id": "demo", "role": "受理员", "terminal_id": terminal_id, "at": now,
                        "reason": None}]}
    body.update(over)
    return body


def test_batch_is_exactly_once_per_item(any_central):
    t = tid("B")
    with terminal_client(any_central.url, t) as c:
        bodies = [case_body(t) for _ in range(5)]
        items = [{"idempotency_key": str(uuid.uuid4()), "case": b} for b in bodies]
        bad = case_body(t, applicant_ssn="150102198001011234")  # wrong check digit: this item alone is refused
        items.append({"idempotency_key": str(uuid.uuid4()), "case": bad})
        r = c.post("/api/v1/cases/batch", json={"items": items})
        assert r.status_code == 200, r.text
        res = r.json()["results"]
        assert [x["status"] for x in res] == [201] * 5 + [422]
        assert res[5]["body"]["error"]["code"] == "invalid_ssn"
        first = [x["body"] for x in res[:5]]

        # the same batch again (the answer was lost): every item replays its first answer, nothing new
        again = c.post("/api/v1/cases/batch", json={"items": items[:5]}).json()["results"]
        assert [x["body"] for x in again] == first and all(x["replayed"] for x in again)
        # one of them alone through the single endpoint, same key and body: replayed too
        single = c.post("/api/v1/cases", json=bodies[0], headers={"Idempotency-Key": items[0]["idempotency_key"]})
        assert single.status_code == 201 and single.json() == first[0]
        # the same key with another body is refused; the same case under a fresh key is not created twice
        changed = dict(bodies[1], applicant_name="别人")
        r2 = c.post("/api/v1/cases/batch", json={"items": [
            {"idempotency_key": items[1]["idempotency_key"], "case": changed},
            {"idempotency_key": str(uuid.uuid4()), "case": bodies[2]}]}).json()["results"]
        assert r2[0]["status"] == 422 and r2[0]["body"]["error"]["code"] == "idempotency_key_reused"
        assert r2[1]["status"] == 200 and r2[1]["body"]["case_id"] == bodies[2]["case_id"]
        # a case number already used by another case
        clash = case_body(t, case_no=bodies[3]["case_no"])
        r3 = c.post("/api/v1/cases/batch", json={"items": [{"idempotency_key": str(uuid.uuid4()), "case": clash}]})
        assert r3.json()["results"][0]["status"] == 409


def test_verdicts_feed_and_resubmission(any_central):
    t = tid("V")
    with terminal_client(any_central.url, t) as c, login(any_central.url, "approve1") as admin, \
            login(any_central.url, "demo") as clerk:
        body = case_body(t)
        assert c.post("/api/v1/cases", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).status_code == 201
        cid = body["case_id"]
        r = clerk.post(f"/api/v1/cases/{cid}/decision", json={"status": "accepted"})
        assert r.status_code == 403  # a 受理员 gives no central verdicts
        r = admin.post(f"/api/v1/cases/{cid}/decision", json={"status": "needs_correction"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "reason_required"
        r = admin.post(f"/api/v1/cases/{cid}/decision", json={"status": "needs_correction", "reason": "联系电话有误"})
        assert r.status_code == 200 and r.json()["server_status"] == "needs_correction"

        feed = c.get("/api/v1/sync/statuses", params={"since": 0}).json()
        mine = [ch for ch in feed["changes"] if ch["case_id"] == cid]
        assert mine[-1]["server_status"] == "needs_correction" and mine[-1]["reason"] == "联系电话有误"
        assert c.get("/api/v1/sync/statuses", params={"since": feed["cursor"]}).json()["changes"] == []
        other = terminal_client(any_central.url, tid("W"))
        assert all(ch["case_id"] != cid for ch in other.get("/api/v1/sync/statuses").json()["changes"])
        other.close()

        key = str(uuid.uuid4())
        resub = {"case_no": body["case_no"], "applicant_name": body["applicant_name"], "status": "completed",
                 "payload": {"form": {"phone": "13900000000"}}, "note": "改正联系电话", "operator_id": "demo",
                 "at": datetime.now(timezone.utc).isoformat()}
        r = c.post(f"/api/v1/cases/{cid}/resubmission", json=resub, headers={"Idempotency-Key": key})
        assert r.status_code == 201, r.text
        again = c.post(f"/api/v1/cases/{cid}/resubmission", json=resub, headers={"Idempotency-Key": key})
        assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
        r = c.post(f"/api/v1/cases/{cid}/resubmission", json=resub, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_awaiting_resubmission"
        assert c.get(f"/api/v1/cases/{cid}").json()["server_status"] == "resubmitted"


def test_chunked_upload_verifies_chunks_and_file(any_central):
    t = tid("A")
    with terminal_client(any_central.url, t) as c:
        data = bytes(range(256)) * 40 + b"tail"  # 10,244 bytes: 3 chunks of 4096
        aid, case_id = str(uuid.uuid4()), str(uuid.uuid4())  # the case may come later
        meta = {"case_id": case_id, "material_code": "id_document", "file_name": "id.png", "mime_type": "image/png",
                "size_bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "chunk_size": 4096}
        st = c.put(f"/api/v1/attachments/{aid}", json=meta).json()
        assert st["state"] == "uploading" and st["chunk_count"] == 3 and st["received"] == []
        chunks = [data[i:i + 4096] for i in range(0, len(data), 4096)]

        def put(i, payload, digest=None):
            return c.put(f"/api/v1/attachments/{aid}/chunks/{i}", content=payload,
                         headers={"X-Chunk-SHA256": digest or hashlib.sha256(payload).hexdigest(),
                                  "Content-Type": "application/octet-stream"})

        r = put(0, chunks[0], hashlib.sha256(b"other").hexdigest())
        assert r.status_code == 422 and r.json()["error"]["code"] == "chunk_hash_mismatch"
        assert put(0, chunks[0]).status_code == 200
        assert put(0, chunks[0]).status_code == 200  # idempotent
        r = c.post(f"/api/v1/attachments/{aid}/complete")
        assert r.status_code == 409 and r.json()["error"]["code"] == "chunks_missing"
        assert c.put(f"/api/v1/attachments/{aid}", json=meta).json()["received"] == [0]  # resume point
        assert put(1, chunks[1]).status_code == 200 and put(2, chunks[2]).status_code == 200
        done = c.post(f"/api/v1/attachments/{aid}/complete").json()
        assert done["state"] == "complete" and done["received"] == [0, 1, 2]
        got = c.get(f"/api/v1/attachments/{aid}/content")
        assert got.content == data and got.headers["X-Content-SHA256"] == meta["sha256"]
        assert c.put(f"/api/v1/attachments/{aid}", json={**meta, "size_bytes": 5}).status_code == 409

        # a file whose chunks each arrive intact but do not make the declared file: refused and cleared
        bid = str(uuid.uuid4())
        c.put(f"/api/v1/attachments/{bid}", json={**meta, "sha256": hashlib.sha256(b"x").hexdigest()})
        for i, ch in enumerate(chunks):
            assert put_for(c, bid, i, ch).status_code == 200
        r = c.post(f"/api/v1/attachments/{bid}/complete")
        assert r.status_code == 422 and r.json()["error"]["code"] == "file_hash_mismatch"
        assert c.get(f"/api/v1/attachments/{bid}").json()["received"] == []


def put_for(c, aid, i, payload):
    return c.put(f"/api/v1/attachments/{aid}/chunks/{i}", content=payload,
                 headers={"X-Chunk-SHA256": hashlib.sha256(payload).hexdigest(),
                          "Content-Type": "application/octet-stream"})


def test_person_update_refuses_a_stale_base(any_central):
    ssn = demo_person_ssns("employee")[-1]
    with login(any_central.url, "demo") as c:
        cur = c.get(f"/api/v1/sync/persons/{ssn}").json()
        v = cur["version"]
        at = datetime.now(timezone.utc).isoformat()

        def patch(base, phone, key=None):
            return c.patch(f"/api/v1/persons/{ssn}", headers={"Idempotency-Key": key or str(uuid.uuid4())},
                           json={"base_version": base, "changes": {"phone": phone}, "operator_id": "demo",
                                 "terminal_id": "T-A", "at": at})

        key = str(uuid.uuid4())
        r = patch(v, "13911112222", key)
        assert r.status_code == 200 and r.json()["version"] == v + 1 and r.json()["data"]["phone"] == "13911112222"
        assert patch(v, "13911112222", key).json()["version"] == v + 1  # a retry replays, no second change
        stale = patch(v, "13933334444")
        assert stale.status_code == 409
        body = stale.json()
        assert body["error"]["code"] == "person_conflict"
        assert body["current"]["version"] == v + 1 and body["current"]["data"]["phone"] == "13911112222"
        assert c.get(f"/api/v1/sync/persons/{ssn}").json()["data"]["phone"] == "13911112222"


def test_refdata_delta_with_versions_and_assignments(any_central):
    ssn = demo_person_ssns("uninsured")[-1]
    op = f"field{uuid.uuid4().hex[:6]}"
    with login(any_central.url, "admin") as admin, login(any_central.url, "demo") as c:
        first = c.get("/api/v1/refdata/delta", params={"since": 0}).json()
        kinds = {(i["kind"], i["key"]) for i in first["items"]}
        assert ("catalog", "current") in kinds and ("calendar", "2026") in kinds
        assert ("parameter", "sync.guardrails") in kinds
        assert not any(i["kind"] == "person" for i in first["items"])  # no operator: no persons
        cursor = first["cursor"]
        assert c.get("/api/v1/refdata/delta", params={"since": cursor}).json()["items"] == []

        assert c.put("/api/v1/refdata/parameter/x.test", json={"data": {"a": 1}}).status_code == 403
        r = admin.put("/api/v1/refdata/parameter/x.test", json={"data": {"a": 2}})
        assert r.status_code == 200
        version = r.json()["version"]
        assert admin.put(f"/api/v1/field-assignments/{op}/{ssn}").status_code == 200
        d = c.get("/api/v1/refdata/delta", params={"since": cursor, "operator_id": op}).json()
        got = {(i["kind"], i["key"]): i for i in d["items"]}
        assert got[("parameter", "x.test")]["version"] == version and got[("parameter", "x.test")]["data"] == {"a": 2}
        person = got[("person", ssn)]
        assert person["data"]["name"] and person["version"] >= 1
        assert c.get("/api/v1/refdata/delta", params={"since": cursor}).json()["items"][0]["kind"] == "parameter"

        assert admin.delete(f"/api/v1/field-assignments/{op}/{ssn}").status_code == 204
        d2 = c.get("/api/v1/refdata/delta", params={"since": d["cursor"], "operator_id": op}).json()
        assert d2["items"] == [{"kind": "person", "key": ssn, "version": 0, "deleted": True, "data": None}]
