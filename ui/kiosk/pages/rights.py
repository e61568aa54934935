"""社会保险个人权益记录单: fetched from the centre and printed on A4 — or, when this kiosk cannot (no connection to
the centre's rights records, printer out of paper), a clear page that says so and where to go instead."""
from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from ui.bridge import run_in_thread
from ui.kiosk.services import printer_check
from ui.kiosk.widgets import KioskPage, label
from devices.base import DeviceKind
from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


class RightsPage(KioskPage):
    prompt = QT_TRANSLATE_NOOP("RightsPage", "打印个人权益记录单。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("打印个人权益记录单"))
        self.services = shell.services
        self.person = shell.session.person
        self.explain = label("", "body", self)
        self.body.addWidget(self.explain)
        self.state = label("", "notice", self)
        self.state.hide()
        self.body.addWidget(self.state)
        self.body.addStretch(1)
        self.add_back()
        self.print_button = self.add_primary(self.tr("打印"), self.start)
        self._tmp: Path | None = None
        self.last_elapsed = 0.0
        self.code = ""  # the verification code of the last paper (no personal data)
        self.available, reason = self._availability()
        if self.available:
            self.explain.setText(self.tr("将打印您本人的《社会保险个人权益记录单》（A4 纸），包括参保、缴费和个人账户记录。"
                                         "\n打印件含有您的个人信息，请妥善保管。"))
        else:
            self.explain.setText(reason)
            self.print_button.hide()
            self.prompt = reason

    def _availability(self) -> tuple[bool, str]:
        if self.services.rights_source is None:
            return False, (self.tr("个人权益记录单打印暂不可用：本机尚未接入中心的权益记录查询。\n"
                                   "请到人工窗口办理，或拨打 12333 咨询。"))
        if self.shell.online is False:
            return False, self.tr("网络暂时中断，个人权益记录单暂不能打印。请到窗口办理。")
        check = printer_check(self.shell.runtime, DeviceKind.a4_printer)
        if not check.ready:
            return False, check.text
        return True, ""

    def say(self, text: str, kind: str = "notice") -> None:
        from ui.kiosk.style import restyle

        restyle(self.state, kind)
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def start(self) -> None:
        check = printer_check(self.shell.runtime, DeviceKind.a4_printer)
        if not check.ready:  # the paper ran out since the page opened: say so before anything is printed
            self.say(check.text, "error")
            self.print_button.hide()
            return
        self.print_button.setEnabled(False)
        self.shell.busy(self.tr("正在查询并打印，请稍候…"))
        services, shell, person = self.services, self.shell, self.person
        self._tmp = Path(tempfile.mkdtemp(prefix="yc-kiosk-"))
        out = self._tmp / "rights-record.pdf"
        started = time.perf_counter()

        def work() -> tuple[float, str]:
            pdf = services.issue_rights_record(person.ssn, person.name, out)
            shell.a4.print_pdf(pdf, self.tr("社会保险个人权益记录单"))
            return time.perf_counter() - started, getattr(services.rights_source, "last_code", "") or ""

        run_in_thread(work, self._printed, self._failed, context=self)

    def _printed(self, result: tuple[float, str]) -> None:
        self.last_elapsed, self.code = result
        self._cleanup()
        self.shell.unbusy()
        self.print_button.hide()
        done = self.tr("打印完成，请从下方出纸口取走打印件。")
        if self.code:
            done += "\n" + self.tr("验证码：{0}").format(self.code)
        self.say(done, "ok")
        self.shell.voice.say(self.tr("打印完成，请取走打印件。"))
        if self.shell.session is not None:
            self.shell.session.did("rights_record")
        self.services.audit("kiosk.print", {"document": "rights_record", "code": self.code})

    def _failed(self, exc: BaseException) -> None:
        self._cleanup()
        self.shell.unbusy()
        text = getattr(exc, "user_message", "") or self.tr("打印失败")
        log.warning("kiosk rights record failed: %r", exc)
        self.print_button.setEnabled(True)
        self.say((self.tr("打印机缺纸，请到窗口办理") if "缺纸" in text else text.rstrip("。") + self.tr("。请到窗口办理。")), "error")

    def _cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)  # the PDF holds the person's records: never keep it
            self._tmp = None

    def discard(self) -> None:
        self._cleanup()
