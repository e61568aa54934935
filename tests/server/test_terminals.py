"""Terminal registration, token rotation and enrolment codes."""
from __future__ import annotations

import uuid

import httpx
import pytest

from server.demo_data import DEMO_ENROLMENT_CODE
from server.testing import run_server_in_thread
from tests.server.conftest import assert_envelope, make_case


pytestmark = pytest.mark.integration


def _registration(terminal_id: str, **extra) -> dict:
    body = {"terminal_id": terminal_id, "agency_code": "150102", "region_code": "150102", "mode": "counter",
            "hostname": "counter-01", "client_version": "0.1.0", "enrolment_code": None}
    body.update(extra)
    return body


def test_terminal_token_can_submit_cases(client: httpx.Client) -> None:
    terminal_id = f"T-{uuid.uuid4().hex[:8]}"
    r = client.post("/api/v1/terminals/register", json=_registration(terminal_id))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["terminal_id"] == terminal_id and body["registered_at"]
    headers = {"Authorization": f"Bearer {body['terminal_token']}", "Idempotency-Key": str(uuid.uuid4())}
    case = make_case(terminal_id=terminal_id)
    r = client.post("/api/v1/cases", json=case, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["case_id"] == case["case_id"]


def test_reregistration_rotates_the_token(client: httpx.Client) -> None:
    terminal_id = f"T-{uuid.uuid4().hex[:8]}"
    first = client.post("/api/v1/terminals/register", json=_registration(terminal_id)).json()
    second = client.post("/api/v1/terminals/register", json=_registration(terminal_id, mode="kiosk")).json()
    assert first["terminal_token"] != second["terminal_token"]
    assert first["registered_at"] == second["registered_at"]
    old = client.get("/api/v1/catalog/version", headers={"Authorization": f"Bearer {first['terminal_token']}"})
    assert_envelope(old, 401, "unauthorized")
    new = client.get("/api/v1/catalog/version", headers={"Authorization": f"Bearer {second['terminal_token']}"})
    assert new.status_code == 200


def test_bad_mode_is_a_validation_error(client: httpx.Client) -> None:
    assert_envelope(client.post("/api/v1/terminals/register", json=_registration("T-X", mode="desk")), 422,
                    "validation_error")


@pytest.fixture
def closed_server(tmp_path):
    with run_server_in_thread(f"sqlite:///{tmp_path / 'closed.db'}", seed_demo=True,
                              auto_register_terminals=False) as base_url:
        with httpx.Client(base_url=base_url, timeout=30) as c:
            yield c


def test_enrolment_code_required_when_auto_registration_is_off(closed_server: httpx.Client) -> None:
    c = closed_server
    assert_envelope(c.post("/api/v1/terminals/register", json=_registration("T-A")), 403, "enrolment_required")
    assert_envelope(c.post("/api/v1/terminals/register", json=_registration("T-A", enrolment_code="WRONG")), 403,
                    "enrolment_required")
    ok = c.post("/api/v1/terminals/register", json=_registration("T-A", enrolment_code=DEMO_ENROLMENT_CODE))
    assert ok.status_code == 200, ok.text
    # the same terminal may re-register with its code; another terminal may not reuse it
    again = c.post("/api/v1/terminals/register", json=_registration("T-A", enrolment_code=DEMO_ENROLMENT_CODE))
    assert again.status_code == 200
    assert_envelope(c.post("/api/v1/terminals/register", json=_registration("T-B", enrolment_code=DEMO_ENROLMENT_CODE)),
                    403, "enrolment_required")
