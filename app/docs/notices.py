"""The two notices a counter hands over instead of a 受理回执: the 一次性告知书 (materials missing) and the 不予受理通知书
(conditions not met), built from blocks like the receipt, plus helpers that derive their lists from a catalog item.

Rules followed: an incomplete application gets ONE notice naming ALL missing materials (seed 000 第二十条,
000:L85 “资料不全的，应退回资料并一次性告知申请人应补齐资料名称”; 004:L261), and materials obtainable by data sharing are
never demanded (000 第十二条, 000:L51), which ServiceItem.required_materials already enforces.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.catalog.model import Condition, ServiceItem
from app.docs.blocks import Block, Gap, Grid, Heading, KeyValues, Para, Signatures, Title, Together
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_date, format_cn_datetime, to_shanghai
from app.ids import mask_id_number

CORRECTION_TITLE = "一次性告知书"
REFUSAL_TITLE = "不予受理通知书"

MissingMaterial = tuple[str, str, int, str]  # (材料名称, 形式 such as 原件, 份数, 说明/适用情形)
ReceivedMaterial = tuple[str, str]           # (材料名称, 形式)
Reason = tuple[str, str]                     # (不符合的受理条件, 依据 such as "004:L1604")

CONTINUE_TEXT = "补齐材料后凭受理编号到任一窗口继续办理，无需重复提交已收取的材料。"
RETURNED_TEXT = "您提交的申请材料已全部退还。"
DEFAULT_REMEDY = "如对本决定有异议，可自收到本通知书之日起60日内依法申请行政复议，或者6个月内依法提起行政诉讼。"


@dataclass(frozen=True)
class CorrectionNotice:
    """一次性告知书: the application is incomplete; every missing material is listed on this one notice."""

    agency_name: str
    agency_code: str
    case_no: str               # 受理编号 under which the case waits for the materials
    case_id: str               # client UUID
    item_name: str
    item_citation: str         # e.g. "《内蒙古自治区社会保险经办服务标准化指南》004:L1604"
    applicant_name: str
    applicant_id_number: str   # raw; only ever printed masked
    notified_at: datetime      # aware UTC; printed in Asia/Shanghai
    operator_id: str
    operator_name: str
    terminal_id: str
    missing: tuple[MissingMaterial, ...]
    received: tuple[ReceivedMaterial, ...]
    deadline_text: str         # e.g. "请于补齐材料后到任一窗口继续办理，本业务保留至 2026年12月31日"
    contact: str = "咨询电话 12333"

    def __post_init__(self) -> None:
        to_shanghai(self.notified_at)  # refuse a naive time now rather than print a wrong hour later
        if not self.missing:
            raise ValueError("a 一次性告知书 needs at least one missing material (a complete application is accepted)")
        for name, _form, count, _notes in self.missing:
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValueError(f"material {name!r}: count must be a positive int, not {count!r}")

    @property
    def qr_payload(self) -> str:
        return f"YC|{self.case_no}|{self.case_id}"  # no personal data: anyone holding the paper can read it


@dataclass(frozen=True)
class RefusalNotice:
    """不予受理通知书: the applicant does not meet the item's conditions; the reasons are given with their basis."""

    agency_name: str
    agency_code: str
    case_no: str
    case_id: str
    item_name: str
    item_citation: str
    applicant_name: str
    applicant_id_number: str   # raw; only ever printed masked
    decided_at: datetime       # aware UTC; printed in Asia/Shanghai
    operator_id: str
    operator_name: str
    terminal_id: str
    reasons: tuple[Reason, ...]
    remedy: str = DEFAULT_REMEDY

    def __post_init__(self) -> None:
        to_shanghai(self.decided_at)
        if not self.reasons:
            raise ValueError("a 不予受理通知书 needs at least one reason")

    @property
    def qr_payload(self) -> str:
        return f"YC|{self.case_no}|{self.case_id}"


# --- from the catalog ------------------------------------------------------------------------------------------------

def correction_materials(
    item: ServiceItem, values: Mapping[str, str], provided: Mapping[str, bool],
) -> tuple[tuple[MissingMaterial, ...], tuple[ReceivedMaterial, ...]]:
    """(missing, received) for a notice: ALL required materials not yet provided, in catalog order — never the ones
    obtainable by data sharing (000 §12) — and the materials handed in. `provided` maps material code → received."""
    missing = tuple((m.name, m.form.value, m.count, m.condition)
                    for m in item.required_materials(dict(values)) if not provided.get(m.code))
    received = tuple((m.name, m.form.value) for m in item.materials if provided.get(m.code))
    return missing, received


def refusal_reasons(item: ServiceItem, failed: Iterable[Condition]) -> tuple[Reason, ...]:
    """Reasons for a 不予受理通知书: each failed condition with the seed line it was read from (else the item's)."""
    return tuple((c.text, str(c.source or item.source)) for c in failed)


# --- documents -------------------------------------------------------------------------------------------------------

def _furniture(notice: CorrectionNotice | RefusalNotice, title: str, printed_at: datetime | None) -> PageFurniture:
    return PageFurniture(
        agency_name=notice.agency_name,
        agency_code=notice.agency_code,
        title=title,
        case_no=notice.case_no,
        operator_id=notice.operator_id,
        qr_payload=notice.qr_payload,
        printed_at=printed_at,
    )


def _facts(notice: CorrectionNotice | RefusalNotice, time_label: str, at: datetime) -> KeyValues:
    operator = f"{notice.operator_name}（工号 {notice.operator_id}，终端 {notice.terminal_id}）"
    return KeyValues((
        ("受理编号", notice.case_no),
        ("办理事项", notice.item_name),
        ("申请人", notice.applicant_name),
        ("公民身份号码", mask_id_number(notice.applicant_id_number)),
        (time_label, format_cn_datetime(at)),
        ("经办人", operator),
    ))


def correction_blocks(notice: CorrectionNotice) -> list[Block]:
    return [
        Title(CORRECTION_TITLE),
        _facts(notice, "告知时间", notice.notified_at),
        Gap(3),
        Para(f"{notice.applicant_name}："),
        Para(f"经审查，您申请办理的“{notice.item_name}”所需材料尚不齐全，现一次性告知如下："),
        Heading("需补齐的材料"),
        Grid(
            header=("序号", "材料名称", "形式/份数", "说明"),
            rows=tuple((str(n), name, f"{form}／{count}份", notes)
                       for n, (name, form, count, notes) in enumerate(notice.missing, start=1)),
            widths=(0.9, 5.5, 2.9, 3.7),
            align=("center", "left", "center", "left"),
        ),
        Together((  # usually a short list: keep its heading on the same page
            Heading("已收取的材料"),
            Grid(
                header=("序号", "材料名称", "形式"),
                rows=tuple((str(n), name, form) for n, (name, form) in enumerate(notice.received, start=1)),
                widths=(0.9, 9.2, 2.9),
                align=("center", "left", "center"),
                empty_text="未收取材料",
            ),
        )),
        Gap(2),
        Para(notice.deadline_text),
        Para(CONTINUE_TEXT),
        Together((
            Para(notice.contact, style="note"),
            Para(f"办理依据：{notice.item_citation}", style="note"),
            Para("扫描页眉右上角二维码可调取本件记录。", style="note"),
            Signatures(("申请人签收", "经办人")),
            Gap(4),
            Para(notice.agency_name, style="sign_off"),
            Para(format_cn_date(notice.notified_at), style="sign_off"),
        )),
    ]


def refusal_blocks(notice: RefusalNotice) -> list[Block]:
    return [
        Title(REFUSAL_TITLE),
        _facts(notice, "决定时间", notice.decided_at),
        Gap(3),
        Para(f"{notice.applicant_name}："),
        Para(f"经审查，您申请办理的“{notice.item_name}”不符合受理条件，决定不予受理。理由如下："),
        Grid(
            header=("序号", "理由", "依据"),
            rows=tuple((str(n), text, citation or "—")
                       for n, (text, citation) in enumerate(notice.reasons, start=1)),
            widths=(0.9, 8.6, 3.5),
            align=("center", "left", "left"),
        ),
        Gap(2),
        Para(notice.remedy),
        Para(RETURNED_TEXT),
        Together((
            Para(f"办理依据：{notice.item_citation}", style="note"),
            Para("扫描页眉右上角二维码可调取本件记录。", style="note"),
            Signatures(("申请人签收", "经办人")),
            Gap(4),
            Para(notice.agency_name, style="sign_off"),
            Para(format_cn_date(notice.decided_at), style="sign_off"),
        )),
    ]


def render_correction_notice(notice: CorrectionNotice, path: Path | str, *,
                             printed_at: datetime | None = None) -> Path:
    """Write the 一次性告知书 PDF to `path` atomically and return the path (DocumentWriteError if it cannot be saved)."""
    return render_document(_furniture(notice, CORRECTION_TITLE, printed_at), correction_blocks(notice), path)


def render_refusal_notice(notice: RefusalNotice, path: Path | str, *, printed_at: datetime | None = None) -> Path:
    """Write the 不予受理通知书 PDF to `path` atomically and return the path (DocumentWriteError if it cannot be saved)."""
    return render_document(_furniture(notice, REFUSAL_TITLE, printed_at), refusal_blocks(notice), path)
