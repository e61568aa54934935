"""Export of personal data (a case list with 公民身份号码 and names) to a file outside the encrypted store: only for
roles whose permission matrix has `export` (000 §39 不得违法向他人泄露), always audited (who, how many rows, which
file, its SHA-256 — never the data), the file name sanitised, and cells that a spreadsheet would run as formulas
neutralised."""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from sqlalchemy import select

from app.clock import as_utc, format_local, utcnow
from app.errors import YichuangError
from app.security.audit import append_audit
from app.security.filenames import safe_file_name
from app.security.permissions import Perm, authorize, mask_for
from app.store import Store
from app.store.models import Case

log = logging.getLogger(__name__)
HEADER = ["受理编号", "事项编码", "事项名称", "申请人", "公民身份号码", "状态", "受理时间"]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    sha256: str


def _cell(value: str) -> str:
    # CSV injection: a cell starting with = + - @ (or a tab/CR) would be a formula in a spreadsheet
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_cases(store: Store, *, roles: Iterable[str], operator_id: str, terminal_id: str, directory: Path,
                 file_name: str, since: datetime | None = None, until: datetime | None = None,
                 item_code: str | None = None) -> ExportResult:
    """Write the cases taken in between `since` and `until` (optionally of one item) as CSV (UTF-8 with BOM, so the
    office spreadsheet opens it). Raises PermissionDenied for roles without `export` (the attempt is audited)."""
    roles = tuple(roles)
    authorize(store, roles=roles, action=Perm.export, operator_id=operator_id, terminal_id=terminal_id,
              object_type="export", object_id="cases")
    name = safe_file_name(file_name, default="业务导出")
    if not name.lower().endswith(".csv"):
        name += ".csv"
    directory = Path(directory)
    target = directory / name
    if target.resolve().parent != directory.resolve():
        raise YichuangError("导出文件名无效。", "export target escapes the directory")
    query = select(Case).order_by(Case.created_at)
    if since is not None:
        query = query.where(Case.created_at >= since)
    if until is not None:
        query = query.where(Case.created_at < until)
    if item_code is not None:
        query = query.where(Case.item_code == item_code)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    rows = 0
    with store.session() as s:
        for case in s.scalars(query):
            shown = mask_for(roles, ssn=case.applicant_ssn)
            writer.writerow([_cell(str(v)) for v in (case.case_no, case.item_code, case.item_name,
                                                        case.applicant_name, shown["ssn"], case.status,
                                                        format_local(as_utc(case.created_at)))])
            rows += 1
    data = ("\ufeff" + buf.getvalue()).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise YichuangError(f"无法写入导出文件：{exc.strerror}", f"export write failed: {exc!r}") from None
    with store.session() as s:
        append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=terminal_id, action="personal_data.export",
                     object_type="export", object_id="cases",
                     detail={"file": name, "rows": rows, "sha256": digest, "item_code": item_code})
    log.info("personal data exported: %s rows to %s by %s", rows, name, operator_id)
    return ExportResult(target, rows, digest)
