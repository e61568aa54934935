"""The counter clerk's main window: find a business, handle it in a tab, see today's cases and the terminal's state."""
from __future__ import annotations

import gc
import logging
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidgetItem, QMainWindow, QMenu,
                               QMessageBox, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from app.clock import local_today, to_local
from app.workflow.machine import Status
from ui.bridge import Bridge, run_in_thread
from ui.business.form import BusinessForm
from ui.business.preferences import ItemPreferences
from ui.business.resume import ResumeForm
from ui.style import set_state
from ui.texts import domain, network_state, network_text, outbox_text
from ui.widgets.cases_table import CasesTable
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.finder_list import CODE_ROLE, FinderList

log = logging.getLogger(__name__)
RECENT_LIMIT = 200
RECENT_ITEMS = 12
WARM_UP_DELAY_MS = 800


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A blocking question with Chinese buttons; module-level so tests can replace it."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(QCoreApplication.translate("CounterWindow", "确定"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(QCoreApplication.translate("CounterWindow", "取消"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)  # Enter, pressed out of habit, must not throw work away
    box.exec()
    return box.clickedButton() is yes


def _warm_finder(catalog) -> None:
    """On a worker thread: the items' and the calculators' pinyin indexes (and the calculators' modules), so the
    first keystroke in the finder pays none of it on the GUI thread (issue 13); likewise the print preview's
    modules (the document journal and QtPrintSupport, ~0.3 s to import), which F11 would otherwise load."""
    catalog.finder
    from app.rules.finder import search_calculators

    search_calculators("cs")
    import ui.print.preview  # noqa: F401
    from ui.process_memory import trim_heap

    trim_heap()  # the start-up's imports are done: their source lines (PySide's import hook) and garbage go back


class CounterWindow(QMainWindow):
    closed = Signal()

    def __init__(self, runtime, session, bridge: Bridge | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        from ui.process_memory import limit_malloc_arenas  # issue 13: flat memory over the day (see the module)

        limit_malloc_arenas()
        self.runtime, self.session = runtime, session
        self.bridge = bridge or Bridge(runtime, self)
        self._last_sync_key = None
        self._recent: list | None = None  # the recent cases last read (newest first), kept current by _upsert_case
        self._pending = 0
        self._reads = 0  # refresh_cases requests so far
        self._upserts: dict = {}  # case_id → (reads when shown, CaseView): newer than a read still in flight
        self._closed = False
        self._online = self.bridge.last_sync.online if self.bridge.last_sync else session.online
        self.preferences = ItemPreferences(runtime.cases, session.operator_id, RECENT_ITEMS, self)
        self._tooltips: dict[str, str] = {}
        self.setWindowTitle(self.tr("一窗 综合柜员系统 — {0}").format(runtime.settings.terminal.agency_name))
        self.resize(1280, 800)

        self.setCentralWidget(self._build_central())
        self._build_status_bar()
        self._wire()
        from ui.shell.tools import install_tools_menu

        self.tools = install_tools_menu(self)
        from ui.shell.readers import CardReaders

        self.readers = CardReaders(self)
        from ui.lock import install_idle_lock  # idle auto-lock per agency policy, work kept underneath (issue 11)

        self.idle_lock = install_idle_lock(self, runtime, session)
        from ui.shell.keys import CounterKeys

        self.keys = CounterKeys(self)  # issue 13: 叫号 (F8), F-keys, help overlay (F1), font size, high contrast

        self.filter_items("")
        catalog = runtime.catalog  # the pinyin index, built off the GUI thread before the first keystroke needs it
        # A moment after the window is up: a worker's Python work shares Python's lock with the GUI thread, which is
        # building and showing this window now (login → counter, issue 13).
        QTimer.singleShot(WARM_UP_DELAY_MS, self, lambda: run_in_thread(
            lambda: _warm_finder(catalog), None, lambda exc: log.warning("finder index: %r", exc), context=self))
        self.preferences.changed.connect(self._preferences_changed)
        # Issue 13: refilling the finder list (156 entries, ~10 ms) is not done inside opening a screen or 受理,
        # but in a turn of its own once those are painted.
        self._recent_timer = QTimer(self)
        self._recent_timer.setSingleShot(True)
        self._recent_timer.setInterval(0)
        self._recent_timer.timeout.connect(self._preferences_changed)
        self.preferences.recent_changed.connect(self._recent_timer.start)
        self.preferences.load()
        self.set_online(self._online)
        if self.bridge.last_sync:
            self._on_sync_status(self.bridge.last_sync)
        if self.bridge.last_devices:
            self._on_device_statuses(self.bridge.last_devices)
        else:
            self.bridge.poll_devices()
        self.refresh_cases()
        self.search_edit.setFocus()
        # Issue 13: the ~220k objects of start-up (modules, catalog, Qt wrappers) live as long as the process; left
        # in the collector's oldest generation, every full collection walks them all on whatever thread allocates —
        # 50–100 ms on the GUI thread. Frozen, the collector only looks at what the day itself creates.
        gc.freeze()

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

        self.items_list = FinderList()
        self.items_list.setObjectName("itemsList")
        self.items_list.setToolTip(self.tr("回车打开；Ctrl+D 设为/取消常用"))
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
                                        self.tr("办理中：回车跳到下一项，Ctrl+S 受理，Ctrl+W 关闭当前业务。"),
                                        self.tr("事项列表中按 Ctrl+D 设为常用，常用事项排在最前。"))))
        placeholder.setObjectName("placeholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._case_stack = QStackedWidget()
        self._case_stack.addWidget(placeholder)
        self._case_stack.addWidget(self.tabs)

        self.cases_table = CasesTable()
        self.cases_table.setObjectName("casesTable")
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
        self.items_list.leave_up.connect(self.focus_search)
        self.items_list.typed.connect(self._type_into_search)
        self.items_list.customContextMenuRequested.connect(self._items_menu)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.cases_table.resume_requested.connect(self.open_resume)
        self.cases_table.document_requested.connect(self._open_case_document)
        favourite = QShortcut(QKeySequence(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_D), self)
        favourite.activated.connect(self._favourite_shortcut)
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

    def _tooltip(self, item) -> str:
        tip = self._tooltips.get(item.code)
        if tip is None:
            tip = self._tooltips[item.code] = self.tr("{0}\n{1}｜{2}｜{3}").format(
                item.name, item.group.value, item.time_limit_promised.label(), item.fee.text)
        return tip

    @Slot(str)
    def filter_items(self, text: str) -> None:
        """Search results while typing; with an empty box: 常用 (★), then 最近办理, then 全部事项."""
        catalog = self.runtime.catalog
        calc_sections = []
        if text.strip():
            sections = [(None, catalog.search(text))]
            from ui.calc.launch import calculator_sections  # calculators in the finder (issue 7, owned by ui/calc)

            calc_sections = calculator_sections(text)
        else:
            favs = [c for c in self.preferences.favourites if c in catalog]
            recent = [c for c in self.preferences.recent if c in catalog and c not in favs]
            shown = set(favs) | set(recent)
            sections = [(self.tr("常用事项"), [catalog.get(c) for c in favs]),
                        (self.tr("最近办理"), [catalog.get(c) for c in recent]),
                        (self.tr("全部事项") if shown else None, [i for i in catalog.items if i.code not in shown])]
        self.items_list.fill([(title, [(i.code, i.name, self._tooltip(i)) for i in items])
                              for title, items in sections] + calc_sections, set(self.preferences.favourites))

    def _refilter(self) -> None:
        self.filter_items(self.search_edit.text())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Down in the search box moves into the result list, so the hands stay on the keyboard.
        if obj is self.search_edit and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down and self.items_list.entry_count():
            if self.items_list.current_code() is None:
                self.items_list.select_first()
            self.items_list.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(obj, event)

    def _type_into_search(self, text: str) -> None:
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search_edit.insert(text)

    @Slot()
    def open_current_item(self) -> None:
        code = self.items_list.current_code() or next(iter(self.items_list.codes()), None)
        if code is None:
            self.statusBar().showMessage(self.tr("没有找到匹配的事项"), 4000)
            return
        self.open_item(code, soon=True)

    @Slot(QListWidgetItem)
    def _open_list_item(self, entry: QListWidgetItem) -> None:
        code = entry.data(CODE_ROLE)
        if code:
            self.open_item(code, soon=True)

    # -- 常用 and 最近办理 -----------------------------------------------------------------------------------------
    def _preferences_changed(self) -> None:
        current = self.items_list.current_code()
        self._refilter()  # sections when the box is empty; ★ marks in search results
        self.items_list.select_code(current)

    @Slot()
    def toggle_favourite(self) -> None:
        code = self.items_list.current_code()
        if code:
            self.set_favourite(code, not self.preferences.is_favourite(code))

    def set_favourite(self, code: str, favourite: bool) -> None:
        if code.startswith("calc:"):  # a calculator entry of the finder (issue 7): not a catalog item
            return
        self.preferences.set_favourite(code, favourite)
        name = self.runtime.catalog.get(code).name
        self.statusBar().showMessage((self.tr("已设为常用：{0}") if favourite else self.tr("已取消常用：{0}"))
                                     .format(name), 4000)

    def _favourite_shortcut(self) -> None:
        if self.search_edit.hasFocus() or self.items_list.hasFocus():
            self.toggle_favourite()

    def _items_menu(self, pos: QPoint) -> None:
        entry = self.items_list.itemAt(pos)
        code = entry.data(CODE_ROLE) if entry is not None else None
        if not code:
            return
        self.items_list.setCurrentItem(entry)
        favourite = self.preferences.is_favourite(code)
        menu = QMenu(self)
        menu.addAction(self.tr("打开"), lambda: self.open_item(code))
        menu.addAction(self.tr("取消常用 (Ctrl+D)") if favourite else self.tr("设为常用 (Ctrl+D)"),
                       lambda: self.set_favourite(code, not favourite))
        menu.exec(self.items_list.viewport().mapToGlobal(pos))

    # -- business tabs ---------------------------------------------------------------------------------------------
    def open_item(self, code: str, *, soon: bool = False, then=None) -> BusinessForm:
        """Open the item's screen; an unsaved one already open for the same item is reused, not duplicated.

        soon=True (the clerk's own Enter, a called ticket): the screen is built in this turn of the event loop,
        styled and laid out (still hidden) in the next, and shown in the one after, so no turn comes near the 100 ms
        budget (issue 13): building, styling with layout, and showing with the first paint each were a third of the
        tail that stalled on a busy CI machine. `then(form)` runs once the screen is the current tab."""
        if code.startswith("calc:"):  # a calculator entry of the finder (issue 7): the 待遇测算 window on it
            from ui.calc.launch import open_calculator

            screen = open_calculator(self, code)
            if then is not None:
                then(screen)
            return screen
        for index in range(self.tabs.count()):
            form = self.tabs.widget(index)
            if isinstance(form, BusinessForm) and form.item.code == code and form.last_case is None:
                self.tabs.setCurrentIndex(index)
                form.focus_first_field()
                if then is not None:
                    then(form)
                return form
        item = self.runtime.catalog.get(code)
        form = BusinessForm(self.runtime, self.session, item, self._tab_pages(), online=self._online)
        if soon:
            QTimer.singleShot(0, self, lambda: self._prepare_opened(form, then))
        else:
            self._show_opened(form, then)
        return form

    def _prepare_opened(self, form: BusinessForm, then=None) -> None:
        """The middle turn of open_item(soon=True): style sheet rules and layout of the hidden screen, at its size."""
        pages = self._tab_pages()
        if pages is not None and not pages.size().isEmpty():
            form.resize(pages.size())
        form.ensurePolished()  # the widget and all its children
        if form.layout() is not None:
            form.layout().activate()
        QTimer.singleShot(0, self, lambda: self._show_opened(form, then))

    def _show_opened(self, form: BusinessForm, then=None) -> None:
        self._add_tab(form, form.item.name)
        self.preferences.opened(form.item.code)
        if then is not None:
            then(form)

    def open_resume(self, case) -> ResumeForm | None:
        """继续办理 of a 待补正 case (from 今日业务); one tab per case. The case is read afresh on a worker (the row may
        be older than the case; issue 13: no database work on the GUI thread), so a new screen opens a moment later:
        this returns the screen only when it was open already."""
        existing = self._open_resume_tab(case.case_id)
        if existing is not None:
            return existing
        cases, case_id = self.runtime.cases, case.case_id
        self.statusBar().showMessage(self.tr("正在打开 {0}…").format(case.case_no), 3000)
        run_in_thread(lambda: cases.get(case_id), self._show_resume, self._resume_read_failed, context=self)
        return None

    def _open_resume_tab(self, case_id: str) -> ResumeForm | None:
        for index in range(self.tabs.count()):
            form = self.tabs.widget(index)
            if isinstance(form, ResumeForm) and form.case.case_id == case_id and form.last_case is None:
                self.tabs.setCurrentIndex(index)
                form.focus_first_field()
                return form
        return None

    def _show_resume(self, fresh) -> None:
        if self._open_resume_tab(fresh.case_id) is not None:  # opened twice in quick succession
            return
        if fresh.status != Status.correction.value:
            self.statusBar().showMessage(self.tr("{0} 当前状态为{1}，无需补正").format(fresh.case_no,
                                                                                  domain(fresh.status_label)), 6000)
            self.refresh_cases()
            return
        form = ResumeForm(self.runtime, self.session, fresh, self._tab_pages())
        self._add_tab(form, self.tr("继续办理 {0}").format(fresh.case_no[-4:]))

    def _resume_read_failed(self, exc: BaseException) -> None:
        log.error("case could not be read to resume it: %r", exc)
        self.statusBar().showMessage(self.tr("无法读取该业务，请刷新今日业务后重试；仍不行请联系管理员。"), 8000)

    def _tab_pages(self) -> QWidget | None:
        """The tab widget's page stack: a screen built inside it is not re-parented (and re-styled) by addTab."""
        return self.tabs.findChild(QStackedWidget, "qt_tabwidget_stackedwidget")

    def _add_tab(self, form, title: str) -> None:
        form.case_saved.connect(lambda case, f=form: self._on_case_saved(f, case))
        form.document_ready.connect(lambda path, f=form: self._on_document_ready(f, path))
        index = self.tabs.addTab(form, title)
        self.tabs.setTabToolTip(index, form.item.name)
        self.tabs.setCurrentIndex(index)
        self._case_stack.setCurrentWidget(self.tabs)
        form.focus_first_field()

    @Slot(int)
    def close_tab(self, index: int) -> None:
        form = self.tabs.widget(index)
        if form is None:
            return
        if isinstance(form, (BusinessForm, ResumeForm)) and form.has_unsaved_input() and not ask_yes_no(
                self, self.tr("关闭业务"), self.tr("“{0}”已录入的内容尚未保存，确定关闭吗？").format(form.item.name)):
            return
        self.tabs.removeTab(index)
        form.deleteLater()
        if isinstance(form, (BusinessForm, ResumeForm)) and form.last_case is not None:
            from ui.process_memory import trim_heap  # a served citizen's screen and PDF work are freed: give back

            run_in_thread(trim_heap, context=self)
        if not self.tabs.count():
            self._case_stack.setCurrentIndex(0)
            self.focus_search()

    def _on_case_saved(self, form, case) -> None:
        index = self.tabs.indexOf(form)
        if index >= 0:
            self.tabs.setTabText(index, self.tr("{0}（{1} {2}）").format(form.item.name, domain(case.status_label),
                                                                        case.case_no[-4:]))
        self.statusBar().showMessage(self.tr("{0} {1}：{2}").format(domain(case.status_label), case.case_no,
                                                                   case.applicant_name), 8000)
        if isinstance(form, BusinessForm):
            self.preferences.note_used(form.item.code)
        self.keys.queue_calling.note_case(case)  # reported with 办结 of the ticket being served
        self._upsert_case(case)

    def _on_document_ready(self, form, path) -> None:
        case = getattr(form, "last_case", None)
        if case is None:
            self.refresh_cases()
        else:
            self._upsert_case(replace(case, document_path=str(path)))

    # -- today's cases ---------------------------------------------------------------------------------------------
    def _upsert_case(self, case) -> None:
        """Issue 13: a case saved here (or its document) is shown from what the screen already has, not by reading
        the day's cases again on a worker — that read is Python work which, sharing Python's lock, slowed the GUI
        thread while the clerk opened the next screen. Upload states follow with the relay's status (below)."""
        if self._recent is None:
            self.refresh_cases()
            return
        self._upserts[case.case_id] = (self._reads, case)
        if any(c.case_id == case.case_id for c in self._recent):
            self._recent = [case if c.case_id == case.case_id else c for c in self._recent]
        else:
            self._recent = [case, *self._recent][:RECENT_LIMIT]
        self._render_cases()

    @Slot()
    def refresh_cases(self) -> None:
        """Read recent cases and the outbox count on a worker thread; fill the table when they arrive."""
        cases = self.runtime.cases
        self._reads += 1
        read = self._reads
        run_in_thread(lambda: (cases.recent(RECENT_LIMIT), cases.pending_outbox()),
                      lambda result: self._show_cases(result, read),
                      lambda exc: log.warning("could not read recent cases: %r", exc), context=self)

    def _show_cases(self, result, read: int | None = None) -> None:
        recent, self._pending = list(result[0]), result[1]
        if read is not None:
            # Cases shown by _upsert_case after this read began are newer than what it found: they stay.
            self._upserts = {k: v for k, v in self._upserts.items() if v[0] >= read}
            newer = {k: case for k, (_n, case) in self._upserts.items()}
            recent = [newer.pop(c.case_id, c) for c in recent]
            recent = [*sorted(newer.values(), key=lambda c: c.created_at, reverse=True), *recent][:RECENT_LIMIT]
        self._recent = recent
        self._render_cases()

    def _render_cases(self) -> None:
        recent, pending = self._recent, self._pending
        today = local_today()
        rows = [c for c in recent if to_local(c.created_at).date() == today]
        shown = {c.case_id for c in rows}
        waiting = [c for c in recent if c.status == Status.correction.value and c.case_id not in shown]
        self.cases_table.show_cases(rows + waiting)  # 待补正 of earlier days stay at hand for 继续办理
        title = self.tr("今日业务（{0} 件）").format(len(rows))
        if waiting:
            title += self.tr("　另有往日待补正 {0} 件").format(len(waiting))
        self.cases_box.setTitle(title)
        failed = self.bridge.last_sync.failed if self.bridge.last_sync else 0
        self.set_outbox(pending, failed)

    @Slot(object)
    def _open_case_document(self, case) -> None:
        if case.document_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(case.document_path))

    # -- status bar ------------------------------------------------------------------------------------------------
    def set_online(self, online: bool | None) -> None:
        self.network_label.setText(network_text(online))
        set_state(self.network_label, state=network_state(online))

    def set_outbox(self, pending: int, failed: int = 0) -> None:
        last = self.bridge.last_sync
        rejected = last.rejected if last is not None else 0
        self.outbox_label.setText(outbox_text(pending, failed, last.last_success if last is not None else None,
                                              rejected))
        self.outbox_label.setToolTip(self.tr("按 F9 打开待上传业务（上传队列）"))
        set_state(self.outbox_label, state="error" if failed or rejected else ("warn" if pending else "ok"))

    @Slot(object)
    def _on_sync_status(self, status) -> None:
        self.set_online(status.online)
        if status.online is not None and bool(status.online) != bool(self._online):
            self._online = status.online
            for i in range(self.tabs.count()):  # 须联网 items show or hide their 网上办理 panel
                if isinstance(self.tabs.widget(i), BusinessForm):
                    self.tabs.widget(i).set_online(status.online)
        self.set_outbox(status.pending, status.failed)
        key = (status.online, status.pending, status.failed)
        previous, self._last_sync_key = self._last_sync_key, key
        # A case changed upload state (sent, failed, back online): its 上传 column must follow. A pending count that
        # only grew is a case just saved here, already shown by _upsert_case (issue 13: no re-read per case).
        if previous is None or (key != previous and (key[0] != previous[0] or key[2] != previous[2]
                                                     or key[1] < previous[1])):
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
                   if isinstance(self.tabs.widget(i), (BusinessForm, ResumeForm))
                   and self.tabs.widget(i).has_unsaved_input()]
        if unsaved and not ask_yes_no(self, self.tr("退出"), self.tr("有 {0} 项业务尚未保存，确定退出吗？")
                                      .format(len(unsaved))):
            event.ignore()
            return
        self._closed = True
        self.readers.detach()
        if self.keys.watchdog is not None:
            self.keys.watchdog.stop()
        self.tools.close_all()
        self.bridge.sync_status.disconnect(self._on_sync_status)
        self.bridge.device_statuses.disconnect(self._on_device_statuses)
        event.accept()
        self.closed.emit()
