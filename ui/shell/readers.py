"""Reading the applicant from the 社保卡 (F2, or on insert) and the ID card (F3) into the open business screen:
the readers work on device threads, DeviceSignals brings the records to the GUI thread, the form is filled without
overwriting what the clerk typed, and the central person look-up follows."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QKeySequence, QShortcut

from ui.bridge import run_in_thread
from ui.business.fields import field_value, set_field_value

log = logging.getLogger(__name__)


_translate = QCoreApplication.translate  # lupdate reads _translate("CardReaders", "…")


class CardReaders(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.signals = None
        self.last_record = None
        try:
            from ui.devices.signals import DeviceSignals

            self.signals = DeviceSignals(window.runtime.devices, parent=self)
        except Exception:  # a terminal without working drivers still serves by manual entry
            log.exception("device signals unavailable")
        if self.signals is not None:
            self.signals.sscard_read.connect(self.apply)
            self.signals.idcard_read.connect(self.apply)
            self.signals.sscard_failed.connect(self.show_error)
            self.signals.idcard_failed.connect(self.show_error)
        for key, slot in (("F2", self.read_sscard), ("F3", self.read_idcard)):
            QShortcut(QKeySequence(key), window).activated.connect(slot)

    def detach(self) -> None:
        """Stop device events before the window goes away (called from its closeEvent)."""
        if self.signals is not None:
            self.signals.detach()

    def _device(self, name: str):
        return getattr(self.window.runtime.devices, name, None)

    def read_sscard(self) -> None:
        dev = self._device("sscard")
        if dev is None or not hasattr(dev, "read_card"):
            self.show_message(_translate("CardReaders", "未配置社保卡读卡器"))
            return
        self.show_message(_translate("CardReaders", "正在读社保卡…"))
        run_in_thread(dev.read_card, self.apply, self.show_error, context=self)

    def read_idcard(self) -> None:
        dev = self._device("idcard")
        if dev is None or not hasattr(dev, "read"):
            self.show_message(_translate("CardReaders", "未配置身份证阅读器"))
            return
        self.show_message(_translate("CardReaders", "正在读身份证…"))
        run_in_thread(dev.read, self.apply, self.show_error, context=self)

    def apply(self, record) -> None:
        """Fill the current unsaved business screen from a card record (never over typed values)."""
        self.last_record = record
        form = self.window.tabs.currentWidget()
        if form is None or not hasattr(form, "_fill") or getattr(form, "last_case", None) is not None:
            self.show_message(_translate("CardReaders", "已读卡：{0}。请先打开要办理的业务。").format(record.summary()))
            return
        values = record.form_values()
        id_widget = form.field_widgets.get(getattr(form, "id_key", "ssn"))
        if id_widget is not None and values.get("ssn") and not field_value(id_widget):
            set_field_value(id_widget, values["ssn"])  # the card identifies the applicant
        filled = form._fill(values)
        if hasattr(form, "lookup_person"):
            form.lookup_person(quiet=True)
        notes = list(getattr(record, "warnings", []) or []) + list(getattr(record, "problems", []) or [])
        if getattr(record, "withheld_reason", None):
            notes.append(record.withheld_reason)
        self.show_message(_translate("CardReaders", "已读卡：{0}，填入 {1} 项").format(record.summary(), filled)
                          + (self.tr("；") + self.tr("；").join(notes) if notes else ""))

    def show_error(self, exc) -> None:
        self.show_message(getattr(exc, "user_message", None) or _translate("CardReaders", "读卡失败：{0}").format(exc))

    def show_message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15000)
