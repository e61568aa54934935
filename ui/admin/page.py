"""系统管理 page: every configuration value in force, where it came from (默认值 / 配置文件 / 集中配置文件 / 环境变量),
and a button producing the support bundle for the help desk (app.fleet.support), built off the GUI thread."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.config import _flatten, load_settings_with_sources
from app.errors import YichuangError
from app.fleet.provision import read_record
from app.fleet.redact import SHOWN_SECRET, redact_values
from ui.bridge import run_in_thread

log = logging.getLogger(__name__)

COLUMNS = (QT_TRANSLATE_NOOP("AdminPage", "配置项"), QT_TRANSLATE_NOOP("AdminPage", "当前值"),
           QT_TRANSLATE_NOOP("AdminPage", "来源"), QT_TRANSLATE_NOOP("AdminPage", "说明"))
# app.config.SOURCE_LABELS by kind, shown in the language of the page
SOURCE_LABELS = {"default": QT_TRANSLATE_NOOP("AdminPage", "默认值"),
                 "config": QT_TRANSLATE_NOOP("AdminPage", "配置文件"),
                 "provisioning": QT_TRANSLATE_NOOP("AdminPage", "集中配置文件"),
                 "env": QT_TRANSLATE_NOOP("AdminPage", "环境变量")}
SOURCE_COLOURS = {"default": "#607d8b", "config": "#1f5fa8", "provisioning": "#2e7d32", "env": "#b26a00"}


def _show(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class AdminPage(QWidget):
    bundle_ready = Signal(object)  # Path of the zip
    bundle_failed = Signal(str)

    update_checked = Signal(object)  # app.fleet.updates.Offer or None
    update_failed = Signal(str)

    def __init__(self, runtime, parent: QWidget | None = None, *, bundle_dir: Path | None = None, updater=None):
        super().__init__(parent)
        self.runtime = runtime
        self.bundle_dir = bundle_dir
        self._updater = updater
        self.offer = None
        self.setObjectName("adminPage")
        self.setWindowTitle(self.tr("一窗 · 系统管理"))
        title = QLabel(self.tr("系统管理 · 本机配置"))
        title.setObjectName("loginTitle")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.bundle_button = QPushButton(self.tr("生成支持包"))
        self.bundle_button.setProperty("primary", True)
        self.bundle_button.setToolTip(self.tr("日志、配置（已移除密钥）、外设状态和版本，身份证号等个人信息已脱敏"))
        self.bundle_button.clicked.connect(self.make_bundle)
        self.message = QLabel()
        self.message.setProperty("role", "message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.update_button = QPushButton(self.tr("检查更新"))
        self.update_button.clicked.connect(self.check_update)
        self.install_button = QPushButton(self.tr("立即安装更新"))
        self.install_button.clicked.connect(self.install_update)
        self.defer_button = QPushButton(self.tr("推迟"))
        self.defer_button.clicked.connect(self.defer_update)
        for b in (self.install_button, self.defer_button):
            b.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.update_button)
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.defer_button)
        buttons.addStretch(1)
        buttons.addWidget(self.bundle_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(1000, 640)
        self.sources: dict = {}
        self.refresh()

    # -- configuration --
    def refresh(self) -> None:
        """Read the configuration as the terminal would at start-up and list every value with its source."""
        paths = self.runtime.paths
        try:
            eff = load_settings_with_sources(paths.config_file)
        except YichuangError as exc:
            self.sources = {}
            self.table.setRowCount(0)
            self.summary.setText(self.tr("配置文件：{0}").format(paths.config_file))
            self._say(exc.user_message, "error")
            return
        self.sources = eff.sources
        running = redact_values(_flatten(self.runtime.settings.model_dump(mode="json")), SHOWN_SECRET)
        values = redact_values(eff.values, SHOWN_SECRET)
        self.table.setRowCount(len(values))
        for row, (key, value) in enumerate(values.items()):
            src = eff.sources[key]
            shown = _show(value)
            if key in running and running[key] != value:  # e.g. `yichuang demo` overrides the server address
                shown += self.tr("（本次运行：{0}）").format(_show(running[key]))
            cells = (key, shown, self.tr(SOURCE_LABELS[src.kind]), src.detail)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 2:
                    item.setForeground(QColor(SOURCE_COLOURS[src.kind]))
                    item.setData(Qt.ItemDataRole.UserRole, src.kind)
                self.table.setItem(row, col, item)
        record = read_record(paths)
        where = (self.tr("集中配置：{0}（{1} UTC 应用，{2} 项）").format(
                     record.get("source"), str(record.get("applied_at", ""))[:19].replace("T", " "),
                     len(record.get("values", {}))) if record else self.tr("本机未经集中配置"))
        exists = "" if paths.config_file.exists() else self.tr("（不存在，使用默认值）")
        self.summary.setText(self.tr("配置文件：{0}").format(paths.config_file) + exists + "\n" + where + "\n"
                             + self.tr("优先级：环境变量 ＞ 配置文件（含集中配置写入的项）＞ 默认值"))

    def row_of(self, key: str) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == key:
                return row
        return -1

    def source_of(self, key: str) -> str:
        """The source label shown for `key` ('' when absent): what an administrator reads on the page."""
        row = self.row_of(key)
        return self.table.item(row, 2).text() if row >= 0 else ""

    # -- support bundle --
    def make_bundle(self) -> None:
        from app.fleet.support import bundle_for_runtime

        self.bundle_button.setEnabled(False)
        self._say(self.tr("正在生成支持包……"), "busy")
        runtime, out_dir = self.runtime, self.bundle_dir
        run_in_thread(lambda: bundle_for_runtime(runtime, out_dir), self._bundle_done, self._bundle_failed,
                      context=self)

    def _bundle_done(self, path: Path) -> None:
        self.bundle_button.setEnabled(True)
        self._say(self.tr("支持包已生成：{0}（个人信息已脱敏，可发给技术支持）").format(path), "ok")
        log.info("support bundle written", extra={"path": str(path)})
        self.bundle_ready.emit(path)

    def _bundle_failed(self, exc: BaseException) -> None:
        self.bundle_button.setEnabled(True)
        text = getattr(exc, "user_message", None) or self.tr("生成支持包失败：{0}").format(exc)
        self._say(text, "error")
        self.bundle_failed.emit(text)

    # -- signed updates (app.fleet.updates): check, defer until the deadline, install --
    def updater(self):
        if self._updater is None:
            from app.fleet.updates import Updater

            self._updater = Updater(self.runtime.settings, self.runtime.paths.data_dir)
        return self._updater

    def check_update(self) -> None:
        updater = self.updater()
        self.update_button.setEnabled(False)
        self._say(self.tr("正在检查更新……"), "busy")
        run_in_thread(updater.check, self._update_checked, self._update_error, context=self)

    def _update_checked(self, offer) -> None:
        self.update_button.setEnabled(True)
        self.offer = offer
        if offer is None:
            self._say(self.tr("已是最新版本。"), "ok")
        else:
            now = self.updater().clock()
            forced = offer.forced(now)
            self._say(self.tr("可更新到 {0}（当前 {1}）。").format(offer.version, self.updater().current_version)
                      + (self.tr("已超过推迟期限，必须安装。") if forced else
                         self.tr("最迟 {0} 安装，还可推迟 {1} 天。").format(
                             f"{offer.deadline.astimezone():%Y-%m-%d}", offer.days_left(now)))
                      + (f"\n{offer.manifest.notes}" if offer.manifest.notes else ""), "ok")
            self.install_button.setEnabled(True)
            self.defer_button.setEnabled(not forced)
        self.update_checked.emit(offer)

    def _update_error(self, exc: BaseException) -> None:
        self.update_button.setEnabled(True)
        self.install_button.setEnabled(False)
        self.defer_button.setEnabled(False)
        text = getattr(exc, "user_message", None) or self.tr("无法检查更新：{0}").format(exc)
        self._say(text, "error")
        self.update_failed.emit(text)

    def defer_update(self) -> None:
        from app.errors import YichuangError

        try:
            days = self.updater().defer(self.offer)
        except YichuangError as exc:
            self._update_error(exc)
            return
        self.defer_button.setEnabled(False)
        self._say(self.tr("已推迟更新到 {0}，还可推迟 {1} 天。").format(self.offer.version, days), "ok")

    def install_update(self) -> None:
        updater, offer = self.updater(), self.offer
        self.install_button.setEnabled(False)
        self.defer_button.setEnabled(False)
        self._say(self.tr("正在下载并校验 {0}……").format(offer.version), "busy")

        def job():
            updater.install(offer, updater.download(offer))
            return offer

        run_in_thread(job, lambda o: self._say(self.tr("已安装 {0}，请重新启动一窗。").format(o.version), "ok"),
                      self._update_error, context=self)

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        self.message.setProperty("state", state)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()


def run_admin(runtime) -> int:
    """`yichuang admin`: the page as its own window (YICHUANG_EXIT_WHEN_READY=1 prints YICHUANG_READY admin)."""
    import sys

    from PySide6.QtCore import QTimer

    from ui.app import READY_ENV, create_qapplication
    from ui.bridge import wait_for_background

    app = create_qapplication(sys.argv, runtime.settings.ui.language)
    page = AdminPage(runtime)
    page.show()
    if os.environ.get(READY_ENV):
        def ready() -> None:
            print("YICHUANG_READY admin", flush=True)
            app.exit(0)
        QTimer.singleShot(0, ready)
    try:
        return app.exec()
    finally:
        page.close()
        wait_for_background(10000)
        runtime.close()
