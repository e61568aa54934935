"""A4 output of the kiosk: a PDF handed to the terminal's A4 printer, then deleted (nothing of a person stays on the
kiosk's disk). The simulated A4 printer only counts what it was given.

Blocking: call `print_pdf` off the GUI thread."""
from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import YichuangError
from PySide6.QtCore import QCoreApplication

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

log = logging.getLogger(__name__)


class KioskPrintError(YichuangError):
    code = "kiosk_print"


@dataclass
class A4Output:
    backend: str  # sim / real / none
    jobs: list[dict] = field(default_factory=list)  # sim: what was printed (name, bytes), never the content

    @classmethod
    def for_runtime(cls, runtime) -> "A4Output":
        from devices.base import DeviceKind

        return cls(runtime.devices.get(DeviceKind.a4_printer).backend)

    def print_pdf(self, pdf: Path, doc_name: str) -> int:
        """Print and return the number of bytes handed over. Raises KioskPrintError (Chinese message)."""
        pdf = Path(pdf)
        size = pdf.stat().st_size
        if self.backend == "sim":
            self.jobs.append({"document": doc_name, "bytes": size})
            return size
        if self.backend != "real":
            raise KioskPrintError(_translate("A4Output", "本机未配置打印机，请到窗口办理。"), "a4 printer not configured")
        lp = shutil.which("lp")
        if lp and sys.platform != "win32":
            done = subprocess.run([lp, "-o", "media=A4", "-o", "fit-to-page", "-t", doc_name, str(pdf)],
                                  capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                raise KioskPrintError(_translate("A4Output", "打印失败，请到窗口办理。"), f"lp: {done.stderr.strip()}")
            return size
        return self._print_with_qt(pdf, doc_name, size)

    @staticmethod
    def _print_with_qt(pdf: Path, doc_name: str, size: int) -> int:  # Windows: the default printer through Qt
        from PySide6.QtCore import QMarginsF, QRectF
        from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        from ui.print.pages import PRINT_DPI, render_pages

        default = QPrinterInfo.defaultPrinter()
        if default.isNull():
            raise KioskPrintError(_translate("A4Output", "打印机暂停服务，请到窗口办理。"), "no default printer")
        pages = render_pages(pdf, PRINT_DPI, gray=True)
        try:
            printer = QPrinter(default, QPrinter.PrinterMode.HighResolution)
            printer.setDocName(doc_name)
            printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                              QMarginsF(0, 0, 0, 0)))
            printer.setFullPage(True)
            painter = QPainter()
            if not painter.begin(printer):
                raise KioskPrintError(_translate("A4Output", "打印机暂停服务，请到窗口办理。"), "QPainter.begin failed")
            try:
                for n, image_path in enumerate(pages.images):
                    if n:
                        printer.newPage()
                    image = QImage(str(image_path))
                    area = printer.paperRect(QPrinter.Unit.DevicePixel)
                    scale = min(area.width() / image.width(), area.height() / image.height())
                    w, h = image.width() * scale, image.height() * scale
                    painter.drawImage(QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h), image)
            finally:
                painter.end()
        finally:
            pages.cleanup()
        return size
