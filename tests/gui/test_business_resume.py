"""继续办理 of a 待补正 case from 今日业务: the materials the 一次性告知书 listed, 继续受理, and the 受理回执."""
from PySide6.QtCore import Qt

from app.docs.text import format_cn_day
from app.workflow.machine import Action, Status
from tests.gui.helpers import ITEM, click_choice, fill_applicant, pdf_text, press_save, save
from ui.business.common import actor_for
from ui.business.resume import ResumeForm


def _correction_case(qtbot, window):
    form = window.open_item(ITEM)
    fill_applicant(qtbot, form)
    click_choice(qtbot, form.materials.rows["hukou_book"].selector, "missing")
    save(qtbot, form)
    assert form.last_result.outcome.value == "correction"
    return form.last_case


def test_resume_a_correction_case_to_accepted(qtbot, window, runtime):
    case = _correction_case(qtbot, window)
    table = window.cases_table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == "待补正", timeout=10000)

    cell = table.visualItemRect(table.item(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # a real double-click: Qt 6's QTest
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)  # needs the first click sent too
    qtbot.waitUntil(lambda: isinstance(window.tabs.currentWidget(), ResumeForm), timeout=10000)  # read on a worker
    resume = window.tabs.currentWidget()
    assert resume.case.case_id == case.case_id
    assert window.tabs.tabText(window.tabs.currentIndex()) == f"继续办理 {case.case_no[-4:]}"
    assert list(resume.materials.rows) == ["hukou_book"], "only what the 一次性告知书 listed"

    window.close_tab(window.tabs.currentIndex())
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens it too
    qtbot.waitUntil(lambda: isinstance(window.tabs.currentWidget(), ResumeForm), timeout=10000)
    resume = window.tabs.currentWidget()
    assert isinstance(resume, ResumeForm)
    selector = resume.materials.rows["hukou_book"].selector
    assert selector.focus_target().hasFocus(), "ready for the keyboard"

    press_save(qtbot, resume)  # still 缺少
    assert resume.message_label.text() == "材料仍不齐，尚缺：户口簿首页和本人页"
    assert runtime.cases.get(case.case_id).status == Status.correction.value

    qtbot.keyClick(selector.focus_target(), Qt.Key.Key_1)  # 1 = 已收取
    assert selector.value() == "present"
    pdf = save(qtbot, resume)

    view = resume.last_case
    assert view.status == Status.accepted.value and runtime.cases.get(case.case_id).status == "accepted"
    due = format_cn_day(runtime.cases.deadline(case.case_id).due)
    assert resume.message_label.text().startswith(
        f"补正材料已齐，继续受理：受理编号 {case.case_no}，当前状态 已受理，承诺办结日期 {due}")
    assert [e.kind for e in runtime.cases.events(case.case_id)] == ["notify_correction", "resume"]
    assert pdf.name == f"{case.case_no}-受理回执.pdf" and runtime.cases.get(case.case_id).document_path == str(pdf)
    text = pdf_text(pdf)
    assert "受理回执" in text and case.case_no in text and f"承诺办结日期{due}" in text
    assert "户口簿首页和本人页" in text and "已收取原件" in text
    qtbot.waitUntil(lambda: table.item(0, 4).text() == "已受理", timeout=10000)
    assert not resume.save_button.isEnabled()


def test_a_resumed_case_is_not_opened_twice(qtbot, window, runtime):
    case = _correction_case(qtbot, window)
    assert window.open_resume(case) is None  # read on a worker, then opened
    qtbot.waitUntil(lambda: isinstance(window.tabs.currentWidget(), ResumeForm), timeout=10000)
    first = window.tabs.currentWidget()
    assert window.open_resume(case) is first
    runtime.cases.act(case.case_id, Action.refuse, actor_for(runtime, window.session), reason="逾期未补正")
    window.close_tab(window.tabs.indexOf(first))
    assert window.open_resume(case) is None
    qtbot.waitUntil(lambda: "无需补正" in window.statusBar().currentMessage(), timeout=10000)  # nothing to continue
    assert not any(isinstance(window.tabs.widget(i), ResumeForm) for i in range(window.tabs.count()))
