"""One home visit, offline: who (with the reference photo and the last certification), photos of the person, of the
person with staff and of documents (from the camera), the outcome, notes, place (typed or GPS), the person's
signature on screen, the second staff member's confirmation — then saved as a signed, encrypted evidence bundle."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QCheckBox, QDateEdit, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from app.certification.face import FaceChecker, encode_jpeg
from app.certification.field import PHOTO_KINDS, Staff, StaffConfirmation, VisitDraft, check_draft
from app.certification.gps import Place, read_fix
from app.certification.rules import OUTCOME_LABELS, Outcome
from app.clock import utcnow
from app.ids import mask_id_number
from ui.bridge import run_in_thread
from ui.devices.preview import CameraPreview
from ui.field.camera import release_preview
from ui.field.signature import SignaturePad
from ui.field.staff_dialog import SecondStaffDialog
from ui.style import set_state
from ui.texts import domain
from ui.widgets.choice_buttons import ChoiceButtons

BURST = 5


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class VisitCaptureScreen(QWidget):
    saved = Signal(object)  # app.certification.field.CommitResult
    cancelled = Signal()

    def __init__(self, field_service, visit_id: str, primary: Staff, *, camera=None, keystore=None,
                 visit=None, reference: bytes | None = None, parent: QWidget | None = None):
        """`visit` and `reference` (its reference photo) as read on a worker by the caller; without them they are
        read here (tools and tests)."""
        super().__init__(parent)
        self.field, self.visit_id, self.primary = field_service, visit_id, primary
        self.camera, self.keystore = camera, keystore
        self.settings = field_service.settings
        self.checker = FaceChecker(self.settings.face)
        self.visit = visit if visit is not None else field_service.visit(visit_id)
        self.reference = reference if visit is not None else field_service.reference_photo(visit_id)
        self.photos: dict[str, list[bytes]] = {k: [] for k in PHOTO_KINDS}
        self.face_message = ""
        self.confirmation: StaffConfirmation | None = None
        self.gps_place: Place | None = None
        self._build()
        self._wire()
        if camera is not None:
            self.preview.start(camera)
        self._update_problems()

    # -- layout ------------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        v = self.visit
        p = v.person
        header = QFrame()
        header.setObjectName("itemHeader")
        title = QLabel(f"{v.name}　{mask_id_number(v.ssn)}")
        title.setObjectName("itemTitle")
        last = p.get("last_certification") or {}
        facts = QLabel("\n".join(x for x in (
            self.tr("住址：{0}").format(p.get("address") or "—"),
            self.tr("电话：{0}").format(p.get("phone") or "—"),
            self.tr("上次认证：{0}").format(self.tr("{0}（{1}）").format(last.get("on"), domain(last.get("method_label")))
                                           if last else self.tr("无记录")),
            self.tr("本期认证期限：{0}").format(p.get("deadline") or "—"),
            self.tr("走访原因：{0}").format(v.reason or "—")) if x))
        facts.setObjectName("itemFacts")
        facts.setWordWrap(True)
        self.ref_photo = QLabel(self.tr("无参考照片"))
        self.ref_photo.setFixedSize(120, 150)
        self.ref_photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        data = self.reference
        if data:
            img = QImage.fromData(data)
            self.ref_photo.setPixmap(QPixmap.fromImage(img).scaled(120, 150, Qt.AspectRatioMode.KeepAspectRatio,
                                                                    Qt.TransformationMode.SmoothTransformation))
        h = QHBoxLayout(header)
        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(facts)
        h.addLayout(left, 1)
        h.addWidget(self.ref_photo)

        self.preview = CameraPreview()
        self.preview.setMinimumSize(360, 270)
        self.capture_buttons: dict[str, QPushButton] = {}
        cap_row = QHBoxLayout()
        for kind, label in PHOTO_KINDS.items():
            b = QPushButton(self.tr("拍摄{0}").format(domain(label)))
            b.setObjectName(f"capture_{kind}")
            b.setEnabled(self.camera is not None)
            self.capture_buttons[kind] = b
            cap_row.addWidget(b)
        self.photo_counts = QLabel()
        self.photo_counts.setObjectName("itemFacts")
        self.face_label = QLabel()
        self.face_label.setProperty("role", "inline")
        self.face_label.setWordWrap(True)
        photos = QGroupBox(self.tr("现场照片"))
        pv = QVBoxLayout(photos)
        pv.addWidget(self.preview, 1)
        pv.addLayout(cap_row)
        pv.addWidget(self.photo_counts)
        pv.addWidget(self.face_label)

        self.outcome = ChoiceButtons([(o.value, OUTCOME_LABELS[o]) for o in Outcome], Outcome.certified.value)
        self.death_date = QDateEdit()
        self.death_date.setCalendarPopup(True)
        self.death_date.setDisplayFormat("yyyy-MM-dd")
        self.death_date.setDate(_qdate(date.today()))
        self.death_known = QCheckBox(self.tr("已核实死亡日期"))
        self.missing_known = QCheckBox(self.tr("据了解自以下日期起下落不明"))
        self.missing_since = QDateEdit()
        self.missing_since.setCalendarPopup(True)
        self.missing_since.setDisplayFormat("yyyy-MM-dd")
        self.missing_since.setDate(_qdate(date.today()))
        self.new_address = QLineEdit()
        self.new_address.setPlaceholderText(self.tr("迁居后的详细地址（转异地协查认证）"))
        self.hospital = QLineEdit()
        self.hospital.setPlaceholderText(self.tr("医院名称、科室、床号"))
        self.detail_rows = QFormLayout()
        self.detail_rows.addRow(self.death_known, self.death_date)
        self.detail_rows.addRow(self.missing_known, self.missing_since)
        self.detail_rows.addRow(self.tr("迁居地址"), self.new_address)
        self.detail_rows.addRow(self.tr("所住医院"), self.hospital)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("走访情况（必要时写明向谁了解、何时再访）"))
        self.notes.setFixedHeight(70)
        self.place = QLineEdit(self.visit.person.get("address") or "")
        self.place.setObjectName("place")
        self.gps_button = QPushButton(self.tr("读取GPS"))
        self.gps_button.setEnabled(bool(self.settings.field.gps_source))
        place_row = QHBoxLayout()
        place_row.addWidget(self.place, 1)
        place_row.addWidget(self.gps_button)
        outcome_box = QGroupBox(self.tr("走访结果"))
        ob = QFormLayout(outcome_box)
        ob.addRow(self.tr("结果"), self.outcome)
        ob.addRow(self.detail_rows)
        ob.addRow(self.tr("地点"), place_row)
        ob.addRow(self.tr("备注"), self.notes)

        self.signature = SignaturePad()
        self.clear_signature = QPushButton(self.tr("重签"))
        self.waive = QLineEdit()
        self.waive.setPlaceholderText(self.tr("本人无法签字时注明原因（如：卧床，无法书写）"))
        sig_box = QGroupBox(self.tr("本人签名"))
        sg = QGridLayout(sig_box)
        sg.addWidget(self.signature, 0, 0, 1, 2)
        sg.addWidget(self.waive, 1, 0)
        sg.addWidget(self.clear_signature, 1, 1)

        self.staff_button = QPushButton(self.tr("第二名工作人员确认…"))
        self.staff_label = QLabel(self.tr("尚未确认（须两名工作人员在场，002 §30）"))
        self.staff_label.setProperty("role", "inline")
        self.problems = QLabel()
        self.problems.setProperty("role", "message")
        self.problems.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存走访记录"))
        self.save_button.setProperty("primary", True)
        self.back_button = QPushButton(self.tr("返回名单"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.staff_button)
        bottom.addWidget(self.staff_label, 1)
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.save_button)

        grid = QGridLayout()
        grid.addWidget(photos, 0, 0, 2, 1)
        grid.addWidget(outcome_box, 0, 1)
        grid.addWidget(sig_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(grid, 1)
        layout.addWidget(self.problems)
        layout.addLayout(bottom)
        self._show_details()
        self._show_counts()

    def _wire(self) -> None:
        for kind, b in self.capture_buttons.items():
            b.clicked.connect(lambda _=False, k=kind: self.capture(k))
        self.outcome.changed.connect(lambda _k: (self._show_details(), self._update_problems()))
        for w in (self.notes, ):
            w.textChanged.connect(self._update_problems)
        for w in (self.place, self.new_address, self.hospital, self.waive):
            w.textChanged.connect(self._update_problems)
        self.death_known.toggled.connect(self._update_problems)
        self.missing_known.toggled.connect(self._update_problems)
        self.signature.changed.connect(self._update_problems)
        self.clear_signature.clicked.connect(self.signature.clear)
        self.gps_button.clicked.connect(self.read_gps)
        self.staff_button.clicked.connect(self.ask_second_staff)
        self.save_button.clicked.connect(self.save)
        self.back_button.clicked.connect(self.cancelled.emit)

    def _show_details(self) -> None:
        o = Outcome(self.outcome.value())
        for widget, show in ((self.death_known, o is Outcome.deceased), (self.death_date, o is Outcome.deceased),
                             (self.missing_known, o is Outcome.not_found), (self.missing_since, o is Outcome.not_found),
                             (self.new_address, o is Outcome.moved), (self.hospital, o is Outcome.hospitalised)):
            widget.setVisible(show)
            label = self.detail_rows.labelForField(widget)
            if label is not None:
                label.setVisible(show)
        if o is Outcome.deceased:
            self.death_known.setChecked(True)
        signs = o in (Outcome.certified, Outcome.hospitalised)
        self.signature.setEnabled(signs)
        self.waive.setEnabled(signs)

    def _show_counts(self) -> None:
        self.photo_counts.setText(self.tr("；").join(self.tr("{0} {1} 张").format(domain(label), len(self.photos[k]))
                                                 for k, label in PHOTO_KINDS.items()))

    # -- capture -------------------------------------------------------------------------------------------------------
    @Slot()
    def capture(self, kind: str) -> None:
        if self.camera is None:
            return
        for b in self.capture_buttons.values():
            b.setEnabled(False)
        face = kind == "person"
        max_side, quality = self.settings.field.photo_max_side, self.settings.field.photo_quality

        def work():
            frames = [self.camera.grab_frame(fresh=True) for _ in range(BURST if face else 1)]
            check = self.checker.check(frames, self.reference) if face else None
            return encode_jpeg(frames[-1], max_side=max_side, quality=quality), check

        run_in_thread(work, lambda r: self._captured(kind, *r), self._capture_failed, context=self)

    def _captured(self, kind: str, jpeg: bytes, check) -> None:
        self.photos[kind].append(jpeg)
        for b in self.capture_buttons.values():
            b.setEnabled(True)
        if check is not None:
            self.face_message = check.message
            self.face_label.setText(check.message)
            set_state(self.face_label, state="ok" if check.live else "error")
        self._show_counts()
        self._update_problems()

    def _capture_failed(self, exc: BaseException) -> None:
        for b in self.capture_buttons.values():
            b.setEnabled(True)
        self.face_label.setText(getattr(exc, "user_message", None) or self.tr("拍摄失败，请重试"))
        set_state(self.face_label, state="error")

    @Slot()
    def read_gps(self) -> None:
        f = self.settings.field
        self.gps_button.setEnabled(False)
        run_in_thread(lambda: read_fix(f.gps_source, baudrate=f.gps_baudrate, timeout=f.gps_timeout_seconds,
                                       text=self.place.text().strip()),
                      self._gps_done, self._gps_failed, context=self)

    def _gps_done(self, place: Place) -> None:
        self.gps_place = place
        self.gps_button.setEnabled(True)
        self.place.setText(place.text if place.text else f"{place.lat},{place.lon}")
        self.place.setToolTip(self.tr("GPS：{0}, {1}").format(f"{place.lat:.5f}", f"{place.lon:.5f}"))

    def _gps_failed(self, exc: BaseException) -> None:
        self.gps_button.setEnabled(True)
        self.problems.setText(getattr(exc, "user_message", str(exc)))
        set_state(self.problems, state="error")

    # -- second staff ----------------------------------------------------------------------------------------------------
    @Slot()
    def ask_second_staff(self) -> SecondStaffDialog:
        dlg = SecondStaffDialog(self.field, visit_id=self.visit_id, primary_operator_id=self.primary.operator_id,
                                person_name=self.visit.name, keystore=self.keystore, parent=self)
        dlg.accepted.connect(lambda: self._staff_confirmed(dlg.confirmation))
        dlg.open()
        self.staff_dialog = dlg
        return dlg

    def _staff_confirmed(self, conf: StaffConfirmation | None) -> None:
        if conf is None:
            return
        self.confirmation = conf
        self.staff_label.setText(self.tr("第二名工作人员：{0}（{1}）已确认").format(conf.name, conf.operator_id))
        set_state(self.staff_label, state="ok")
        self._update_problems()

    # -- save ------------------------------------------------------------------------------------------------------------
    def draft(self) -> VisitDraft:
        o = Outcome(self.outcome.value())
        text = self.place.text().strip()
        place = self.gps_place if self.gps_place and self.gps_place.text == text else Place(text)
        qd = self.death_date.date()
        qm = self.missing_since.date()
        notes = self.notes.toPlainText().strip()
        return VisitDraft(
            visit_id=self.visit_id, outcome=o, photos={k: list(v) for k, v in self.photos.items() if v},
            signature_png=self.signature.to_png() if o in (Outcome.certified, Outcome.hospitalised) else None,
            signature_waived=self.waive.text().strip(), notes=notes, place=place, captured_at=utcnow(),
            death_date=date(qd.year(), qd.month(), qd.day()) if o is Outcome.deceased and self.death_known.isChecked()
            else None,
            missing_since=date(qm.year(), qm.month(), qm.day()) if o is Outcome.not_found and
            self.missing_known.isChecked() else None,
            new_address=self.new_address.text().strip() if o is Outcome.moved else "",
            hospital=self.hospital.text().strip() if o is Outcome.hospitalised else "")

    def current_problems(self) -> list[str]:
        return check_draft(self.draft(), self.primary, self.confirmation,
                           require_signature=self.settings.field.require_signature)

    @Slot()
    def _update_problems(self) -> None:
        problems = self.current_problems()
        self.problems.setText(self.tr("尚需：") + self.tr("；").join(problems) if problems else self.tr("记录完整，可以保存。"))
        set_state(self.problems, state="error" if problems else "ok")
        self.save_button.setEnabled(not problems)

    @Slot()
    def save(self) -> None:
        draft = self.draft()
        self.save_button.setEnabled(False)
        self.problems.setText(self.tr("正在加密保存…"))
        set_state(self.problems, state="busy")
        run_in_thread(lambda: self.field.commit_visit(draft, self.primary, self.confirmation), self._saved,
                      self._save_failed, context=self)

    def release_camera(self) -> None:
        release_preview(self.preview, self.camera)

    def _saved(self, result) -> None:
        self.release_camera()
        self.problems.setText(self.tr("已保存（证据包 {0}…），联网后自动上传。").format(result.bundle_sha256[:12]))
        set_state(self.problems, state="ok")
        self.saved.emit(result)

    def _save_failed(self, exc: BaseException) -> None:
        self.problems.setText(getattr(exc, "user_message", None) or self.tr("保存失败，请重试"))
        set_state(self.problems, state="error")
        self.save_button.setEnabled(True)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.release_camera()
        super().closeEvent(event)
