"""Keyboard and mouse steps shared by the GUI tests (a clerk's way of filling a business screen), and PDF reading."""
import re
import subprocess
from datetime import date
from itertools import groupby

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox

from app.ids import make_id_number, uscc_check_char

ITEM = "resident_pension_enrolment"
SSN = make_id_number("150102", date(1980, 5, 17), 23, True)
NAME = "乌兰"
PHONE = "13904711234"
USCC_BODY = "12150102MB0012345"  # 事业单位 (1/2), 新城区, organisation code
USCC = USCC_BODY + uscc_check_char(USCC_BODY)


def bad_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def bad_uscc_check(code: str) -> str:
    return code[:-1] + ("A" if code[-1] != "A" else "B")


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


def click_button(qtbot, button) -> None:
    # Click on the indicator: the middle of a stretched radio button can be outside its clickable area.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def click_choice(qtbot, selector, key: str) -> None:
    click_button(qtbot, selector.buttons[key])
    assert selector.value() == key


def choose(qtbot, form, key: str, text: str) -> None:
    """Pick an option of a drop-down field as the clerk does: open it, pick the entry."""
    combo: QComboBox = form.field_widgets[key]
    index = combo.findText(text)
    assert index >= 0, f"{key} has no option {text}"
    combo.setFocus()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert combo.currentText() == text


def fill(qtbot, form, values: dict[str, str]) -> None:
    for key, value in values.items():
        widget = form.field_widgets[key]
        if isinstance(widget, QComboBox):
            choose(qtbot, form, key, value)
        else:
            widget.clear()
            type_text(qtbot, widget, value)


def confirm_all(qtbot, form, answer: str = "yes") -> None:
    """Answer every condition the software left to the clerk."""
    for selector in form.conditions.confirm_selectors():
        click_choice(qtbot, selector, answer)


def set_materials(qtbot, form, states: dict[str, str] | None = None, default: str = "present") -> None:
    """Set the state of every material on screen: `states` by code, the rest `default`."""
    states = states or {}
    for code, row in form.materials.rows.items():
        if row.shown and row.selector is not None:
            click_choice(qtbot, row.selector, states.get(code, default))


def fill_applicant(qtbot, form, ssn: str = SSN, name: str = NAME, phone: str = PHONE) -> None:
    """Type like a clerk: ID number, Enter, name, Enter … then answer the conditions and take every material."""
    w = form.field_widgets
    type_text(qtbot, w["ssn"], ssn)
    qtbot.keyClick(w["ssn"], Qt.Key.Key_Return)
    type_text(qtbot, w["name"], name)
    qtbot.keyClick(w["name"], Qt.Key.Key_Return)
    type_text(qtbot, w["phone"], phone)
    confirm_all(qtbot, form)
    set_materials(qtbot, form)


def save(qtbot, form, timeout: int = 30000):
    """Click 受理 and wait for the paper (受理回执, 一次性告知书 or 不予受理通知书); returns its path."""
    with qtbot.waitSignal(form.document_ready, timeout=timeout) as blocker:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def press_save(qtbot, form, *, click: bool = True, timeout: int = 10000) -> None:
    """受理 (or 继续受理) that may be refused: click it (or call save()), then wait for the worker's answer — the
    rules and the local transaction run off the GUI thread (issue 13)."""
    if click:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    else:
        form.save()
    qtbot.waitUntil(lambda: not form.is_saving(), timeout=timeout)


def pdf_text(path) -> str:
    """The PDF's text with all white space removed (CJK text is laid out with spaces between runs)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]
