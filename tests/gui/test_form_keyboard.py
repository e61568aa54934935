"""Keyboard-first handling of the generated form, and the person look-up's pre-fill rules."""
import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.errors import ServerRejected
from tests.gui.helpers import ITEM, PHONE, SSN, type_text


def _enter(qtbot, widget):
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_whole_case_by_keyboard_only(qtbot, window, runtime):
    form = window.open_item(ITEM)
    w = form.field_widgets
    assert w["ssn"].hasFocus()
    type_text(qtbot, w["ssn"], SSN)
    _enter(qtbot, w["ssn"])
    assert w["name"].hasFocus()
    # Leaving the ID field derived gender and birth date (GB 11643), before any answer from the network.
    assert w["gender"].currentText() == "男" and w["birth_date"].text() == "1980-05-17"
    type_text(qtbot, w["name"], "乌兰")
    order = ["name", "gender", "nation", "birth_date", "phone", "hukou_address", "residence_address", "postcode",
             "village", "enrolment_date"]
    for key, following in zip(order, order[1:]):
        if key == "phone":
            type_text(qtbot, w["phone"], PHONE)
        assert w[key].hasFocus(), key
        _enter(qtbot, w[key])
        assert w[following].hasFocus(), following
    _enter(qtbot, w["enrolment_date"])
    # Then the conditions the software could not check offline (属地户籍, not yet insured ×2): 1 = 符合 …
    questions = form.conditions.confirm_selectors()
    assert len(questions) == 3
    for selector in questions:
        focused = QApplication.focusWidget()
        assert selector.owns(focused)
        qtbot.keyClick(focused, Qt.Key.Key_1)
        assert selector.value() == "yes"
        _enter(qtbot, QApplication.focusWidget())
    # … then every material: 1 = 已收取 (the state starts as 缺少).
    for selector in form.materials.selectors():
        focused = QApplication.focusWidget()
        assert selector.owns(focused) and selector.value() == "missing"
        qtbot.keyClick(focused, Qt.Key.Key_1)
        assert selector.value() == "present"
        _enter(qtbot, QApplication.focusWidget())
    assert form.save_button.hasFocus()
    with qtbot.waitSignal(form.document_ready, timeout=30000):
        qtbot.keyClick(form.save_button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert form.is_saving() and not form.save_button.isEnabled() and form.save_button.text() == "正在受理…"
    assert form.last_case is not None and len(runtime.cases.recent()) == 1


def test_lookup_runs_off_the_gui_thread_and_never_overwrites_typed_values(qtbot, window, runtime, monkeypatch):
    calls = []

    def person(ssn):
        calls.append((ssn, threading.current_thread() is threading.main_thread()))
        return {"name": "乌兰其其格", "gender": "男", "birth_date": "1980-05-17", "nation": "蒙古族",
                "phone": "13800000000", "hukou_address": "呼和浩特市新城区海东路1号", "residence_address": None,
                "postcode": "010010", "village": "海东路社区", "insurances": []}

    monkeypatch.setattr(runtime.api, "person", person)
    form = window.open_item(ITEM)
    w = form.field_widgets
    type_text(qtbot, w["phone"], PHONE)  # typed before the look-up: must survive it
    type_text(qtbot, w["ssn"], SSN)
    qtbot.mouseClick(form.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.lookup_status.text().startswith("已查到"), timeout=10000)
    assert calls == [(SSN, False)]
    assert w["name"].text() == "乌兰其其格" and w["nation"].text() == "蒙古族"
    assert w["village"].text() == "海东路社区" and w["postcode"].text() == "010010"
    assert w["phone"].text() == PHONE, "the clerk's input wins over the central record"
    assert w["residence_address"].text() == ""
    from sqlalchemy import select

    from app.store.models import AuditRecord
    with runtime.store.session() as s:  # who looked at whom (000 §38–§41)
        views = list(s.scalars(select(AuditRecord).where(AuditRecord.action == "person.view")))
    assert [(v.object_id, v.operator_id) for v in views] == [(SSN, form.session.operator_id)]


def test_lookup_errors_are_shown_inline(qtbot, window, runtime, monkeypatch):
    form = window.open_item(ITEM)
    type_text(qtbot, form.field_widgets["ssn"], SSN)
    qtbot.mouseClick(form.lookup_button, Qt.MouseButton.LeftButton)  # the real client: nothing listens
    qtbot.waitUntil(lambda: form.lookup_status.text() == "中心系统离线，请手工录入", timeout=10000)
    assert form.lookup_button.isEnabled()

    def not_found(ssn):
        raise ServerRejected("未找到该公民身份号码的参保人员信息", "404", code="person_not_found", status=404)

    monkeypatch.setattr(runtime.api, "person", not_found)
    qtbot.mouseClick(form.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.lookup_status.text() == "未找到该公民身份号码的参保人员信息，请手工录入",
                    timeout=10000)
