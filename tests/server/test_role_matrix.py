"""Least privilege on the central API (issue 11): for every action of resources/security/permissions.yaml that the
server carries out (查询, 受理, 审核, 复核, 审批, 打印, 导出, 系统管理), an allowed role succeeds and a disallowed role gets
403 with a Chinese message — through the real server on loopback, one operator per role, operator tokens and a
terminal token acting for a named operator; the same for each route that carries a check (POST /cases, case events,
GET /cases/{id}, POST /certificates, certification lists and reports)."""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy.orm import Session

from app.security.permissions import Perm, default_matrix
from server.db import make_engine
from server.demo_data import DEMO_PASSWORD, demo_person_ssns
from server.models import Operator
from server.security import hash_password
from server.testing import run_server_in_thread
from tests.server.conftest import make_case

pytestmark = pytest.mark.integration
CJK = re.compile(r"[\u4e00-\u9fff]")
ROLE_OPS = {role.value: f"m-{i}" for i, role in enumerate(default_matrix().roles)}


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'central.db'}"
    with run_server_in_thread(db, seed_demo=True) as url:
        engine = make_engine(db)
        with Session(engine) as s:
            for role, op in ROLE_OPS.items():
                s.add(Operator(operator_id=op, name=f"岗位{role}", password_hash=hash_password(DEMO_PASSWORD),
                               roles=[role], agency_code="150102", status="active"))
            s.commit()
        engine.dispose()
        yield url


@contextmanager
def _as(url: str, role: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as c:
        r = c.post("/api/v1/auth/login", json={"operator_id": ROLE_OPS[role], "password": DEMO_PASSWORD,
                                               "terminal_id": "T-MATRIX"})
        assert r.status_code == 200, r.text
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        yield c


def _submitted_case(url: str, item_code: str = "JM-001") -> str:
    """A case received by the centre (submitted by the demo 受理员's terminal), to give verdicts on."""
    with _as(url, "受理员") as clerk:
        body = make_case(operator_id=ROLE_OPS["受理员"], item_code=item_code)
        r = clerk.post("/api/v1/cases/batch", json={"items": [{"idempotency_key": str(uuid.uuid4()), "case": body}]})
        assert r.json()["results"][0]["status"] == 201, r.text
        return body["case_id"]


def _forbidden(r: httpx.Response) -> None:
    assert r.status_code == 403, r.text
    err = r.json()["error"]
    assert err["code"] == "forbidden" and CJK.search(err["message"]) and "权限" in err["message"]


def _view_person(c: httpx.Client) -> httpx.Response:
    return c.get(f"/api/v1/sync/persons/{demo_person_ssns('employee')[0]}")


def _accept(c: httpx.Client, operator: str) -> httpx.Response:
    """The batch answers 200 with each item's own status: the item is what is refused."""
    body = make_case(operator_id=operator)
    r = c.post("/api/v1/cases/batch", json={"items": [{"idempotency_key": str(uuid.uuid4()), "case": body}]})
    item = r.json()["results"][0]
    return httpx.Response(item["status"], json=item["body"])


def _decide(url: str, c: httpx.Client, stage: str) -> httpx.Response:
    case_id = _submitted_case(url)
    return c.post(f"/api/v1/cases/{case_id}/decision",
                  json={"status": "needs_correction", "reason": "材料不全", "stage": stage})


def _admin(c: httpx.Client) -> httpx.Response:
    return c.put("/api/v1/auth/policies/150102", json={})


def _certificate_body(operator_id: str | None = None) -> dict:
    """A 个人参保证明 about to be printed (fresh content each call, so each is a new issue)."""
    body = {"kind": "personal_certificate",
            "content": {"kind": "personal_certificate", "title": "个人参保证明",
                        "subject": {"id": demo_person_ssns("employee")[0], "name": "测试"},
                        "agency": {"name": "呼和浩特市新城区社会保险事业管理局", "code": "150102"},
                        "issued_on": "2026-01-05", "summary": [["参保险种", "企业职工基本养老保险"],
                                                               ["流水", uuid.uuid4().hex]]}}
    if operator_id is not None:
        body["operator_id"] = operator_id
    return body


def _print(c: httpx.Client) -> httpx.Response:
    return c.post("/api/v1/certificates", json=_certificate_body())


def _export(c: httpx.Client) -> httpx.Response:
    return c.get("/api/v1/certification/results", params={"year": 2026})


# action → (a role holding it, a role not holding it, the call)
SERVER_ACTIONS = {
    "view_person": ("财务人员", "管理员", lambda url, c, role: _view_person(c)),
    "accept": ("受理员", "审核员", lambda url, c, role: _accept(c, ROLE_OPS[role])),
    "review": ("审核员", "复核员", lambda url, c, role: _decide(url, c, "review")),
    "recheck": ("复核员", "审核员", lambda url, c, role: _decide(url, c, "recheck")),
    "approve": ("审批人", "受理员", lambda url, c, role: _decide(url, c, "approve")),
    "admin": ("管理员", "审批人", lambda url, c, role: _admin(c)),
    "print": ("财务人员", "管理员", lambda url, c, role: _print(c)),
    "export": ("稽核员", "受理员", lambda url, c, role: _export(c)),
}
# Seeing full ID and phone numbers is decided where they are shown: the terminal's screens and prints
# (app.security.permissions.mask_for); the central API hands records to terminals, which mask them per role.
TERMINAL_ONLY = {"unmask"}


def test_every_action_of_the_matrix_is_accounted_for():
    assert set(SERVER_ACTIONS) | TERMINAL_ONLY == {p.value for p in Perm}
    for action, (yes, no, _call) in SERVER_ACTIONS.items():
        assert default_matrix().allowed([yes], action) and not default_matrix().allowed([no], action)


@pytest.mark.parametrize("action", sorted(SERVER_ACTIONS))
def test_allowed_role_succeeds_and_disallowed_role_gets_403(central, action):
    yes, no, call = SERVER_ACTIONS[action]
    with _as(central, yes) as c:
        r = call(central, c, yes)
        assert r.status_code in (200, 201), r.text
    with _as(central, no) as c:
        _forbidden(call(central, c, no))


def test_a_verdict_without_stage_needs_one_of_the_three_back_office_permissions(central):
    for role in ("管理员", "受理员", "数据管理员"):
        with _as(central, role) as c:
            case_id = _submitted_case(central)
            _forbidden(c.post(f"/api/v1/cases/{case_id}/decision", json={"status": "accepted"}))
    with _as(central, "审批人") as c:
        assert c.post(f"/api/v1/cases/{_submitted_case(central)}/decision",
                      json={"status": "accepted"}).status_code == 200


def test_item_restricted_to_the_counter_is_refused_to_the_kiosk_and_field_roles(central):
    item = "employee_pension_account_lump_sum"
    with _as(central, "受理员") as c:
        assert _accept_item(c, ROLE_OPS["受理员"], item).status_code == 201
    for role in ("外勤人员", "自助终端"):
        with _as(central, role) as c:
            r = _accept_item(c, ROLE_OPS[role], item)
            assert r.status_code == 403 and "事项" in r.json()["error"]["message"]


def _accept_item(c: httpx.Client, operator: str, item: str) -> httpx.Response:
    body = make_case(operator_id=operator, item_code=item)
    r = c.post("/api/v1/cases/batch", json={"items": [{"idempotency_key": str(uuid.uuid4()), "case": body}]})
    res = r.json()["results"][0]
    return httpx.Response(res["status"], json=res["body"])


@contextmanager
def _registered_terminal(central: str, tag: str):
    """A newly registered counter terminal: its client, authorised with its terminal token, and its ID."""
    tid = f"T-{tag}{uuid.uuid4().hex[:6]}"
    with httpx.Client(base_url=central, timeout=30) as t:
        r = t.post("/api/v1/terminals/register", json={"terminal_id": tid,
                                                       "agency_code": "150102", "region_code": "150102",
                                                       "mode": "counter", "hostname": "matrix",
                                                       "client_version": "test"})
        assert r.status_code in (200, 201), r.text
        t.headers["Authorization"] = f"Bearer {r.json()['terminal_token']}"
        yield t, tid


def test_a_terminal_token_acts_for_the_operator_it_names(central):
    """The relay's terminal token: the roles are those of the case's operator as the centre knows them."""
    with _registered_terminal(central, "M") as (t, tid):
        assert _accept(t, ROLE_OPS["受理员"]).status_code == 201
        _forbidden(_accept(t, ROLE_OPS["稽核员"]))
        r = _accept(t, "nobody-here")
        assert r.status_code == 403 and r.json()["error"]["code"] == "operator_unknown"
        r = _accept(t, "disabled1")
        assert r.status_code == 403 and r.json()["error"]["code"] == "operator_disabled"
        # a contact change names its operator too
        ssn = demo_person_ssns("employee")[1]
        base = t.get(f"/api/v1/sync/persons/{ssn}").json()["version"]  # the counter terminal's own role may look
        r = t.patch(f"/api/v1/persons/{ssn}", headers={"Idempotency-Key": str(uuid.uuid4())},
                    json={"base_version": base, "changes": {"phone": "13900000000"},
                          "operator_id": ROLE_OPS["财务人员"], "terminal_id": tid, "at": "2026-01-05T08:00:00Z"})
        _forbidden(r)


def _event(case_id: str, kind: str, frm: str, to: str, operator: str, role: str) -> dict:
    return {"event_id": str(uuid.uuid4()), "kind": kind, "from_status": frm, "to_status": to, "operator_id": operator,
            "role": role, "terminal_id": "T-MATRIX", "at": "2026-01-05T08:00:00+00:00", "reason": None}


def test_each_route_with_a_check_allows_and_refuses(central):
    """POST /cases (受理), GET /cases/{id} (查询), POST /certificates (打印), certification lists and reports (导出)."""
    def post_case(c: httpx.Client, operator: str) -> httpx.Response:
        return c.post("/api/v1/cases", json=make_case(operator_id=operator),
                      headers={"Idempotency-Key": str(uuid.uuid4())})

    with _as(central, "受理员") as c:
        r = post_case(c, ROLE_OPS["受理员"])
        assert r.status_code == 201, r.text
        case_id = r.json()["case_id"]
    for role in ("审核员", "管理员", "数据管理员"):
        with _as(central, role) as c:
            _forbidden(post_case(c, ROLE_OPS[role]))
    with _as(central, "审批人") as c:
        assert c.get(f"/api/v1/cases/{case_id}").json()["case_id"] == case_id
    with _as(central, "管理员") as c:
        _forbidden(c.get(f"/api/v1/cases/{case_id}"))
    for role in ("受理员", "自助终端", "外勤人员", "审核员"):
        with _as(central, role) as c:
            assert _print(c).status_code == 201
    for role in ("管理员", "数据管理员", "稽核员"):
        with _as(central, role) as c:
            _forbidden(_print(c))
    reports = [("/api/v1/certification/results", {"year": 2026}),
               ("/api/v1/certification/reports/yearly", {"year": 2026, "region": "15"}),
               ("/api/v1/certification/reports/monthly", {"month": "2026-01"})]
    for role in ("数据管理员", "稽核员"):
        with _as(central, role) as c:
            assert [c.get(p, params=q).status_code for p, q in reports] == [200, 200, 200]
    for role in ("管理员", "受理员", "审核员", "审批人"):
        with _as(central, role) as c:
            for p, q in reports:
                _forbidden(c.get(p, params=q))


def test_case_events_need_the_step_permission_of_their_operator(central):
    """POST /cases/{id}/events: a verdict needs its stage's permission, a front-office step 受理 — as the centre knows
    the operator named by a terminal's request (an operator the centre does not know is refused)."""
    with _registered_terminal(central, "E") as (t, _tid):
        body = make_case(operator_id=ROLE_OPS["受理员"], item_code="ent_employee_personal_info_change",
                         payload={"form": {"change_level": "重要信息"}}, status="accepted")  # 审核 and 复核 stages
        body["events"][0].update(operator_id=ROLE_OPS["受理员"], to_status="accepted")
        case_id = body["case_id"]
        assert t.post("/api/v1/cases", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).status_code == 201

        def send(event: dict) -> httpx.Response:
            return t.post(f"/api/v1/cases/{case_id}/events", json=event, headers={"Idempotency-Key": str(uuid.uuid4())})

        # an operator unknown to the centre may not take the front-office step
        r = send(_event(case_id, "submit", "accepted", "review", "nobody-here", "受理员"))
        assert r.status_code == 403 and r.json()["error"]["code"] == "operator_unknown"
        r = send(_event(case_id, "submit", "accepted", "review", ROLE_OPS["受理员"], "受理员"))
        assert r.status_code == 201, r.text
        assert r.json()["status"] == "review"
        # 审核 by an operator the centre does not know is refused; by a real 审核员 it passes
        r = send(_event(case_id, "approve_review", "review", "recheck", "ghost-reviewer", "审核员"))
        assert r.status_code == 403 and r.json()["error"]["code"] == "operator_unknown"
        r = send(_event(case_id, "approve_review", "review", "recheck", ROLE_OPS["审核员"], "审核员"))
        assert r.status_code == 201 and r.json()["status"] == "recheck", r.text
        # an operator token acts as itself: a 数据管理员 (no 复核) recording a 复核 for someone is refused
        with _as(central, "数据管理员") as c:
            _forbidden(c.post(f"/api/v1/cases/{case_id}/events", headers={"Idempotency-Key": str(uuid.uuid4())},
                              json=_event(case_id, "approve_recheck", "recheck", "completed", ROLE_OPS["复核员"],
                                          "复核员")))
        r = send(_event(case_id, "approve_recheck", "recheck", "completed", ROLE_OPS["复核员"], "复核员"))
        assert r.status_code == 201 and r.json()["status"] == "completed", r.text


def test_event_permission_maps_steps_to_matrix_actions():
    from server.security import event_permission

    assert event_permission("approve_review", "审核员") == "review"
    assert event_permission("approve_recheck", "复核员") == "recheck"
    assert event_permission("approve_final", "审批人") == "approve"
    assert event_permission("return", "复核员") == "recheck"
    assert event_permission("submit", "受理员") == "accept"
    assert event_permission("complete", "受理员") == "accept"


def test_a_terminal_prints_for_the_operator_it_names(central):
    with _registered_terminal(central, "P") as (t, _tid):
        assert t.post("/api/v1/certificates", json=_certificate_body()).status_code == 201  # the counter's role
        assert t.post("/api/v1/certificates", json=_certificate_body(ROLE_OPS["审批人"])).status_code == 201
        _forbidden(t.post("/api/v1/certificates", json=_certificate_body(ROLE_OPS["数据管理员"])))
