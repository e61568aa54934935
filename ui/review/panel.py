"""One case on the reviewer's desk: form data, materials beside their scans, history, deadline, and the actions the
operator's roles allow at its status (审核/复核/审批 通过, 退回, 终止, 中止/恢复)."""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QFrame, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter,
                               QVBoxLayout, QWidget)

from app.errors import YichuangError
from app.ids import mask_id_number
from app.workflow.machine import ACTION_LABELS, FINAL, FRONT_OFFICE, Action, Stages, Status
from app.workflow.roles import Role
from ui.bridge import run_in_thread
from ui.review.dialogs import CorrectionDialog, ReasonDialog
from ui.review.model import CHECK_ROLE, actor_for, remaining_text, session_roles, urgency_state
from ui.review.panel_parts import CaseBundle, EventTable, FormDetails, MaterialList, load_bundle, risk_points
from ui.review.scans import ScanViewer
from ui.style import set_state
from ui.texts import domain

log = logging.getLogger(__name__)
APPROVE = {Status.review: Action.approve_review, Status.recheck: Action.approve_recheck,
           Status.approval: Action.approve_final}
BACK_OFFICE = {Role.reviewer, Role.rechecker, Role.approver}
RISK_STYLE = ("QLabel#riskBox { background: #fff8e1; border: 1px solid #ffca28; border-left: 4px solid #b26a00;"
              " border-radius: 3px; color: #5d4037; }")


class ReviewPanel(QWidget):
    acted = Signal(object)  # the CaseView after a successful action
    loaded = Signal(object)  # CaseBundle, each time the case was (re)read

    def __init__(self, runtime, session, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session, self.case_id = runtime, session, case_id
        self.actor = actor_for(runtime, session)
        self.roles = set(session_roles(session))
        self.bundle: CaseBundle | None = None
        self.case = None
        self.reason_dialog: ReasonDialog | None = None
        self.correction_dialog: CorrectionDialog | None = None
        self._acting = False  # an action is on its way on a worker

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self._build_header())
        self.risk_label = QLabel()
        self.risk_label.setObjectName("riskBox")
        self.risk_label.setStyleSheet(RISK_STYLE)
        self.risk_label.setWordWrap(True)
        self.risk_label.setContentsMargins(10, 4, 10, 4)
        self.risk_label.hide()
        layout.addWidget(self.risk_label)
        self.message_label = QLabel()
        self.message_label.setProperty("role", "message")
        self.message_label.setWordWrap(True)
        self.message_label.setContentsMargins(10, 4, 10, 4)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.last_archive = None
        self.rate_button = QPushButton(self.tr("请申请人评价（好差评）"))
        self.rate_button.setObjectName("rateButton")
        self.rate_button.clicked.connect(self.ask_rating)
        self.rate_button.hide()
        layout.addWidget(self.rate_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._build_body(), 1)
        layout.addLayout(self._build_actions())
        self.reload()

    # -- construction ----------------------------------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("itemHeader")
        self.title_label = QLabel(self.tr("正在读取业务…"))
        self.title_label.setObjectName("itemTitle")
        self.status_label = QLabel()
        self.status_label.setProperty("role", "status")
        self.status_label.setStyleSheet("font-size: 13pt;")
        self.facts_label = QLabel()
        self.facts_label.setObjectName("itemFacts")
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline_label = QLabel()
        self.deadline_label.setProperty("role", "status")
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.status_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.facts_label, 1)
        bottom.addWidget(self.deadline_label)
        box = QVBoxLayout(frame)
        box.setContentsMargins(12, 6, 12, 6)
        box.setSpacing(2)
        box.addLayout(top)
        box.addLayout(bottom)
        return frame

    def _build_body(self) -> QWidget:
        self.form_details = FormDetails()
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(self.form_details)
        form_box = self._group(self.tr("登记信息"), form_scroll)
        self.material_list = MaterialList()
        materials_box = self._group(self.tr("材料"), self.material_list)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(form_box)
        left.addWidget(materials_box)
        left.setSizes([240, 210])
        self.scan_viewer = ScanViewer(self.runtime)
        scans_box = self._group(self.tr("扫描件（点击材料或缩略图查看，双击缩略图用外部程序打开）"), self.scan_viewer)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(scans_box)
        top.setSizes([560, 700])
        self.event_table = EventTable()
        events_box = self._group(self.tr("办理记录"), self.event_table)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(top)
        outer.addWidget(events_box)
        outer.setSizes([460, 150])
        outer.setChildrenCollapsible(False)
        self.material_list.material_clicked.connect(self.scan_viewer.select_material)
        return outer

    @staticmethod
    def _group(title: str, content: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(8, 16, 8, 8)
        inner.addWidget(content)
        return box

    def _build_actions(self) -> QHBoxLayout:
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.note_label = QLabel()
        self.note_label.setObjectName("itemFacts")
        self.suspend_button = QPushButton(self.tr("中止"))
        self.resume_button = QPushButton(self.tr("恢复办理"))
        self.terminate_button = QPushButton(self.tr("不予通过/终止"))
        self.return_button = QPushButton(self.tr("退回"))
        self.correction_button = QPushButton(self.tr("补正完成"))
        self.submit_button = QPushButton(self.tr("提交审核"))
        self.complete_button = QPushButton(self.tr("办结"))
        self.approve_button = QPushButton(self.tr("通过"))
        self.approve_button.setProperty("primary", True)
        self.approve_button.setMinimumWidth(120)
        self.action_buttons = [self.suspend_button, self.resume_button, self.terminate_button, self.return_button,
                               self.correction_button, self.submit_button, self.complete_button, self.approve_button]
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addWidget(self.note_label, 1)
        for button in self.action_buttons:
            row.addWidget(button)
            button.hide()
        self.refresh_button.clicked.connect(self._refresh_clicked)
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(lambda: self._ask_reason(Action.return_))
        self.terminate_button.clicked.connect(lambda: self._ask_reason(Action.terminate))
        self.suspend_button.clicked.connect(lambda: self._ask_reason(Action.suspend))
        self.resume_button.clicked.connect(lambda: self.perform(Action.resume))
        self.submit_button.clicked.connect(lambda: self.perform(Action.submit))
        self.complete_button.clicked.connect(lambda: self.perform(Action.complete))
        self.correction_button.clicked.connect(self._ask_correction)
        return row

    # -- loading ---------------------------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        runtime, case_id = self.runtime, self.case_id
        run_in_thread(lambda: load_bundle(runtime, case_id), self._show_bundle, self._load_failed, context=self)

    @Slot()
    def _refresh_clicked(self) -> None:
        self.message_label.hide()
        self.reload()

    def _load_failed(self, exc: BaseException) -> None:
        log.warning("case %s could not be read: %r", self.case_id, exc)
        reason = getattr(exc, "user_message", None) or self.tr("系统内部错误")
        self._show_message(self.tr("业务读取失败：{0}").format(reason), "error")

    def _show_bundle(self, bundle: CaseBundle) -> None:
        self.bundle, case, item = bundle, bundle.case, bundle.item
        self.case = case
        self.title_label.setText(case.item_name)
        ssn = mask_id_number(case.applicant_ssn) if case.applicant_ssn else ""
        self.facts_label.setText(self.tr("受理编号 {0}　　申请人 {1}（{2}）　　受理日 {3}　　受理人 {4}").format(
            case.case_no, case.applicant_name, ssn, case.accepted_on or "—", case.operator_id))
        d = bundle.deadline
        working = item is None or item.time_limit_promised.kind.value == "working_days"
        limit = item.time_limit_promised.label() if item is not None else ""
        self.deadline_label.setText(self.tr("承诺时限 {0}　承诺办结日 {1}　剩余 {2}").format(
            limit, d.due.isoformat() if d.due else "—",
            remaining_text(d, working, Status(case.status) in (Status.correction, Status.suspended))))
        set_state(self.deadline_label, state=urgency_state(d))
        points = risk_points(item, Status(case.status))
        self.risk_label.setText("\n".join(
            self.tr("风险点：{0}{1}").format(p.text, self.tr("　防控：{0}").format(p.control) if p.control else "")
            for p in points))
        self.risk_label.setVisible(bool(points))
        self.form_details.set_form(item, case.form)
        self.material_list.set_materials(item, case, bundle.attachments)
        names = {m.code: m.name for m in item.materials} if item is not None else {}
        self.scan_viewer.set_attachments(bundle.attachments, names)
        self.event_table.set_events(bundle.events)
        self._update_actions(case)
        self.loaded.emit(bundle)

    # -- actions ---------------------------------------------------------------------------------------------------
    def _update_actions(self, case) -> None:
        status = Status(case.status)
        self.status_label.setText(case.status_label)
        set_state(self.status_label, state="ok" if status is Status.completed else
                  ("error" if status in FINAL else "warn"))
        front = bool(self.roles & FRONT_OFFICE)
        show: set[QPushButton] = set()
        if status in CHECK_ROLE and CHECK_ROLE[status] in self.roles:
            show = {self.approve_button, self.return_button, self.terminate_button, self.suspend_button}
            self.approve_button.setText(domain(ACTION_LABELS[APPROVE[status]]))
            self.terminate_button.setText(self.tr("不予通过/终止"))
        elif status is Status.suspended and self.roles & (FRONT_OFFICE | BACK_OFFICE):
            show = {self.resume_button, self.terminate_button}
            self.terminate_button.setText(self.tr("终止办理"))
        elif status in (Status.returned, Status.accepted) and front:
            show = {self.submit_button, self.terminate_button, self.suspend_button}
            if status is Status.accepted and self._has_no_checks(case):
                show = {self.complete_button, self.terminate_button, self.suspend_button}
            self.submit_button.setText(self.tr("重新提交审核") if status is Status.returned else self.tr("提交审核"))
            self.terminate_button.setText(self.tr("终止办理"))
        elif status is Status.correction and front:
            show = {self.correction_button, self.terminate_button}
            self.terminate_button.setText(self.tr("终止办理"))
        for button in self.action_buttons:
            button.setVisible(button in show)
        if status in FINAL:
            self.note_label.setText(self.tr("本业务{0}，无需再办理。").format(domain(case.status_label)))
        elif not show:
            self.note_label.setText(self.tr("您的岗位不能处理“{0}”的业务。").format(domain(case.status_label)))
        else:
            self.note_label.setText("")

    def _has_no_checks(self, case) -> bool:
        item = self.bundle.item if self.bundle else None
        return item is not None and Stages.from_kinds(item.stages_for(case.form)).first_check() is None

    @Slot()
    def approve(self) -> None:
        """审核/复核/审批 通过, by the current status."""
        if self.case is not None and Status(self.case.status) in APPROVE:
            self.perform(APPROVE[Status(self.case.status)])

    def _ask_reason(self, action: Action) -> None:
        titles = {Action.return_: (self.tr("退回"), self.tr("请填写退回原因，业务将退回受理人补充或更正：")),
                  Action.terminate: (self.tr("不予通过/终止办理"),
                                     self.tr("终止后本业务结束，不能恢复。请填写不予通过或终止的理由及依据：")),
                  Action.suspend: (self.tr("中止"), self.tr("请填写中止原因（中止期间不计算办理时限）："))}
        title, prompt = titles[action]
        dialog = ReasonDialog(title, prompt, self)
        dialog.accepted.connect(lambda: self.perform(action, reason=dialog.reason()))
        dialog.finished.connect(dialog.deleteLater)
        self.reason_dialog = dialog
        dialog.open()

    def _ask_correction(self) -> None:
        item = self.bundle.item if self.bundle else None
        names = {m.code: m.name for m in item.materials} if item is not None else {}
        missing = [(code, names.get(code, code)) for code in self.case.payload.get("missing", [])]
        dialog = CorrectionDialog(missing, self)
        dialog.accepted.connect(lambda: self.perform(Action.resume, materials=dialog.materials()))
        dialog.finished.connect(dialog.deleteLater)
        self.correction_dialog = dialog
        dialog.open()

    def perform(self, action: Action, *, reason: str | None = None, materials: dict | None = None) -> None:
        """One local transaction, on a worker (issue 13: no database work on the GUI thread); the action buttons
        wait meanwhile, so a double press acts once. On refusal show why and change nothing."""
        if self.case is None or self._acting:
            return
        runtime, case_id, actor, version = self.runtime, self.case_id, self.actor, self.case.version
        online = getattr(runtime.relay, "online", None) is not False
        case_no = self.case.case_no
        self._acting = True
        self._set_actions_enabled(False)
        self._show_message(self.tr("正在办理，请稍候…"), "busy")
        run_in_thread(lambda: runtime.cases.act(case_id, action, actor, reason=reason, expected_version=version,
                                                materials=materials, online=online),
                      lambda view: self._performed(action, view), lambda exc: self._refused(action, case_no, exc),
                      context=self)

    def is_acting(self) -> bool:
        return self._acting

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in self.action_buttons:
            button.setEnabled(enabled)

    def _refused(self, action: Action, case_no: str, exc: BaseException) -> None:
        self._acting = False
        self._set_actions_enabled(True)
        if self.case is not None:
            self._update_actions(self.case)
        if isinstance(exc, YichuangError):
            log.info("%s on case %s refused: %s", action.value, case_no, exc.detail)
            self._show_message(exc.user_message, "error")
        else:
            log.error("unexpected error during %s on case %s", action.value, case_no, exc_info=exc)
            self._show_message(self.tr("操作失败：系统内部错误，业务状态未改变。请联系管理员。"), "error")

    def _performed(self, action: Action, view) -> None:
        self._acting = False
        self._set_actions_enabled(True)
        self.case = view
        self._update_actions(view)
        self._show_message(self.tr("已{0}（{1}），当前状态：{2}。").format(
            domain(ACTION_LABELS[action]), view.case_no, domain(view.status_label)), "ok")
        self.runtime.relay.wake()
        self.acted.emit(view)
        if view.status == Status.completed.value:
            self.archive_completed(view)
        self.reload()

    # -- 办结: archive package (000 §112–§115) and the applicant's 好差评 -------------------------------------------
    archived = Signal(object)  # app.cases.archive.ArchiveResult

    def archive_completed(self, view) -> None:
        """Build the electronic archive package off the UI thread; its number and any gaps are shown."""
        from app.docs.render import case_documents

        runtime, actor = self.runtime, self.actor
        docs = case_documents(runtime.paths.documents_dir, view.case_no)

        def build():
            return runtime.archiver.package(view.case_id, docs, actor.operator_id, actor.terminal_id)

        def done(result) -> None:
            self.last_archive = result
            gaps = self.tr("；待补：{0}").format(self.tr("、").join(result.missing)) if result.missing else ""
            self._show_message(self.tr("已办结并归档，档号 {0}{1}").format(result.archive_no, gaps), "ok")
            self.archived.emit(result)
            self.rate_button.show()

        run_in_thread(build, done, lambda exc: self._show_message(
            getattr(exc, "user_message", None) or self.tr("归档失败：{0}").format(exc), "error"), context=self)

    def ask_rating(self) -> None:
        from app.cases.journal import rate_case
        from ui.review.rating import RatingDialog

        dialog = RatingDialog(self.runtime, self.case_id, self)
        if dialog.exec() and dialog.choice():
            _label, comment = dialog.choice()
            store, case_id, actor, score = self.runtime.store, self.case_id, self.actor, dialog.score

            def done(_result) -> None:
                self.rate_button.hide()
                self._show_message(self.tr("已记录申请人评价。"), "ok")

            def failed(exc: BaseException) -> None:
                log.error("rating of case %s not recorded: %r", case_id, exc)
                self._show_message(getattr(exc, "user_message", None) or
                                   self.tr("评价未能保存，请重试；仍不行请联系管理员。"), "error")

            run_in_thread(lambda: rate_case(store, case_id=case_id, rating=score, comment=comment, channel="counter",
                                            operator_id=actor.operator_id, terminal_id=actor.terminal_id),
                          done, failed, context=self)

    def _show_message(self, text: str, state: str) -> None:
        self.message_label.setText(text)
        set_state(self.message_label, state=state)
        self.message_label.show()
