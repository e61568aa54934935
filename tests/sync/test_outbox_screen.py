"""The clerk's outbox screen (pytest-qt, offscreen) against a real server: filter and search, open a failed item,
correct and resubmit it, handle a rejection, resolve a person conflict; last successful sync in the summary."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.config import Settings, TerminalConfig
from app.store.models import OutboxMessage
from server.demo_data import demo_person_ssns
from tests.sync.conftest import login, tid
from tests.sync.terminal import catalog, make_terminal

pytestmark = [pytest.mark.integration, pytest.mark.gui]


@pytest.fixture(scope="session")
def qapp():
    from ui.app import create_qapplication

    return create_qapplication(["yichuang-sync-tests"])


@pytest.fixture
def setup(tmp_path, central, qapp):
    t = make_terminal(tmp_path, central.url, tid("Q"))
    runtime = SimpleNamespace(store=t.store, relay=t.relay, catalog=catalog(),
                              settings=Settings(terminal=TerminalConfig(terminal_id=t.terminal_id)))
    yield t, runtime, SimpleNamespace(operator_id="demo", name="演示柜员")
    from ui.bridge import settle

    settle(10000)
    qapp.processEvents()
    t.close()


def _screen(qtbot, runtime, session):
    from ui.outbox.screen import OutboxScreen

    screen = OutboxScreen(runtime, session)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.loads >= 1, timeout=10000)
    return screen


def _reload(qtbot, screen, group, text=""):
    before = screen.loads
    screen.set_filter(group, text)
    qtbot.waitUntil(lambda: screen.loads > before and not screen._loading, timeout=10000)
    return screen.model.rows


def test_filter_search_correct_and_resubmit(qtbot, setup, central):
    t, runtime, session = setup
    views = [t.new_case() for _ in range(4)]
    with t.store.session() as s:  # the centre will refuse this one
        m = s.scalar(select(OutboxMessage).where(OutboxMessage.aggregate_id == views[1].case_id))
        m.body = {**m.body, "applicant_ssn": "150102198001011234"}
    screen = _screen(qtbot, runtime, session)
    assert len(screen.model.rows) == 4 and "尚未成功同步" in screen.summary_label.text()
    assert screen.filter_buttons["pending"].text().endswith("4")

    t.relay.run_once()
    failed = _reload(qtbot, screen, "failed")
    assert [r.aggregate_id for r in failed] == [views[1].case_id]
    assert "最近一次成功同步" in screen.summary_label.text() and "需处理：1" in screen.summary_label.text()
    assert [r.case_no for r in _reload(qtbot, screen, "all", views[2].case_no)] == [views[2].case_no]
    assert _reload(qtbot, screen, "all", "没有这个人") == []

    rows = _reload(qtbot, screen, "failed")
    dlg = screen.make_dialog(rows[0].message_id)
    qtbot.addWidget(dlg)
    assert dlg.resubmit_button.isVisibleTo(dlg) and dlg.retry_button.isVisibleTo(dlg)
    dlg.form_edits["phone"].setText("13904719999")
    qtbot.mouseClick(dlg.resubmit_button, Qt.MouseButton.LeftButton)
    assert dlg.changed and "重新排队" in dlg.message_label.text()
    assert t.relay.run_once() == 1
    assert _reload(qtbot, screen, "failed") == []
    assert len(_reload(qtbot, screen, "sent")) == 4

    # the centre sends one back for correction; the clerk corrects it from the 被退回 list
    with login(central.url, "approve1") as admin:  # a verdict needs 审核/复核/审批 (issue 11 matrix)
        admin.post(f"/api/v1/cases/{views[3].case_id}/decision",
                   json={"status": "needs_correction", "reason": "联系电话空号"})
    t.relay.run_once(pull=True)
    rejected = _reload(qtbot, screen, "rejected")
    assert [r.aggregate_id for r in rejected] == [views[3].case_id] and rejected[0].problem == "联系电话空号"
    dlg = screen.make_dialog(rejected[0].message_id)
    qtbot.addWidget(dlg)
    dlg.form_edits["phone"].setText("13904718888")
    dlg.note_edit.setText("已电话核实")
    qtbot.mouseClick(dlg.resubmit_button, Qt.MouseButton.LeftButton)
    assert dlg.changed
    assert _reload(qtbot, screen, "rejected") == []
    assert t.relay.run_once() == 1


def test_conflict_dialog_shows_both_versions(qtbot, setup, central):
    t, runtime, session = setup
    ssn = demo_person_ssns("employee")[7]
    t.relay.run_once()  # registered: the terminal token lets it look the person up
    base = t.persons.fetch(ssn)
    with login(central.url, "demo") as other:  # another terminal changes the phone first
        r = other.patch(f"/api/v1/persons/{ssn}", headers={"Idempotency-Key": str(uuid.uuid4())},
                        json={"base_version": base.version, "changes": {"phone": "13712345678"},
                              "operator_id": "demo", "terminal_id": "OTHER",
                              "at": datetime.now(timezone.utc).isoformat()})
        assert r.status_code == 200
    t.persons.edit(ssn, {"phone": "13787654321"}, operator_id="demo", terminal_id=t.terminal_id)
    t.relay.run_once()
    screen = _screen(qtbot, runtime, session)
    rows = _reload(qtbot, screen, "conflict")
    assert len(rows) == 1 and rows[0].state_label == "信息冲突"
    dlg = screen.make_dialog(rows[0].message_id)
    qtbot.addWidget(dlg)
    assert dlg.conflict_button.isVisibleTo(dlg)
    from ui.outbox.detail import ConflictDialog

    conflict = ConflictDialog(runtime, session, rows[0].message_id, dlg)
    qtbot.addWidget(conflict)
    assert conflict.mine_buttons["phone"].text() == "13787654321"
    assert conflict.theirs_buttons["phone"].text() == "13712345678"
    assert conflict.mine_buttons["phone"].isChecked()
    qtbot.mouseClick(conflict.all_theirs, Qt.MouseButton.LeftButton)
    assert conflict.resolved
    assert _reload(qtbot, screen, "conflict") == []
    assert t.persons.get(ssn).data["phone"] == "13712345678"
