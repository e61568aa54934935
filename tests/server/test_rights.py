"""GET /api/v1/rights-records/{ssn} (server/rights.py) and POST /api/v1/service-ratings (server/service_ratings.py),
on SQLite and PostgreSQL: the permission is checked like GET /persons (管理员 lacks 查询参保人员信息), every answer is
audited by the centre, errors are the Chinese envelope, and a visit's rating is stored once however often it is sent."""
from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.demo_data import demo_person, demo_person_ssns, unknown_valid_ssn, with_wrong_check_char
from tests.server.conftest import LiveServer, assert_envelope, login


def _as(c: httpx.Client, operator_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(c, operator_id).json()['access_token']}"}


def test_rights_record_is_the_persons_and_audited(client: httpx.Client, live_server: LiveServer) -> None:
    from server.rights import RightsRecordView

    ssn = demo_person_ssns("employee")[30]
    r = client.get(f"/api/v1/rights-records/{ssn}", headers=_as(client, "demo"),
                   params={"period_from": "2020-01", "period_to": "2021-12", "purpose": "窗口打印"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ssn"] == ssn and body["name"] == demo_person(ssn).name
    assert body["period_to"] == "2021-12" and all("2020-01" <= m["month"] <= "2021-12" for m in body["months"])
    paid = [m for m in body["months"] if m["status"] != "欠缴"]
    assert body["totals"]["months_paid"] == len(paid)
    assert Decimal(body["totals"]["personal_total"]) == sum(
        Decimal(m["pension_personal"]) + Decimal(m["medical_personal"]) + Decimal(m["unemployment_personal"])
        for m in paid)
    assert body["totals"]["contribution_years"] == sorted({int(m["month"][:4]) for m in paid})
    with Session(live_server.engine) as s:
        views = list(s.scalars(select(RightsRecordView).where(RightsRecordView.ssn == ssn,
                                                              RightsRecordView.purpose == "窗口打印")))
    assert [(v.principal_kind, v.principal, v.period_from, v.period_to) for v in views] == [
        ("operator", "demo", "2020-01", "2021-12")]


def test_rights_record_refusals(client: httpx.Client) -> None:
    ssn = demo_person_ssns("employee")[31]
    assert_envelope(client.get(f"/api/v1/rights-records/{ssn}"), 401, "unauthorized")
    admin = _as(client, "admin")  # 管理员 may not look at persons (permission matrix)
    assert_envelope(client.get(f"/api/v1/rights-records/{ssn}", headers=admin), 403, "forbidden")
    demo = _as(client, "demo")
    body = assert_envelope(client.get(f"/api/v1/rights-records/{unknown_valid_ssn()}", headers=demo), 404,
                           "person_not_found")
    assert body["message"] == "中心系统未查到您的参保记录"
    assert_envelope(client.get(f"/api/v1/rights-records/{with_wrong_check_char(ssn)}", headers=demo), 422,
                    "invalid_ssn")
    for params in ({"period_from": "2024-13"}, {"period_from": "2024-06", "period_to": "2024-01"}):
        assert_envelope(client.get(f"/api/v1/rights-records/{ssn}", headers=demo, params=params), 422,
                        "validation_error")


def test_resident_years_are_in_the_record(client: httpx.Client) -> None:
    ssn = demo_person_ssns("resident")[30]
    demo = _as(client, "demo")
    body = client.get(f"/api/v1/rights-records/{ssn}", headers=demo).json()
    truth = client.get(f"/api/v1/contributions/resident/{ssn}", headers=demo).json()
    assert body["resident"]["status"] == truth["status"]
    assert [(y["year"], y["grade"]) for y in body["resident"]["years"]] == [
        (y["year"], y["grade"]) for y in truth["years"] if str(y["year"]) <= body["period_to"][:4]]
    assert body["totals"]["resident_years_paid"] == len(body["resident"]["years"])


def test_a_visit_rating_is_stored_once(client: httpx.Client, live_server: LiveServer) -> None:
    from server.service_ratings import ServiceRating

    demo = _as(client, "demo")
    rating_id = str(uuid.uuid4())
    body = {"rating_id": rating_id, "rating": 2, "channel": "kiosk", "terminal_id": "T-K1",
            "activities": ["card_status", "queue"], "at": "2026-11-26T09:30:00+08:00"}
    first = client.post("/api/v1/service-ratings", json=body, headers=demo)
    again = client.post("/api/v1/service-ratings", json={**body, "rating": 5}, headers=demo)
    assert (first.status_code, first.json()["replayed"]) == (201, False)
    assert (again.status_code, again.json()["rating"], again.json()["replayed"]) == (200, 2, True)
    with Session(live_server.engine) as s:
        rows = list(s.scalars(select(ServiceRating).where(ServiceRating.rating_id == rating_id)))
    assert [(r.rating, r.activities, r.received_from) for r in rows] == [(2, ["card_status", "queue"], "demo")]
    assert_envelope(client.post("/api/v1/service-ratings", json={**body, "rating_id": str(uuid.uuid4()),
                                                                 "activities": ["shopping"]}, headers=demo),
                    422, "validation_error")
    assert_envelope(client.post("/api/v1/service-ratings", json=body), 401, "unauthorized")
