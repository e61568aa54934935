"""社会保险参保证明（个人）printed at the kiosk (Qt-free, blocking): the card holder's insurances as the centre holds
them, certified with a verification code from the centre (server/verify.py) and a QR code to check it.

The certified content is built like the other certificates (app.docs.certificates), of its own kind
"personal_certificate" (app.docs.certify KIND_TITLES: 个人参保证明; code prefix GR), with the paper's title, which is
what the verification page shows. (Before the centre knew that kind, these were issued as "rights_record" — a personal
参保证明 is an extract of the rights record, 004:L4399 5.1.1 a); codes issued so then still verify.)
The PDF is written to a temporary folder by the page and deleted once printed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.clock import LOCAL_TZ, local_today
from app.docs.blocks import Block, Gap, Grid, Heading, KeyValues, Para, Seal, Title, VerifyPanel
from app.docs.certificates import VERIFY_HINT, Verification
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_day
from app.ids import mask_id_number

TITLE = "社会保险参保证明（个人）"
KIND = "personal_certificate"  # see the module docstring


@dataclass(frozen=True)
class InsuranceRow:
    scheme: str
    status: str
    since: str  # YYYY-MM-DD
    unit_name: str

    def row(self) -> tuple[str, str, str, str]:
        return (self.scheme, self.status, format_cn_day(date.fromisoformat(self.since)) if self.since else "—",
                self.unit_name or "—")


@dataclass(frozen=True)
class EnrolmentCertificate:
    name: str
    ssn: str
    agency_name: str
    agency_code: str
    issued_on: date
    insurances: tuple[InsuranceRow, ...]
    resident_years_paid: int | None = None  # 城乡居民养老保险 累计缴费年度 (when insured there)
    operator_id: str = ""

    @classmethod
    def from_person(cls, person: dict, agency_name: str, agency_code: str, operator_id: str,
                    resident_years_paid: int | None = None, issued_on: date | None = None) -> "EnrolmentCertificate":
        rows = tuple(InsuranceRow(i["scheme"], i["status"], i.get("since") or "", i.get("unit_name") or "")
                     for i in person.get("insurances", []))
        return cls(person["name"], person["ssn"], agency_name, agency_code, issued_on or local_today(), rows,
                   resident_years_paid, operator_id)

    @property
    def insured(self) -> bool:
        return bool(self.insurances)

    def statement(self) -> str:
        current = [i for i in self.insurances if i.status in ("参保缴费", "待遇领取", "暂停缴费")]
        if not current:
            return f"兹证明：{self.name}（社会保障号码 {mask_id_number(self.ssn)}）目前在本统筹区无有效的社会保险参保记录。"
        schemes = "、".join(f"{i.scheme}（{i.status}）" for i in current)
        return (f"兹证明：{self.name}（社会保障号码 {mask_id_number(self.ssn)}）截至{format_cn_day(self.issued_on)}"
                f"参加了{schemes}。特此证明。")

    def summary(self) -> list[tuple[str, str]]:
        out = [("姓名", self.name), ("社会保障号码", mask_id_number(self.ssn)),
               ("参保险种数", str(len([i for i in self.insurances if i.status != "终止"]))),
               ("出具日期", self.issued_on.isoformat())]
        if self.resident_years_paid is not None:
            out.append(("城乡居民养老保险累计缴费年度", str(self.resident_years_paid)))
        return out

    def content(self) -> dict[str, Any]:
        """The certified content (hashed by the centre and bound to the code)."""
        return {"kind": KIND, "title": TITLE, "subject": {"id": self.ssn, "name": self.name},
                "agency": {"code": self.agency_code, "name": self.agency_name}, "period": {},
                "issued_on": self.issued_on.isoformat(), "summary": [list(p) for p in self.summary()],
                "rows": [list(i.row()) for i in self.insurances]}


def certificate_blocks(cert: EnrolmentCertificate, verification: Verification) -> list[Block]:
    return [
        Title(TITLE),
        Gap(2),
        VerifyPanel(verification.code, verification.url, (VERIFY_HINT, "本证明由社会保险自助服务终端打印，经验证真实有效。")),
        Heading("个人基本信息"),
        KeyValues(tuple(cert.summary()), pairs_per_row=2, label_width_mm=40),
        Heading("参保情况"),
        Grid(header=("险种", "参保状态", "参保日期", "参保单位"), rows=tuple(i.row() for i in cert.insurances),
             align=("left", "center", "center", "left"), widths=(2.2, 1.1, 1.5, 3.2), empty_text="无参保记录"),
        Gap(3),
        Para(cert.statement()),
        Gap(2),
        Seal(cert.agency_name, format_cn_day(cert.issued_on)),
    ]


def render_certificate(cert: EnrolmentCertificate, verification: Verification, path: Path | str, *,
                       printed_at: datetime | None = None) -> Path:
    furniture = PageFurniture(agency_name=cert.agency_name, agency_code=cert.agency_code, title=TITLE,
                              case_no=verification.code, reference_label="验证码", operator_id=cert.operator_id,
                              qr_payload=verification.url, printed_at=printed_at or datetime.now(LOCAL_TZ))
    return render_document(furniture, certificate_blocks(cert, verification), path)


def issue_certificate(online, cert: EnrolmentCertificate, path: Path | str) -> tuple[Path, str]:
    """The code from the centre (POST /api/v1/certificates), then the PDF. Returns (pdf, code)."""
    from app.docs.certify import issue_code

    issued = issue_code(online.api, KIND, cert.content())
    return render_certificate(cert, Verification(issued.code, issued.verify_url), path), issued.code
