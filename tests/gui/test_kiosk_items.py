"""Kiosk self-service items (issue 10 point 3) driven by touches against the real reference server on loopback
(server/testing.py, demo data): 参保证明 printed and verifiable, 社保卡 status, 临时挂失 with its confirmation step and
解挂 (a 正式挂失 cannot be lifted, 004:L5180), 城乡居民养老保险 缴费情况, 待遇领取资格认证 by face from a test video through
the real camera driver, 取号 on the receipt printer; catalog channels decide what is shown; network down hides the
online-only items with a notice; the idle screen shows service notices; voice prompts go through the Voice interface."""
from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QAbstractButton
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.bootstrap import bootstrap
from app.catalog.model import Channel
from app.clock import local_today
from app.config import ServerConfig, Settings
from app.paths import resolve_paths
from app.sync.relay import SyncStatus
from devices.base import DeviceKind, DeviceState, DeviceStatus
from devices.sim.virtual_sscard import CardData, VirtualSsCard
from server.demo_data import demo_person, demo_person_ssns
from server.sscard_status import demo_card_ssn
from server.testing import run_server_in_thread
from tests.gui.helpers import pdf_text
from tests.gui.test_kiosk import contains_any, flush_deletes, open_shell, page_name, tap, widget_texts
from ui.kiosk.certificate import TITLE
from ui.kiosk.services import CARD_LOSS, KioskServices

pytestmark = pytest.mark.gui

ONLINE_ONLY = {"rights", "certificate", "contributions", "card_status", "card_loss"}


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    db = tmp_path_factory.mktemp("kiosk-central") / "central.db"
    url_db = f"sqlite:///{db}"
    with run_server_in_thread(url_db, seed_demo=True) as url:
        yield url, url_db


@pytest.fixture
def online_runtime(tmp_path, qapp, central):
    settings = Settings(server=ServerConfig(url=central[0], probe_interval_seconds=0.2))
    rt = bootstrap(resolve_paths(tmp_path / "home"), settings, console_log=False)
    rt.relay.run_once()  # registers the terminal: the kiosk speaks to the centre with this token
    assert rt.relay.api.token
    yield rt
    from ui.bridge import settle

    rt.relay.stop()
    settle(10000)
    qapp.processEvents()
    rt.close()


@pytest.fixture
def kiosk(qtbot, online_runtime, qapp):
    rt = online_runtime
    shell, bridge = open_shell(qtbot, rt)
    yield shell
    shell.shutdown()
    bridge.stop_devices()
    bridge.detach_relay(rt.relay)


def server_client(url: str) -> httpx.Client:
    r = httpx.post(f"{url}/api/v1/terminals/register", json={
        "terminal_id": "T-CHECK", "agency_code": "150102", "region_code": "150102", "mode": "counter",
        "hostname": "test", "client_version": "test"}, timeout=30)
    return httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {r.json()['terminal_token']}"})


def present(qtbot, runtime, shell, ssn: str) -> str:
    """Insert a card holding a demo person of the centre; returns the name."""
    p = demo_person(ssn)
    runtime.devices.sscard.insert(VirtualSsCard(CardData(ssn=ssn, name=p.name, birth_date=p.birth_date.strftime("%Y%m%d"))))
    qtbot.waitUntil(lambda: page_name(shell) == "MenuPage", timeout=5000)
    return p.name


def open_tile(qtbot, shell, key: str):
    tap(qtbot, shell._pages["menu"].tiles[key])
    page = shell.current
    qtbot.waitUntil(lambda: not page.busy_now, timeout=15000)
    return page


def overlay_button(shell, text: str) -> QAbstractButton:
    return next(b for b in shell.overlay.findChildren(QAbstractButton) if b.text() == text and b.isVisible())


def finish_and_check_wiped(qtbot, shell, name: str, ssn: str) -> None:
    """结束办理 after a visit that did something: 好差评 is offered (issue 10 point 5), skipped here."""
    tap(qtbot, shell.end_button)
    assert page_name(shell) == "RatingPage"
    tap(qtbot, shell.current.skip_button)
    qtbot.waitUntil(lambda: page_name(shell) == "GoodbyePage", timeout=5000)
    flush_deletes()
    leaked = contains_any(widget_texts(shell), (name, ssn, ssn[-8:]))
    assert not leaked, leaked


def _unused(kind: str, n: int) -> str:
    """A demo person of `kind` whose card is seeded 正常 (the first ones carry the other demo states)."""
    return demo_person_ssns(kind)[10 + n]


# -- 社会保障卡 ---------------------------------------------------------------------------------------------------------

def test_temporary_loss_with_confirmation_then_release(qtbot, online_runtime, kiosk, central) -> None:
    ssn = _unused("resident", 0)
    name = present(qtbot, online_runtime, kiosk, ssn)
    page = open_tile(qtbot, kiosk, "card_loss")
    assert page_name(kiosk) == "CardLossPage"
    warning = page.warning.text()
    assert "正式挂失" in warning and "不能解挂" in warning and "004:L5180" in warning and "银行网点" in warning
    assert "卡状态：正常" in widget_texts(kiosk)
    tap(qtbot, page.report_button)
    assert kiosk.overlay.isVisible() and kiosk.overlay.message.text() == "确认临时挂失吗？"  # a separate step
    assert "确认临时挂失吗？" in kiosk.voice.said
    with server_client(central[0]) as c:
        assert c.get(f"/api/v1/sscard/status/{ssn}").json()["state"] == "normal"  # nothing sent before confirming
        tap(qtbot, overlay_button(kiosk, "确认临时挂失"))
        qtbot.waitUntil(lambda: "临时挂失已生效" in page.state.text(), timeout=15000)
        assert c.get(f"/api/v1/sscard/status/{ssn}").json()["state"] == "temp_lost"
        assert not page.report_button.isVisible()
        tap(qtbot, next(b for b in page.findChildren(QAbstractButton) if b.text() == "返回"))
        status_page = open_tile(qtbot, kiosk, "card_status")
        assert "卡状态：临时挂失" in widget_texts(kiosk)
        tap(qtbot, status_page.release_button)
        tap(qtbot, overlay_button(kiosk, "确认解挂"))
        qtbot.waitUntil(lambda: "解挂成功" in status_page.state.text(), timeout=15000)
        qtbot.waitUntil(lambda: "卡状态：正常" in widget_texts(kiosk), timeout=15000)
        assert c.get(f"/api/v1/sscard/status/{ssn}").json()["state"] == "normal"
    finish_and_check_wiped(qtbot, kiosk, name, ssn)


def test_a_formal_loss_is_shown_and_cannot_be_lifted_here(qtbot, online_runtime, kiosk) -> None:
    ssn = demo_card_ssn("formal_lost")
    present(qtbot, online_runtime, kiosk, ssn)
    page = open_tile(qtbot, kiosk, "card_status")
    texts = widget_texts(kiosk)
    assert "卡状态：正式挂失" in texts and contains_any(texts, ("不能解挂",))
    assert not page.release_button.isVisible() and not page.loss_button.isVisible()
    tap(qtbot, next(b for b in page.findChildren(QAbstractButton) if b.text() == "返回"))
    loss = open_tile(qtbot, kiosk, "card_loss")
    assert not loss.report_button.isVisible() and "不能临时挂失" in loss.state.text()


# -- 参保证明 ------------------------------------------------------------------------------------------------------------

def test_enrolment_certificate_is_printed_verifiable_and_not_kept(qtbot, online_runtime, kiosk, central, tmp_path,
                                                                   monkeypatch) -> None:
    ssn = _unused("employee", 0)
    name = present(qtbot, online_runtime, kiosk, ssn)
    copies: list[Path] = []
    real_print = kiosk.a4.print_pdf

    def keep_a_copy(pdf, doc_name):  # the simulated printer keeps nothing: the test reads what it was handed
        copy = tmp_path / f"printed-{len(copies)}.pdf"
        shutil.copy(pdf, copy)
        copies.append(copy)
        return real_print(pdf, doc_name)

    monkeypatch.setattr(kiosk.a4, "print_pdf", keep_a_copy)
    page = open_tile(qtbot, kiosk, "certificate")
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: "打印完成" in page.state.text(), timeout=30000)
    assert [j["document"] for j in kiosk.a4.jobs] == [TITLE]
    assert page._tmp is None  # the PDF and its folder are gone
    text = pdf_text(copies[0])
    assert page.code and page.code in text and name in text and "企业职工基本养老保险" in text
    verdict = httpx.get(f"{central[0]}/api/v1/certificates/{page.code}", timeout=30).json()
    assert verdict["status"] == "genuine" and verdict["certificate"]["title"] == TITLE
    assert verdict["certificate"]["kind"] == "personal_certificate" and page.code.startswith("GR-")  # 个人参保证明
    assert verdict["certificate"]["subject_name"] == name
    finish_and_check_wiped(qtbot, kiosk, name, ssn)


def test_certificate_printer_out_of_paper_is_said_before_printing(qtbot, online_runtime, kiosk, monkeypatch) -> None:
    a4 = online_runtime.devices.get(DeviceKind.a4_printer)
    monkeypatch.setattr(a4, "status", lambda: DeviceStatus(DeviceKind.a4_printer, "sim", DeviceState.error, "缺纸"))
    present(qtbot, online_runtime, kiosk, _unused("employee", 1))
    page = open_tile(qtbot, kiosk, "certificate")
    texts = widget_texts(kiosk)
    assert contains_any(texts, ("打印机缺纸",)) and contains_any(texts, ("12333 网上服务大厅",))  # another way
    assert not page.print_button.isVisible() and kiosk.a4.jobs == []


# -- 城乡居民养老保险 缴费情况 ------------------------------------------------------------------------------------------------

def test_resident_contributions_show_this_year_years_and_grade(qtbot, online_runtime, kiosk, central) -> None:
    ssn = _unused("resident", 1)
    present(qtbot, online_runtime, kiosk, ssn)
    with server_client(central[0]) as c:
        truth = c.get(f"/api/v1/contributions/resident/{ssn}").json()
    open_tile(qtbot, kiosk, "contributions")
    texts = widget_texts(kiosk)
    year = local_today().year
    assert f"{year}年度：{'已缴费' if truth['this_year_paid'] else '未缴费'}" in texts
    assert f"{truth['years_paid']} 年" in texts and truth["last_grade_label"] in texts
    assert truth["years_paid"] >= 1


# -- 待遇领取资格认证 ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def face_video(tmp_path_factory) -> Path:
    from tests.certification.helpers import write_field_video

    return write_field_video(tmp_path_factory.mktemp("kiosk-video") / "face.avi")


def test_certification_by_face_from_a_test_video(qtbot, online_runtime, kiosk, face_video, central) -> None:
    from devices.camera.device import CameraDevice

    rt = online_runtime
    camera = CameraDevice(str(face_video), frame_timeout=5.0)  # the real driver playing the clip
    camera.hub = rt.devices.hub
    old = rt.devices.devices[DeviceKind.camera]
    old.close()
    rt.devices.devices[DeviceKind.camera] = camera
    assert camera.open().state is DeviceState.ready
    ssn = demo_person_ssns("retiree")[3]
    name = present(qtbot, rt, kiosk, ssn)
    page = open_tile(qtbot, kiosk, "certify")
    assert page_name(kiosk) == "CertifyPage" and page.standing is not None  # the centre's deadline is shown
    assert contains_any(widget_texts(kiosk), ("认证期限",))
    tap(qtbot, page.photo_button)
    qtbot.waitUntil(lambda: page.view is not None or page.tries > 0 and not page.busy_now, timeout=30000)
    assert page.view is not None, page.state.text()
    assert page.view.result == "pending" and page.view.channel == "kiosk"  # no model configured: back office compares
    assert contains_any(widget_texts(kiosk), ("后台人工比对",))
    (record,) = [r for r in kiosk.services.certification.recent() if r.ssn == ssn]
    assert record.result == "pending" and record.method == "face_kiosk"
    assert rt.relay.drain(timeout=30)
    engine = create_engine(central[1])
    try:
        from server.models import CertEvent

        with Session(engine) as s:
            events = list(s.scalars(select(CertEvent).where(CertEvent.ssn == ssn, CertEvent.channel == "kiosk")))
        assert [e.result for e in events] == ["pending"]
    finally:
        engine.dispose()
    finish_and_check_wiped(qtbot, kiosk, name, ssn)


def test_someone_without_a_pension_is_told_no_certification_is_needed(qtbot, online_runtime, kiosk) -> None:
    present(qtbot, online_runtime, kiosk, _unused("employee", 2))
    page = open_tile(qtbot, kiosk, "certify")
    assert page.not_needed and "无需认证" in widget_texts(kiosk) and not page.photo_button.isVisible()


# -- 取号 ---------------------------------------------------------------------------------------------------------------

def test_queue_ticket_without_a_card_is_shown_and_printed(qtbot, online_runtime, kiosk) -> None:
    assert kiosk.idle.queue_button is not None
    tap(qtbot, kiosk.idle.queue_button)
    page = kiosk.current
    assert page_name(kiosk) == "QueuePage" and kiosk.session.anonymous
    before = len(online_runtime.devices.receipt_printer.printed)
    tap(qtbot, page.tiles["D"])
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=15000)
    assert page.ticket.number.startswith("D") and page.ticket.number in widget_texts(kiosk)
    qtbot.waitUntil(lambda: "已打印" in page.slip_text, timeout=15000)
    assert len(online_runtime.devices.receipt_printer.printed) == before + 1
    assert "您的排队号是 " + page.ticket.number + "。" in kiosk.voice.said


# -- what is shown ------------------------------------------------------------------------------------------------------

def test_network_down_hides_online_only_items_with_a_notice(qtbot, online_runtime, kiosk) -> None:
    present(qtbot, online_runtime, kiosk, _unused("employee", 3))
    menu = kiosk._pages["menu"]
    assert ONLINE_ONLY <= set(menu.tiles)
    kiosk.bridge.sync_status.emit(SyncStatus(online=False, pending=0, failed=0))
    qtbot.waitUntil(lambda: not (ONLINE_ONLY & set(menu.tiles)), timeout=5000)
    assert {"certify", "enrolment", "queue", "progress"} <= set(menu.tiles)  # these work offline (outbox)
    notice = menu.notice.text()
    assert menu.notice.isVisible() and "网络暂时中断" in notice and "参保证明" in notice and "临时挂失" in notice


class _CounterOnly:
    """The real catalog, except that one item is counter-only."""

    def __init__(self, catalog, code):
        self._catalog, self._code = catalog, code

    def get(self, code):
        item = self._catalog.get(code)
        return item.model_copy(update={"channels": [Channel.counter]}) if code == self._code else item

    def __getattr__(self, name):
        return getattr(self._catalog, name)


def test_items_the_catalog_does_not_allow_at_the_kiosk_are_not_shown(qtbot, online_runtime, kiosk,
                                                                     monkeypatch) -> None:
    services = KioskServices(online_runtime)
    shown, _ = services.entries(online=True, with_person=True)
    assert "card_loss" in {e.key for e in shown}
    catalog = online_runtime.catalog
    assert Channel.kiosk in catalog.get(CARD_LOSS).channels
    monkeypatch.setattr(online_runtime, "catalog", _CounterOnly(catalog, CARD_LOSS))
    shown, _ = services.entries(online=True, with_person=True)
    assert "card_loss" not in {e.key for e in shown} and "card_status" in {e.key for e in shown}
    present(qtbot, online_runtime, kiosk, _unused("employee", 4))
    assert "card_loss" not in kiosk._pages["menu"].tiles


# -- idle screen and voice ----------------------------------------------------------------------------------------------

def test_idle_screen_shows_service_notices_and_device_faults(qtbot, online_runtime, kiosk) -> None:
    assert page_name(kiosk) == "IdlePage"
    assert "咨询电话：12333" in kiosk.idle.notices.text() and kiosk.idle.notices.isVisible()
    broken = [DeviceStatus(k, "real", DeviceState.error, "无响应") for k in (DeviceKind.sscard, DeviceKind.idcard)]
    kiosk._device_statuses(broken)
    assert kiosk.idle.device_notice.isVisible() and "读卡器暂停服务" in kiosk.idle.device_notice.text()
    assert kiosk.voice.said[0].startswith("您好！请插入社保卡")  # the idle prompt was spoken through the interface


def test_voice_is_behind_an_interface_and_optional(qtbot, online_runtime) -> None:
    from ui.kiosk import voice

    recording = voice.RecordingVoice()
    recording.say("测试")
    assert recording.said == ["测试"]
    assert isinstance(voice.default_voice(), voice.Voice)
