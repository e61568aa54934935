"""Field mode and counter certification on screen (offscreen Qt, the real camera driver playing a video file):
download the visit list, capture a visit (photos, signature drawn with the mouse, place), the second staff member's
confirmation — refused for the same person, accepted for a colleague — then save; a deceased outcome asks for its
own evidence; the counter screen identifies, checks the live face, says the photo goes to back-office comparison
(no model) and records the certification."""
from __future__ import annotations

import base64
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.certification.service import CertificationService
from app.ids import make_id_number
from app.security.operators import OperatorSession
from app.store.models import CertLossEvent, CertRecord, OutboxMessage
from server.demo_data import DEMO_PASSWORD
from tests.certification.helpers import make_laptop, portrait, write_field_video
from tests.gui.helpers import type_text

pytestmark = [pytest.mark.gui, pytest.mark.integration]
OFFLINE = "http://127.0.0.1:9"
SSNS = [make_id_number("152502", date(1944, 3, 8), 11, False), make_id_number("152502", date(1939, 7, 1), 12, True)]


class _Reply:
    def __init__(self, data):
        self._data = data

    def json(self):
        return self._data


class FakeApi:
    """Answers the visit-list download as the centre would (the GUI test runs offline)."""

    def __init__(self):
        from app.certification.face import encode_jpeg

        photo = base64.b64encode(encode_jpeg(portrait(180, 220))).decode()
        self.payload = {"operator_id": "field1", "visits": [
            {"visit_id": f"00000000-0000-4000-8000-00000000000{i}", "ssn": ssn, "name": name, "gender": "女",
             "birth_date": "1944-03-08", "address": "锡林浩特市宝力根苏木巴彦锡勒嘎查", "phone": "13904791234",
             "region_code": "152502", "village": "巴彦锡勒嘎查", "scheme": "resident", "benefit_start": "2011-07-01",
             "benefit": {"state": "active"}, "last_certification": {"on": "2024-05-02", "method": "face_kiosk",
                                                                    "method_label": "自助人脸识别"},
             "deadline": "2025-12-31", "reason": "卧床，无法到自助终端认证", "due_by": "2025-12-20", "ref_photo": photo}
            for i, (ssn, name) in enumerate(zip(SSNS, ["其其格", "巴特尔"]), start=1)]}

    def _request(self, method, path, **kw):
        assert path == "/api/v1/certification/visits" and kw["params"] == {"operator_id": "field1"}
        return _Reply(self.payload)

    def close(self):
        pass


@pytest.fixture
def camera(tmp_path):
    from devices.camera.device import CameraDevice

    cam = CameraDevice(str(write_field_video(tmp_path / "clip.avi")), frame_timeout=5.0)
    assert cam.open().state.value == "ready"
    yield cam
    cam.close()


@pytest.fixture
def laptop(tmp_path, qapp):
    lap = make_laptop(tmp_path, OFFLINE, "TGUI01", timeout=0.3)
    yield lap
    from ui.bridge import settle

    settle(10000)
    qapp.processEvents()
    lap.close()


def draw(pad, points) -> None:
    """A stroke with the left button held, as a finger or a mouse draws it."""
    def send(kind, pt, buttons):
        ev = QMouseEvent(kind, QPointF(*pt), pad.mapToGlobal(QPointF(*pt)), Qt.MouseButton.LeftButton, buttons,
                         Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(pad, ev)

    held = Qt.MouseButton.LeftButton
    send(QMouseEvent.Type.MouseButtonPress, points[0], held)
    for pt in points[1:]:
        send(QMouseEvent.Type.MouseMove, pt, held)
    send(QMouseEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def confirm_second_staff(qtbot, screen, operator_id: str, password: str):
    dlg = screen.ask_second_staff()
    dlg.operator_edit.clear()
    type_text(qtbot, dlg.operator_edit, operator_id)
    type_text(qtbot, dlg.password_edit, password)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    return dlg


def test_field_visit_on_screen(qtbot, laptop, camera):
    from ui.field.window import FieldWindow

    session = OperatorSession("field1", "外勤认证员一", ("外勤人员",), "150102", False)
    win = FieldWindow(laptop.field, session, camera=camera, api_factory=FakeApi, relay=laptop.relay)
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    qtbot.mouseClick(win.list.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.list.table.rowCount() == 2, timeout=10000)
    assert "已下载 2 人" in win.list.message.text()
    assert "待走访 2 人" in win.list.counts.text()
    assert "****" in win.list.table.item(0, 1).text() or "*" in win.list.table.item(0, 1).text()

    win.list.table.selectRow(0)
    qtbot.mouseClick(win.list.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.capture is not None, timeout=10000)  # the visit is read on a worker
    screen = win.capture
    assert screen is not None and win.stack.currentWidget() is screen
    assert screen.ref_photo.pixmap() is not None and not screen.ref_photo.pixmap().isNull()
    assert not screen.save_button.isEnabled()

    qtbot.mouseClick(screen.capture_buttons["person"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.photos["person"]) == 1, timeout=10000)
    assert "后台人工比对" in screen.face_label.text()  # no model configured: says so
    qtbot.mouseClick(screen.capture_buttons["with_staff"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.photos["with_staff"]) == 1, timeout=10000)
    draw(screen.signature, [(40 + i * 18, 70 + (i % 5) * 9) for i in range(22)])
    assert not screen.signature.is_empty()
    assert "第二名工作人员" in screen.problems.text() and not screen.save_button.isEnabled()

    dlg = confirm_second_staff(qtbot, screen, "field1", DEMO_PASSWORD)  # the same person: refused
    qtbot.waitUntil(lambda: "同一人" in dlg.message.text(), timeout=10000)
    assert screen.confirmation is None and dlg.isVisible()
    dlg.reject()
    dlg = confirm_second_staff(qtbot, screen, "field2", "wrong")
    qtbot.waitUntil(lambda: "密码错误" in dlg.message.text(), timeout=10000)
    dlg.reject()
    confirm_second_staff(qtbot, screen, "field2", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: screen.confirmation is not None, timeout=10000)
    assert "外勤认证员二" in screen.staff_label.text()
    qtbot.waitUntil(screen.save_button.isEnabled, timeout=2000)
    screen.grab().save("/tmp/field-visit.png")

    vid = screen.visit_id
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.capture is None, timeout=10000)
    qtbot.waitUntil(lambda: "已采集待上传 1 人" in win.list.counts.text(), timeout=10000)
    v = laptop.field.visit(vid)
    assert v.state == "captured" and v.outcome == "certified"
    assert laptop.field.verify_visit(vid) == []
    with laptop.store.session() as s:
        body = s.scalar(select(OutboxMessage.body).where(OutboxMessage.aggregate_id == vid))
    names = {f["name"] for f in body["manifest"]["files"]}
    assert names == {"person-1.jpg", "with_staff-1.jpg", "signature.png"}
    assert [x["operator_id"] for x in body["manifest"]["staff"]] == ["field1", "field2"]
    assert body["manifest"]["place"]["text"] == "锡林浩特市宝力根苏木巴彦锡勒嘎查"

    # the second person has died: the screen asks for the date and a document photo, not a signature
    qtbot.mouseClick(win.list.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.capture is not None, timeout=10000)  # the visit is read on a worker
    screen = win.capture
    screen.outcome.set_value("deceased")
    assert screen.death_date.isVisible() and not screen.signature.isEnabled()
    screen.death_date.setDate(date.today() - timedelta(days=20))
    text = screen.problems.text()
    assert "死亡证明" in text and "签字" not in text
    qtbot.mouseClick(screen.capture_buttons["document"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.photos["document"]) == 1, timeout=10000)
    confirm_second_staff(qtbot, screen, "field2", DEMO_PASSWORD)
    qtbot.waitUntil(screen.save_button.isEnabled, timeout=10000)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.capture is None, timeout=10000)
    with laptop.store.session() as s:
        loss = s.scalars(select(CertLossEvent)).all()
    assert [(e.kind, e.source) for e in loss] == [("death", "field")]
    assert laptop.field.counts() == {"captured": 2}
    win.close()


def test_signature_pad_png(qtbot, qapp):
    from ui.field.signature import SignaturePad

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(480, 160)
    assert pad.to_png() is None
    pad.add_stroke([(10, 10), (20, 30)])
    assert pad.to_png() is None  # a tap is not a signature
    pad.add_stroke([(30 + i * 10, 60 + (i % 3) * 10) for i in range(12)])
    png = pad.to_png()
    assert png and png.startswith(b"\x89PNG")
    pad.clear()
    assert pad.is_empty()


def _certify(qtbot, runtime, session, camera, channel):
    from ui.certify.screen import CertifyScreen

    svc = CertificationService(runtime.store, runtime.settings.terminal.terminal_id)
    screen = CertifyScreen(svc, session, channel=channel, camera=camera)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    type_text(qtbot, screen.ssn_edit, SSNS[0])
    type_text(qtbot, screen.name_edit, "其其格")
    qtbot.mouseClick(screen.identify_button, Qt.MouseButton.LeftButton)
    assert screen.identity is not None and "其其格" in screen.person_label.text()
    qtbot.mouseClick(screen.photo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.check is not None, timeout=10000)
    assert screen.check.live and "后台人工比对" in screen.face_label.text()
    return screen


def test_counter_certification_on_screen(qtbot, runtime, session, camera):
    screen = _certify(qtbot, runtime, session, camera, "counter")
    assert not screen.record_button.isEnabled()  # the clerk must attest the person matches the ID
    screen.attest.setChecked(True)
    assert screen.record_button.isEnabled()
    screen.grab().save("/tmp/certify-counter.png")
    with qtbot.waitSignal(screen.recorded, timeout=10000) as got:
        qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)
    assert got.args[0].result == "passed" and "认证通过" in screen.result_label.text()
    with runtime.store.session() as s:
        rec = s.scalars(select(CertRecord)).one()
        msg = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == rec.message_id))
    assert msg.kind == "certification.record" and msg.body["photo_sha256"] and msg.body["attested"] is True

    dlg = screen.open_loss_dialog()
    assert dlg.ssn.text() == ""  # the screen was reset after recording
    type_text(qtbot, dlg.ssn, SSNS[1])
    type_text(qtbot, dlg.name, "巴特尔")
    type_text(qtbot, dlg.informant, "其子")
    dlg.save()
    qtbot.waitUntil(lambda: "已登记" in screen.result_label.text(), timeout=10000)  # saved on a worker
    with runtime.store.session() as s:
        assert [(e.kind, e.source) for e in s.scalars(select(CertLossEvent))] == [("death", "counter")]


def test_kiosk_certification_waits_for_back_office(qtbot, runtime, session, camera):
    screen = _certify(qtbot, runtime, session, camera, "kiosk")
    assert not screen.attest.isVisible() and screen.record_button.isEnabled()
    with qtbot.waitSignal(screen.recorded, timeout=10000) as got:
        qtbot.mouseClick(screen.record_button, Qt.MouseButton.LeftButton)
    assert got.args[0].result == "pending" and "后台人工比对" in screen.result_label.text()
