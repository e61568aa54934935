"""Keyboard and mouse steps shared by the GUI tests (a clerk's way of filling a business form)."""
from datetime import date
from itertools import groupby

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.ids import make_id_number

ITEM = "resident_pension_enrolment"
SSN = make_id_number("150102", date(1980, 5, 17), 23, True)
NAME = "乌兰"
PHONE = "13904711234"


def bad_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def type_text(qtbot, widget, text: str) -> None:
    """Type like a clerk. ASCII goes through key clicks; Hanzi arrive as an input-method commit, exactly how a
    Pinyin IME delivers them (QTest cannot synthesize key events for characters outside Latin-1)."""
    for ascii_run, chars in groupby(text, key=str.isascii):
        run = "".join(chars)
        if ascii_run:
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def click_checkbox(qtbot, box) -> None:
    # Click on the indicator: the middle of a stretched check box can be outside its clickable area.
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def fill_applicant(qtbot, form, ssn: str = SSN, name: str = NAME, phone: str = PHONE) -> None:
    """Type like a clerk: ID number, Enter, name, Enter … then tick every material with the mouse."""
    w = form.field_widgets
    type_text(qtbot, w["ssn"], ssn)
    qtbot.keyClick(w["ssn"], Qt.Key.Key_Return)
    type_text(qtbot, w["name"], name)
    qtbot.keyClick(w["name"], Qt.Key.Key_Return)
    type_text(qtbot, w["phone"], phone)
    for box in form.material_boxes.values():
        click_checkbox(qtbot, box)
        assert box.isChecked()
