"""Two terminals edit the same person: the second update was made on a stale version, the server refuses it, the
clerk sees both versions and chooses; afterwards both terminals and the centre hold the same version."""
from __future__ import annotations

import pytest

from app.errors import YichuangError
from app.sync import outbox_view
from server.demo_data import demo_person_ssns
from tests.sync.conftest import login, tid
from tests.sync.terminal import make_terminal

pytestmark = pytest.mark.integration


@pytest.fixture
def two(tmp_path, central):
    ssn = demo_person_ssns("resident")[11]
    a = make_terminal(tmp_path, central.url, tid("PA"), mode="field", operator_id="demo")
    b = make_terminal(tmp_path, central.url, tid("PB"), mode="field", operator_id="demo")
    with login(central.url, "admin") as admin:
        assert admin.put(f"/api/v1/field-assignments/demo/{ssn}").status_code == 200
    for t in (a, b):
        t.relay.operator_id = "demo"
        t.relay.run_once(pull=True)  # field terminals receive the assigned person with its version
    yield a, b, ssn
    with login(central.url, "admin") as admin:
        admin.delete(f"/api/v1/field-assignments/demo/{ssn}")
    a.close()
    b.close()


def _edit(t, ssn, **changes):
    return t.persons.edit(ssn, changes, operator_id="demo", terminal_id=t.terminal_id)


def test_conflict_shown_resolved_and_both_converge(two, central):
    a, b, ssn = two
    base = a.persons.get(ssn)
    assert base is not None and b.persons.get(ssn).version == base.version

    _edit(a, ssn, phone="13800000001")
    _edit(a, ssn, residence_address="呼和浩特市新城区海东路1号")  # folded into the same unsent update
    _edit(b, ssn, phone="13900000002", postcode="010010")  # offline on the same version
    assert a.relay.run_once() == 1
    assert b.relay.run_once() == 0

    st = b.relay.status()
    assert st.conflicts == 1
    page = outbox_view.search(b.store, "conflict")
    assert page.total == 1 and page.rows[0].state_label == "信息冲突"
    (c,) = b.persons.conflicts()
    # both versions are shown: what B typed, and what the centre holds now (A's change)
    assert c.mine == {"phone": "13900000002", "postcode": "010010"}
    assert c.theirs["phone"] == "13800000001" and c.theirs_version == base.version + 1
    assert c.base["phone"] == "13900000002"
    assert {"phone", "postcode", "residence_address"} <= set(c.fields)
    # nothing was overwritten centrally
    srv = a.persons.fetch(ssn)
    assert srv.data["phone"] == "13800000001" and srv.version == base.version + 1

    # the clerk keeps the centre's phone, and her own postcode
    merged = {"phone": c.theirs["phone"], "postcode": "010010",
              "residence_address": c.theirs["residence_address"]}
    b.persons.resolve(c.message_id, "merged", merged=merged, operator_id="demo", terminal_id=b.terminal_id)
    with pytest.raises(YichuangError):
        b.persons.resolve(c.message_id, "mine", operator_id="demo", terminal_id=b.terminal_id)
    assert b.relay.run_once() == 1
    assert b.relay.status().conflicts == 0

    a.relay.run_once(pull=True)  # the delta brings B's resolution to A
    pa, pb = a.persons.get(ssn), b.persons.get(ssn)
    assert pa.version == pb.version == base.version + 2
    assert pa.data == pb.data
    assert pa.data["phone"] == "13800000001" and pa.data["postcode"] == "010010"
    assert pa.data["residence_address"] == "呼和浩特市新城区海东路1号"
    assert not pa.pending_edit and not pb.pending_edit
    assert a.persons.fetch(ssn).data == pa.data


def test_theirs_drops_the_local_edit(two, central):
    a, b, ssn = two
    _edit(a, ssn, phone="13700000003")
    _edit(b, ssn, phone="13700000004")
    a.relay.run_once()
    b.relay.run_once()
    (c,) = b.persons.conflicts()
    view = b.persons.resolve(c.message_id, "theirs", operator_id="demo", terminal_id=b.terminal_id)
    assert view.data["phone"] == "13700000003" and not view.pending_edit
    assert b.relay.run_once() == 0 and b.unsent() == {}
    a.relay.run_once(pull=True)
    assert a.persons.get(ssn).data == b.persons.get(ssn).data


def test_edit_while_the_previous_one_is_in_flight(two, central):
    """A second edit queued while the first is on its way is based on the first one's result, not refused."""
    from app.sync.outbox import claim

    a, _b, ssn = two
    _edit(a, ssn, phone="13600000005")
    claimed = claim(a.store, batch_size=1)  # the first update is in flight
    _edit(a, ssn, postcode="010020")  # cannot be folded into it: chained after it
    from app.sync.outbox import recover_inflight

    assert claimed and recover_inflight(a.store) == 1
    assert a.relay.drain(10)
    p = a.persons.fetch(ssn)
    assert p.data["phone"] == "13600000005" and p.data["postcode"] == "010020"
    assert a.relay.status().conflicts == 0


def test_a_persons_change_goes_before_a_case_of_that_person(two, central):
    a, _b, ssn = two
    _edit(a, ssn, phone="13500000006")
    with pytest.raises(YichuangError):  # an unknown person cannot be edited offline
        a.persons.edit("150102198001011235", {"phone": "13500000007"}, operator_id="demo",
                       terminal_id=a.terminal_id)
    v = a.new_case(ssn=ssn)
    from app.sync.outbox import claim, recover_inflight

    first = claim(a.store, batch_size=10)
    assert [m.kind for m in first.messages] == ["person.update"]  # the case waits for its person
    assert claim(a.store, batch_size=10) is None
    recover_inflight(a.store)
    assert a.relay.run_once() == 2
    assert a.cases.get(v.case_id).sync_state == "synced"
