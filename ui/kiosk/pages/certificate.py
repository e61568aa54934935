"""参保证明打印: the card holder's 社会保险参保证明（个人）with a verification code and QR code from the centre, on the
A4 printer. Online only. The printer is checked before the person taps 打印 (out of paper → said at once, with
another way to get the paper); the PDF is deleted once printed."""
from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from devices.base import DeviceKind
from ui.kiosk.certificate import TITLE, EnrolmentCertificate, issue_certificate
from ui.kiosk.pages.lookup import LookupPage
from ui.kiosk.services import printer_check
from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)
OTHER_WAY = QT_TRANSLATE_NOOP("CertificatePage", "您也可以通过“内蒙古人社”app 或 12333 网上服务大厅下载打印参保证明，或到人工窗口办理。")


class CertificatePage(LookupPage):
    activity = "certificate"
    prompt = QT_TRANSLATE_NOOP("CertificatePage", "打印参保证明。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("打印参保证明"))
        self.add_back()
        self.print_button = self.add_primary(self.tr("打印"), self.start)
        self._tmp: Path | None = None
        self.last_elapsed = 0.0
        self.code = ""
        self.available, reason = self._availability()
        if self.available:
            self.show_text(self.tr("将打印您本人的《社会保险参保证明（个人）》（A4 纸），列出您参加的社会保险险种、参保状态和参保日期。\n"
                                   "证明上有验证码和二维码，单位或银行可以扫码核验真伪。打印件含有您的个人信息，请妥善保管。"))
        else:
            self.show_text(reason, "notice")
            self.print_button.hide()
            self.prompt = reason

    def _availability(self) -> tuple[bool, str]:
        if self.shell.online is False:
            return False, self.tr("网络暂时中断，参保证明暂不能打印。\n") + self.tr(OTHER_WAY)
        check = printer_check(self.shell.runtime, DeviceKind.a4_printer)
        if not check.ready:
            return False, check.text + self.tr("。\n") + self.tr(OTHER_WAY)
        return True, ""

    def start(self) -> None:
        check = printer_check(self.shell.runtime, DeviceKind.a4_printer)
        if not check.ready:  # the paper ran out since the page opened: say so before anything is printed
            self.say(check.text + self.tr("。") + self.tr(OTHER_WAY), "error")
            self.print_button.hide()
            return
        self.print_button.setEnabled(False)
        shell, person, online = self.shell, self.person, self.services.online
        terminal = shell.runtime.settings.terminal
        actor = self.services.actor
        self._tmp = Path(tempfile.mkdtemp(prefix="yc-kiosk-"))
        out = self._tmp / "enrolment-certificate.pdf"
        started = time.perf_counter()

        def work() -> tuple[float, str]:
            data = online.person(person.ssn)
            years = None
            if any(i.get("scheme") == "城乡居民养老保险" for i in data.get("insurances", [])):
                years = online.resident_contributions(person.ssn).years_paid
            cert = EnrolmentCertificate.from_person(data, terminal.agency_name, terminal.agency_code,
                                                    actor.operator_id, resident_years_paid=years)
            pdf, code = issue_certificate(online, cert, out)
            shell.a4.print_pdf(pdf, TITLE)
            return time.perf_counter() - started, code

        self.ask(work, self._printed, busy_text=self.tr("正在查询并打印，请稍候…"), failed=self._failed)

    def _printed(self, result: tuple[float, str]) -> None:
        self.last_elapsed, self.code = result
        self._cleanup()
        self.print_button.hide()
        self.say(self.tr("打印完成，请从下方出纸口取走参保证明。\n验证码：{0}").format(self.code), "ok")
        self.shell.voice.say(self.tr("打印完成，请取走参保证明。"))
        self.shell.services.audit("kiosk.print", {"document": TITLE})

    def _failed(self, exc: BaseException) -> None:
        self._cleanup()
        self.print_button.setEnabled(True)
        text = getattr(exc, "user_message", "") or self.tr("打印失败")
        self.say(text.rstrip("。") + self.tr("。") + self.tr(OTHER_WAY), "error")

    def _cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)  # the PDF holds the person's data: never keep it
            self._tmp = None

    def discard(self) -> None:
        self._cleanup()
