"""Calculators reachable from the counter's finder (Ctrl+F, "退休年龄", "养老金测算") and from the business screens of
the items that need them (企业职工正常退休申请 → 测算, prefilled from the applicant), computed and printed to PDF."""
import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.ids import make_id_number
from tests.gui.helpers import type_text

pytestmark = pytest.mark.gui

RETIREMENT_ITEM = "employee_pension_normal_retirement"
SSN = make_id_number("150102", date(1966, 5, 10), 31, True)


def _texts(window) -> list[str]:
    return [window.items_list.item(r).text() for r in range(window.items_list.count())]


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout.replace("\n", "")


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_finder_lists_calculators_and_opens_one(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the search box
    assert window.search_edit.hasFocus()
    type_text(qtbot, window.search_edit, "退休年龄")
    texts = _texts(window)
    assert "测算工具" in texts and "测算：法定退休年龄与退休时间测算" in texts
    assert texts.index("测算工具") < texts.index("测算：法定退休年龄与退休时间测算")
    assert "calc:retirement_age" in window.items_list.codes()

    assert window.items_list.select_code("calc:retirement_age")
    window.items_list.setFocus()
    qtbot.keyClick(window.items_list, Qt.Key.Key_Return)
    screen = window.tools.windows["calc"]
    qtbot.waitUntil(screen.isVisible, timeout=5000)
    assert screen.spec.name == "retirement_age" and screen.picker.currentData() == "retirement_age"
    assert window.tabs.count() == 0, "a calculator is not a business tab"

    window.focus_search()
    window.search_edit.clear()
    type_text(qtbot, window.search_edit, "养老金测算")
    codes = window.items_list.codes()
    assert {"calc:enterprise_pension", "calc:resident_pension"} <= set(codes)
    window.open_item("calc:enterprise_pension")
    assert window.tools.windows["calc"] is screen and screen.spec.name == "enterprise_pension"

    # Ctrl+D on a calculator entry changes nothing (only catalog items are 常用)
    window.items_list.select_code("calc:enterprise_pension")
    window.items_list.setFocus()
    qtbot.keyClick(window.items_list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not window.preferences.favourites


def test_the_empty_finder_and_an_item_search_do_not_list_calculators(qtbot, window):
    assert not any(code.startswith("calc:") for code in window.items_list.codes())
    type_text(qtbot, window.search_edit, "cxjmcbdj")  # an item's initials: Enter still opens the item first
    assert window.items_list.current_code() == "resident_pension_enrolment"


def test_retirement_screen_offers_the_estimate_prefilled_and_prints_it(qtbot, window, runtime):
    form = window.open_item(RETIREMENT_ITEM)
    assert form.calc_button is not None and form.calc_button.isVisible()
    assert "企业职工基本养老金测算" in form.calc_button.toolTip()
    type_text(qtbot, form.field_widgets["ssn"], SSN)
    type_text(qtbot, form.field_widgets["name"], "巴特尔")
    type_text(qtbot, form.field_widgets["archive_birth_date"], "1966-05-10")
    type_text(qtbot, form.field_widgets["deemed_months"], "60")

    qtbot.mouseClick(form.calc_button, Qt.MouseButton.LeftButton)
    screen = form.calc_screen
    qtbot.addWidget(screen)
    qtbot.waitUntil(screen.isVisible, timeout=5000)
    assert screen.spec.name == "enterprise_pension"
    assert [screen.picker.itemData(i) for i in range(screen.picker.count())] == [
        "enterprise_pension", "retirement_age", "extension_options"]
    # prefilled from the applicant: 档案出生日期, 男 (from the ID number) → 男职工, 视同缴费月数
    assert screen.inputs["birth_date"].text() == "1966-05-10"
    assert screen.inputs["group"].currentData() == "male"
    assert screen.inputs["deemed_months"].text() == "60"

    _type(qtbot, screen.date_edit, "2026-06-01")
    _type(qtbot, screen.inputs["actual_months"], "380")
    _type(qtbot, screen.inputs["avg_index"], "1.2")
    _type(qtbot, screen.inputs["account_balance"], "120000")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    calc = screen.last_calculation
    assert calc is not None, screen.message_label.text()
    summary = dict(calc.summary())
    assert summary["退休时间"] == "2026年10月"

    with qtbot.waitSignal(screen.document_ready, timeout=30000) as printed:
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    text = _pdf_text(printed.args[0])
    assert "企业职工基本养老金测算单" in text and "巴特尔" in text and SSN[-4:] in text and SSN not in text
    assert "仅供参考" in text and "（大写）：人民币" in text

    # the retirement-age calculator of the same window is prefilled too
    screen.select("retirement_age")
    assert screen.inputs["birth_date"].text() == "1966-05-10" and screen.inputs["group"].currentData() == "male"

    # back on the business screen, Ctrl+T raises the same window with the values as they are now
    screen.close()
    with qtbot.waitActive(window):
        window.activateWindow()
    form.field_widgets["archive_birth_date"].clear()
    type_text(qtbot, form.field_widgets["archive_birth_date"], "1966-05-11")
    form.field_widgets["name"].setFocus()
    qtbot.keyClick(form.field_widgets["name"], Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Ctrl+T
    assert form.calc_screen is screen and screen.isVisible()
    assert screen.inputs["birth_date"].text() == "1966-05-11"
    screen.close()


def test_items_without_calculators_have_no_button(qtbot, window):
    form = window.open_item("work_injury_recognition")
    assert form.calc_button is None and form.findChild(type(form.save_button), "calcButton") is None
