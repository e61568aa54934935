"""The 受理回执 (acceptance receipt) handed to an applicant when a case is accepted at the counter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.docs.blocks import Block, Gap, Grid, Heading, KeyValues, Para, Signatures, Title, Together
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_datetime, format_cn_day, to_shanghai
from app.ids import mask_id_number

TITLE = "受理回执"


@dataclass(frozen=True)
class AcceptanceReceipt:
    agency_name: str          # 经办机构, e.g. "呼和浩特市新城区社会保险事业管理局"
    agency_code: str
    case_no: str              # human 受理编号, e.g. "150102-T01-20261125-0007"
    case_id: str              # client UUID
    item_name: str            # 办理事项, e.g. "城乡居民养老保险参保登记"
    item_citation: str        # e.g. "内蒙古社会保险经办服务标准化指南 004:L1604"
    applicant_name: str
    applicant_id_number: str  # raw; only ever printed masked
    accepted_at: datetime     # aware UTC; printed in Asia/Shanghai
    operator_id: str
    operator_name: str
    terminal_id: str
    promised_time_limit: str  # e.g. "即时办结" or "10个工作日"
    materials: tuple[tuple[str, str], ...]       # (材料名称, 状态 such as 已收取原件 / 已收取复印件 / 待补正)
    summary_fields: tuple[tuple[str, str], ...]  # (label, value) of the key form data
    status_text: str          # e.g. "已受理" / "已办结"
    query_hint: str = "可凭受理编号到窗口、自助终端或拨打12333查询办理进度"
    verify_payload: str = ""  # QR payload; empty → f"YC|{case_no}|{case_id}"
    promised_date: date | None = None  # 承诺办结日期 (a calendar day in Beijing); None → only the time limit is shown

    def __post_init__(self) -> None:
        to_shanghai(self.accepted_at)  # refuse a naive time now rather than print a wrong hour later
        if self.promised_date is not None:
            format_cn_day(self.promised_date)  # a datetime here would be a day in an unknown zone: refuse it now

    @property
    def qr_payload(self) -> str:
        # Case number and UUID only: the code is readable by anyone holding the paper, so no personal data.
        return self.verify_payload or f"YC|{self.case_no}|{self.case_id}"


def receipt_furniture(receipt: AcceptanceReceipt, printed_at: datetime | None = None) -> PageFurniture:
    return PageFurniture(
        agency_name=receipt.agency_name,
        agency_code=receipt.agency_code,
        title=TITLE,
        case_no=receipt.case_no,
        operator_id=receipt.operator_id,
        qr_payload=receipt.qr_payload,
        printed_at=printed_at,
    )


def receipt_blocks(receipt: AcceptanceReceipt) -> list[Block]:
    operator = f"{receipt.operator_name}（工号 {receipt.operator_id}，终端 {receipt.terminal_id}）"
    promised_date = (("承诺办结日期", format_cn_day(receipt.promised_date)),) if receipt.promised_date else ()
    return [
        Title(TITLE),
        KeyValues((
            ("受理编号", receipt.case_no),
            ("办理事项", receipt.item_name),
            ("申请人", receipt.applicant_name),
            ("公民身份号码", mask_id_number(receipt.applicant_id_number)),
            ("受理时间", format_cn_datetime(receipt.accepted_at)),
            ("办理状态", receipt.status_text),
            ("承诺时限", receipt.promised_time_limit),
            *promised_date,
            ("经办人", operator),
        )),
        Heading("收取材料"),
        Grid(
            header=("序号", "材料名称", "状态"),
            rows=tuple((str(n), name, status) for n, (name, status) in enumerate(receipt.materials, start=1)),
            widths=(1.2, 7, 2.4),
            align=("center", "left", "center"),
            empty_text="本事项未收取材料",
        ),
        Heading("登记信息"),
        KeyValues(receipt.summary_fields, pairs_per_row=2, label_width_mm=28),
        Together((
            Gap(3),
            Para(receipt.query_hint, style="note"),
            Para(f"办理依据：{receipt.item_citation}", style="note"),
            Para("扫描页眉右上角二维码可调取本件受理记录。", style="note"),
            Signatures(("申请人签字", "经办人签字")),
        )),
    ]


def render_acceptance_receipt(receipt: AcceptanceReceipt, path: Path, *, printed_at: datetime | None = None) -> Path:
    """Write the receipt PDF to `path` atomically and return the path (DocumentWriteError if it cannot be saved)."""
    return render_document(receipt_furniture(receipt, printed_at), receipt_blocks(receipt), path)
