"""Verifiable certificates: the 社会保险个人权益记录单 (seed 004:L4399, 表 A.1 at L4544) and the 单位社会保险参保缴费证明
(004:L4290; the seed's 附录 A 图 A.1 is missing, so the layout here is our own — modelled on what banks and employers
ask for: who, since when, which schemes, how many insured, month by month what was paid, no arrears, seal, date,
validity, and a way to check it).

Both carry a verification code issued by the central server (app.docs.certify / server/verify.py) and a QR code with
the public verification address — in the body and, with the code in the footer, on every page, so any single page
can be checked. The code is bound to the certified content (`certified_content`), which is what the server shows a
verifier: a paper whose figures differ from what the verification page shows is not genuine.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.docs.blocks import (Block, CutLine, Gap, Grid, Heading, KeyValues, Layout, Cell, Para, Seal, Title,
                             Together, VerifyPanel)
from app.docs.certify import KIND_TITLES
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_day, rmb_uppercase
from app.ids import mask_id_number

RIGHTS_KIND = "rights_record"
UNIT_KIND = "unit_certificate"
RIGHTS_TITLE = KIND_TITLES[RIGHTS_KIND]
UNIT_TITLE = KIND_TITLES[UNIT_KIND]
SCHEMES = ("养老", "医疗", "失业", "工伤", "生育")
ZERO = Decimal("0.00")
VERIFY_HINT = "您可以使用手机扫描二维码或访问下列网址，输入验证码验证此单据真伪。"


def money(value: Decimal) -> str:
    """Amounts in tables: thousands separated, two decimals."""
    return f"{value:,.2f}"


def month_text(month: str) -> str:
    return f"{month[:4]}年{month[5:7]}月"


def _cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


# --- 社会保险个人权益记录单 --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContributionMonth:
    """One month of the person's contributions. Amounts in yuan (Decimal); (unit, personal) pairs."""

    month: str                       # YYYY-MM
    unit_name: str
    base: Decimal                    # 个人月缴费基数
    pension: tuple[Decimal, Decimal] = (ZERO, ZERO)
    medical: tuple[Decimal, Decimal] = (ZERO, ZERO)
    unemployment: tuple[Decimal, Decimal] = (ZERO, ZERO)
    injury: Decimal = ZERO           # 单位缴费 only
    maternity: Decimal = ZERO        # 单位缴费 only
    status: str = "已到账"            # 已到账 / 欠缴 / 补缴

    @property
    def paid(self) -> bool:
        return self.status != "欠缴"

    def row(self) -> tuple[str, ...]:
        return (self.month, money(self.base), money(self.pension[0]), money(self.pension[1]),
                money(self.medical[0]), money(self.medical[1]), money(self.unemployment[0]),
                money(self.unemployment[1]), money(self.injury), money(self.maternity), self.status)


@dataclass(frozen=True)
class PensionAccountYear:
    """基本养老保险个人账户 of one year."""

    year: int
    opening: Decimal     # 截至上年末个人账户累计存储额
    credited: Decimal    # 当年记账金额
    paid_out: Decimal    # 当年个人账户支出金额
    interest: Decimal    # 当年记账利息
    closing: Decimal     # 至本年末账户累计存储额


@dataclass(frozen=True)
class RightsRecord:
    agency_name: str
    agency_code: str
    name: str
    ssn: str                                   # 社会保障号码 (= 公民身份号码); printed masked
    unit_name: str                             # current unit, “—” for none
    period_from: str                           # YYYY-MM
    period_to: str
    issued_on: date                            # Beijing day of issue
    first_enrolled: tuple[tuple[str, str], ...] = ()   # (险种 of SCHEMES, YYYY-MM-DD or "")
    months: tuple[ContributionMonth, ...] = ()
    accounts: tuple[PensionAccountYear, ...] = ()
    pension_monthly: Decimal | None = None     # 月养老金水平 (retirees)
    pension_adjustment: Decimal | None = None  # 当年调待金额
    agency_address: str = ""
    agency_phone: str = "12333"
    operator_id: str = ""
    case_no: str = ""

    def __post_init__(self) -> None:
        if self.period_from > self.period_to:
            raise ValueError(f"period {self.period_from} after {self.period_to}")
        if isinstance(self.issued_on, datetime):
            raise TypeError("issued_on is a calendar day (date), not a datetime")

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(int(self.period_from[:4]), int(self.period_to[:4]) + 1))

    @property
    def title(self) -> str:
        if self.period_from[:4] == self.period_to[:4]:
            return f"{self.period_from[:4]}年度{RIGHTS_TITLE}"
        return RIGHTS_TITLE

    def yearly(self) -> list[tuple[str, ...]]:
        """The seed's 缴费情况 per year: base, unit/personal per scheme, months paid, months owed, months made up."""
        years: OrderedDict[str, list[ContributionMonth]] = OrderedDict()
        for m in self.months:
            years.setdefault(m.month[:4], []).append(m)
        rows = []
        for year, ms in years.items():
            paid = [m for m in ms if m.paid]

            def total(pick) -> str:
                return money(sum((pick(m) for m in paid), ZERO))

            rows.append((year, money(ms[-1].base), total(lambda m: m.pension[0]), total(lambda m: m.pension[1]),
                         total(lambda m: m.medical[0]), total(lambda m: m.medical[1]),
                         total(lambda m: m.unemployment[0]), total(lambda m: m.unemployment[1]),
                         total(lambda m: m.injury), total(lambda m: m.maternity), str(len(paid)),
                         str(sum(1 for m in ms if m.status == "欠缴")), str(sum(1 for m in ms if m.status == "补缴"))))
        return rows

    def personal_total(self) -> Decimal:
        return sum((m.pension[1] + m.medical[1] + m.unemployment[1] for m in self.months if m.paid), ZERO)

    def months_paid(self) -> int:
        return sum(1 for m in self.months if m.paid and m.pension != (ZERO, ZERO))

    def months_owed(self) -> int:
        return sum(1 for m in self.months if m.status == "欠缴")

    def summary(self) -> list[tuple[str, str]]:
        """What a verifier is shown: enough to compare with the paper, nothing beyond it."""
        out = [("姓名", self.name), ("社会保障号码", mask_id_number(self.ssn)), ("单位名称", self.unit_name or "—"),
               ("记录期间", f"{month_text(self.period_from)}至{month_text(self.period_to)}"),
               ("养老实际缴费月数", str(self.months_paid())), ("欠缴月数", str(self.months_owed())),
               ("个人缴费合计（元）", money(self.personal_total()))]
        if self.accounts:
            out.append(("养老个人账户累计（元）", money(self.accounts[-1].closing)))
        if self.pension_monthly is not None:
            out.append(("月养老金（元）", money(self.pension_monthly)))
        return out


def rights_content(record: RightsRecord) -> dict[str, Any]:
    """The certified content (hashed and bound to the verification code)."""
    return {
        "kind": RIGHTS_KIND, "title": record.title,
        "subject": {"id": record.ssn, "name": record.name},
        "agency": {"code": record.agency_code, "name": record.agency_name},
        "period": {"from": record.period_from, "to": record.period_to},
        "issued_on": record.issued_on.isoformat(),
        "summary": [list(pair) for pair in record.summary()],
        "rows": [list(m.row()) for m in record.months],
        "accounts": [[a.year, a.opening, a.credited, a.paid_out, a.interest, a.closing] for a in record.accounts],
        "first_enrolled": [list(pair) for pair in record.first_enrolled],
    }


@dataclass(frozen=True)
class Verification:
    """The code the server issued for this content and where it is checked."""

    code: str
    url: str


def _furniture(agency_name: str, agency_code: str, title: str, verification: Verification, operator_id: str,
               printed_at: datetime | None) -> PageFurniture:
    return PageFurniture(agency_name=agency_name, agency_code=agency_code, title=title, case_no=verification.code,
                         reference_label="验证码", operator_id=operator_id, qr_payload=verification.url,
                         printed_at=printed_at)


MONTH_HEADER = ("费款所属期", "缴费基数", "单位", "个人", "单位", "个人", "单位", "个人", "单位", "单位", "状态")
MONTH_GROUPS = (("", 2), ("养老保险", 2), ("医疗保险", 2), ("失业保险", 2), ("工伤", 1), ("生育", 1), ("", 1))
MONTH_WIDTHS = (1.45, 1.5, 1.35, 1.3, 1.25, 1.15, 1.1, 1.1, 1.05, 1.05, 1.1)


def rights_blocks(record: RightsRecord, verification: Verification) -> list[Block]:
    enrolled = dict(record.first_enrolled)
    retired = record.pension_monthly is not None
    blocks: list[Block] = [
        Title(record.title),
        Para(f"（{month_text(record.period_from)} 至 {month_text(record.period_to)}）", style="cell_center"),
        Gap(2),
        VerifyPanel(verification.code, verification.url, (
            VERIFY_HINT, "温馨提示：请及时核对记录单内容，如有异议，请到参保地社会保险经办机构核实、处理；"
                         "您还可以通过12333、自助终端或网上服务大厅查询个人权益记录。")),
        Heading("个人基本信息"),
        # exactly the facts the verification page shows (record.summary()), so a verifier compares like with like
        KeyValues(tuple(record.summary()), pairs_per_row=2, label_width_mm=33),
        Heading("首次参保日期"),
        Grid(header=SCHEMES, rows=(tuple(_day(enrolled.get(s, "")) for s in SCHEMES),),
             align=("center",) * 5),
    ]
    if not retired:
        blocks += [
            Heading("缴费情况（按年度汇总，单位：元）"),
            Grid(header=("年度", "月缴费基数", "单位", "个人", "单位", "个人", "单位", "个人", "单位", "单位",
                         "实缴月数", "欠缴月数", "补缴月数"),
                 groups=(("", 2), ("养老保险", 2), ("医疗保险", 2), ("失业保险", 2), ("工伤", 1), ("生育", 1),
                         ("", 3)),
                 rows=tuple(record.yearly()), dense=True, align=("center",) + ("right",) * 9 + ("center",) * 3,
                 widths=(0.9, 1.35, 1.3, 1.2, 1.2, 1.05, 1.0, 1.0, 1.0, 1.0, 0.85, 0.85, 0.85),
                 empty_text="本期间无缴费记录"),
        ]
    if record.accounts:
        blocks += [
            Heading("基本养老保险个人账户情况（单位：元）"),
            Grid(header=("年度", "截至上年末累计存储额", "当年记账金额", "当年个人账户支出金额", "当年记账利息",
                         "至本年末账户累计存储额"),
                 rows=tuple((str(a.year), money(a.opening), money(a.credited), money(a.paid_out), money(a.interest),
                             money(a.closing)) for a in record.accounts),
                 dense=True, align=("center",) + ("right",) * 5, widths=(0.8, 1.6, 1.3, 1.5, 1.2, 1.7)),
        ]
    if retired:
        blocks += [
            Heading("养老金领取情况"),
            KeyValues((("月养老金水平", f"{money(record.pension_monthly)} 元"),
                       ("当年调待金额", f"{money(record.pension_adjustment or ZERO)} 元")), pairs_per_row=2,
                      label_width_mm=28),
        ]
    if record.months:
        blocks += [
            Heading("缴费明细（按月，单位：元）"),
            Grid(header=MONTH_HEADER, groups=MONTH_GROUPS, rows=tuple(m.row() for m in record.months), dense=True,
                 align=("center",) + ("right",) * 9 + ("center",), widths=MONTH_WIDTHS),
            Gap(1.5),
            Para("状态：已到账＝费款已足额到账；欠缴＝应缴未缴，不计入缴费年限；补缴＝期后补缴到账。", style="note"),
        ]
    blocks.append(Together((
        Gap(2),
        Para(f"社会保险经办机构名称：{record.agency_name}", style="note"),
        Para(f"地址：{record.agency_address or '—'}　　联系电话：{record.agency_phone}", style="note"),
        Seal(record.agency_name, format_cn_day(record.issued_on)),
    )))
    blocks.append(Together((
        CutLine("更改信息回执（沿虚线剪下）"),
        Para("如希望更改邮寄地址，请填写更改内容并将回执剪下寄至社会保险经办机构收。", style="note"),
        Layout((
            (Cell("个人社会保障号", style="form_label", shade=True), Cell(mask_id_number(record.ssn)),
             Cell("姓名", style="form_label", shade=True), Cell(record.name)),
            (Cell("变更邮寄地址为", style="form_label", shade=True), Cell("", span=3, height_mm=14)),
        ), widths=(2.4, 3.8, 1.6, 4.4)),
    )))
    return blocks


def _day(iso_day: str) -> str:
    return format_cn_day(date.fromisoformat(iso_day)) if iso_day else "—"


def render_rights_record(record: RightsRecord, verification: Verification, path: Path | str, *,
                         printed_at: datetime | None = None) -> Path:
    furniture = _furniture(record.agency_name, record.agency_code, record.title, verification, record.operator_id,
                           printed_at)
    return render_document(furniture, rights_blocks(record, verification), path)


# --- 单位社会保险参保缴费证明 -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitScheme:
    """One scheme the unit is insured in."""

    scheme: str            # e.g. 企业职工基本养老保险
    since: date            # 参保日期
    status: str            # 参保缴费 / 暂停缴费 / 注销
    insured: int           # 当前参保人数
    months_paid: int       # months paid within the period
    arrears: Decimal = ZERO


@dataclass(frozen=True)
class UnitMonth:
    month: str             # YYYY-MM
    insured: int           # 缴费人数
    base_total: Decimal    # 缴费基数合计
    unit_amount: Decimal
    person_amount: Decimal
    status: str = "已到账"

    @property
    def total(self) -> Decimal:
        return self.unit_amount + self.person_amount

    def row(self) -> tuple[str, ...]:
        return (self.month, str(self.insured), money(self.base_total), money(self.unit_amount),
                money(self.person_amount), money(self.total), self.status)


@dataclass(frozen=True)
class UnitCertificate:
    agency_name: str
    agency_code: str
    unit_name: str
    uscc: str                 # 统一社会信用代码
    unit_code: str            # 单位编号 at the agency
    registered_on: date       # 社会保险登记日期
    period_from: str          # YYYY-MM
    period_to: str
    issued_on: date
    schemes: tuple[UnitScheme, ...]
    months: tuple[UnitMonth, ...] = ()
    purpose: str = ""         # 用途, e.g. 投标、银行贷款 (as the applicant states it)
    valid_days: int = 30
    agency_address: str = ""
    agency_phone: str = "12333"
    operator_id: str = ""
    case_no: str = ""
    certificate_no: str = ""  # 证明编号 (defaults to the case number)

    def __post_init__(self) -> None:
        if self.period_from > self.period_to:
            raise ValueError(f"period {self.period_from} after {self.period_to}")
        if not self.schemes:
            raise ValueError("a 参保缴费证明 needs at least one scheme")

    @property
    def arrears(self) -> Decimal:
        return sum((s.arrears for s in self.schemes), ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum((m.total for m in self.months if m.status != "欠缴"), ZERO)

    def statement(self) -> str:
        period = f"{month_text(self.period_from)}至{month_text(self.period_to)}"
        names = "、".join(s.scheme for s in self.schemes)
        return (f"兹证明{self.unit_name}（统一社会信用代码：{self.uscc}）于{format_cn_day(self.registered_on)}"
                f"在我机构办理社会保险登记，单位编号{self.unit_code}，参加{names}。{period}期间该单位参保缴费情况如下。")

    def arrears_text(self) -> str:
        day = format_cn_day(self.issued_on)
        if self.arrears:
            return (f"截至{day}，该单位欠缴社会保险费{money(self.arrears)}元"
                    f"（大写：{rmb_uppercase(_cents(self.arrears))}）。")
        return f"截至{day}，该单位无欠缴社会保险费记录。"

    def summary(self) -> list[tuple[str, str]]:
        out = [("单位名称", self.unit_name), ("统一社会信用代码", self.uscc), ("单位编号", self.unit_code),
               ("证明期间", f"{month_text(self.period_from)}至{month_text(self.period_to)}")]
        for s in self.schemes:
            out.append((s.scheme, f"{format_cn_day(s.since)}起参保，{s.status}，参保{s.insured}人，"
                                  f"期间缴费{s.months_paid}个月"))
        out.append(("期间缴费合计（元）", money(self.paid_total)))
        out.append(("欠缴情况", f"欠缴{money(self.arrears)}元" if self.arrears else "无欠缴"))
        if self.purpose:
            out.append(("用途", self.purpose))
        out.append(("有效期", f"自出具之日起{self.valid_days}日"))
        return out


def unit_content(cert: UnitCertificate) -> dict[str, Any]:
    return {
        "kind": UNIT_KIND, "title": UNIT_TITLE,
        "subject": {"id": cert.uscc, "name": cert.unit_name},
        "agency": {"code": cert.agency_code, "name": cert.agency_name},
        "period": {"from": cert.period_from, "to": cert.period_to},
        "issued_on": cert.issued_on.isoformat(),
        "summary": [list(pair) for pair in cert.summary()],
        "rows": [list(m.row()) for m in cert.months],
        "schemes": [[s.scheme, s.since, s.status, s.insured, s.months_paid, s.arrears] for s in cert.schemes],
    }


def unit_blocks(cert: UnitCertificate, verification: Verification) -> list[Block]:
    number = cert.certificate_no or cert.case_no
    total = _cents(cert.paid_total)
    blocks: list[Block] = [
        Title(UNIT_TITLE),
        Para(f"证明编号：{number}" if number else "", style="cell_center"),
        Gap(2),
        Para(cert.statement(), style="emphasis"),
        Heading("一、参保情况"),
        Grid(header=("险种", "参保日期", "参保状态", "当前参保人数", "期间缴费月数", "欠缴金额（元）"),
             rows=tuple((s.scheme, format_cn_day(s.since), s.status, str(s.insured), str(s.months_paid),
                         money(s.arrears)) for s in cert.schemes),
             widths=(3.2, 2.2, 1.5, 1.6, 1.6, 1.9), align=("left", "center", "center", "center", "center", "right")),
        Heading("二、缴费明细（单位：元）"),
        Grid(header=("费款所属期", "缴费人数", "缴费基数合计", "单位缴费", "个人缴费", "合计", "到账状态"),
             rows=tuple(m.row() for m in cert.months), dense=True,
             align=("center", "center", "right", "right", "right", "right", "center"),
             widths=(1.3, 1.0, 1.8, 1.6, 1.6, 1.7, 1.1), empty_text="证明期间无缴费记录"),
        Gap(1.5),
        Para(f"期间缴费合计：{money(total)}元（大写：{rmb_uppercase(total)}）", style="body"),
        Gap(1),
        Para(cert.arrears_text() + "特此证明。", style="emphasis"),
    ]
    notes = (
        "说明：",
        "1. 本证明仅证明上述单位在证明期间的社会保险参保缴费情况" + (f"，用于{cert.purpose}。" if cert.purpose else "。"),
        f"2. 本证明自出具之日起{cert.valid_days}日内有效，涂改无效。",
        f"3. 验证码：{verification.code}。查验单位可扫描页眉二维码，或访问 {verification.url} 核验真伪；"
        "核验结果显示的内容与本证明一致方为有效。",
        f"4. 出具机构地址：{cert.agency_address or '—'}；联系电话：{cert.agency_phone}。",
    )
    blocks.append(Together((Gap(1), Seal(cert.agency_name, format_cn_day(cert.issued_on), notes=notes))))
    return blocks


def render_unit_certificate(cert: UnitCertificate, verification: Verification, path: Path | str, *,
                            printed_at: datetime | None = None) -> Path:
    furniture = _furniture(cert.agency_name, cert.agency_code, UNIT_TITLE, verification, cert.operator_id,
                           printed_at)
    return render_document(furniture, unit_blocks(cert, verification), path)


@dataclass(frozen=True)
class IssuedCertificate:
    path: Path
    code: str
    url: str
    content_hash: str
    content: dict = field(repr=False, default_factory=dict)


def issue_and_render(http: Any, certificate: RightsRecord | UnitCertificate, path: Path | str, *,
                     verify_base_url: str | None = None, printed_at: datetime | None = None) -> IssuedCertificate:
    """Get the code from the central server (authenticated httpx-like client), then write the PDF. Runs on a worker
    thread (network + rendering)."""
    from app.docs.certify import issue_code

    if isinstance(certificate, RightsRecord):
        kind, content, render = RIGHTS_KIND, rights_content(certificate), render_rights_record
    else:
        kind, content, render = UNIT_KIND, unit_content(certificate), render_unit_certificate
    issued = issue_code(http, kind, content, verify_base_url, operator_id=certificate.operator_id or None)
    out = render(certificate, Verification(issued.code, issued.verify_url), path, printed_at=printed_at)
    return IssuedCertificate(Path(out), issued.code, issued.verify_url, issued.content_hash, content)
