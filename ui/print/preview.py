"""打印预览: the pages of a case document as images, the printer and the number of copies, and 打印.

Rendering (pdftoppm) and printing (QPrinter) run on worker threads; the dialog only shows results. Printing is
refused for a case not yet committed locally, and each print is journalled (app.cases.journal.record_print) with the
operator, terminal, document, copies and printer.

Open it with `open_print_preview(runtime, session, case_id=…, case_no=…, document=…, pdf=…, parent=…)`."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from ui.bridge import run_in_thread
from ui.print.pages import PREVIEW_DPI, RenderedPages, render_pages
from ui.print.printing import PrintDone, PrintJob, keep_in_documents, pdf_printer, printer_names, run_print_job
from ui.style import ERROR, SUCCESS, WARN

log = logging.getLogger(__name__)


class PrintPreviewDialog(QDialog):
    printed = Signal(object)  # PrintDone

    def __init__(self, runtime, session, *, case_id: str, case_no: str, document: str, pdf: Path | str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.session = runtime, session
        self.case_id, self.case_no, self.document = case_id, case_no, document
        self.pdf = keep_in_documents(Path(pdf), runtime.paths.documents_dir, case_no)
        self.pdf_output: Path | None = None  # where the PDF pseudo-printer writes (asked when printing)
        self.page_labels: list[QLabel] = []
        self.last_done: PrintDone | None = None
        self.busy = False
        self.setWindowTitle(self.tr("打印预览 — {0}").format(document))
        self.resize(980, 760)

        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(14)
        self.loading = QLabel(self.tr("正在生成预览…"))
        self.pages_layout.addWidget(self.loading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages_box)
        scroll.setStyleSheet("QScrollArea { background: #e6e8eb; } QWidget#pages { background: #e6e8eb; }")
        self.pages_box.setObjectName("pages")
        self.scroll = scroll

        self.heading = QLabel(f"<b>{document}</b><br>{self.tr('受理编号：{0}').format(case_no)}")
        self.page_count = QLabel("")
        self.printer_box = QComboBox()
        names, default = printer_names()
        self.printer_box.addItems(names + [pdf_printer()])
        if default:
            self.printer_box.setCurrentText(default)
        self.copies = QSpinBox()
        self.copies.setRange(1, 20)
        self.copies.setValue(1)
        self.copies.setSuffix(self.tr(" 份"))
        self.print_button = QPushButton(self.tr("打印 (Ctrl+P)"))
        self.print_button.setDefault(True)
        self.print_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("关闭"))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        if not names:
            self._say(self.tr("本机未安装打印机，可选择“{0}”另存。").format(pdf_printer()), WARN)

        form = QFormLayout()
        form.addRow(self.tr("打印机"), self.printer_box)
        form.addRow(self.tr("份数"), self.copies)
        side = QVBoxLayout()
        side.addWidget(self.heading)
        side.addWidget(self.page_count)
        side.addSpacing(8)
        side.addLayout(form)
        side.addWidget(self.print_button)
        side.addWidget(self.close_button)
        side.addWidget(self.message)
        side.addStretch(1)
        panel = QFrame()
        panel.setLayout(side)
        panel.setFixedWidth(280)
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(panel)

        self.print_button.clicked.connect(self.start_print)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.start_print)
        pdf = self.pdf
        run_in_thread(lambda: _preview_images(pdf), self._pages_ready, self._preview_failed, context=self)

    # -- preview --------------------------------------------------------------------------------------------------
    def _pages_ready(self, images: list[QImage]) -> None:
        self.loading.hide()
        for image in images:  # decoded on the worker: only the cheap conversion to a pixmap happens here
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #b8bec6;")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.page_count.setText(self.tr("共 {0} 页").format(len(self.page_labels)))
        self.print_button.setEnabled(True)
        self.print_button.setFocus()

    def _preview_failed(self, exc: BaseException) -> None:
        self.loading.setText(self.tr("预览失败"))
        self._say(getattr(exc, "user_message", None) or self.tr("预览失败：{0}").format(exc), ERROR)

    # -- printing -------------------------------------------------------------------------------------------------
    def start_print(self) -> None:
        if self.busy or not self.page_labels:
            return
        printer = self.printer_box.currentText()
        if printer == pdf_printer() and self.pdf_output is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("保存为 PDF"), str(self.pdf.with_suffix(
                ".copy.pdf")), "PDF (*.pdf)")
            if not chosen:
                return
            self.pdf_output = Path(chosen)
        terminal = self.runtime.settings.terminal.terminal_id
        job = PrintJob(case_id=self.case_id, document=self.document, pdf=self.pdf, printer=printer,
                       copies=self.copies.value(), operator_id=self.session.operator_id, terminal_id=terminal,
                       pdf_output=self.pdf_output)
        self.busy = True
        self.print_button.setEnabled(False)
        self._say(self.tr("正在打印…"), "")
        store = self.runtime.store
        run_in_thread(lambda: run_print_job(store, job), self._printed, self._print_failed, context=self)

    def _printed(self, done: PrintDone) -> None:
        self.busy = False
        self.last_done = done
        self.print_button.setEnabled(True)
        self._say(self.tr("已发送打印：{0} 份 × {1} 页（{2}）").format(done.copies, done.pages, done.printer), SUCCESS)
        self.printed.emit(done)

    def _print_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.print_button.setEnabled(True)
        self._say(getattr(exc, "user_message", None) or self.tr("打印失败：{0}").format(exc), ERROR)

    def _say(self, text: str, color: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {color};" if color else "")


def _preview_images(pdf: Path) -> list[QImage]:
    """Worker thread: the pages at preview resolution, decoded (a QImage may be made off the GUI thread; a QPixmap
    may not). Issue 13: decoding the PNGs on the GUI thread took 10–30 ms per page."""
    pages: RenderedPages = render_pages(pdf, PREVIEW_DPI)
    try:
        return [QImage(str(image)) for image in pages.images]
    finally:
        pages.cleanup()


def open_print_preview(runtime, session, *, case_id: str, case_no: str, document: str, pdf: Path | str,
                       parent: QWidget | None = None) -> PrintPreviewDialog:
    """Show the preview (non-modal, so the counter keeps working) and return it."""
    dialog = PrintPreviewDialog(runtime, session, case_id=case_id, case_no=case_no, document=document, pdf=pdf,
                                parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
