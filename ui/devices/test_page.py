"""设备检测: the administrators' device test page — the state of each device, read a card, read an ID, take a test
photo, print a test slip, with the raw exchange log. Every device call runs on a worker thread (ui.bridge)."""
from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from devices.base import KIND_LABELS, RAW_LOG, STATE_LABELS, DeviceKind, DeviceStatus
from ui.bridge import run_in_thread
from ui.devices.preview import CameraPreview
from ui.devices.signals import DeviceSignals

log = logging.getLogger(__name__)

TEST_ID_NUMBER = "150102198503120029"  # names the test photo when no ID was read


class DeviceTestPage(QWidget):
    def __init__(self, manager, parent: QWidget | None = None, *, out_dir: Path | None = None):
        super().__init__(parent)
        self.setObjectName("deviceTestPage")
        self.setWindowTitle(self.tr("设备检测"))
        self.manager = manager
        self.out_dir = Path(out_dir or Path(tempfile.gettempdir()) / "yichuang-device-test")
        self.signals = DeviceSignals(manager, self, raw_log=True)
        self.last_result: object = None
        self.last_error: BaseException | None = None
        self._last_id_number = ""

        self.table = QTableWidget(len(manager.devices), 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("设备"), self.tr("方式"), self.tr("状态"), self.tr("说明")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._rows = {kind: i for i, kind in enumerate(manager.devices)}

        self.refresh_button = QPushButton(self.tr("刷新状态"), self)
        self.sscard_button = QPushButton(self.tr("读社保卡"), self)
        self.idcard_button = QPushButton(self.tr("读身份证"), self)
        self.photo_button = QPushButton(self.tr("拍测试照片"), self)
        self.card_photo_button = QPushButton(self.tr("拍证件照"), self)
        self.print_button = QPushButton(self.tr("打印测试单"), self)
        self.preview_check = QCheckBox(self.tr("实时预览"), self)
        self.result_label = QLabel(self.tr("点击上方按钮检测设备。"), self)
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("deviceResult")
        self.result_view = QPlainTextEdit(self)
        self.result_view.setReadOnly(True)
        self.raw_view = QPlainTextEdit(self)
        self.raw_view.setReadOnly(True)
        self.raw_view.setMaximumBlockCount(2000)
        self.raw_view.setPlaceholderText(self.tr("原始通讯记录"))
        self.preview = CameraPreview(self)

        buttons = QHBoxLayout()
        for b in (self.refresh_button, self.sscard_button, self.idcard_button, self.photo_button,
                  self.card_photo_button, self.print_button):
            buttons.addWidget(b)
        buttons.addWidget(self.preview_check)
        buttons.addStretch(1)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(lower)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.result_label)
        left_layout.addWidget(self.result_view, 1)
        left_layout.addWidget(QLabel(self.tr("原始通讯记录"), left))
        left_layout.addWidget(self.raw_view, 1)
        lower.addWidget(left)
        lower.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(lower, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.sscard_button.clicked.connect(self.read_sscard)
        self.idcard_button.clicked.connect(self.read_idcard)
        self.photo_button.clicked.connect(self.take_photo)
        self.card_photo_button.clicked.connect(self.take_card_photo)
        self.print_button.clicked.connect(self.print_test)
        self.preview_check.toggled.connect(self.set_preview)
        self.signals.status_changed.connect(self._show_status)
        self.signals.raw_line.connect(self.raw_view.appendPlainText)
        self.signals.sscard_read.connect(lambda rec: self._show_ok(self.tr("插卡自动读取"), rec))
        self.signals.sscard_failed.connect(lambda exc: self._show_error(exc))
        for line in RAW_LOG.lines()[-200:]:
            self.raw_view.appendPlainText(line)
        for st in manager.statuses():
            self._show_status(st)

    # -- state -----------------------------------------------------------------------------------------------------
    @Slot(object)
    def _show_status(self, st: DeviceStatus) -> None:
        row = self._rows.get(st.kind)
        if row is None:
            return
        backend = {"real": self.tr("真实设备"), "sim": self.tr("模拟"), "none": self.tr("未配置")}.get(st.backend, st.backend)
        for col, text in enumerate((KIND_LABELS[st.kind], backend, STATE_LABELS[st.state], st.reason)):
            item = QTableWidgetItem(text)
            self.table.setItem(row, col, item)

    def state_text(self, kind: DeviceKind) -> str:
        item = self.table.item(self._rows[kind], 2)
        return item.text() if item else ""

    @Slot()
    def refresh(self) -> None:
        devices = list(self.manager.devices.values())

        def probe_all():
            out = []
            for d in devices:
                probe = getattr(d, "probe", None)
                try:
                    out.append(probe() if probe else d.status())
                except Exception as exc:  # noqa: BLE001
                    log.warning("probe %s failed: %r", d.kind.value, exc)
                    out.append(d.status())
            return out

        run_in_thread(probe_all, lambda sts: [self._show_status(s) for s in sts], self._show_error, context=self)

    # -- actions ---------------------------------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_view.clear()

    def _show_ok(self, title: str, result) -> None:
        self.last_result, self.last_error = result, None
        summary = getattr(result, "summary", None)
        self.result_label.setText(summary() if callable(summary) else title)
        data = result.to_dict() if hasattr(result, "to_dict") else result
        self.result_view.setPlainText(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def _show_error(self, exc: BaseException) -> None:
        self.last_error = exc
        self.result_label.setText(getattr(exc, "user_message", None) or self.tr("操作失败：{0}").format(exc))
        self.result_view.setPlainText(getattr(exc, "detail", "") or repr(exc))

    def _device(self, kind: DeviceKind, method: str):
        dev = self.manager.devices[kind]
        if not hasattr(dev, method):
            self._show_error(RuntimeError(self.tr("{0}未配置").format(KIND_LABELS[kind])))
            return None
        return dev

    @Slot()
    def read_sscard(self) -> None:
        dev = self._device(DeviceKind.sscard, "read_card")
        if dev:
            self._busy(self.tr("正在读社保卡…"))
            run_in_thread(dev.read_card, lambda r: self._show_ok(self.tr("社保卡"), r), self._show_error, context=self)

    @Slot()
    def read_idcard(self) -> None:
        dev = self._device(DeviceKind.idcard, "read")
        if dev:
            self._busy(self.tr("正在读身份证…"))

            def done(record) -> None:
                self._last_id_number = record.id_number
                self._show_ok(self.tr("身份证"), record)
            run_in_thread(dev.read, done, self._show_error, context=self)

    @Slot()
    def take_photo(self) -> None:
        dev = self._device(DeviceKind.camera, "capture_page")
        if dev:
            self._busy(self.tr("正在拍照…"))
            path = self.out_dir / "test-page.jpg"
            run_in_thread(lambda: dev.capture_page(path, deskew=True, qr=True),
                          lambda r: self._show_ok(self.tr("已保存 {0}").format(r.path), r), self._show_error, context=self)

    @Slot()
    def take_card_photo(self) -> None:
        dev = self._device(DeviceKind.camera, "capture_card_photo")
        if dev:
            self._busy(self.tr("正在拍证件照…"))
            number = self._last_id_number or TEST_ID_NUMBER
            run_in_thread(lambda: dev.capture_card_photo(self.out_dir, number),
                          lambda r: self._show_ok(self.tr("已保存 {0}").format(r.path), r), self._show_error, context=self)

    @Slot()
    def print_test(self) -> None:
        dev = self._device(DeviceKind.receipt_printer, "print_test")
        if dev:
            self._busy(self.tr("正在打印测试单…"))
            run_in_thread(dev.print_test, lambda r: self._show_ok(self.tr("测试单已打印"), r), self._show_error,
                          context=self)

    @Slot(bool)
    def set_preview(self, on: bool) -> None:
        cam = self.manager.devices[DeviceKind.camera]
        if on and hasattr(cam, "add_frame_listener"):
            self.preview.start(cam)
        else:
            self.preview.stop()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.preview.stop()
        self.signals.detach()
        super().closeEvent(event)
