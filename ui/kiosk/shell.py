"""The kiosk shell: one frameless full-screen window that the public cannot leave, its pages, and the life cycle of
a visit.

    idle ──card / ID read──► menu ──► enrolment / rights / progress ──► (rating¹) ──► goodbye ──► idle
      └──"不用插卡，查询办理进度"──► progress (anonymous visit)                   ▲
    any page ──no touch for `timeouts.page`──► "需要更多时间吗？" ──no answer──┘ (wiped)

A visit's pages are built when it starts and destroyed when it ends: `_wipe()` removes them from the window (not just
hides them), clears the session and the card reader's last record, so nothing of one person is in the widget tree,
on screen or in the shell's memory when the next one comes.

¹ 好差评 at the end of every visit that did something (KioskSession.did / wants_rating): once, skippable, and it
  ends the visit by itself after `timeouts.rating`; it reaches the centre through the outbox."""
from __future__ import annotations

import logging
from datetime import datetime

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app.clock import LOCAL_TZ
from devices.base import DeviceKind, DeviceState
from ui.bridge import run_in_thread
from ui.devices.signals import DeviceSignals
from ui.kiosk.lockdown import Lockdown
from ui.kiosk.pages.admin import AdminPage
from ui.kiosk.pages.goodbye import GoodbyePage
from ui.kiosk.pages.idle import IdlePage
from ui.kiosk.printing import A4Output
from ui.kiosk.services import KioskServices
from ui.kiosk.session import IdleGuard, KioskPerson, KioskSession, Timeouts
from ui.kiosk.style import ELDER_SCALE, NORMAL_SCALE, mark, style_sheet
from ui.kiosk.voice import Voice, default_voice
from ui.kiosk.widgets import CurrentStack, KioskPage, Overlay, button, label
from ui.widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)
ID_POLL_MS = 1200
SERVICE_PAGES = {  # ServiceEntry.key → (module under ui.kiosk.pages, page class)
    "enrolment": ("enrolment", "EnrolmentPage"), "rights": ("rights", "RightsPage"),
    "progress": ("progress", "ProgressPage"), "certificate": ("certificate", "CertificatePage"),
    "card_status": ("card", "CardStatusPage"), "card_loss": ("card", "CardLossPage"),
    "contributions": ("contributions", "ContributionsPage"), "certify": ("certify", "CertifyPage"),
    "queue": ("queue", "QueuePage"),
}


def _warm_imports() -> None:
    import importlib

    for name in ("app.docs.slip", "app.docs.certificates"):
        importlib.import_module(name)


class KioskShell(QWidget):
    exit_requested = Signal()
    session_started = Signal()
    session_ended = Signal(str)  # finish / timeout / replaced / admin
    page_changed = Signal(str)  # the page's class name

    def __init__(self, runtime, bridge=None, *, voice: Voice | None = None, timeouts: Timeouts | None = None,
                 services: KioskServices | None = None, a4: A4Output | None = None, lockdown: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kioskShell")
        self.setWindowTitle(self.tr("社会保险自助服务"))
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.runtime = runtime
        self.bridge = bridge
        self.voice = voice or default_voice()
        self.timeouts = timeouts or Timeouts()
        self.services = services or KioskServices(runtime)
        self.a4 = a4 or A4Output.for_runtime(runtime)
        self.session: KioskSession | None = None
        self.online: bool | None = None
        self.elder = False
        self._allow_close = False
        self._shut_down = False
        self._pages: dict[str, KioskPage] = {}  # the visit's pages (destroyed by _wipe)
        self._id_polling = False
        self.setStyleSheet(style_sheet(NORMAL_SCALE))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar())
        self.stack = CurrentStack(self)
        outer.addWidget(self.stack, 1)
        self.overlay = Overlay(self)

        self.idle = IdlePage(self)
        self.goodbye = GoodbyePage(self)
        self.admin = AdminPage(self)
        for page in (self.idle, self.goodbye, self.admin):
            self.stack.addWidget(page)

        self.guard = IdleGuard(self.timeouts.prompt, self)
        self.guard.expired.connect(self._ask_more_time)
        self.guard.prompt_tick.connect(self._prompt_tick)
        self.guard.prompt_expired.connect(lambda: self.end_session("timeout"))
        self._goodbye_timer = QTimer(self)
        self._goodbye_timer.setSingleShot(True)
        self._goodbye_timer.timeout.connect(self.go_idle)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later_reason = "finish"
        self._later.timeout.connect(lambda: self.finish(self._later_reason))

        self.signals = DeviceSignals(runtime.devices, self)
        self.signals.sscard_read.connect(lambda record: self.card_presented(record, "sscard"))
        self.signals.idcard_read.connect(lambda record: self.card_presented(record, "idcard"))
        self.signals.sscard_failed.connect(self._card_failed)
        self.signals.sscard_removed.connect(self._card_removed)
        if bridge is not None:
            bridge.sync_status.connect(self._sync_status)
            bridge.device_statuses.connect(self._device_statuses)
            if bridge.last_sync is not None:
                self.online = bridge.last_sync.online
        self._id_timer = QTimer(self)
        self._id_timer.setInterval(ID_POLL_MS)
        self._id_timer.timeout.connect(self._poll_id_reader)
        if runtime.devices.idcard.backend == "real":
            self._id_timer.start()  # real readers need asking; the simulator is driven by the tests and the demo
        self._clock = QTimer(self)
        self._clock.setInterval(15_000)
        self._clock.timeout.connect(self._tick_clock)
        self._clock.start()
        self._tick_clock()

        self.lockdown: Lockdown | None = None
        if lockdown:
            self.lockdown = Lockdown(self, self.guard.poke, self.open_admin, self)
            QApplication.instance().installEventFilter(self.lockdown)
        self.show_page(self.idle)
        # The first paper of the day should not wait for ReportLab and Pillow to load.
        run_in_thread(_warm_imports, None, lambda exc: log.warning("kiosk pre-import failed: %r", exc), context=self)

    # -- chrome ----------------------------------------------------------------------------------------------------
    def _top_bar(self) -> QFrame:
        bar = QFrame(self)
        bar.setObjectName("topBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(150, 12, 30, 12)  # the left corner stays empty: the hidden administrator gesture
        row.setSpacing(24)
        self.brand = ElidedLabel(self.runtime.settings.terminal.agency_name, bar, minimum_chars=6)
        mark(self.brand, "brand")
        row.addWidget(self.brand)
        row.addStretch(1)
        self.clock_label = label("", "clock", bar, wrap=False)
        row.addWidget(self.clock_label)
        self.elder_button = button(self.tr("长辈模式"), "bar", bar, lambda: self.set_elder(not self.elder))
        self.elder_button.setCheckable(True)
        row.addWidget(self.elder_button)
        self.end_button = button(self.tr("结束办理"), "bar", bar, lambda: self.end_session("finish"))
        row.addWidget(self.end_button)
        return bar

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.clock_label.setVisible(event.size().width() >= 1400)  # a portrait kiosk needs the room for buttons
        super().resizeEvent(event)

    def _tick_clock(self) -> None:
        now = datetime.now(LOCAL_TZ)
        self.clock_label.setText(now.strftime(self.tr("%m月%d日 %H:%M")))

    def set_elder(self, on: bool) -> None:
        """长辈模式: everything 30 % larger (text, buttons, keys)."""
        self.elder = on
        self.elder_button.setChecked(on)
        self.setStyleSheet(style_sheet(ELDER_SCALE if on else NORMAL_SCALE))
        if on:
            self.voice.say(self.tr("已切换为长辈模式，字更大。"))

    # -- pages -----------------------------------------------------------------------------------------------------
    @property
    def current(self) -> KioskPage:
        return self.stack.currentWidget()

    def show_page(self, page: KioskPage) -> None:
        previous = self.stack.currentWidget()
        if previous is not None and previous is not page and shiboken6.isValid(previous):
            previous.left()
        if self.stack.indexOf(page) < 0:
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.entered()
        self.end_button.setVisible(self.session is not None and page.end_in_bar
                                   and page not in (self.goodbye, self.admin))
        self._arm(page)
        if page.prompt:
            self.voice.say(page.tr(page.prompt))  # prompts are QT_TRANSLATE_NOOP-marked
        self.page_changed.emit(type(page).__name__)

    def _arm(self, page: KioskPage) -> None:
        ms = {"page": self.timeouts.page, "form": self.timeouts.form, "admin": self.timeouts.admin,
              "rating": self.timeouts.rating}.get(page.timeout, 0)
        if page is self.admin or self.session is not None:
            self.guard.arm(ms)
        else:
            self.guard.disarm()

    def _visit_page(self, key: str, factory) -> KioskPage:
        old = self._pages.pop(key, None)
        if old is not None:
            self._destroy(old)
        page = factory()
        self._pages[key] = page
        self.stack.addWidget(page)
        return page

    def go_menu(self) -> None:
        if self.session is None:
            self.go_idle()
            return
        if self.session.anonymous:
            self.open_service("progress")
            return
        from ui.kiosk.pages.menu import MenuPage

        menu = self._pages.get("menu") or self._visit_page("menu", lambda: MenuPage(self))
        menu.refresh()
        self.show_page(menu)

    def open_service(self, key: str) -> None:
        if self.session is None:
            return
        where = SERVICE_PAGES.get(key)
        if where is None:
            log.error("unknown kiosk service %s", key)
            return
        import importlib

        factory = getattr(importlib.import_module(f"ui.kiosk.pages.{where[0]}"), where[1])
        self.show_page(self._visit_page(key, lambda: factory(self)))

    def go_idle(self) -> None:
        self._goodbye_timer.stop()
        if self.session is not None:
            self._wipe("finish")
        self.show_page(self.idle)

    # -- a visit ---------------------------------------------------------------------------------------------------
    def card_presented(self, record, source: str) -> None:
        """A card or ID was read (the device signals call this on the GUI thread)."""
        if self.current is self.admin:
            return
        person = KioskPerson.from_record(record, source)
        if not person.ssn:
            if self.session is None:
                self.show_page(self.idle)
                self.idle.say(self.tr("无法读取您的社会保障号码，请改用身份证，或到窗口办理。"))
            return
        if self.session is not None and self.session.person is not None and self.session.person.ssn == person.ssn:
            return  # the same person's card read again
        if self.session is not None:
            self._wipe("replaced")  # someone else: the previous visit ends here, unseen
        self._goodbye_timer.stop()
        self.session = KioskSession(person)
        self.session_started.emit()
        self.go_menu()

    def start_anonymous(self, key: str = "progress") -> None:
        """开始办理 without a card: services that need nobody's data (case progress, 取号)."""
        if self.session is not None:
            return
        self.session = KioskSession(None)
        self.session_started.emit()
        self.open_service(key)

    def enrolment_submitted(self, result) -> None:
        from ui.kiosk.pages.enrolment import EnrolmentResultPage

        if self.session is not None:
            self.session.case_ids.append(result.case.case_id)
            self.session.did("enrolment")
        self.show_page(self._visit_page("result", lambda: EnrolmentResultPage(self, result)))

    def end_session(self, reason: str = "finish") -> None:
        """结束办理 (or the timeout): a visit that did something (a case, a paper, a look-up, a ticket) is rated
        first (好差评, once, skippable, ends by itself after `timeouts.rating`), unless the person walked away."""
        if self.session is None:
            self.go_idle()
            return
        if reason == "finish" and self.session.wants_rating() and "rating" not in self._pages:
            from ui.kiosk.pages.rating import RatingPage

            self.session.rating_offered = True  # once per visit: 结束办理 on the rating page ends the visit
            self.show_page(self._visit_page("rating", lambda: RatingPage(self)))
            return
        self.finish(reason)

    def finish(self, reason: str) -> None:
        self._later.stop()
        person = self.session.person if self.session is not None else None
        card = person.card_label if person is not None else None
        if person is not None and person.source == "sscard" and self.session.scratch.get("card_removed"):
            card = None
        self._wipe(reason)
        self.goodbye.show_for(card, reason)
        self.show_page(self.goodbye)
        self._goodbye_timer.start(self.timeouts.goodbye)

    def finish_later(self, reason: str, ms: int) -> None:
        self._later_reason = reason
        self._later.start(ms)

    def _wipe(self, reason: str) -> None:
        """Forget the visit: pages destroyed (out of the widget tree at once), session cleared, overlays closed."""
        self.guard.disarm()
        self._later.stop()
        self.overlay.close_overlay()
        self.voice.stop()
        if self.stack.currentWidget() in self._pages.values():
            self.stack.setCurrentWidget(self.idle)
        for page in list(self._pages.values()):
            self._destroy(page)
        self._pages.clear()
        if self.session is not None:
            self.session.wipe()
            self.session = None
        sscard = self.runtime.devices.sscard
        if hasattr(sscard, "last_record"):
            sscard.last_record = None
        if self.elder:
            self.set_elder(False)
        self.session_ended.emit(reason)

    def _destroy(self, page: KioskPage) -> None:
        if not shiboken6.isValid(page):
            return
        page.left()
        discard = getattr(page, "discard", None)
        if discard is not None:
            discard()
        self.stack.removeWidget(page)
        page.hide()
        page.setParent(None)
        page.deleteLater()

    # -- timeouts --------------------------------------------------------------------------------------------------
    def _ask_more_time(self) -> None:
        if self.current is self.admin:
            self.guard.disarm()
            self.leave_admin()
            return
        if self.current.timeout == "rating":  # 好差评 not answered: the visit ends without one, nothing asked
            self.finish("finish")
            return
        self.overlay.open("timeout", self.tr("需要更多时间吗？"), "",
                          [(self.tr("需要，继续办理"), "primary", self._more_time),
                           (self.tr("不需要，结束"), "", lambda: self.end_session("timeout"))])
        self.voice.say(self.tr("需要更多时间吗？"))

    def _prompt_tick(self, seconds: int) -> None:
        if self.overlay.kind == "timeout":
            self.overlay.detail.setText(self.tr("{0} 秒后将自动结束办理，并清除您的信息。").format(seconds))
            self.overlay.detail.show()

    def _more_time(self) -> None:
        self.overlay.close_overlay()
        self.guard.more_time()

    def busy(self, text: str) -> None:
        self.guard.disarm()  # a print or a photo in progress is not inactivity
        self.overlay.open("busy", text)

    def unbusy(self) -> None:
        if self.overlay.kind == "busy":
            self.overlay.close_overlay()
        self._arm(self.current)

    # -- administrator ---------------------------------------------------------------------------------------------
    def open_admin(self) -> None:
        if self.current is self.admin:
            return
        if self.session is not None:
            self._wipe("admin")
        self._goodbye_timer.stop()
        self.overlay.close_overlay()
        self.show_page(self.admin)

    def leave_admin(self) -> None:
        self.show_page(self.idle)

    def admin_verified(self, session) -> None:
        log.info("kiosk mode left by administrator %s", session.operator_id)
        self.services.audit("kiosk.exit", {"operator_id": session.operator_id})
        self._allow_close = True
        self.shutdown()
        self.exit_requested.emit()

    # -- devices and network ---------------------------------------------------------------------------------------
    def _card_failed(self, exc) -> None:
        if self.session is None and self.current is self.idle:
            self.idle.say(getattr(exc, "user_message", None) or self.tr("读卡失败，请重新插卡（芯片朝上）。"))

    def _card_removed(self, _info) -> None:
        if self.current is self.goodbye:
            self.go_idle()
        elif self.session is not None and self.session.person is not None and self.session.person.source == "sscard":
            self.session.scratch["card_removed"] = True

    def _poll_id_reader(self) -> None:
        if self._id_polling or self.session is not None or self.current is not self.idle:
            return
        device = self.runtime.devices.idcard
        if device.status().state not in (DeviceState.ready,):
            return
        self._id_polling = True

        def done(_result=None) -> None:
            self._id_polling = False

        run_in_thread(lambda: device.read(timeout=1.0), done, done, context=self)  # read → idcard.read signal

    def _sync_status(self, status) -> None:
        changed = status.online != self.online
        self.online = status.online
        menu = self._pages.get("menu")
        if changed and menu is not None and shiboken6.isValid(menu):
            menu.refresh()

    def _device_statuses(self, statuses) -> None:
        by_kind = {s.kind: s for s in statuses}
        readers = [by_kind.get(k) for k in (DeviceKind.sscard, DeviceKind.idcard)]
        if all(s is not None and s.state in (DeviceState.absent, DeviceState.error) for s in readers):
            self.idle.set_device_notice(self.tr("读卡器暂停服务：可以点下方按钮查询办理进度，其他业务请到窗口办理。"))
        else:
            self.idle.set_device_notice("")

    # -- no way out ------------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._allow_close:
            event.accept()
        else:
            event.ignore()  # Alt+F4 from the window manager, or anything else: the kiosk stays

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.WindowStateChange and not self._allow_close and self.isMinimized():
            QTimer.singleShot(0, self.showFullScreen)  # minimised by a system key: back to full screen
        super().changeEvent(event)

    def shutdown(self) -> None:
        """Stop listening to the world (before the window goes away: tests, administrator exit). Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self._allow_close = True
        if self.lockdown is not None:
            QApplication.instance().removeEventFilter(self.lockdown)
            self.lockdown = None
        self._id_timer.stop()
        self._clock.stop()
        self._goodbye_timer.stop()
        self.guard.disarm()
        self.signals.detach()
        self.voice.stop()
        if self.session is not None:
            self._wipe("admin")
        self.services.close()
        if self.bridge is not None:
            for signal, slot in ((self.bridge.sync_status, self._sync_status),
                                 (self.bridge.device_statuses, self._device_statuses)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
