"""F2/F3 and card insertion fill the open business screen from the (simulated) readers."""
from app.security.operators import OperatorSession
from ui.shell.counter import CounterWindow


def test_f2_reads_the_social_security_card_into_the_form(qtbot, runtime):
    w = CounterWindow(runtime, OperatorSession("demo", "演示柜员", ("受理员",), "150102", False))
    qtbot.addWidget(w)
    w.show()
    runtime.devices.open_all()
    form = w.open_item("resident_pension_enrolment")
    runtime.devices.sscard.remove()
    w.readers.read_sscard()  # what F2 does; no card in the reader yet: a Chinese message, nothing filled
    qtbot.waitUntil(lambda: "社保卡" in w.statusBar().currentMessage() and "正在" not in
                    w.statusBar().currentMessage(), timeout=10000)
    assert w.readers.last_record is None and form.field_widgets["ssn"].text() == ""
    runtime.devices.sscard.insert()  # inserting a card reads it and fills the form
    qtbot.waitUntil(lambda: w.readers.last_record is not None, timeout=10000)
    record = w.readers.last_record
    assert form.field_widgets["ssn"].text() == record.ssn and record.ssn
    assert form.field_widgets["name"].text() == record.name
    assert "已读卡" in w.statusBar().currentMessage()


def test_reading_without_an_open_form_only_reports(qtbot, runtime):
    w = CounterWindow(runtime, OperatorSession("demo", "演示柜员", ("受理员",), "150102", False))
    qtbot.addWidget(w)
    w.show()
    runtime.devices.open_all()
    w.readers.read_idcard()
    qtbot.waitUntil(lambda: w.readers.last_record is not None, timeout=10000)
    assert "请先打开" in w.statusBar().currentMessage()
