"""办理进度: the person's own cases when they came with a card; any case by 受理编号 — scanned from the QR code of
the 受理回执 with the document camera, or typed on the on-screen keyboard. Names are shown masked."""
from __future__ import annotations

import logging
import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from ui.bridge import run_in_thread
from ui.devices.preview import CameraPreview
from ui.kiosk.keyboard import KioskInput, OnScreenKeyboard
from ui.kiosk.services import CaseStatus, case_no_from_qr
from ui.kiosk.widgets import CurrentStack, KioskPage, button, card, clear_layout, label

log = logging.getLogger(__name__)

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

SCAN_SECONDS = 20.0
CASE_NO_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"


class ProgressPage(KioskPage):
    timeout = "form"
    prompt = QT_TRANSLATE_NOOP("ProgressPage", "查询办理进度。请扫描回执上的二维码，或输入受理编号。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("查询办理进度"))
        self.services = shell.services
        person = shell.session.person if shell.session else None
        cols = self.columns()
        left = QVBoxLayout()
        left.setSpacing(18)
        self.result_card = card(self)
        self.result_box = QVBoxLayout(self.result_card)
        self.result_box.setContentsMargins(30, 24, 30, 24)
        self.result_box.setSpacing(10)
        left.addWidget(self.result_card)
        self.message = label("", "error", self)
        self.message.hide()
        left.addWidget(self.message)
        left.addStretch(1)
        cols.addLayout(left, 1)
        self.modes = CurrentStack(self)
        # mode 0: typed
        typed = QWidget(self.modes)
        tbox = QVBoxLayout(typed)
        tbox.setContentsMargins(0, 0, 0, 0)
        tbox.setSpacing(14)
        tbox.addWidget(label(self.tr("输入受理编号（回执上方的编号）："), "body", typed))
        self.entry = KioskInput(allowed=CASE_NO_CHARS, max_length=32,
                                placeholder=self.tr("例如 150102-T01-20260301-0007"),
                                parent=typed)
        tbox.addWidget(self.entry)
        self.keys = OnScreenKeyboard(self.entry, "code", typed)
        tbox.addWidget(self.keys, 1)
        self.modes.addWidget(typed)
        # mode 1: scanning
        scanning = QWidget(self.modes)
        sbox = QVBoxLayout(scanning)
        sbox.setContentsMargins(0, 0, 0, 0)
        sbox.addWidget(label(self.tr("请把回执上的二维码对准拍摄区"), "title", scanning))
        self.preview = CameraPreview(scanning)
        self.preview.setMinimumSize(480, 360)
        sbox.addWidget(self.preview, 1)
        self.modes.addWidget(scanning)
        cols.addWidget(self.modes, 1)
        self.body.addLayout(cols, 1)
        self.add_back(self.tr("返回") if person is not None else self.tr("结束查询"),
                      shell.go_menu if person is not None else (lambda: shell.end_session("finish")))
        self.scan_button = button(self.tr("扫描二维码"), "", self, self.start_scan)
        self.type_button = button(self.tr("改为输入编号"), "", self, self.stop_scan)
        self.type_button.hide()
        self.bar.addWidget(self.scan_button)
        self.bar.addWidget(self.type_button)
        self.search_button = self.add_primary(self.tr("查询"), self.search)
        self._scan_timer = QTimer(self)
        self._scan_timer.setInterval(500)
        self._scan_timer.timeout.connect(self._scan_once)
        self._scan_until = 0.0
        self._scan_busy = False
        self._searching = False
        self.show_cases([], mine=False)
        if person is not None:  # the person's cases, read on a worker (issue 13)
            services, ssn = self.services, person.ssn
            run_in_thread(lambda: services.person_cases(ssn), lambda cases: self.show_cases(cases, mine=True),
                          lambda exc: log.error("kiosk case list failed: %r", exc), context=self)

    # -- results ---------------------------------------------------------------------------------------------------
    def _clear_results(self) -> None:
        clear_layout(self.result_box)

    def show_cases(self, cases: list[CaseStatus], *, mine: bool) -> None:
        self._clear_results()
        if not cases:
            text = self.tr("本机没有查到您的业务。如在窗口办理，请输入回执上的受理编号。") if mine else self.tr("查询结果会显示在这里。")
            self.result_box.addWidget(label(text, "body", self.result_card))
            return
        if mine:
            self.result_box.addWidget(label(self.tr("您的业务："), "body", self.result_card))
        for status in cases[:3]:
            self._add_status(status)

    def _add_status(self, status: CaseStatus) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for r, (name, value) in enumerate(status.lines()):
            grid.addWidget(label(name, "muted", self.result_card), r, 0)
            grid.addWidget(label(value, "title" if name == _translate("CaseStatus", "当前状态") else "body",
                                 self.result_card), r, 1)
        grid.setColumnStretch(1, 1)
        self.result_box.addLayout(grid)

    def search(self, raw: str | None = None) -> None:
        """Look the 受理编号 up on a worker (issue 13); the answer replaces the results."""
        raw = self.entry.value() if raw is None else raw
        self.say("")
        services = self.services
        self._searching = True
        run_in_thread(lambda: services.find_case(raw), self._found, self._search_failed, context=self)

    def is_searching(self) -> bool:
        return self._searching

    def _search_failed(self, exc: BaseException) -> None:
        self._searching = False
        log.error("kiosk case search failed: %r", exc)
        self.say(self.tr("系统暂时无法查询，请稍后再试或到窗口咨询。"))

    def _found(self, found) -> None:
        self._searching = False
        if found is None:
            self.say(self.tr("没有找到该受理编号，请核对后重新输入；在其他窗口办理的业务请拨打12333查询。"))
            return
        self.show_cases([found], mine=False)
        if self.shell.session is not None:
            self.shell.session.did("progress")  # a look-up answered: the visit ends with 好差评
        self.shell.voice.say(self.tr("当前状态：{0}。").format(found.status_label))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- QR scanning -----------------------------------------------------------------------------------------------
    def start_scan(self) -> None:
        self.modes.setCurrentIndex(1)
        self.scan_button.hide()
        self.search_button.hide()
        self.type_button.show()
        self.preview.start(self.shell.runtime.devices.camera)
        self._scan_until = time.monotonic() + SCAN_SECONDS
        self._scan_timer.start()
        self.shell.voice.say(self.tr("请把回执上的二维码对准拍摄区。"))

    def stop_scan(self) -> None:
        self._scan_timer.stop()
        self.preview.stop()
        self.modes.setCurrentIndex(0)
        self.type_button.hide()
        self.scan_button.show()
        self.search_button.show()

    def _scan_once(self) -> None:
        if time.monotonic() > self._scan_until:
            self.stop_scan()
            self.say(self.tr("没有识别到二维码，请输入受理编号。"))
            return
        if self._scan_busy:
            return
        self._scan_busy = True
        camera = self.shell.runtime.devices.camera
        run_in_thread(camera.scan_qr, self._scanned, self._scan_failed, context=self)

    def _scanned(self, results) -> None:
        self._scan_busy = False
        for r in results or []:
            case_no = case_no_from_qr(r.text)
            if case_no:
                self.stop_scan()
                self.entry.set_value(case_no)
                self.search(case_no)
                return

    def _scan_failed(self, _exc: BaseException) -> None:
        self._scan_busy = False

    def left(self) -> None:
        self.stop_scan()

