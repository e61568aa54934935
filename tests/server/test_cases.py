"""Case intake: idempotency keys, lost keys, concurrency, conflicts, and reading a case back."""
from __future__ import annotations

import threading
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from server.models import Case, CaseEvent, IdempotencyKey
from tests.server.conftest import LiveServer, assert_envelope, make_case


pytestmark = pytest.mark.integration


def _count_cases(live: LiveServer, case_id: str) -> int:
    with live.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Case).where(Case.case_id == case_id))


def _post(c: httpx.Client, body: dict, key: str | None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return c.post("/api/v1/cases", json=body, headers=headers)


def test_first_submission_is_received(authed: httpx.Client, live_server: LiveServer) -> None:
    body = make_case()
    r = _post(authed, body, str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert receipt["case_id"] == body["case_id"] and receipt["case_no"] == body["case_no"]
    assert receipt["server_status"] == "received" and receipt["server_ref"].startswith("YC")
    assert "idempotent-replayed" not in r.headers
    got = authed.get(f"/api/v1/cases/{body['case_id']}")
    assert got.status_code == 200
    assert got.json() == {
        "case_id": body["case_id"], "case_no": body["case_no"], "item_code": "JM-001", "status": "受理",
        "server_status": "received", "received_at": receipt["received_at"], "server_ref": receipt["server_ref"],
    }
    with live_server.engine.connect() as conn:
        events = conn.scalars(select(CaseEvent.event_id).join(Case).where(Case.case_id == body["case_id"])).all()
    assert events == [body["events"][0]["event_id"]]


def test_same_key_twice_replays_the_first_response(authed: httpx.Client, live_server: LiveServer) -> None:
    body, key = make_case(), str(uuid.uuid4())
    first = _post(authed, body, key)
    # same content, other key order and formatting: still the same request
    second = authed.post("/api/v1/cases", content=_reordered_json(body),
                         headers={"Idempotency-Key": key, "Content-Type": "application/json"})
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.content == first.content
    assert _count_cases(live_server, body["case_id"]) == 1


def _reordered_json(body: dict) -> bytes:
    import json

    return json.dumps(dict(reversed(list(body.items()))), ensure_ascii=True, indent=2).encode()


def test_same_key_other_body_is_refused(authed: httpx.Client, live_server: LiveServer) -> None:
    body, key = make_case(), str(uuid.uuid4())
    assert _post(authed, body, key).status_code == 201
    changed = dict(body, payload={"contribution_grade": 500})
    assert_envelope(_post(authed, changed, key), 422, "idempotency_key_reused")
    assert_envelope(_post(authed, make_case(), key), 422, "idempotency_key_reused")
    assert _count_cases(live_server, body["case_id"]) == 1


def test_same_case_under_a_new_key_is_not_duplicated(authed: httpx.Client, live_server: LiveServer) -> None:
    body = make_case()
    first = _post(authed, body, str(uuid.uuid4()))
    new_key = str(uuid.uuid4())
    again = _post(authed, body, new_key)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert _count_cases(live_server, body["case_id"]) == 1
    replay = _post(authed, body, new_key)  # the new key is remembered too
    assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
    assert replay.content == again.content


def test_missing_key_is_400(authed: httpx.Client, live_server: LiveServer) -> None:
    body = make_case()
    assert_envelope(_post(authed, body, None), 400, "idempotency_key_required")
    assert_envelope(_post(authed, body, ""), 400, "idempotency_key_required")
    assert _count_cases(live_server, body["case_id"]) == 0


def test_invalid_applicant_ssn_is_422(authed: httpx.Client, live_server: LiveServer) -> None:
    body = make_case(applicant_ssn="150102199001011231")
    assert_envelope(_post(authed, body, str(uuid.uuid4())), 422, "invalid_ssn")
    assert _count_cases(live_server, body["case_id"]) == 0


def test_bad_body_is_a_validation_error(authed: httpx.Client) -> None:
    err = assert_envelope(_post(authed, make_case(case_id="not-a-uuid"), str(uuid.uuid4())), 422, "validation_error")
    assert "case_id" in err["detail"]


def test_case_no_of_another_case_is_a_conflict(authed: httpx.Client, live_server: LiveServer) -> None:
    first = make_case()
    assert _post(authed, first, str(uuid.uuid4())).status_code == 201
    other = make_case(case_no=first["case_no"])
    assert_envelope(_post(authed, other, str(uuid.uuid4())), 409, "case_no_conflict")
    assert _count_cases(live_server, other["case_id"]) == 0


def test_unknown_case_is_404(authed: httpx.Client) -> None:
    assert_envelope(authed.get(f"/api/v1/cases/{uuid.uuid4()}"), 404, "case_not_found")
    assert_envelope(authed.get("/api/v1/cases/garbage"), 404, "case_not_found")


def _race(live: LiveServer, token: str, requests: list[tuple[dict, str]]) -> list[httpx.Response]:
    """Send the requests at once, one thread each, and return the responses in order."""
    barrier = threading.Barrier(len(requests))
    results: list[httpx.Response | BaseException | None] = [None] * len(requests)

    def send(i: int, body: dict, key: str) -> None:
        try:
            with httpx.Client(base_url=live.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
                barrier.wait()
                results[i] = _post(c, body, key)
        except BaseException as exc:  # noqa: BLE001 - reported below
            results[i] = exc

    threads = [threading.Thread(target=send, args=(i, b, k)) for i, (b, k) in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for r in results:
        assert isinstance(r, httpx.Response), r
    return results  # type: ignore[return-value]


def test_concurrent_same_key_creates_one_record(live_server: LiveServer, operator_token: str) -> None:
    body, key = make_case(), str(uuid.uuid4())
    responses = _race(live_server, operator_token, [(body, key)] * 8)
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    assert len({r.content for r in responses}) == 1
    assert sum(1 for r in responses if r.headers.get("idempotent-replayed") == "true") == 7
    assert _count_cases(live_server, body["case_id"]) == 1
    with live_server.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(IdempotencyKey).where(IdempotencyKey.key == key)) == 1


def test_concurrent_same_case_under_different_keys_creates_one_record(
    live_server: LiveServer, operator_token: str
) -> None:
    body = make_case()
    responses = _race(live_server, operator_token, [(body, str(uuid.uuid4())) for _ in range(8)])
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201], [r.text for r in responses]
    assert len({r.json()["server_ref"] for r in responses}) == 1
    assert _count_cases(live_server, body["case_id"]) == 1


def test_event_id_of_another_case_is_a_conflict(authed: httpx.Client, live_server: LiveServer) -> None:
    first = make_case()
    assert _post(authed, first, str(uuid.uuid4())).status_code == 201
    other = make_case()
    other["events"][0]["event_id"] = first["events"][0]["event_id"]
    assert_envelope(_post(authed, other, str(uuid.uuid4())), 409, "event_conflict")
    assert _count_cases(live_server, other["case_id"]) == 0
