"""The paper for each 受理 outcome (回执, 一次性告知书, 不予受理通知书) and the worker job storing scans and the PDF."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication

from app.cases.service import IntakeOutcome, IntakeResult, MaterialState
from app.clock import utcnow
from app.docs.notices import (CORRECTION_TITLE, REFUSAL_TITLE, CorrectionNotice, RefusalNotice,
                              correction_materials, refusal_reasons, render_correction_notice, render_refusal_notice)
from app.docs.receipt import TITLE as RECEIPT_TITLE
from app.docs.receipt import render_acceptance_receipt
from ui.business.materials import PendingScan
from ui.business.receipt import build_receipt, citation_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentJob:
    """Everything the worker needs: no widgets, only data."""

    title: str
    case_id: str
    target: Path
    render: Callable[[Path], Path]
    scans: tuple[PendingScan, ...] = ()


@dataclass(frozen=True)
class DocumentDone:
    path: Path
    scans_stored: int
    scan_errors: tuple[str, ...]


def _target(runtime, case_no: str, title: str) -> Path:
    return runtime.paths.documents_dir / f"{case_no}-{title}.pdf"


def _operator(runtime, session) -> dict:
    t = runtime.settings.terminal
    return dict(agency_name=t.agency_name, agency_code=t.agency_code, operator_id=session.operator_id,
                operator_name=session.name, terminal_id=t.terminal_id)


def promised_day(case) -> date | None:
    return date.fromisoformat(case.promised_due) if getattr(case, "promised_due", None) else None


def receipt_job(runtime, session, item, case, promised: date | None, scans=(), accepted_at=None) -> DocumentJob:
    receipt = build_receipt(runtime, session, item, case, promised, accepted_at)
    return DocumentJob(RECEIPT_TITLE, case.case_id, _target(runtime, case.case_no, RECEIPT_TITLE),
                       partial(render_acceptance_receipt, receipt), tuple(scans))


def correction_job(runtime, session, result: IntakeResult, scans=()) -> DocumentJob:
    case, item = result.case, result.item
    states = case.payload.get("materials", {})
    provided = {code: s in (MaterialState.present.value, MaterialState.waived.value) for code, s in states.items()}
    missing, _ = correction_materials(item, case.form, provided)
    present = MaterialState.present.value
    received = tuple((m.name, m.form.value) for m in item.materials if states.get(m.code) == present)
    notice = CorrectionNotice(
        case_no=case.case_no, case_id=case.case_id, item_name=item.name, item_citation=citation_text(item),
        applicant_name=case.applicant_name, applicant_id_number=case.applicant_ssn, notified_at=case.created_at,
        missing=missing, received=received, **_operator(runtime, session),
        deadline_text=QCoreApplication.translate(
            "Documents", "本业务已转为待补正，补正期间不计入办理时限；补齐材料之日起继续计算。"))
    return DocumentJob(CORRECTION_TITLE, case.case_id, _target(runtime, case.case_no, CORRECTION_TITLE),
                       partial(render_correction_notice, notice), tuple(scans))


def refusal_job(runtime, session, result: IntakeResult, scans=()) -> DocumentJob:
    case, item = result.case, result.item
    basis = refusal_reasons(item, [r.condition for r in result.reasons])
    reasons = tuple((f"{text}（{r.reason}）" if r.reason else text, citation)
                    for (text, citation), r in zip(basis, result.reasons))
    notice = RefusalNotice(
        case_no=case.case_no, case_id=case.case_id, item_name=item.name, item_citation=citation_text(item),
        applicant_name=case.applicant_name, applicant_id_number=case.applicant_ssn, decided_at=utcnow(),
        reasons=reasons, **_operator(runtime, session))
    return DocumentJob(REFUSAL_TITLE, case.case_id, _target(runtime, case.case_no, REFUSAL_TITLE),
                       partial(render_refusal_notice, notice), tuple(scans))


def job_for(runtime, session, result: IntakeResult, scans=()) -> DocumentJob:
    if result.outcome is IntakeOutcome.accepted:
        return receipt_job(runtime, session, result.item, result.case,
                           result.deadline.due if result.deadline else None, scans)
    if result.outcome is IntakeOutcome.correction:
        return correction_job(runtime, session, result, scans)
    return refusal_job(runtime, session, result, scans)


def run_document_job(runtime, job: DocumentJob) -> DocumentDone:
    """Worker thread: store the scans under the now existing case, then write the PDF and record its path."""
    stored, errors = 0, []
    if job.scans and runtime.attachments is None:
        errors.append(QCoreApplication.translate("Documents", "本机未配置扫描件存储"))
    for scan in job.scans if runtime.attachments is not None else ():
        try:
            runtime.attachments.add(job.case_id, scan.material_code, scan.data, scan.mime_type, scan.file_name)
            stored += 1
        except Exception as exc:  # one unreadable scan must not cost the applicant the paper
            log.error("scan %s of case %s not stored: %r", scan.file_name, job.case_id, exc)
            errors.append(getattr(exc, "user_message", None) or scan.file_name)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    path = job.render(job.target)
    runtime.cases.set_document(job.case_id, str(path))
    return DocumentDone(Path(path), stored, tuple(errors))
