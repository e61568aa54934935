"""待遇领取资格认证 at the kiosk (自助认证, 001 ch5 L72): the card holder is already identified by the card or ID read
at the start of the visit; the camera takes a short burst, app.certification.face checks it is a live face and — when
a model is configured (certification.toml [face]) — compares it with the reference photo; the result is recorded by
app.certification.service (channel kiosk: the record and its outbox message and audit record in one transaction).
Without a model the photo is queued for back-office comparison and the page says so (result 已提交后台比对).

When the centre is reachable the page first shows the person's standing (deadline, suspension); a person the centre
knows no benefit of is told that no certification is needed."""
from __future__ import annotations

import logging

from PySide6.QtWidgets import QVBoxLayout

from app.certification.face import FaceChecker, encode_jpeg
from app.certification.service import Identity
from ui.devices.preview import CameraPreview
from ui.kiosk.pages.lookup import LookupPage
from ui.kiosk.widgets import label
from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)
BURST = 5
MAX_TRIES = 3


class CertifyPage(LookupPage):
    activity = "certify"
    timeout = "form"
    prompt = QT_TRANSLATE_NOOP("CertifyPage", "待遇领取资格认证。请正对屏幕上方的摄像头。")

    def __init__(self, shell):
        super().__init__(shell, self.tr("待遇领取资格认证"))
        self.checker = FaceChecker(self.services.face_settings())
        self.tries = 0
        self.standing = None
        self.view = None  # app.certification.service.RecordView once recorded
        self.not_needed = False
        cols = self.columns()
        left = QVBoxLayout()
        left.setSpacing(16)
        self.body.removeWidget(self.result_card)
        left.addWidget(self.result_card)
        self.guide = label(self.tr("请摘下帽子和眼镜，正对摄像头，拍照时请稍微转动头部。"), "body", self)
        left.addWidget(self.guide)
        left.addStretch(1)
        cols.addLayout(left, 1)
        self.preview = CameraPreview(self)
        self.preview.set_guide(True)
        self.preview.setMinimumSize(400, 300)
        cols.addWidget(self.preview, 1)
        self.body.insertLayout(0, cols, 1)
        self.show_lines([(self.tr("姓名"), self.person.masked_name), (self.tr("证件号码"), self.person.masked_ssn)],
                        headline=self.tr("本人认证"), headline_kind="title")
        self.add_back()
        self.photo_button = self.add_primary(self.tr("开始拍照认证"), self.take_photo)

    # -- standing --------------------------------------------------------------------------------------------------
    def entered(self) -> None:
        camera = self.shell.runtime.devices.camera
        if hasattr(camera, "set_scene"):
            camera.set_scene("portrait")  # the simulated camera shows a person instead of a page
        if self.view is None:
            self.preview.start(camera)
        if self.standing is None and self.shell.online is not False and not self.busy_now:
            online, ssn = self.services.online, self.person.ssn
            self.ask(lambda: online.certification_standing(ssn), self._standing, failed=self._standing_unknown)

    def _standing(self, standing) -> None:
        if standing is None:
            self.not_needed = True
            self.photo_button.hide()
            self.preview.stop()
            self.show_lines([], headline=self.tr("无需认证"), headline_kind="title",
                            detail=self.tr("中心没有您领取养老保险待遇的记录，不需要进行待遇领取资格认证。如有疑问请到窗口咨询。"))
            return
        self.standing = standing
        last = standing.get("last_certification") or {}
        lines = [(self.tr("姓名"), self.person.masked_name), (self.tr("认证期限"), standing.get("deadline", "—") +
                                                       (self.tr("（已逾期）") if standing.get("overdue") else "")),
                 (self.tr("上次认证"), f"{last.get('on')} {last.get('method_label')}" if last else self.tr("无"))]
        detail = ""
        if standing.get("state") == "suspended":
            detail = self.tr("您的待遇已自{0}起暂停发放；本次认证通过后恢复发放并补发。").format(standing.get('suspended_from'))
        self.show_lines(lines, headline=self.tr("本人认证"), headline_kind="title", detail=detail)

    def _standing_unknown(self, exc: BaseException) -> None:
        self.say(self.tr("暂时查不到您的认证期限；本次认证照常记录，联网后上传中心。"))

    # -- photo and check -------------------------------------------------------------------------------------------
    def take_photo(self) -> None:
        self.photo_button.setEnabled(False)
        self.say("")
        camera, checker = self.shell.runtime.devices.camera, self.checker
        person = self.person
        identity = Identity(person.ssn, person.name, person.source)
        service, actor = self.services.certification, self.services.actor

        def work():
            frames = [camera.grab_frame(fresh=True) for _ in range(BURST)]
            photo = encode_jpeg(frames[-1], max_side=1024, quality=85)
            check = checker.check(frames, None)
            if not check.live:
                return check, None
            return check, service.record(identity, photo, check, channel="kiosk", operator_id=actor.operator_id)

        self.shell.voice.say(self.tr("请正对摄像头，稍微转动头部。"))
        self.ask(work, self._checked, busy_text=self.tr("正在拍照认证，请正对摄像头，稍微转动头部…"), failed=self._photo_failed)

    def _checked(self, result) -> None:
        check, view = result
        self.tries += 1
        if view is None:
            self.photo_button.setEnabled(self.tries < MAX_TRIES)
            if self.tries >= MAX_TRIES:
                self.photo_button.hide()
                self.say(self.tr("多次未通过真人检测，请到人工窗口办理认证。"), "error")
            else:
                self.photo_button.setText(self.tr("重新拍照"))
                self.say(check.message + self.tr("\n请调整后点“重新拍照”。"), "error")
            return
        self.view = view
        self.preview.stop()
        self.photo_button.hide()
        self.shell.runtime.relay.wake()
        if view.result == "passed":
            self.show_lines([], headline=self.tr("认证通过"), detail=self.tr("本年度待遇领取资格认证已完成，谢谢！"))
            self.say(self.tr("认证通过。"), "ok")
        elif view.result == "pending":
            self.show_lines([], headline=self.tr("照片已提交"), headline_kind="title",
                            detail=self.tr("{0}\n工作人员比对后完成认证，无需再来；如比对不通过，会电话联系您。").format(check.message))
            self.say(self.tr("已提交后台人工比对。"), "ok")
        else:
            self.show_lines([], headline=self.tr("认证未通过"), headline_kind="title", detail=check.message)
            self.say(self.tr("请到人工窗口办理认证。"), "error")
        self.shell.voice.say(view.result_label + self.tr("。"))

    def _photo_failed(self, exc: BaseException) -> None:
        self.photo_button.setEnabled(True)
        self.say(getattr(exc, "user_message", "") or self.tr("拍照失败，请重试或到窗口办理。"), "error")

    def left(self) -> None:
        self.preview.stop()
