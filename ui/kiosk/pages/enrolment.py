"""城乡居民养老保险参保登记, self-service (001 第二章 L25): check the data read from the card, give a phone number,
photograph the ID card and the 户口簿 (首页, 本人页) with the document camera, promise what the kiosk cannot check,
submit. The case goes to the agency's back office (已受理, channel kiosk); the person gets the 受理编号 on screen and
on a receipt slip."""
from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from app.errors import ValidationFailed, YichuangError
from ui.bridge import run_in_thread
from ui.devices.preview import CameraPreview
from ui.kiosk.keyboard import KioskInput, OnScreenKeyboard, PinyinPicker
from ui.kiosk.services import ENROLMENT_SCANS, paper_out_text, printer_check, scan_title
from ui.kiosk.style import restyle
from ui.kiosk.widgets import CurrentStack, KioskPage, button, card, label
from devices.base import DeviceKind

log = logging.getLogger(__name__)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
STEPS = (QT_TRANSLATE_NOOP("EnrolmentPage", "核对信息"), QT_TRANSLATE_NOOP("EnrolmentPage", "联系电话"),
         QT_TRANSLATE_NOOP("EnrolmentPage", "拍摄材料"), QT_TRANSLATE_NOOP("EnrolmentPage", "确认提交"))


class EnrolmentPage(KioskPage):
    timeout = "form"
    prompt = QT_TRANSLATE_NOOP("EnrolmentPage", "城乡居民养老保险参保登记。请核对您的信息。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("城乡居民养老保险参保登记"))
        self.services = shell.services
        self.person = shell.session.person
        self.blockers, self.promises = self.services.enrolment_checks(self.person)
        self.scans: list[bytearray | None] = [None] * len(ENROLMENT_SCANS)
        self.scan_index = 0
        self._capturing = False
        self._submitting = False  # the case is on its way on a worker
        self._tmp = Path(tempfile.mkdtemp(prefix="yc-kiosk-"))
        self.step_label = label("", "step", self)
        self.root.insertWidget(1, self.step_label)
        self.steps = CurrentStack(self)
        self.body.addWidget(self.steps, 1)
        self.message = label("", "error", self)
        self.message.hide()
        self.body.addWidget(self.message)
        self.back_button = self.add_back(self.tr("上一步"), self.back)
        self.next_button = self.add_primary(self.tr("下一步"), self.forward)
        self._build_check()
        self._build_phone()
        self._build_scan()
        self._build_confirm()
        self.go(0)

    # -- steps -----------------------------------------------------------------------------------------------------
    def _build_check(self) -> None:
        page = QWidget(self.steps)
        box = QVBoxLayout(page)
        box.setSpacing(18)
        box.addWidget(label(self.tr("以下信息读取自您的证件，请核对："), "body", page))
        grid = QGridLayout()
        grid.setHorizontalSpacing(30)
        grid.setVerticalSpacing(14)
        p = self.person
        rows = [(self.tr("姓名"), p.name), (self.tr("公民身份号码"), p.ssn), (self.tr("性别"), p.gender),
                (self.tr("民族"), p.nation),
                (self.tr("出生日期"), p.birth_date.strftime(self.tr("%Y年%m月%d日")) if p.birth_date else ""),
                (self.tr("户籍地址"), p.address)]
        self.name_value = None
        for r, (name, value) in enumerate(x for x in rows if x[1] or x[0] == self.tr("姓名")):
            grid.addWidget(label(name, "body", page), r, 0)
            value_label = label(value or self.tr("（卡内未读到，请在下一步输入）"), "value", page)
            if name == self.tr("姓名"):
                self.name_value = value_label
            grid.addWidget(value_label, r, 1)
        grid.setColumnStretch(1, 1)
        box.addLayout(grid)
        if self.blockers:
            box.addWidget(label(self.tr("暂不能自助办理：") + self.tr("；").join(self.blockers) + self.tr("。请到窗口咨询。"), "error",
                                page))
        self.name_entry: KioskInput | None = None
        if not p.name:  # a third-generation card read offline withholds the name: pinyin picker
            self.name_entry = KioskInput(max_length=15, placeholder=self.tr("请输入姓名"), parent=page)
            box.addWidget(self.name_entry)
            box.addWidget(PinyinPicker(self.name_entry, page))
        box.addStretch(1)
        self.steps.addWidget(page)

    def _build_phone(self) -> None:
        page = QWidget(self.steps)
        cols = self.columns()
        left = QVBoxLayout()
        left.setSpacing(18)
        left.addWidget(label(self.tr("请输入您的手机号码，审核结果将短信通知您："), "body", page))
        self.phone = KioskInput(allowed="0123456789", max_length=11, placeholder=self.tr("点击下方数字输入"), parent=page)
        left.addWidget(self.phone)
        left.addStretch(1)
        cols.addLayout(left, 1)
        self.phone_keys = OnScreenKeyboard(self.phone, "digits", page)
        cols.addWidget(self.phone_keys, 1)
        page.setLayout(cols)
        self.steps.addWidget(page)

    def _build_scan(self) -> None:
        page = QWidget(self.steps)
        cols = self.columns()
        left = QVBoxLayout()
        left.setSpacing(18)
        self.scan_instruction = label("", "title", page)
        left.addWidget(self.scan_instruction)
        self.scan_hint = label(self.tr("放好后点“拍照”。拍得不清楚可以“重拍”。"), "body", page)
        left.addWidget(self.scan_hint)
        self.scan_list: list = []
        for title in (scan_title(t) for _c, t in ENROLMENT_SCANS):
            row = label(self.tr("○　{0}").format(title), "body", page)
            self.scan_list.append(row)
            left.addWidget(row)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        self.retake_button = button(self.tr("重拍"), "", page, self.retake)
        self.capture_button = button(self.tr("拍照"), "primary", page, self.capture)
        self.capture_button.setProperty("wide", True)
        buttons.addWidget(self.retake_button)
        buttons.addWidget(self.capture_button)
        left.addLayout(buttons)
        cols.addLayout(left, 1)
        right = QVBoxLayout()
        self.preview = CameraPreview(page)
        self.preview.setMinimumSize(480, 360)
        self.shot = label("", "body", page, center=True)
        self.shot.setMinimumSize(480, 360)
        self.shot.hide()
        right.addWidget(self.preview, 1)
        right.addWidget(self.shot, 1)
        cols.addLayout(right, 1)
        page.setLayout(cols)
        self.steps.addWidget(page)

    def _build_confirm(self) -> None:
        page = QWidget(self.steps)
        box = QVBoxLayout(page)
        box.setSpacing(18)
        box.addWidget(label(self.tr("提交前，请确认以下情况属实："), "body", page))
        panel = card(page)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(30, 24, 30, 24)
        texts = [text for _i, text in self.promises] or [self.tr("以上信息真实、准确。")]
        for n, text in enumerate(texts, start=1):
            inner.addWidget(label(self.tr("{0}．{1}").format(n, text), "body", panel))
        box.addWidget(panel)
        box.addWidget(label(self.tr("提交后由工作人员审核。如有不实，将承担相应责任。"), "muted", page))
        self.confirm_notice = label("", "notice", page)
        self.confirm_notice.hide()
        box.addWidget(self.confirm_notice)
        box.addStretch(1)
        self.steps.addWidget(page)

    # -- navigation ------------------------------------------------------------------------------------------------
    def go(self, index: int) -> None:
        if self.steps.currentIndex() == 2 and index != 2:
            self.preview.stop()
        self.steps.setCurrentIndex(index)
        self.step_label.setText(self.tr("第 {0} 步，共 {1} 步：{2}").format(index + 1, len(STEPS), self.tr(STEPS[index])))
        self.say("")
        self.back_button.setText(self.tr("返回") if index == 0 else self.tr("上一步"))
        self.next_button.setText(self.tr("我承诺属实，提交申请") if index == 3 else self.tr("信息正确，下一步") if index == 0
                                 else self.tr("下一步"))
        self.next_button.setEnabled(not (index == 0 and self.blockers))
        if index == 1:
            self.shell.voice.say(self.tr("请输入您的手机号码。"))
        elif index == 2:
            self._show_scan_step()
            self.preview.start(self.shell.runtime.devices.camera)
        elif index == 3:
            check = printer_check(self.shell.runtime, DeviceKind.receipt_printer)
            self.confirm_notice.setText("" if check.ready else
                                        self.tr("回执打印机暂停服务：提交后请记下屏幕上的受理编号。"))
            self.confirm_notice.setVisible(not check.ready)
            self.shell.voice.say(self.tr("请确认后提交申请。"))

    def back(self) -> None:
        index = self.steps.currentIndex()
        if index == 0:
            self.shell.go_menu()
        else:
            self.go(index - 1)

    def forward(self) -> None:
        index = self.steps.currentIndex()
        if index == 0:
            if self.blockers:
                return
            if self.name_entry is not None:
                if len(self.name_entry.value()) < 2:
                    self.say(self.tr("请输入您的姓名。"))
                    return
                self.person.name = self.name_entry.value()
            self.go(1)
        elif index == 1:
            if not _MOBILE.match(self.phone.value()):
                self.say(self.tr("请输入11位手机号码。"))
                return
            self.go(2)
        elif index == 2:
            if any(s is None for s in self.scans):
                self.say(self.tr("请先拍完全部材料。"))
                return
            self.go(3)
        else:
            self.submit()

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- camera ----------------------------------------------------------------------------------------------------
    def _show_scan_step(self) -> None:
        pending = next((n for n, s in enumerate(self.scans) if s is None), None)
        self.scan_index = pending if pending is not None else len(self.scans) - 1
        for n, row in enumerate(self.scan_list):
            taken = self.scans[n] is not None
            row.setText((self.tr("●　") if taken else self.tr("○　")) + scan_title(ENROLMENT_SCANS[n][1])
                        + (self.tr("（已拍）") if taken else ""))
        done = pending is None
        title = scan_title(ENROLMENT_SCANS[self.scan_index][1])
        self.scan_instruction.setText(self.tr("材料已拍完，请点“下一步”") if done else self.tr("请把{0}平放在拍摄区").format(title))
        self.capture_button.setEnabled(not done and not self._capturing)
        self.retake_button.setEnabled(any(s is not None for s in self.scans) and not self._capturing)
        self.preview.setVisible(not done)
        self.shot.setVisible(done)
        self.scan_hint.setVisible(not done)
        if not done:
            self.shell.voice.say(self.tr("请把{0}平放在拍摄区，然后点拍照。").format(title))

    def capture(self) -> None:
        if self._capturing:
            return
        camera = self.shell.runtime.devices.camera
        index = self.scan_index
        path = self._tmp / f"scan-{index}.jpg"
        self._capturing = True
        self.capture_button.setEnabled(False)
        self.shell.busy(self.tr("正在拍照，请不要移动材料…"))

        def work() -> bytes:
            result = camera.capture_page(path, deskew=True)
            data = Path(result.path).read_bytes()
            Path(result.path).unlink(missing_ok=True)
            return data

        run_in_thread(work, lambda data: self._captured(index, data), self._capture_failed, context=self)

    def _captured(self, index: int, data: bytes) -> None:
        self._capturing = False
        self.shell.unbusy()
        self.scans[index] = bytearray(data)
        pix = QPixmap()
        pix.loadFromData(bytes(data))
        self.shot.setPixmap(pix.scaled(640, 480, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        self._show_scan_step()

    def _capture_failed(self, exc: BaseException) -> None:
        self._capturing = False
        self.shell.unbusy()
        self.say(getattr(exc, "user_message", None) or self.tr("拍照失败，请重试；仍不行请到窗口办理。"))
        self._show_scan_step()

    def retake(self) -> None:
        """Retake the last photo taken (the one just shown)."""
        taken = [n for n, s in enumerate(self.scans) if s is not None]
        if taken:
            self.scans[taken[-1]] = None
            self.shot.clear()
            self._show_scan_step()

    # -- submit ----------------------------------------------------------------------------------------------------
    def submit(self) -> None:
        """The case and its scans are written on a worker (issue 13) behind the kiosk's busy overlay."""
        if self._submitting:
            return
        scans = [(ENROLMENT_SCANS[n][0], ENROLMENT_SCANS[n][1], bytes(s)) for n, s in enumerate(self.scans) if s]
        services, person, phone = self.services, self.person, self.phone.value()
        promises = [i for i, _t in self.promises]
        self._submitting = True
        self.shell.busy(self.tr("正在提交，请稍候…"))
        run_in_thread(lambda: services.submit_enrolment(person, phone, scans, promises), self._submitted,
                      self._submit_failed, context=self)

    def _submitted(self, result) -> None:
        self._submitting = False
        self.shell.unbusy()
        self.shell.enrolment_submitted(result)

    def _submit_failed(self, exc: BaseException) -> None:
        self._submitting = False
        self.shell.unbusy()
        if isinstance(exc, ValidationFailed):
            self.say(exc.user_message + self.tr(" 如有疑问请到窗口咨询。"))
        elif isinstance(exc, YichuangError):
            log.error("kiosk enrolment failed: %s", exc.detail)
            self.say(exc.user_message + self.tr(" 请到窗口办理。"))
        else:
            log.error("kiosk enrolment failed unexpectedly", exc_info=exc)
            self.say(self.tr("系统暂时无法提交，请到窗口办理。"))

    def left(self) -> None:
        self.preview.stop()

    def discard(self) -> None:
        """The visit ends: forget the photos (zeroed) and the temporary folder."""
        self.preview.stop()
        for s in self.scans:
            if s is not None:
                s[:] = b"\0" * len(s)
        self.scans = [None] * len(self.scans)
        shutil.rmtree(self._tmp, ignore_errors=True)


class EnrolmentResultPage(KioskPage):
    """受理编号 in huge digits, what happens next, and the receipt slip."""

    prompt = QT_TRANSLATE_NOOP("EnrolmentResultPage", "申请已提交，请记下受理编号。")

    def __init__(self, shell, result):
        super().__init__(shell, "")
        from app.cases.service import IntakeOutcome

        self.result = result
        case = result.case
        accepted = result.outcome is IntakeOutcome.accepted
        self.title_label.setText(self.tr("申请已提交") if accepted else self.tr("暂不能受理"))
        self.title_label.show()
        if accepted:
            self.body.addWidget(label(self.tr("受理编号"), "body", self, center=True))
            self.body.addWidget(label(case.case_no, "huge", self, center=True))
            self.body.addWidget(label(self.tr("工作人员审核后，会短信通知您结果。可凭受理编号在本机“查询办理进度”。"),
                                      "body", self, center=True))
            self.slip = label(self.tr("正在打印回执，请稍候…"), "notice", self, center=True)
            self.body.addWidget(self.slip)
        else:
            separator = self.tr("；")
            reasons = separator.join(m.name for m in result.missing) or separator.join(r.reason for r in result.reasons)
            self.body.addWidget(label(self.tr("{0}。请到窗口咨询办理。").format(reasons), "error", self))
            self.slip = None
        self.body.addStretch(1)
        self.bar.addStretch(1)
        self.done_button = button(self.tr("办完了"), "primary", self, lambda: shell.end_session("finish"))
        self.done_button.setProperty("wide", True)
        self.bar.addWidget(self.done_button)
        if accepted:
            self._print_slip()

    def _print_slip(self) -> None:
        check = printer_check(self.shell.runtime, DeviceKind.receipt_printer)
        if not check.ready:
            self._slip_failed_text(check.text)
            return
        services, case, name = self.shell.services, self.result.case, self.result.item.name
        run_in_thread(lambda: services.print_receipt_slip(case, name), self._slip_done, self._slip_failed,
                      context=self)

    def _slip_done(self, _result) -> None:
        restyle(self.slip, "ok")
        self.slip.setText(self.tr("回执已打印，请从出纸口取走。"))

    def _slip_failed(self, exc: BaseException) -> None:
        text = getattr(exc, "user_message", "") or ""
        self._slip_failed_text(paper_out_text() if "缺纸" in text else self.tr("回执打印失败"))

    def _slip_failed_text(self, text: str) -> None:
        if "缺纸" in text:
            text = self.tr("回执打印机缺纸")
        restyle(self.slip, "error")
        self.slip.setText(self.tr("{0}：请记下上面的受理编号，或到窗口打印回执。").format(text))
