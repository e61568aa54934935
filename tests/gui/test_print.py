"""Print preview and printing: pages rendered off the GUI thread, printed through Qt (to a PDF file here, there is no
printer in CI), every print journalled with its printer; refused before the case is committed."""
from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.docs.receipt import AcceptanceReceipt, render_acceptance_receipt
from app.store.models import AuditRecord
from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form
from tests.gui.helpers import ITEM

pytestmark = pytest.mark.gui


def _receipt_pdf(folder: Path, case, materials: int = 3) -> Path:
    receipt = AcceptanceReceipt(
        agency_name="呼和浩特市新城区社会保险事业管理局", agency_code="150102001", case_no=case.case_no,
        case_id=case.case_id, item_name=case.item_name, item_citation="004:L1604", applicant_name=case.applicant_name,
        applicant_id_number=case.applicant_ssn, accepted_at=datetime(2026, 11, 25, 6, 3, tzinfo=timezone.utc),
        operator_id="demo", operator_name="演示柜员", terminal_id="T01", promised_time_limit="即时办结",
        materials=tuple((f"材料{n}", "已收取原件") for n in range(materials)), summary_fields=(),
        status_text="已受理")
    folder.mkdir(parents=True, exist_ok=True)
    return render_acceptance_receipt(receipt, folder / f"{case.case_no}-受理回执.pdf")


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def _prints(runtime) -> list[AuditRecord]:
    with runtime.store.session() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == "document.print")))


@pytest.fixture
def case(runtime):
    return runtime.cases.accept(ITEM, applicant_form(), ALL_MATERIALS, ACTOR)


def test_preview_and_print_two_copies(qtbot, runtime, session, case, tmp_path) -> None:
    from ui.print.preview import PrintPreviewDialog
    from ui.print.printing import PDF_PRINTER

    pdf = _receipt_pdf(runtime.paths.documents_dir, case, materials=60)
    pages = _pages(pdf)
    assert pages >= 2
    dialog = PrintPreviewDialog(runtime, session, case_id=case.case_id, case_no=case.case_no, document="受理回执",
                                pdf=pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.page_labels) == pages, timeout=20000)
    assert dialog.page_count.text() == f"共 {pages} 页"
    assert dialog.print_button.isEnabled()
    first = dialog.page_labels[0].pixmap()
    assert first.width() > 500 and first.height() > first.width()  # an A4 page, upright

    dialog.printer_box.setCurrentText(PDF_PRINTER)
    dialog.copies.setValue(2)
    dialog.pdf_output = tmp_path / "printed.pdf"
    with qtbot.waitSignal(dialog.printed, timeout=60000) as signal:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    done = signal.args[0]
    assert (done.copies, done.pages, done.printer) == (2, pages, PDF_PRINTER)
    assert _pages(tmp_path / "printed.pdf") == 2 * pages  # two collated copies
    assert "已发送打印" in dialog.message.text()

    (entry,) = _prints(runtime)
    assert entry.object_id == case.case_id and entry.operator_id == "demo"
    assert entry.detail["copies"] == 2
    assert PDF_PRINTER in str(entry.detail.get("printer", "")) + entry.detail["document"]
    assert entry.detail["document"].startswith("受理回执")
    assert entry.detail["file"] == pdf.name


def test_print_refused_before_commit(qtbot, runtime, session, case, tmp_path) -> None:
    from ui.print.printing import PDF_PRINTER, PrintError, PrintJob, run_print_job

    pdf = _receipt_pdf(tmp_path, case)
    job = PrintJob(case_id="00000000-0000-4000-8000-000000000000", document="受理回执", pdf=pdf, printer=PDF_PRINTER,
                   copies=1, operator_id="demo", terminal_id="T01", pdf_output=tmp_path / "never.pdf")
    from app.store import thread_guard

    with pytest.raises(PrintError) as caught, thread_guard.allowed():  # the worker's function, called directly
        run_print_job(runtime.store, job)
    assert "尚未保存" in caught.value.user_message
    assert not (tmp_path / "never.pdf").exists()
    assert _prints(runtime) == []


def test_document_from_elsewhere_is_kept_with_the_case(qtbot, runtime, session, case, tmp_path) -> None:
    from ui.print.preview import PrintPreviewDialog

    outside = _receipt_pdf(tmp_path / "elsewhere", case)
    outside = outside.rename(outside.with_name("回执.pdf"))
    dialog = PrintPreviewDialog(runtime, session, case_id=case.case_id, case_no=case.case_no, document="受理回执",
                                pdf=outside)
    qtbot.addWidget(dialog)
    assert dialog.pdf.parent == runtime.paths.documents_dir
    assert dialog.pdf.name == f"{case.case_no}-回执.pdf" and dialog.pdf.read_bytes() == outside.read_bytes()
    qtbot.waitUntil(lambda: len(dialog.page_labels) == 1, timeout=20000)


def test_broken_pdf_reports_in_chinese(qtbot, runtime, session, case) -> None:
    from ui.print.preview import PrintPreviewDialog

    runtime.paths.documents_dir.mkdir(parents=True, exist_ok=True)
    broken = runtime.paths.documents_dir / f"{case.case_no}-坏文件.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    dialog = PrintPreviewDialog(runtime, session, case_id=case.case_id, case_no=case.case_no, document="受理回执",
                                pdf=broken)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loading.text() == "预览失败", timeout=20000)
    assert "无法打开" in dialog.message.text()
    assert not dialog.print_button.isEnabled()
