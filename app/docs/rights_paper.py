"""The 社会保险个人权益记录单 as a kiosk prints it from the centre's answer (server/rights.py RightsRecordOut): the
record of app.docs.certificates with the 城乡居民养老保险 years beside the employee months, the content its
verification code is bound to, and the PDF (render_rights_record, plus a resident section when the person has one).
Loaded on the first print only (ReportLab): app.docs.rights_source fetches and calls this."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.clock import local_today
from app.docs.certificates import (ContributionMonth, PensionAccountYear, RightsRecord, Verification,
                                   render_rights_record, rights_blocks, rights_content)


@dataclass(frozen=True)
class ResidentYear:
    """One year of 城乡居民养老保险 contributions (the person chooses a 缴费档次)."""

    year: int
    grade: int  # 元/年
    amount: Decimal
    paid_on: str  # YYYY-MM-DD


@dataclass(frozen=True)
class KioskRightsRecord(RightsRecord):
    """The 权益记录单 with the 城乡居民养老保险 years beside the employee months (the centre holds both)."""

    resident_status: str = ""
    resident_years: tuple[ResidentYear, ...] = ()

    def summary(self) -> list[tuple[str, str]]:
        out = super().summary()
        if self.resident_status:
            out.append(("居民养老缴费年数", str(len(self.resident_years))))  # 城乡居民养老保险
        return out


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0.00")


def record_from_json(data: dict, *, agency_name: str, agency_code: str, operator_id: str,
                     issued_on: date | None = None) -> KioskRightsRecord:
    """The centre's answer (server/rights.py RightsRecordOut) as the record the PDF is written from."""
    months = tuple(ContributionMonth(
        month=m["month"], unit_name=m["unit_name"], base=_dec(m["base"]),
        pension=(_dec(m["pension_unit"]), _dec(m["pension_personal"])),
        medical=(_dec(m["medical_unit"]), _dec(m["medical_personal"])),
        unemployment=(_dec(m["unemployment_unit"]), _dec(m["unemployment_personal"])),
        injury=_dec(m["injury"]), maternity=_dec(m["maternity"]), status=m["status"]) for m in data.get("months", []))
    accounts = tuple(PensionAccountYear(int(a["year"]), _dec(a["opening"]), _dec(a["credited"]), _dec(a["paid_out"]),
                                        _dec(a["interest"]), _dec(a["closing"])) for a in data.get("accounts", []))
    resident = data.get("resident") or {}
    return KioskRightsRecord(
        agency_name=agency_name, agency_code=agency_code, name=data["name"], ssn=data["ssn"],
        unit_name=data.get("unit_name") or "—", period_from=data["period_from"], period_to=data["period_to"],
        issued_on=issued_on or local_today(),
        first_enrolled=tuple((f["scheme"], f["since"]) for f in data.get("first_enrolled", [])),
        months=months, accounts=accounts,
        pension_monthly=_dec(data["pension_monthly"]) if data.get("pension_monthly") else None,
        pension_adjustment=_dec(data["pension_adjustment"]) if data.get("pension_adjustment") else None,
        operator_id=operator_id, resident_status=resident.get("status", ""),
        resident_years=tuple(ResidentYear(int(y["year"]), int(y["grade"]), _dec(y["amount"]), y["paid_on"])
                             for y in resident.get("years", [])))


def certified_content(record: KioskRightsRecord) -> dict[str, Any]:
    """What the code is bound to: the record's content (app.docs.certificates.rights_content) plus the resident
    years when the person has them."""
    content = rights_content(record)
    if record.resident_status:
        content["resident"] = {"status": record.resident_status,
                               "years": [[y.year, y.grade, y.amount, y.paid_on] for y in record.resident_years]}
    return content


def render(record: KioskRightsRecord, verification: Verification, path: Path | str) -> Path:
    """The PDF: render_rights_record, with a 城乡居民养老保险 section when the person is insured there."""
    if not record.resident_status:
        return render_rights_record(record, verification, path)
    from app.docs.blocks import Grid, Heading, Together
    from app.docs.certificates import _furniture, money
    from app.docs.render import render_document

    blocks = rights_blocks(record, verification)
    section = [Heading(f"城乡居民养老保险缴费情况（{record.resident_status}，单位：元）"),
               Grid(header=("年度", "缴费档次", "个人缴费", "缴费日期"),
                    rows=tuple((str(y.year), f"{y.grade} 元/年", money(y.amount), y.paid_on)
                               for y in record.resident_years),
                    align=("center", "center", "right", "center"), widths=(1, 1.4, 1.4, 1.6),
                    empty_text="无缴费记录")]
    at = next((n for n, b in enumerate(blocks) if isinstance(b, Together)), len(blocks))
    blocks[at:at] = section
    furniture = _furniture(record.agency_name, record.agency_code, record.title, verification, record.operator_id,
                           None)
    return render_document(furniture, blocks, path)
