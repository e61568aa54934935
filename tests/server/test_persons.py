"""Person lookup by 社会保障号码."""
from __future__ import annotations

import httpx
import pytest

from app.ids import parse_id_number
from server.demo_data import demo_person, demo_person_ssns, unknown_valid_ssn, with_wrong_check_char
from tests.server.conftest import assert_envelope


pytestmark = pytest.mark.integration


def test_employee_found_with_unit(authed: httpx.Client) -> None:
    ssn = demo_person_ssns("employee")[0]
    r = authed.get(f"/api/v1/persons/{ssn}")
    assert r.status_code == 200, r.text
    body = r.json()
    expected = demo_person(ssn)
    assert body["ssn"] == ssn
    assert body["name"] == expected.name
    facts = parse_id_number(ssn)
    assert body["gender"] == facts.gender
    assert body["birth_date"] == facts.birth_date.isoformat()
    assert body["village"] and body["hukou_address"].startswith("内蒙古自治区")
    assert len(body["postcode"]) == 6
    pension = [i for i in body["insurances"] if i["scheme"] == "企业职工基本养老保险"]
    assert pension and pension[0]["status"] == "参保缴费" and pension[0]["unit_name"]


def test_uninsured_person_has_no_records(authed: httpx.Client) -> None:
    ssn = demo_person_ssns("uninsured")[0]
    r = authed.get(f"/api/v1/persons/{ssn}")
    assert r.status_code == 200
    assert r.json()["insurances"] == []


def test_retiree_receives_benefits(authed: httpx.Client) -> None:
    body = authed.get(f"/api/v1/persons/{demo_person_ssns('retiree')[0]}").json()
    assert [i["status"] for i in body["insurances"]] == ["待遇领取"]


def test_lowercase_x_is_accepted(authed: httpx.Client) -> None:
    ssns = [s for s in demo_person_ssns("resident") + demo_person_ssns("employee") if s.endswith("X")]
    assert ssns, "demo data should contain a number ending in X"
    r = authed.get(f"/api/v1/persons/{ssns[0].lower()}")
    assert r.status_code == 200
    assert r.json()["ssn"] == ssns[0]


def test_unknown_person_is_404(authed: httpx.Client) -> None:
    err = assert_envelope(authed.get(f"/api/v1/persons/{unknown_valid_ssn()}"), 404, "person_not_found")
    assert err["message"] == "未找到该公民身份号码的参保人员信息"


def test_bad_check_digit_is_422(authed: httpx.Client) -> None:
    bad = with_wrong_check_char(demo_person_ssns("employee")[0])
    err = assert_envelope(authed.get(f"/api/v1/persons/{bad}"), 422, "invalid_ssn")
    assert "校验位" in err["message"]
    assert bad not in err["detail"], "the detail must not carry the full number"
    assert_envelope(authed.get("/api/v1/persons/12345"), 422, "invalid_ssn")
