"""Least privilege (issue 11 point 4): the role × action matrix (parametrised over every pair), per-item limits from
the catalog, agreement with the workflow's own role checks, personal-data export only by allowed roles and audited,
person views permission-checked and audited, and the central API refusing what the matrix refuses."""
from __future__ import annotations

import csv
from datetime import date

import httpx
import pytest
from sqlalchemy import select

from app.catalog import load_catalog
from app.ids import make_id_number, mask_id_number
from app.security import permissions as P
from app.security.export import export_cases
from app.security.permissions import Perm, PermissionDenied
from app.store.models import AuditRecord, Case
from app.workflow.machine import Action, History, Stages, Status, WorkflowError, plan
from app.workflow.roles import Role
from tests.security.auth_support import central, store  # noqa: F401  (fixtures)

# The expected matrix, written out independently of resources/security/permissions.yaml.
EXPECTED = {
    Role.clerk: {Perm.view_person, Perm.accept, Perm.print},
    Role.reviewer: {Perm.view_person, Perm.review, Perm.print, Perm.unmask},
    Role.rechecker: {Perm.view_person, Perm.recheck, Perm.print, Perm.unmask},
    Role.approver: {Perm.view_person, Perm.approve, Perm.print, Perm.unmask},
    Role.admin: {Perm.admin},
    Role.finance: {Perm.view_person, Perm.print},
    Role.data_admin: {Perm.view_person, Perm.export, Perm.unmask},
    Role.auditor: {Perm.view_person, Perm.export, Perm.unmask},
    Role.kiosk: {Perm.view_person, Perm.accept, Perm.print},
    Role.field: {Perm.view_person, Perm.accept, Perm.print},
}


@pytest.mark.parametrize("action", list(Perm), ids=lambda a: a.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_role_matrix(role, action):
    expected = action in EXPECTED[role]
    assert P.allowed([role.value], action) is expected
    if expected:
        P.require([role.value], action)
    else:
        with pytest.raises(PermissionDenied) as err:
            P.require([role.value], action)
        assert P.load_matrix().labels[action] in err.value.user_message and "权限" in err.value.user_message


def test_no_role_and_unknown_roles_grant_nothing():
    assert not any(P.allowed([], a) for a in Perm)
    assert not any(P.allowed(["superuser"], a) for a in Perm)


_WORKFLOW = {  # matrix action → (workflow action, status it acts on, stages)
    Perm.accept: (Action.accept, None, Stages()),
    Perm.review: (Action.approve_review, Status.review, Stages(review=True)),
    Perm.recheck: (Action.approve_recheck, Status.recheck, Stages(recheck=True)),
    Perm.approve: (Action.approve_final, Status.approval, Stages(approval=True)),
}


@pytest.mark.parametrize("action", list(_WORKFLOW), ids=lambda a: a.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_matrix_agrees_with_the_workflow_services(role, action):
    """CaseService enforces 受理/审核/复核/审批 through app.workflow.machine.plan: it must say what the matrix says."""
    wf_action, status, stages = _WORKFLOW[action]
    try:
        plan(wf_action, status, stages=stages, history=History(acceptor="someone-else"), operator_id="op",
             roles=(role,))
        allowed = True
    except WorkflowError:
        allowed = False
    assert allowed is P.allowed([role.value], action)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_channel_bound_roles_accept_only_items_of_their_channel(catalog):
    kiosk_items = [i for i in catalog.items if "kiosk" in {c.value for c in i.channels}]
    counter_only = [i for i in catalog.items if {c.value for c in i.channels} == {"counter"}]
    assert kiosk_items and counter_only
    assert P.allowed(["自助终端"], Perm.accept, item=kiosk_items[0])
    assert not P.allowed(["自助终端"], Perm.accept, item=counter_only[0])
    assert P.allowed(["受理员"], Perm.accept, item=counter_only[0])


@pytest.mark.parametrize("code", ["employee_pension_account_lump_sum", "employee_pension_funeral_survivor_grant"])
@pytest.mark.parametrize("role, ok", [("受理员", True), ("外勤人员", False), ("自助终端", False)])
def test_items_restricted_by_the_matrix(catalog, code, role, ok):
    item = catalog.get(code)
    assert P.allowed([role], Perm.accept, item=item) is ok
    if not ok:
        with pytest.raises(PermissionDenied) as err:
            P.require([role], Perm.accept, item=item)
        assert item.name in err.value.user_message


def test_matrix_file_is_validated():
    with pytest.raises(ValueError):
        P.parse_matrix({"schema_version": 1, "actions": {a.value: "x" for a in Perm},
                        "roles": {"受理员": ["acept"]}})  # a typo is an error, never a silent no-grant


# -- person views and export -----------------------------------------------------------------------------------------

def _audit(store) -> list[AuditRecord]:
    with store.session() as s:
        return list(s.scalars(select(AuditRecord).order_by(AuditRecord.id)))


SSN = make_id_number("150102", date(1980, 5, 17), 23, True)


def test_person_view_is_permission_checked_and_audited(store):
    P.view_person(store, roles=["受理员"], ssn=SSN, operator_id="demo", terminal_id="T01", purpose="受理")
    with pytest.raises(PermissionDenied):
        P.view_person(store, roles=["管理员"], ssn=SSN, operator_id="admin", terminal_id="T01", purpose="浏览")
    records = [(r.action, r.operator_id, r.object_id) for r in _audit(store)]
    assert ("person.view", "demo", SSN) in records
    assert ("permission.refused", "admin", SSN) in records
    assert ("person.view", "admin", SSN) not in records


def test_masking_follows_the_unmask_permission():
    assert P.mask_for(["受理员"], ssn=SSN, phone="13904711234") == {"ssn": mask_id_number(SSN),
                                                                      "phone": "139****1234"}
    assert P.mask_for(["审核员"], ssn=SSN, phone="13904711234") == {"ssn": SSN, "phone": "13904711234"}


def _add_case(store, name="=HYPERLINK(\"x\")"):
    from app.clock import utcnow

    with store.session() as s:
        now = utcnow()
        s.add(Case(case_id="c1", case_no="150102-T01-2025-000001", item_code="resident_pension_enrolment",
                   item_name="城乡居民养老保险参保登记", applicant_ssn=SSN, applicant_name=name, status="accepted",
                   payload={}, operator_id="demo", terminal_id="T01", agency_code="150102", created_at=now,
                   updated_at=now))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.name)
def test_export_only_by_allowed_roles_and_audited(store, tmp_path, role):
    _add_case(store)
    out = tmp_path / "exports"
    if Perm.export in EXPECTED[role]:
        result = export_cases(store, roles=[role.value], operator_id="op1", terminal_id="T01", directory=out,
                              file_name="../../台账:2025?.csv")
        assert result.path.parent == out and result.path.name == "台账_2025_.csv", "name sanitised, no traversal"
        rows = list(csv.reader(result.path.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[1][4] == SSN and rows[1][3].startswith("'="), "formula neutralised"
        rec = _audit(store)[-1]
        assert rec.action == "personal_data.export" and rec.detail["rows"] == 1 and rec.operator_id == "op1"
        assert SSN not in str(rec.detail), "the audit names the file, never the data"
    else:
        with pytest.raises(PermissionDenied):
            export_cases(store, roles=[role.value], operator_id="op1", terminal_id="T01", directory=out,
                         file_name="x.csv")
        assert not out.exists()
        assert _audit(store)[-1].action == "permission.refused"


@pytest.mark.integration
def test_central_api_enforces_view_person(central):
    url, _db = central
    ssn = None
    from server.demo_data import demo_person_ssns

    ssn = demo_person_ssns("employee")[0]
    for operator_id, status in (("demo", 200), ("admin", 403)):
        with httpx.Client(base_url=url, timeout=10) as c:
            token = c.post("/api/v1/auth/login", json={"operator_id": operator_id, "password": "demo1234",
                                                      "terminal_id": "T-P"}).json()["access_token"]
            r = c.get(f"/api/v1/persons/{ssn}", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == status, (operator_id, r.text)
            if status == 403:
                assert r.json()["error"]["code"] == "forbidden"
