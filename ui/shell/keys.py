"""Keyboard-first counter: binds the keymap (ui.shell.keymap) to the window — 下一位/重呼/过号 (F8), capture (F4),
refresh (F5), 受理 (F10), print preview (F11), help overlay (F1), font size and high contrast — puts each key in
the tooltips, and gives the window's widgets accessible names."""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.bridge import run_in_thread
from ui.help_overlay import HelpOverlay
from ui.shell.keymap import form_keys, key_for, keymap
from ui.shell.queue_calling import QueueCalling
from ui.theme import BASE_POINT_SIZE, Theme

log = logging.getLogger(__name__)


_translate = QCoreApplication.translate  # lupdate reads _translate("CounterKeys", "…")


class CounterKeys(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.runtime = window.runtime
        self.queue_calling = QueueCalling(window)
        window.statusBar().insertPermanentWidget(0, self.queue_calling.label)
        self.overlay = HelpOverlay(window, keymap(), form_keys())
        self.theme = Theme(self.runtime.paths.data_dir)
        if self.theme.prefs.point_size != BASE_POINT_SIZE or self.theme.prefs.high_contrast:
            self.theme.apply()  # only when changed: re-styling every widget costs start-up time
        self.actions: dict[str, QAction] = {}
        menu = window.menuBar().addMenu(_translate("CounterKeys", "叫号(&Q)"))
        for action, slot in (("next_citizen", self.queue_calling.call_next), ("recall", self.queue_calling.recall),
                             ("skip", self.queue_calling.skip)):
            menu.addAction(self._action(action, slot))
        view = window.menuBar().addMenu(_translate("CounterKeys", "显示(&V)"))
        for action, slot in (("font_bigger", self.theme.bigger), ("font_smaller", self.theme.smaller),
                             ("font_reset", self.theme.reset_size)):
            view.addAction(self._action(action, slot))
        contrast = self._action("contrast", lambda: self.theme.set_high_contrast(self.actions["contrast"].isChecked()))
        contrast.setCheckable(True)
        contrast.setChecked(self.theme.prefs.high_contrast)
        view.addAction(contrast)
        view.addSeparator()
        view.addAction(self._action("help", self.overlay.toggle))
        for action, slot in (("capture", self.capture), ("refresh", window.refresh_cases), ("save", self.save),
                             ("print", self.print_preview)):
            window.addAction(self._action(action, slot))
        self._annotate()
        self.watchdog = None
        if self.runtime.settings.logging.level == "DEBUG":  # debug mode: log every GUI stall > 100 ms with its stack
            from ui.watchdog import Watchdog

            self.watchdog = Watchdog(parent=self, log_stalls=True).start()

    def _action(self, name: str, slot) -> QAction:
        key = key_for(name)
        action = QAction(key.label, self.window)
        action.setObjectName(f"key_{name}")
        action.setShortcut(QKeySequence(key.sequence))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(key.tip())
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = action
        return action

    # -- tooltips and accessible names -----------------------------------------------------------------------------
    def _annotate(self) -> None:
        w = self.window
        w.search_edit.setToolTip(key_for("find").tip(_translate("CounterKeys", "输入事项名称或拼音首字母，回车打开")))
        w.search_edit.setAccessibleName(_translate("CounterKeys", "业务查找"))
        w.items_list.setAccessibleName(_translate("CounterKeys", "业务事项列表"))
        w.tabs.setAccessibleName(_translate("CounterKeys", "办理中的业务"))
        w.cases_table.setAccessibleName(_translate("CounterKeys", "今日业务"))
        w.cases_table.setToolTip(key_for("refresh").tip(_translate("CounterKeys", "今日业务：回车打开文书或继续办理")))
        for label, name in ((w.operator_label, _translate("CounterKeys", "柜员")),
                            (w.network_label, _translate("CounterKeys", "网络状态")),
                            (w.outbox_label, _translate("CounterKeys", "上传状态")),
                            (w.devices_label, _translate("CounterKeys", "设备状态"))):
            label.setAccessibleName(name)
        for action in w.menuBar().actions():
            for sub in (action.menu().actions() if action.menu() else []):
                seq = sub.shortcut().toString()
                if seq and seq not in sub.toolTip():
                    sub.setToolTip(self.tr("{0}（{1}）").format(sub.text(), seq))

    # -- actions on the current business screen --------------------------------------------------------------------
    def current_form(self):
        form = self.window.tabs.currentWidget()
        return form if form is not None and hasattr(form, "save") and hasattr(form, "materials") else None

    def save(self) -> None:
        """受理 (F10): the same as Ctrl+S in the current screen."""
        form = self.current_form()
        if form is None:
            self.window.statusBar().showMessage(_translate("CounterKeys", "没有打开的业务：先按 Ctrl+F 查找事项或 F8 叫号。"), 6000)
            return
        form.save()

    def print_preview(self):
        """打印预览 (F11) of the current screen's document: journalled printing happens in the dialog (Ctrl+P)."""
        form = self.current_form()
        case, pdf = getattr(form, "last_case", None), getattr(form, "last_document", None)
        if form is None or case is None:
            self.window.statusBar().showMessage(_translate("CounterKeys", "请先受理业务，生成文书后再打印。"), 6000)
            return None
        if pdf is None:
            self.window.statusBar().showMessage(_translate("CounterKeys", "文书正在生成，请稍候再按 F11。"), 6000)
            return None
        from ui.print.preview import open_print_preview

        job = getattr(form, "_job", None)
        dialog = open_print_preview(self.runtime, self.window.session, case_id=case.case_id, case_no=case.case_no,
                                    document=getattr(job, "title", None) or _translate("CounterKeys", "受理回执"), pdf=pdf,
                                    parent=self.window)
        self.last_preview = dialog
        return dialog

    def capture(self) -> None:
        """高拍仪 (F4): photograph the paper of the material that has the focus (else the first one still missing)
        and attach it to that material; the camera works on a worker thread."""
        form = self.current_form()
        bar = self.window.statusBar()
        if form is None or getattr(form, "last_case", None) is not None:
            bar.showMessage(_translate("CounterKeys", "请先打开要办理的业务，再拍摄材料。"), 6000)
            return
        camera = getattr(self.runtime.devices, "camera", None)
        if camera is None or not hasattr(camera, "capture_page"):
            bar.showMessage(_translate("CounterKeys", "未配置高拍仪，可用“扫描/附件”选择文件。"), 6000)
            return
        row = self._capture_row(form)
        if row is None:
            bar.showMessage(_translate("CounterKeys", "本业务没有需要拍摄的材料。"), 6000)
            return
        out = Path(self.runtime.paths.data_dir) / "captures" / f"{uuid.uuid4().hex}.jpg"
        code, name = row.spec.code, row.spec.name

        def job():
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                camera.capture_page(out)
                return out.read_bytes()
            finally:
                out.unlink(missing_ok=True)

        bar.showMessage(_translate("CounterKeys", "正在拍摄：{0}…").format(name))
        run_in_thread(job, lambda data: self._captured(form, code, name, data),
                      lambda exc: bar.showMessage(getattr(exc, "user_message", None)
                                                  or _translate("CounterKeys", "拍摄失败，请检查高拍仪后重试。"), 10000), context=form)

    def _capture_row(self, form):
        from PySide6.QtWidgets import QApplication

        focused = QApplication.focusWidget()
        rows = form.materials.visible_rows()
        for row in rows:
            if row.selector is not None and row.selector.owns(focused):
                return row
        return next((r for r in rows if r.selector is not None and r.state() == "missing"),
                    next((r for r in rows if r.selector is not None), None))

    def _captured(self, form, code: str, name: str, data: bytes) -> None:
        form.materials.attach(code, data, "image/jpeg", f"{code}.jpg")
        self.window.statusBar().showMessage(_translate("CounterKeys", "已拍摄并附上：{0}").format(name), 6000)


def focusable_without_name(root: QWidget) -> list[QWidget]:
    """Focusable, visible widgets with neither an accessible name nor a buddy label (accessibility check)."""
    from PySide6.QtWidgets import QLabel

    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(root):
            continue
        if widget.accessibleName() or id(widget) in buddies:
            continue
        text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
        if text:  # buttons and radio buttons are named by their text
            continue
        missing.append(widget)
    return missing
