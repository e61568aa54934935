"""Turns an accepted case into the 受理回执 data; the PDF itself is written on a worker (ui.business.documents)."""
from __future__ import annotations

from datetime import date, datetime

from app.cases.service import MaterialState
from app.catalog import ServiceItem
from app.catalog.model import FieldType
from app.docs.receipt import AcceptanceReceipt
from app.ids import mask_id_number

# Seed documents the catalog cites by number; the applicant should read a title, not "004".
_GUIDE_TITLES = {"004": "内蒙古自治区社会保险经办服务标准化指南"}


def citation_text(item: ServiceItem) -> str:
    title = _GUIDE_TITLES.get(item.source.file)
    return f"《{title}》{item.source}" if title else str(item.source)


def summary_fields(item: ServiceItem, form: dict) -> tuple[tuple[str, str], ...]:
    summary = []
    for spec in item.fields:
        value = str(form.get(spec.key) or "").strip()
        if not value:
            continue
        if spec.type is FieldType.id_number:
            value = mask_id_number(value)  # the paper leaves the counter: never print a full ID number
        summary.append((spec.label, value))
    return tuple(summary)


def material_lines(item: ServiceItem, states: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(name, status) of what the case holds: received papers, promises (告知承诺) and data-shared ones."""
    out = []
    for m in item.materials:
        state = states.get(m.code)
        if state == MaterialState.present.value:
            out.append((m.name, "已收取" + m.form.value))
        elif state == MaterialState.waived.value:
            out.append((m.name, "告知承诺"))
        elif state == MaterialState.shared.value:
            out.append((m.name, "信息共享获取"))
    return tuple(out)


def build_receipt(runtime, session, item: ServiceItem, case, promised_date: date | None,
                  accepted_at: datetime | None = None) -> AcceptanceReceipt:
    """`case` is the CaseView after 受理 (or 补正后继续, then `accepted_at` is now); its payload holds the cleaned
    form and the material states."""
    payload = case.payload or {}
    terminal = runtime.settings.terminal
    return AcceptanceReceipt(
        agency_name=terminal.agency_name, agency_code=terminal.agency_code, case_no=case.case_no,
        case_id=case.case_id, item_name=item.name, item_citation=citation_text(item),
        applicant_name=case.applicant_name, applicant_id_number=case.applicant_ssn,
        accepted_at=accepted_at or case.created_at,
        operator_id=session.operator_id, operator_name=session.name, terminal_id=terminal.terminal_id,
        promised_time_limit=item.time_limit_promised.label(),
        materials=material_lines(item, payload.get("materials", {})),
        summary_fields=summary_fields(item, payload.get("form", {})), status_text=case.status_label,
        promised_date=promised_date)
