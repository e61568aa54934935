"""Turns a saved case into the 受理回执 data and renders it; `render_receipt_job` runs on a worker thread."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.catalog import ServiceItem
from app.catalog.model import FieldType
from app.docs.receipt import AcceptanceReceipt, render_acceptance_receipt
from app.ids import mask_id_number

# Seed documents the catalog cites by number; the applicant should read a title, not "004".
_GUIDE_TITLES = {"004": "内蒙古自治区社会保险经办服务标准化指南"}



def citation_text(item: ServiceItem) -> str:
    title = _GUIDE_TITLES.get(item.source.file)
    return f"《{title}》{item.source}" if title else str(item.source)


def build_receipt(runtime, session, item: ServiceItem, case, materials: dict[str, bool]) -> AcceptanceReceipt:
    """`case` is the CaseView returned by CaseService.accept; its payload holds the cleaned form values."""
    form = (case.payload or {}).get("form", {})
    summary = []
    for spec in item.fields:
        value = str(form.get(spec.key) or "").strip()
        if not value:
            continue
        if spec.type is FieldType.id_number:
            value = mask_id_number(value)  # the paper leaves the counter: never print a full ID number
        summary.append((spec.label, value))
    collected = tuple((m.name, QCoreApplication.translate("Receipt", "已收取{0}").format(m.form.value))
                      for m in item.materials if materials.get(m.code))
    terminal = runtime.settings.terminal
    return AcceptanceReceipt(
        agency_name=terminal.agency_name, agency_code=terminal.agency_code, case_no=case.case_no,
        case_id=case.case_id, item_name=item.name, item_citation=citation_text(item),
        applicant_name=case.applicant_name, applicant_id_number=case.applicant_ssn, accepted_at=case.created_at,
        operator_id=session.operator_id, operator_name=session.name, terminal_id=terminal.terminal_id,
        promised_time_limit=item.time_limit_promised.label(), materials=collected, summary_fields=tuple(summary),
        status_text=case.status_label)


def receipt_path(runtime, case_no: str) -> Path:
    return runtime.paths.documents_dir / f"{case_no}-受理回执.pdf"


def render_receipt_job(runtime, receipt: AcceptanceReceipt, case_id: str) -> Path:
    """Worker thread: write the PDF, then record its path on the case."""
    target = receipt_path(runtime, receipt.case_no)
    target.parent.mkdir(parents=True, exist_ok=True)
    path = render_acceptance_receipt(receipt, target)
    runtime.cases.set_document(case_id, str(path))
    return path
