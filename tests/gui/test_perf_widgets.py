"""Issue 13, the GUI thread's cheap paths: 今日业务 is refreshed in place (new cases on top, the oldest dropped, only
changed rows written) and stays correct; the idle lock's application-wide event filter steps aside after the
first input and is armed again later, and input still keeps the window unlocked."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class _Case:
    case_id: str
    case_no: str
    item_name: str = "城乡居民养老保险参保登记"
    applicant_name: str = "乌兰"
    applicant_ssn: str = "150102196601011234"
    status: str = "accepted"
    sync_state: str = "pending"
    created_at: datetime = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    document_path: str | None = None
    version: int = 1

    @property
    def status_label(self) -> str:
        return "待补正" if self.status == "correction" else "已受理"

    @property
    def sync_label(self) -> str:
        return "待上传"


def _numbers(table) -> list[str]:
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_todays_cases_are_refreshed_in_place(qtbot):
    from ui.widgets.cases_table import CasesTable

    table = CasesTable()
    qtbot.addWidget(table)
    cases: list = []
    for n in range(230):  # past the window's 200 recent cases: new on top, the oldest falls off the end
        cases = [_Case(f"id{n}", f"T07-{n:06d}"), *cases][:200]
        table.show_cases(cases)
    assert _numbers(table) == [c.case_no for c in cases]
    first_cell = table.item(1, 0)
    cases[3] = replace(cases[3], status="correction", version=2)
    table.show_cases(cases)
    assert table.item(3, 4).text() == "待补正" and table.case_at(3).status == "correction"
    assert table.item(1, 0) is first_cell, "an unchanged row is not written again"
    table.show_cases(cases[10:])  # cases left the top: rewritten, still right
    assert _numbers(table) == [c.case_no for c in cases[10:]]


def test_the_idle_lock_filter_steps_aside_after_input(qtbot, window, runtime, session):
    from ui.lock import install_idle_lock

    lock = install_idle_lock(window, runtime, session, timeout_seconds=1.0)  # re-armed every 50 ms
    assert lock._armed
    qtbot.keyClick(window.search_edit, Qt.Key.Key_A)
    assert not lock._armed, "after the first input no Python runs for every event"
    qtbot.waitUntil(lambda: lock._armed, timeout=2000)
    for _ in range(6):  # typing for longer than the timeout keeps the window unlocked
        qtbot.keyClick(window.search_edit, Qt.Key.Key_B)
        qtbot.wait(250)
    assert not lock.is_locked and lock.policy.idle_seconds() < 0.6
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass  # no input: it locks by itself
