"""The counter clerk's main window: find a business, handle it in a tab, see today's cases and the terminal's state."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from app.clock import format_local, local_today, to_local
from app.ids import mask_id_number
from ui.bridge import Bridge, run_in_thread
from ui.business.form import BusinessForm
from ui.style import set_state
from ui.texts import network_state, network_text, outbox_text
from ui.widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)
RECENT_LIMIT = 200


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A blocking question with Chinese buttons; module-level so tests can replace it."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(QCoreApplication.translate("CounterWindow", "确定"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(QCoreApplication.translate("CounterWindow", "取消"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)  # Enter, pressed out of habit, must not throw work away
    box.exec()
    return box.clickedButton() is yes


class CounterWindow(QMainWindow):
    closed = Signal()

    def __init__(self, runtime, session, bridge: Bridge | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self.bridge = bridge or Bridge(runtime, self)
        self._last_sync_key = None
        self._closed = False
        self.setWindowTitle(self.tr("一窗 综合柜员系统 — {0}").format(runtime.settings.terminal.agency_name))
        self.resize(1280, 800)

        self.setCentralWidget(self._build_central())
        self._build_status_bar()
        self._wire()

        self.filter_items("")
        self.set_online(self.bridge.last_sync.online if self.bridge.last_sync else session.online)
        if self.bridge.last_sync:
            self._on_sync_status(self.bridge.last_sync)
        if self.bridge.last_devices:
            self._on_device_statuses(self.bridge.last_devices)
        else:
            self.bridge.poll_devices()
        self.refresh_cases()
        self.search_edit.setFocus()

    # -- construction ----------------------------------------------------------------------------------------------
    def _build_central(self) -> QWidget:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(self.tr("输入事项名称或拼音首字母搜索，回车打开"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(420)
        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("业务查找 (Ctrl+F)"))
        search_label.setObjectName("sectionTitle")
        search_label.setBuddy(self.search_edit)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)

        self.items_list = QListWidget()
        self.items_list.setObjectName("itemsList")
        self.items_list.setMinimumWidth(200)
        items_box = QGroupBox(self.tr("业务事项"))
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(6, 16, 6, 6)
        items_layout.addWidget(self.items_list)

        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.setMovable(True)
        # One literal per tr() call: pyside6-lupdate only extracts plain string literals.
        placeholder = QLabel("\n".join((self.tr("在上方输入事项名称或拼音首字母（如 cxjm），回车即可打开业务。"),
                                        self.tr("办理中：回车跳到下一项，Ctrl+S 保存并受理，Ctrl+W 关闭当前业务。"))))
        placeholder.setObjectName("placeholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._case_stack = QStackedWidget()
        self._case_stack.addWidget(placeholder)
        self._case_stack.addWidget(self.tabs)

        self.cases_table = QTableWidget(0, 6)
        self.cases_table.setObjectName("casesTable")
        self.cases_table.setHorizontalHeaderLabels([self.tr("受理编号"), self.tr("事项"), self.tr("申请人"),
                                                    self.tr("公民身份号码"), self.tr("状态"), self.tr("上传")])
        self.cases_table.verticalHeader().hide()
        self.cases_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases_table.setAlternatingRowColors(True)
        header = self.cases_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.cases_box = QGroupBox(self.tr("今日业务"))
        cases_layout = QVBoxLayout(self.cases_box)
        cases_layout.setContentsMargins(6, 16, 6, 6)
        cases_layout.addWidget(self.cases_table)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._case_stack)
        right.addWidget(self.cases_box)
        # The open business gets the height first; 今日业务 is a glance, and the clerk can drag the divider.
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        right.setSizes([610, 140])
        right.setChildrenCollapsible(False)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(items_box)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([220, 1060])
        main.setChildrenCollapsible(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 4)
        layout.setSpacing(8)
        layout.addLayout(search_row)
        layout.addWidget(main, 1)
        return central

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        s = self.session
        mode = self.tr("联网") if s.online else self.tr("离线")
        self.operator_label = QLabel(self.tr("柜员：{0}（工号 {1}，{2}登录）　终端：{3}").format(
            s.name, s.operator_id, mode, self.runtime.settings.terminal.terminal_id))
        self.operator_label.setObjectName("operatorLabel")
        self.network_label = QLabel()
        self.network_label.setObjectName("networkLabel")
        self.network_label.setProperty("role", "status")
        self.outbox_label = QLabel(outbox_text(0))
        self.outbox_label.setObjectName("outboxLabel")
        self.outbox_label.setProperty("role", "status")
        self.devices_label = ElidedLabel(self.tr("设备：检测中…"))
        self.devices_label.setObjectName("devicesLabel")
        self.devices_label.setProperty("role", "status")
        # All permanent (right-aligned, never covered by transient messages); the device list yields space first.
        bar.addPermanentWidget(self.operator_label)
        bar.addPermanentWidget(self.network_label)
        bar.addPermanentWidget(self.outbox_label)
        bar.addPermanentWidget(self.devices_label, 1)

    def _wire(self) -> None:
        self.search_edit.textChanged.connect(self.filter_items)
        self.search_edit.returnPressed.connect(self.open_current_item)
        self.search_edit.installEventFilter(self)
        self.items_list.itemActivated.connect(self._open_list_item)
        self.items_list.itemClicked.connect(self._open_list_item)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.cases_table.cellDoubleClicked.connect(self._open_case_document)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        close_tab = QShortcut(QKeySequence.StandardKey.Close, self)
        close_tab.activated.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        self.bridge.sync_status.connect(self._on_sync_status)
        self.bridge.device_statuses.connect(self._on_device_statuses)

    # -- search ----------------------------------------------------------------------------------------------------
    @Slot()
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot(str)
    def filter_items(self, text: str) -> None:
        self.items_list.clear()
        for item in self.runtime.catalog.search(text):
            entry = QListWidgetItem(item.name)
            entry.setData(Qt.ItemDataRole.UserRole, item.code)
            entry.setToolTip(self.tr("{0}｜{1}｜{2}").format(item.group.value, item.time_limit_promised.label(),
                                                                 item.fee.text))
            self.items_list.addItem(entry)
        if self.items_list.count():
            self.items_list.setCurrentRow(0)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Up/Down in the search box move the selection in the result list, so the hands stay on the keyboard.
        if obj is self.search_edit and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.items_list.count():
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.items_list.count() - 1, self.items_list.currentRow() + step))
            self.items_list.setCurrentRow(row)
            return True
        return super().eventFilter(obj, event)

    @Slot()
    def open_current_item(self) -> None:
        entry = self.items_list.currentItem() or self.items_list.item(0)
        if entry is None:
            self.statusBar().showMessage(self.tr("没有找到匹配的事项"), 4000)
            return
        self._open_list_item(entry)

    @Slot(QListWidgetItem)
    def _open_list_item(self, entry: QListWidgetItem) -> None:
        self.open_item(entry.data(Qt.ItemDataRole.UserRole))

    # -- business tabs ---------------------------------------------------------------------------------------------
    def open_item(self, code: str) -> BusinessForm:
        """Open the item's screen; an unsaved one already open for the same item is reused, not duplicated."""
        for index in range(self.tabs.count()):
            form = self.tabs.widget(index)
            if isinstance(form, BusinessForm) and form.item.code == code and form.last_case is None:
                self.tabs.setCurrentIndex(index)
                form.focus_first_field()
                return form
        item = self.runtime.catalog.get(code)
        form = BusinessForm(self.runtime, self.session, item)
        form.case_saved.connect(lambda case, f=form: self._on_case_saved(f, case))
        form.document_ready.connect(lambda _path: self.refresh_cases())
        index = self.tabs.addTab(form, item.name)
        self.tabs.setTabToolTip(index, item.name)
        self.tabs.setCurrentIndex(index)
        self._case_stack.setCurrentWidget(self.tabs)
        form.focus_first_field()
        return form

    @Slot(int)
    def close_tab(self, index: int) -> None:
        form = self.tabs.widget(index)
        if form is None:
            return
        if isinstance(form, BusinessForm) and form.has_unsaved_input() and not ask_yes_no(
                self, self.tr("关闭业务"), self.tr("“{0}”已录入的内容尚未保存，确定关闭吗？").format(form.item.name)):
            return
        self.tabs.removeTab(index)
        form.deleteLater()
        if not self.tabs.count():
            self._case_stack.setCurrentIndex(0)
            self.focus_search()

    def _on_case_saved(self, form: BusinessForm, case) -> None:
        index = self.tabs.indexOf(form)
        if index >= 0:
            self.tabs.setTabText(index, self.tr("{0}（已受理 {1}）").format(form.item.name, case.case_no[-4:]))
        self.statusBar().showMessage(self.tr("已受理 {0}：{1}").format(case.case_no, case.applicant_name), 8000)
        self.refresh_cases()

    # -- today's cases ---------------------------------------------------------------------------------------------
    @Slot()
    def refresh_cases(self) -> None:
        """Read recent cases and the outbox count on a worker thread; fill the table when they arrive."""
        cases = self.runtime.cases
        run_in_thread(lambda: (cases.recent(RECENT_LIMIT), cases.pending_outbox()), self._show_cases,
                      lambda exc: log.warning("could not read recent cases: %r", exc), context=self)

    def _show_cases(self, result) -> None:
        recent, pending = result
        today = local_today()
        rows = [c for c in recent if to_local(c.created_at).date() == today]
        table = self.cases_table
        table.setRowCount(len(rows))
        for r, case in enumerate(rows):
            values = (case.case_no, case.item_name, case.applicant_name, mask_id_number(case.applicant_ssn),
                      case.status_label, case.sync_label)
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, case.document_path)
                cell.setToolTip(self.tr("受理时间 {0}").format(format_local(case.created_at)))
                table.setItem(r, c, cell)
        self.cases_box.setTitle(self.tr("今日业务（{0} 件）").format(len(rows)))
        failed = self.bridge.last_sync.failed if self.bridge.last_sync else 0
        self.set_outbox(pending, failed)

    @Slot(int, int)
    def _open_case_document(self, row: int, _column: int) -> None:
        cell = self.cases_table.item(row, 0)
        path = cell.data(Qt.ItemDataRole.UserRole) if cell else None
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    # -- status bar ------------------------------------------------------------------------------------------------
    def set_online(self, online: bool | None) -> None:
        self.network_label.setText(network_text(online))
        set_state(self.network_label, state=network_state(online))

    def set_outbox(self, pending: int, failed: int = 0) -> None:
        self.outbox_label.setText(outbox_text(pending, failed))
        set_state(self.outbox_label, state="error" if failed else ("warn" if pending else "ok"))

    @Slot(object)
    def _on_sync_status(self, status) -> None:
        self.set_online(status.online)
        self.set_outbox(status.pending, status.failed)
        key = (status.online, status.pending, status.failed)
        if key != self._last_sync_key:  # a case changed upload state: its 上传 column must follow
            self._last_sync_key = key
            self.refresh_cases()

    @Slot(object)
    def _on_device_statuses(self, statuses) -> None:
        labels = [s.label for s in statuses]
        self.devices_label.setText("　".join(labels) if labels else self.tr("设备：未配置"))
        self.devices_label.update()
        bad = any(s.state.value == "error" for s in statuses)
        set_state(self.devices_label, state="error" if bad else "unknown")
        self.devices_label.setToolTip("\n".join(f"{s.label} {s.reason}".strip() for s in statuses))

    # -- closing ---------------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:  # the clerk already confirmed; shutdown closes every window once more
            event.accept()
            return
        unsaved = [self.tabs.widget(i) for i in range(self.tabs.count())
                   if isinstance(self.tabs.widget(i), BusinessForm) and self.tabs.widget(i).has_unsaved_input()]
        if unsaved and not ask_yes_no(self, self.tr("退出"), self.tr("有 {0} 项业务尚未保存，确定退出吗？")
                                      .format(len(unsaved))):
            event.ignore()
            return
        self._closed = True
        self.bridge.sync_status.disconnect(self._on_sync_status)
        self.bridge.device_statuses.disconnect(self._on_device_statuses)
        event.accept()
        self.closed.emit()
