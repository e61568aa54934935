"""Certification at the counter or the kiosk: identify by social security card, ID card or typed number; see the
person's standing (when online); take a live photo burst; check it is a real face; compare with the reference photo
when a model is configured — otherwise the screen says the photo goes to back-office comparison; record the result
(queued for the centre with the photo). The counter can also register a death or custody reported by relatives."""
from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from app.certification.face import FaceCheck, FaceChecker, encode_jpeg
from app.certification.rules import LOSS_LABELS, LossKind
from app.certification.service import CertificationService, Identity
from app.ids import mask_id_number
from ui.bridge import run_in_thread
from ui.devices.preview import CameraPreview
from ui.style import set_state
from ui.texts import domain

log = logging.getLogger(__name__)

BURST = 5


class CertifyScreen(QWidget):
    recorded = Signal(object)  # app.certification.service.RecordView

    def __init__(self, service: CertificationService, session, *, channel: str = "counter", devices=None,
                 camera=None, api=None, face_settings=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.service, self.session, self.channel = service, session, channel
        self.devices, self.camera, self.api = devices, camera, api
        self.checker = FaceChecker(face_settings)
        self.identity: Identity | None = None
        self.reference: bytes | None = None
        self.photo: bytes | None = None
        self.check: FaceCheck | None = None
        self._build()
        if camera is not None:
            self.preview.start(camera)
        self._refresh_buttons()

    def _build(self) -> None:
        title = QLabel(self.tr("待遇领取资格认证") + (self.tr("（自助）") if self.channel == "kiosk" else ""))
        title.setObjectName("itemTitle")
        cite = QLabel(self.tr("每年至少认证一次（000 §78；003 9.6.1）；未按期认证的暂停发放，认证后恢复并补发（002 §27）"))
        cite.setObjectName("itemCitation")
        cite.setWordWrap(True)
        self.sscard_button = QPushButton(self.tr("读社保卡"))
        self.idcard_button = QPushButton(self.tr("读身份证"))
        self.sscard_button.setEnabled(self.devices is not None)
        self.idcard_button.setEnabled(self.devices is not None)
        self.ssn_edit = QLineEdit()
        self.ssn_edit.setObjectName("ssn")
        self.ssn_edit.setPlaceholderText(self.tr("社会保障号码（公民身份号码）"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name")
        self.name_edit.setPlaceholderText(self.tr("姓名"))
        self.identify_button = QPushButton(self.tr("确认身份"))
        who = QGroupBox(self.tr("身份识别"))
        wf = QFormLayout(who)
        row = QHBoxLayout()
        row.addWidget(self.sscard_button)
        row.addWidget(self.idcard_button)
        row.addStretch(1)
        wf.addRow(row)
        wf.addRow(self.tr("号码"), self.ssn_edit)
        wf.addRow(self.tr("姓名"), self.name_edit)
        wf.addRow(self.identify_button)
        self.person_label = QLabel(self.tr("请刷社保卡、读身份证或输入号码"))
        self.person_label.setObjectName("itemFacts")
        self.person_label.setWordWrap(True)
        wf.addRow(self.person_label)

        self.preview = CameraPreview()
        self.preview.set_guide(True)
        self.photo_button = QPushButton(self.tr("拍照并检测"))
        self.photo_button.setObjectName("takePhoto")
        self.face_label = QLabel()
        self.face_label.setProperty("role", "message")
        self.face_label.setWordWrap(True)
        self.attest = QCheckBox(self.tr("已当面核对本人与身份证件一致"))
        self.attest.setVisible(self.channel == "counter")
        cam = QGroupBox(self.tr("现场照片"))
        cv = QVBoxLayout(cam)
        cv.addWidget(self.preview, 1)
        cv.addWidget(self.photo_button)
        cv.addWidget(self.face_label)
        cv.addWidget(self.attest)

        self.record_button = QPushButton(self.tr("确认认证"))
        self.record_button.setProperty("primary", True)
        self.loss_button = QPushButton(self.tr("登记死亡/羁押…"))
        self.loss_button.setVisible(self.channel == "counter")
        self.result_label = QLabel()
        self.result_label.setProperty("role", "message")
        self.result_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.loss_button)
        bottom.addStretch(1)
        bottom.addWidget(self.record_button)
        body = QHBoxLayout()
        body.addWidget(who, 1)
        body.addWidget(cam, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(cite)
        layout.addLayout(body, 1)
        layout.addWidget(self.result_label)
        layout.addLayout(bottom)
        self.sscard_button.clicked.connect(self.read_sscard)
        self.idcard_button.clicked.connect(self.read_idcard)
        self.identify_button.clicked.connect(self.identify_typed)
        self.photo_button.clicked.connect(self.take_photo)
        self.attest.toggled.connect(self._refresh_buttons)
        self.record_button.clicked.connect(self.record)
        self.loss_button.clicked.connect(self.open_loss_dialog)

    def _say(self, label: QLabel, text: str, state: str) -> None:
        label.setText(text)
        set_state(label, state=state)

    def _refresh_buttons(self) -> None:
        self.photo_button.setEnabled(self.identity is not None and self.camera is not None)
        ready = self.identity is not None and self.photo is not None and self.check is not None
        if self.channel == "counter":
            ready = ready and (self.attest.isChecked() or bool(self.check and self.check.compared))
        self.record_button.setEnabled(ready)

    # -- identify ------------------------------------------------------------------------------------------------------
    @Slot()
    def read_sscard(self) -> None:
        run_in_thread(lambda: Identity.from_sscard(self.devices.sscard.read_card()), self._identified,
                      self._identify_failed, context=self)

    @Slot()
    def read_idcard(self) -> None:
        run_in_thread(lambda: Identity.from_idcard(self.devices.idcard.read()), self._identified,
                      self._identify_failed, context=self)

    @Slot()
    def identify_typed(self) -> None:
        try:
            self._identified(Identity.typed(self.ssn_edit.text(), self.name_edit.text()))
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            self._identify_failed(exc)

    def _identified(self, identity: Identity) -> None:
        self.identity, self.photo, self.check = identity, None, None
        self.reference = identity.card_photo
        self.ssn_edit.setText(identity.ssn)
        self.name_edit.setText(identity.name)
        self.person_label.setText(self.tr("{0}　{1}").format(identity.name, mask_id_number(identity.ssn)))
        self.face_label.clear()
        self._refresh_buttons()
        if self.api is not None:
            from app.certification.remote import person_status

            run_in_thread(lambda: person_status(self.api, identity.ssn, include_photo=True), self._show_status,
                          lambda exc: self.person_label.setText(
                              self.person_label.text() + self.tr("\n（离线或未查到认证记录：本次认证照常记录，联网后上传）")),
                          context=self)

    def _show_status(self, st: dict) -> None:
        from app.certification.evidence import unb64

        if st.get("ref_photo") and not self.reference:
            self.reference = unb64(st["ref_photo"])
        last = st.get("last_certification") or {}
        lines = [self.person_label.text(),
                 self.tr("认证期限：{0}{1}").format(st["deadline"], self.tr("（已逾期）") if st["overdue"] else ""),
                 self.tr("上次认证：{0}").format(f"{last.get('on')} {domain(last.get('method_label'))}" if last else self.tr("无"))]
        if st.get("state") == "suspended":
            lines.append(self.tr("待遇已自{0}起暂停发放；本次认证通过后恢复并补发").format(st.get("suspended_from")))
        self.person_label.setText("\n".join(lines))

    def _identify_failed(self, exc: BaseException) -> None:
        self._say(self.result_label, getattr(exc, "user_message", None) or str(exc), "error")

    # -- photo ---------------------------------------------------------------------------------------------------------
    @Slot()
    def take_photo(self) -> None:
        if self.camera is None:
            return
        self.photo_button.setEnabled(False)
        self._say(self.face_label, self.tr("请本人正对镜头，稍微转动头部…"), "busy")
        reference = self.reference

        def work():
            frames = [self.camera.grab_frame(fresh=True) for _ in range(BURST)]
            return encode_jpeg(frames[-1], max_side=1024, quality=85), self.checker.check(frames, reference)

        run_in_thread(work, self._photo_taken, self._photo_failed, context=self)

    def _photo_taken(self, result) -> None:
        self.photo, self.check = result
        state = "ok" if self.check.live and self.check.match is not False else "error"
        self._say(self.face_label, self.check.message, state)
        self._refresh_buttons()

    def _photo_failed(self, exc: BaseException) -> None:
        self._say(self.face_label, getattr(exc, "user_message", None) or self.tr("拍照失败，请重试"), "error")
        self._refresh_buttons()

    # -- record --------------------------------------------------------------------------------------------------------
    @Slot()
    def record(self) -> None:
        identity, photo, check = self.identity, self.photo, self.check
        attested = self.channel == "counter" and self.attest.isChecked()
        self.record_button.setEnabled(False)
        run_in_thread(lambda: self.service.record(identity, photo, check, channel=self.channel,
                                                  operator_id=self.session.operator_id, attested=attested),
                      self._recorded, self._identify_failed, context=self)

    def _recorded(self, view) -> None:
        state = {"passed": "ok", "pending": "busy", "failed": "error"}[view.result]
        self._say(self.result_label, self.tr("{0}：{1}").format(domain(view.result_label), view.message), state)
        self.identity, self.photo, self.check = None, None, None
        self.attest.setChecked(False)
        self._refresh_buttons()
        self.recorded.emit(view)

    # -- deaths and custody --------------------------------------------------------------------------------------------
    @Slot()
    def open_loss_dialog(self) -> "LossDialog":
        dlg = LossDialog(self.service, self.session.operator_id, self.identity, parent=self)
        dlg.accepted.connect(lambda: self._say(self.result_label, self.tr("已登记，将报送中心并列入月报。"), "ok"))
        dlg.open()
        self.loss_dialog = dlg
        return dlg

    def closeEvent(self, event) -> None:  # noqa: N802
        from ui.field.camera import release_preview

        release_preview(self.preview, self.camera)
        super().closeEvent(event)


class LossDialog(QDialog):
    """A death or custody told at the counter (relatives, 协办员): for suspension/termination and the monthly report."""

    def __init__(self, service: CertificationService, operator_id: str, identity: Identity | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记死亡或被羁押"))
        self.service, self.operator_id = service, operator_id
        self.ssn = QLineEdit(identity.ssn if identity else "")
        self.name = QLineEdit(identity.name if identity else "")
        self.kind = QComboBox()
        for k in (LossKind.death, LossKind.imprisonment):
            self.kind.addItem(LOSS_LABELS[k], k.value)
        self.on = QDateEdit()
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setDate(QDate.currentDate())
        self.informant = QLineEdit()
        self.informant.setPlaceholderText(self.tr("报告人及与本人关系"))
        self.message = QLabel()
        self.message.setProperty("role", "inline")
        form = QFormLayout(self)
        form.addRow(self.tr("社会保障号码"), self.ssn)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("情形"), self.kind)
        form.addRow(self.tr("日期"), self.on)
        form.addRow(self.tr("报告人"), self.informant)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._saving = False
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @Slot()
    def save(self) -> None:
        """登记 on a worker (a local transaction and an audit line; issue 13); OK waits meanwhile."""
        if self._saving:
            return
        d = self.on.date()
        service, kwargs = self.service, dict(
            ssn=self.ssn.text(), name=self.name.text().strip(), kind=LossKind(self.kind.currentData()),
            on=date(d.year(), d.month(), d.day()), operator_id=self.operator_id, informant=self.informant.text())
        self._saving = True
        self.ok_button.setEnabled(False)
        self.message.setText(self.tr("正在登记…"))
        set_state(self.message, state="busy")
        run_in_thread(lambda: service.report_loss(**kwargs), lambda _r: self._saved(), self._failed, context=self)

    def is_saving(self) -> bool:
        return self._saving

    def _saved(self) -> None:
        self._saving = False
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        log.warning("loss report refused: %s", getattr(exc, "detail", None) or repr(exc))
        self._saving = False
        self.ok_button.setEnabled(True)
        self.message.setText(getattr(exc, "user_message", None) or self.tr("登记失败，请核对后重试。"))
        set_state(self.message, state="error")
