"""The server is the authority on separation of duties and on races between reviewers (issue: workflow)."""
import uuid
from datetime import date

import pytest

from app.bootstrap import bootstrap
from app.cases.service import Actor, MaterialState
from app.config import Settings
from app.errors import ServerRejected
from app.ids import make_id_number
from app.paths import resolve_paths
from app.sync.client import CentralApi
from app.workflow.machine import Action
from server.testing import run_server_in_thread

A = Actor("demo", "演示柜员", "受理员", "T01", "150102", ("受理员",))
ITEM = "ent_employee_personal_info_change"


def _form(item):
    form = {f.key: "" for f in item.fields}
    form.update({"ssn": make_id_number("150102", date(1975, 3, 9), 31, True), "name": "巴特尔",
                 "change_level": "重要信息"})
    for f in item.fields:
        if f.required and not form.get(f.key):
            form[f.key] = f.options[0] if f.options else ("13904711234" if f.type.value == "phone" else "变更内容")
    return form


@pytest.fixture
def world(tmp_path):
    with run_server_in_thread(f"sqlite:///{tmp_path / 'central.db'}", seed_demo=True) as url:
        rt = bootstrap(resolve_paths(tmp_path / "t1"), Settings.model_validate({"server": {"url": url}}),
                       console_log=False)
        yield rt, url
        rt.close()


def _login(url, op):
    api = CentralApi(url)
    api.token = api.login(op, "demo1234", "T09")["access_token"]
    return api


def _event(case_id, kind, frm, to, op, role, reason=None):
    return {"event_id": str(uuid.uuid4()), "kind": kind, "from_status": frm, "to_status": to, "operator_id": op,
            "role": role, "terminal_id": "T09", "at": "2026-11-25T08:00:00+00:00", "reason": reason}


def test_server_refuses_self_review_and_second_reviewer(world):
    rt, url = world
    item = rt.catalog.get(ITEM)
    materials = {m.code: MaterialState.present.value for m in item.materials}
    result = rt.cases.intake(ITEM, _form(item), materials, A, confirmed={i: True for i in range(len(item.conditions))})
    assert result.outcome.value == "accepted", result
    rt.cases.act(result.case.case_id, Action.submit, A)
    while rt.relay.run_once():
        pass
    assert rt.relay.status().pending == 0 and rt.relay.status().failed == 0
    case_id = result.case.case_id
    path = f"/api/v1/cases/{case_id}/events"

    # the acceptor may not review the case (000 §6; 受理员 has no 审核 right)
    demo = _login(url, "demo")
    with pytest.raises(ServerRejected) as err:
        demo.send("POST", path, _event(case_id, "approve_review", "review", "recheck", "demo", "受理员"),
                  str(uuid.uuid4()))
    assert err.value.status == 409

    b, c = _login(url, "audit1"), _login(url, "audit2")
    first = _event(case_id, "approve_review", "review", "recheck", "audit1", "审核员")
    key = str(uuid.uuid4())
    status, body = b.send("POST", path, first, key)
    assert status == 201 and body["status"] == "recheck"
    assert b.send("POST", path, first, key)[0] == 201  # replayed, not applied twice
    with pytest.raises(ServerRejected) as err:  # a second reviewer acting on the same case at once
        c.send("POST", path, _event(case_id, "approve_review", "review", "recheck", "audit2", "审核员"),
               str(uuid.uuid4()))
    assert err.value.status == 409 and err.value.code == "stale_case" and "已被其他人员处理" in err.value.user_message

    # the reviewer cannot also do the 复核 (002 §40), even with a 复核员 role claim
    with pytest.raises(ServerRejected) as err:
        b.send("POST", path, _event(case_id, "approve_recheck", "recheck", "completed", "audit1", "复核员"),
               str(uuid.uuid4()))
    assert err.value.status == 409 and err.value.code == "workflow_refused"
    r = _login(url, "recheck1")
    status, body = r.send("POST", path, _event(case_id, "approve_recheck", "recheck", "completed", "recheck1",
                                               "复核员"), str(uuid.uuid4()))
    assert status == 201 and body["status"] == "completed"
    assert CentralApi(url, token=r.token).case(case_id)["status"] == "completed"
