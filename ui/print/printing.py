"""Printing rendered page images to a system printer through Qt (QPrinter + QPainter), and the journal entry of
each print. QPainter may paint on a QPrinter from a worker thread, so a print job never blocks the counter screen.

A print is only allowed for a case already committed to the local store (the PDF is one of the case's documents and
goes into its archive package); every print is journalled with who, what, when, how many copies and which printer."""
from __future__ import annotations

import inspect
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.cases.journal import record_print
from app.errors import YichuangError
from ui.print.pages import PRINT_DPI, page_count, poppler_tool, render_pages

log = logging.getLogger(__name__)

_translate = QCoreApplication.translate  # lupdate reads _translate("Print", "…")
# A pseudo-printer: Qt writes the pages into a PDF file. Shown (and chosen) as pdf_printer(), its translation.
PDF_PRINTER = QT_TRANSLATE_NOOP("Print", "PDF 文件（无打印机时）")


def pdf_printer() -> str:
    return _translate("Print", PDF_PRINTER)


class PrintError(YichuangError):
    code = "print_failed"


def printer_names() -> tuple[list[str], str]:
    """(system printers, the default one or ""); call on the GUI thread."""
    names = [p.printerName() for p in QPrinterInfo.availablePrinters()]
    default = QPrinterInfo.defaultPrinter().printerName() if names else ""
    return names, default


@dataclass(frozen=True)
class PrintJob:
    """Everything the worker needs (no widgets)."""

    case_id: str
    document: str            # e.g. 受理回执
    pdf: Path
    printer: str             # a system printer name, or PDF_PRINTER
    copies: int
    operator_id: str
    terminal_id: str
    pdf_output: Path | None = None  # for PDF_PRINTER


@dataclass(frozen=True)
class PrintDone:
    printer: str
    copies: int
    pages: int
    output: Path | None


def case_committed(store, case_id: str) -> bool:
    from app.store.models import Case

    with store.session() as s:
        return s.get(Case, case_id) is not None


def keep_in_documents(pdf: Path, documents_dir: Path, case_no: str) -> Path:
    """The PDF that is printed must be one of the case's documents (it goes into the archive package at 办结):
    a file from elsewhere is copied into the documents folder as “<受理编号>-<name>”."""
    pdf = Path(pdf)
    documents_dir = Path(documents_dir)
    if pdf.parent.resolve() == documents_dir.resolve():
        return pdf
    documents_dir.mkdir(parents=True, exist_ok=True)
    name = pdf.name if pdf.name.startswith(f"{case_no}-") else f"{case_no}-{pdf.name}"
    target = documents_dir / name
    shutil.copy2(pdf, target)
    return target


def journal_print(store, job: PrintJob) -> None:
    """record_print with the printer's name: passed as `printer` once the journal takes it; until then it is kept
    in the journal's document text (“受理回执（打印机：HP LaserJet）”), so no print is journalled without it."""
    kwargs = dict(case_id=job.case_id, path=str(job.pdf), operator_id=job.operator_id, terminal_id=job.terminal_id,
                  copies=job.copies)
    if "printer" in inspect.signature(record_print).parameters:
        record_print(store, document=job.document, printer=job.printer, **kwargs)
    else:
        # journal data (not UI text): stays Chinese whatever the display language
        record_print(store, document=job.document + "（打印机：" + job.printer + "）", **kwargs)


def _printer(job: PrintJob) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if job.printer in (PDF_PRINTER, pdf_printer()):
        if job.pdf_output is None:
            raise PrintError(_translate("Print", "请选择 PDF 文件的保存位置。"), "PDF printer without output path")
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(job.pdf_output))
    else:
        printer.setPrinterName(job.printer)
        if not printer.isValid():
            raise PrintError(_translate("Print", "打印机“{0}”不可用，请检查打印机或选择其他打印机。").format(job.printer),
                             f"QPrinter invalid for {job.printer!r}")
    printer.setDocName(f"{job.document} {job.pdf.stem}")
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)  # the PDF carries its own margins: map the page image to the whole sheet
    printer.setCopyCount(1)    # copies are painted (collated), whatever the driver does with copy counts
    return printer


def run_print_job(store, job: PrintJob) -> PrintDone:
    """Worker thread: check the case is committed, render at print resolution, paint every copy, journal it."""
    if not 1 <= job.copies <= 99:
        raise PrintError(_translate("Print", "份数应在 1 到 99 之间。"), f"copies {job.copies}")
    if not case_committed(store, job.case_id):
        raise PrintError(_translate("Print", "业务尚未保存，不能打印。请先完成受理保存。"), f"print before commit: case {job.case_id}")
    if job.printer in (PDF_PRINTER, pdf_printer()):
        saved = _save_pdf_copies(job)
        if saved is not None:
            journal_print(store, job)
            log.info("saved %s of case %s as PDF: %d copies × %d pages", job.document, job.case_id, job.copies, saved)
            return PrintDone(job.printer, job.copies, saved, job.pdf_output)
    pages = render_pages(job.pdf, PRINT_DPI, gray=True)
    try:
        printer = _printer(job)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError(_translate("Print", "无法连接打印机“{0}”，请检查打印机是否开机、联网。").format(job.printer),
                             f"QPainter.begin failed for {job.printer!r}")
        try:
            first = True
            for _copy in range(job.copies):
                for image_path in pages.images:
                    image = QImage(str(image_path))
                    if image.isNull():
                        raise PrintError(_translate("Print", "文书页面读取失败，请重试。"), f"unreadable page image {image_path}")
                    if not first and not printer.newPage():
                        raise PrintError(_translate("Print", "打印机拒绝了下一页，请检查打印机。"), "QPrinter.newPage failed")
                    first = False
                    area = printer.paperRect(QPrinter.Unit.DevicePixel)
                    target = QRectF(0, 0, area.width(), area.height())
                    painter.drawImage(_fit(target, QSizeF(image.size())), image)
        finally:
            painter.end()
    finally:
        pages.cleanup()
    journal_print(store, job)
    log.info("printed %s of case %s: %d copies × %d pages on %s", job.document, job.case_id, job.copies,
             len(pages.images), job.printer)
    return PrintDone(job.printer, job.copies, len(pages.images), job.pdf_output)


def _save_pdf_copies(job: PrintJob) -> int | None:
    """The PDF pseudo-printer without painting (issue 13): the document itself, its copies collated by poppler's
    pdfunite in a child process. Painting 300 dpi page images through QPainter holds Python's lock for ~200 ms per
    page, which froze the counter screen; this takes a few ms and keeps the text as text. Returns the page count, or
    None when pdfinfo/pdfunite are missing (then the pages are painted as for a real printer)."""
    if job.pdf_output is None:
        raise PrintError(_translate("Print", "请选择 PDF 文件的保存位置。"), "PDF printer without output path")
    unite, pages = poppler_tool("pdfunite"), page_count(job.pdf)
    if unite is None or not pages:
        return None
    output = Path(job.pdf_output)
    from app.security.sealed_docs import plain_copy  # issue 11 hook: the operator's chosen file gets the plain PDF

    try:
        with plain_copy(job.pdf) as source:
            if job.copies == 1:
                shutil.copyfile(source, output)
            else:
                done = subprocess.run([unite, *[str(source)] * job.copies, str(output)], capture_output=True,
                                      timeout=60)
                if done.returncode != 0:
                    raise PrintError(_translate("Print", "PDF 文件保存失败，请检查保存位置后重试。"),
                                     f"pdfunite exit {done.returncode}: {done.stderr.decode(errors='replace')[:300]}")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(_translate("Print", "PDF 文件保存失败，请检查保存位置后重试。"), f"PDF copy: {exc!r}") from exc
    return pages


def _fit(area: QRectF, size: QSizeF) -> QRectF:
    """The page image scaled into the sheet, aspect kept, centred."""
    scale = min(area.width() / size.width(), area.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
