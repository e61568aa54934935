"""One outbox item opened: what it is, why it did not go through, and what the clerk can do about it — retry, correct
the case's form and submit it again, give up a scan that cannot be sent, or choose between two versions of a
person's data (conflict)."""
from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout,
                               QInputDialog, QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from app.clock import format_local
from app.errors import YichuangError
from app.sync import actions, outbox_view
from app.sync.outbox import ATTACHMENT_UPLOAD, CONFLICT, FAILED, PERSON_UPDATE, REMOTE_NEEDS_CLERK, SENT
from app.sync.persons import FIELD_LABELS, PersonEditor
from ui.style import set_state
from ui.texts import domain

log = logging.getLogger(__name__)

FORM_LABELS = {"ssn": QT_TRANSLATE_NOOP("MessageDialog", "公民身份号码"), "name": QT_TRANSLATE_NOOP("MessageDialog", "姓名"),
               "phone": QT_TRANSLATE_NOOP("MessageDialog", "联系电话"), "nation": QT_TRANSLATE_NOOP("MessageDialog", "民族"),
               "enrolment_date": QT_TRANSLATE_NOOP("MessageDialog", "参保日期"), "unit_name": QT_TRANSLATE_NOOP("MessageDialog", "单位名称"),
               "unit_uscc": QT_TRANSLATE_NOOP("MessageDialog", "统一社会信用代码")}  # shown through self.tr


class MessageDialog(QDialog):
    """Details of one message, with the actions its state allows. `changed` is True after an action."""

    def __init__(self, runtime, session, message_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session, self.message_id = runtime, session, message_id
        self.changed = False
        self.setWindowTitle(self.tr("待上传事项"))
        self.setMinimumWidth(560)
        self.detail = outbox_view.detail(runtime.store, message_id)
        layout = QVBoxLayout(self)
        self.message_label = QLabel()
        self.message_label.setProperty("role", "inline")
        self.message_label.setWordWrap(True)
        if self.detail is None:
            layout.addWidget(QLabel(self.tr("该事项已不存在。")))
            return
        row = self.detail.row
        facts = QFormLayout()
        facts.addRow(self.tr("类型"), QLabel(domain(row.kind_label)))
        facts.addRow(self.tr("状态"), QLabel(domain(row.state_label)))
        facts.addRow(self.tr("受理编号 / 对象"), QLabel(row.subject))
        if row.item_name:
            facts.addRow(self.tr("事项"), QLabel(row.item_name))
        facts.addRow(self.tr("发送次数"), QLabel(str(row.attempts)))
        facts.addRow(self.tr("生成时间"), QLabel(format_local(row.created_at)))
        if row.last_attempt_at:
            facts.addRow(self.tr("最近发送"), QLabel(format_local(row.last_attempt_at)))
        if row.server_status:
            facts.addRow(self.tr("中心答复"), QLabel(f"HTTP {row.server_status} {row.error_code or ''}".strip()))
        problem = QLabel(row.problem or self.tr("无"))
        problem.setWordWrap(True)
        facts.addRow(self.tr("原因"), problem)
        if self.detail.waits_for:
            waits = self.tr("；").join(self.tr("{0}（{1}）").format(kind, state) for _id, kind, state in self.detail.waits_for)
            facts.addRow(self.tr("等待"), QLabel(waits))
        layout.addLayout(facts)

        self.form_edits: dict[str, QLineEdit] = {}
        self.note_edit = QLineEdit()
        can_correct = row.kind in ("case.submit", "case.resubmit") and (
            row.state == FAILED or (row.state == SENT and row.remote_status in REMOTE_NEEDS_CLERK))
        if can_correct:
            box = QGroupBox(self.tr("更正后重新提交"))
            grid = QFormLayout(box)
            for key, value in self.detail.form.items():
                edit = QLineEdit("" if value is None else str(value))
                edit.setObjectName(f"form_{key}")
                self.form_edits[key] = edit
                grid.addRow(self.tr(FORM_LABELS.get(key, key)), edit)
            self.note_edit.setPlaceholderText(self.tr("更正说明（将随业务提交中心）"))
            grid.addRow(self.tr("说明"), self.note_edit)
            layout.addWidget(box)

        buttons = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("重试上传"))
        self.resubmit_button = QPushButton(self.tr("更正并重新提交"))
        self.resubmit_button.setProperty("primary", True)
        self.skip_button = QPushButton(self.tr("放弃上传该扫描件"))
        self.conflict_button = QPushButton(self.tr("处理信息冲突"))
        self.retry_button.setVisible(row.state == FAILED)
        self.resubmit_button.setVisible(can_correct)
        self.skip_button.setVisible(row.kind == ATTACHMENT_UPLOAD and row.state in (FAILED,))
        self.conflict_button.setVisible(row.kind == PERSON_UPDATE and row.state == CONFLICT)
        close = QPushButton(self.tr("关闭"))
        for b in (self.retry_button, self.resubmit_button, self.skip_button, self.conflict_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.retry)
        self.resubmit_button.clicked.connect(self.resubmit)
        self.skip_button.clicked.connect(self._ask_skip)
        self.conflict_button.clicked.connect(self.open_conflict)
        close.clicked.connect(self.accept)

    def _fail(self, exc: Exception) -> None:
        text = getattr(exc, "user_message", None) or self.tr("操作失败：系统内部错误")
        if not getattr(exc, "user_message", None):
            log.exception("outbox action failed")
        self.message_label.setText(text)
        set_state(self.message_label, state="error")

    def _done(self, text: str) -> None:
        self.changed = True
        self.message_label.setText(text)
        set_state(self.message_label, state="ok")
        for b in (self.retry_button, self.resubmit_button, self.skip_button, self.conflict_button):
            b.setEnabled(False)
        self.runtime.relay.wake()

    def retry(self) -> None:
        try:
            actions.retry(self.runtime.store, [self.message_id], operator_id=self.session.operator_id,
                          terminal_id=self.runtime.settings.terminal.terminal_id)
        except YichuangError as exc:
            self._fail(exc)
            return
        self._done(self.tr("已重新排队，网络可用时自动上传。"))

    def resubmit(self) -> None:
        row = self.detail.row
        changes = {k: e.text().strip() for k, e in self.form_edits.items()
                   if e.text().strip() != str(self.detail.form.get(k) or "")}
        try:
            actions.correct_and_resubmit(self.runtime.store, row.aggregate_id, changes,
                                         operator_id=self.session.operator_id,
                                         terminal_id=self.runtime.settings.terminal.terminal_id,
                                         note=self.note_edit.text().strip() or None,
                                         catalog=getattr(self.runtime, "catalog", None))
        except YichuangError as exc:
            self._fail(exc)
            return
        self._done(self.tr("已更正并重新排队提交。"))

    def _ask_skip(self) -> None:
        reason, ok = QInputDialog.getText(self, self.tr("放弃上传扫描件"), self.tr("原因（记入审计日志）："))
        if ok:
            self.skip(reason)

    def skip(self, reason: str) -> None:
        try:
            actions.skip_attachment(self.runtime.store, self.message_id, operator_id=self.session.operator_id,
                                    terminal_id=self.runtime.settings.terminal.terminal_id, reason=reason)
        except YichuangError as exc:
            self._fail(exc)
            return
        self._done(self.tr("已放弃上传该扫描件，业务将继续上传；请补扫该材料。"))

    def open_conflict(self) -> None:
        dlg = ConflictDialog(self.runtime, self.session, self.message_id, self)
        dlg.exec()
        if dlg.resolved:
            self._done(self.tr("冲突已处理。"))


class ConflictDialog(QDialog):
    """Both versions of a person side by side; the clerk picks, field by field, which one stays."""

    def __init__(self, runtime, session, message_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session, self.message_id = runtime, session, message_id
        self.resolved = False
        self.editor = PersonEditor(runtime.store)
        self.view = self.editor.conflict(message_id)
        self.setWindowTitle(self.tr("人员信息冲突"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("该人员信息在您修改后已被其他终端更新（中心版本 {0}）。请逐项选择保留哪个版本，"
                               "不会自动覆盖。").format(self.view.theirs_version))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("项目")), 0, 0)
        grid.addWidget(QLabel(self.tr("本机（您的修改）")), 0, 1)
        grid.addWidget(QLabel(self.tr("中心现有版本")), 0, 2)
        self.choices: dict[str, QButtonGroup] = {}
        self.mine_buttons: dict[str, QRadioButton] = {}
        self.theirs_buttons: dict[str, QRadioButton] = {}
        for r, key in enumerate(self.view.fields, start=1):
            mine_value = self.view.base.get(key, "")
            theirs_value = self.view.theirs.get(key, "")
            grid.addWidget(QLabel(self.tr(FIELD_LABELS.get(key, key))), r, 0)
            mine = QRadioButton(str(mine_value or ""))
            theirs = QRadioButton(str(theirs_value or ""))
            group = QButtonGroup(self)
            group.addButton(mine)
            group.addButton(theirs)
            (mine if key in self.view.mine else theirs).setChecked(True)
            grid.addWidget(mine, r, 1)
            grid.addWidget(theirs, r, 2)
            self.choices[key] = group
            self.mine_buttons[key], self.theirs_buttons[key] = mine, theirs
        layout.addLayout(grid)
        self.message_label = QLabel()
        self.message_label.setProperty("role", "inline")
        layout.addWidget(self.message_label)
        box = QDialogButtonBox()
        self.all_mine = box.addButton(self.tr("全部采用本机"), QDialogButtonBox.ButtonRole.ActionRole)
        self.all_theirs = box.addButton(self.tr("全部采用中心"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save = box.addButton(self.tr("按所选保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(box)
        self.all_mine.clicked.connect(lambda: self.choose("mine"))
        self.all_theirs.clicked.connect(lambda: self.choose("theirs"))
        self.save.clicked.connect(lambda: self.choose("merged"))
        box.rejected.connect(self.reject)

    def merged(self) -> dict[str, str]:
        return {k: (self.view.base.get(k) if self.mine_buttons[k].isChecked() else self.view.theirs.get(k))
                for k in self.view.fields}

    def choose(self, choice: str) -> None:
        try:
            self.editor.resolve(self.message_id, choice, operator_id=self.session.operator_id,
                                terminal_id=self.runtime.settings.terminal.terminal_id,
                                merged=self.merged() if choice == "merged" else None)
        except YichuangError as exc:
            self.message_label.setText(exc.user_message)
            set_state(self.message_label, state="error")
            return
        self.resolved = True
        self.runtime.relay.wake()
        self.accept()
