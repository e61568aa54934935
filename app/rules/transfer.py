"""Transfers and contribution periods: the pooled fund moved on a cross-pool transfer (12 %, 004:L6685), deemed
contribution months and the refund of overlapping actual contributions (004:L5802–L5804), and duplicate
relationships at transfer-in (000 §36, 004:L8464)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.rules.base import Context, Field, calculator, out, table
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.money import fmt_percent, to_fen
from app.rules.months import months_inclusive, overlap
from app.rules.pension import fen_mode

SCOPES = (("same_pool", "同一统筹范围内流动"), ("cross_pool", "跨统筹范围或跨制度流动"))


@dataclass
class TransferResult:
    scope: str = out("流动情形")
    contribution_months: int = out("缴费月数", unit="个月")
    pooled_fund: Decimal = out("转移统筹基金", unit="元", money=True)
    account: Decimal = out("随转个人账户储存额", unit="元", money=True)
    total: Decimal = out("转移资金合计", unit="元", money=True, headline=True)
    rows: list = table("各年度转移基金", ("年度", "月缴费工资基数", "缴费月数", "转移基金"))


@calculator("transfer_fund", "养老保险关系转移资金测算",
            "同一统筹范围内只转关系不转基金；跨统筹范围的，个人账户储存额随转，并以各年度实际缴费工资为基数按12%的总和转移基金。",
            (Field("scope", "流动情形", "choice", choices=SCOPES),
             Field("year_bases", "各年度缴费（年度:月缴费工资基数:缴费月数）", "year_bases"),
             Field("account_balance", "个人账户储存额（元）", "money", required=False, default="0")),
            citations=("004:L6685", "000 §54", "003 8.3.1", "003 8.3.2"), keywords=("转移", "转移接续", "zyjx"))
def compute_transfer(inputs: dict, ctx: Context, ex: Explanation) -> TransferResult:
    rows_in = sorted(inputs["year_bases"])
    months = sum(m for _, _, m in rows_in)
    account = inputs["account_balance"]
    if inputs["scope"] == "same_pool":
        ex.step("同一统筹范围内流动", "004:L6685；000 §54；003 8.3.1", "只转移养老保险关系，不转移基金",
                {"缴费月数": months}, {}, "转移基金0元")
        return TransferResult(dict(SCOPES)["same_pool"], months, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), [])
    mode = fen_mode(ctx, ex)
    ratio = Decimal(ctx.param(ex, "transfer_pooled_ratio", on=ctx.today))
    rows, exact = [], Decimal(0)
    for year, base, n in rows_in:
        amount = base * n * ratio
        exact += amount
        rows.append((f"{year}年", base, n, to_fen(amount, mode)))
    fund = to_fen(exact, mode)
    ex.step("转移统筹基金", "004:L6685",
            "转移基金 = Σ(各年度实际缴费工资基数 × 缴费月数) × 12%；参保缴费不足1年的按实际缴费月数计算",
            {"年度数": len(rows_in), "缴费月数": months, "转移比例": fmt_percent(ratio)},
            {"缴费工资总和": sum((b * n for _, b, n in rows_in), Decimal(0))}, f"{fund}元")
    ex.step("个人账户储存额随同转移", "004:L6685", "个人账户储存额全额随转；缴费年限（含视同）、储存额累计计算",
            {"个人账户储存额": account}, {}, f"{account}元")
    return TransferResult(dict(SCOPES)["cross_pool"], months, fund, account, fund + account, rows)


@dataclass
class DeemedResult:
    deemed_months: int = out("视同缴费月数", unit="个月")
    overlap_months: int = out("与实际缴费交叉月数", unit="个月")
    refund: Decimal | None = out("交叉时段实际缴费应退费", unit="元", money=True, headline=True)
    counted_months: int = out("视同与实际缴费合计（不重复）", unit="个月")
    rows: list = table("交叉时段", ("实际缴费时段", "交叉起", "交叉止", "交叉月数", "月缴费额", "退费"))


@calculator("deemed_months", "视同缴费年限认定与交叉时段退费",
            "视同缴费月数由起止年月自动计算；视同缴费时段与实际缴费时段交叉的，交叉时段的实际缴费予以退费。",
            (Field("deemed_from", "视同缴费起始年月", "month"),
             Field("deemed_to", "视同缴费终止年月", "month"),
             Field("actual_periods", "实际缴费时段（起~止:月缴费额，逗号分隔）", "periods", required=False)),
            citations=("004:L5802", "004:L5804", "004:L8466"), keywords=("视同缴费", "退费", "stjf"))
def compute_deemed(inputs: dict, ctx: Context, ex: Explanation) -> DeemedResult:
    start, end = inputs["deemed_from"], inputs["deemed_to"]
    if end < start:
        raise InvalidInput("视同缴费终止年月不能早于起始年月", f"{end} < {start}", field="deemed_to")
    deemed = months_inclusive(start, end)
    ex.step("视同缴费月数", "004:L5802", "视同缴费月数 = 终止年月 − 起始年月 + 1（起止月均计入）",
            {"起始": start, "终止": end}, {}, f"{deemed}个月")
    rows, refund, overlap_total, actual_total = [], Decimal("0.00"), 0, 0
    any_amount = False
    periods = inputs.get("actual_periods") or []
    spans = sorted((a, b) for a, b, _ in periods)
    for earlier, later in zip(spans, spans[1:]):
        if overlap(earlier, later):
            raise InvalidInput("实际缴费时段之间不能重叠", f"{earlier} overlaps {later}", field="actual_periods")
    for a, b, amount in periods:
        actual_total += months_inclusive(a, b)
        hit = overlap((start, end), (a, b))
        if not hit:
            continue
        n = months_inclusive(*hit)
        overlap_total += n
        money = amount * n if amount is not None else None
        if money is not None:
            refund += money
            any_amount = True
        rows.append((f"{a.cn()}–{b.cn()}", hit[0], hit[1], n, amount, money))
    if periods:
        ex.step("交叉时段实际缴费退费", "004:L5804；004:L8466",
                "交叉月数 = 视同缴费时段与实际缴费时段重叠的月数；退费 = Σ 交叉月数 × 该时段月缴费额",
                {"实际缴费时段数": len(periods)}, {"交叉月数": overlap_total},
                f"{refund}元" if any_amount else f"{overlap_total}个月（未填月缴费额，退费金额由系统按缴费记录计算）")
    return DeemedResult(deemed, overlap_total, refund if any_amount or not overlap_total else None,
                        deemed + actual_total - overlap_total, rows)


@dataclass
class DuplicateResult:
    kept: int = out("保留的关系序号")
    refund: Decimal = out("清理关系退还本人", unit="元", money=True, headline=True)
    rows: list = table("各养老保险关系", ("序号", "个人账户储存额", "处理"))


@calculator("duplicate_refund", "重复缴费清理退费测算",
            "存在多重养老保险关系时保留一个关系和个人账户，其余关系清理，清理的个人账户储存额退还本人（000 §36）。",
            (Field("balances", "各关系个人账户储存额（元，逗号分隔）", "money_list"),
             Field("keep", "保留第几个关系", "int", minimum=1, maximum=20)),
            citations=("000 §36", "004:L8464"), keywords=("重复缴费", "多重关系"))
def compute_duplicate(inputs: dict, ctx: Context, ex: Explanation) -> DuplicateResult:
    balances, keep = inputs["balances"], inputs["keep"]
    if len(balances) < 2:
        raise InvalidInput("至少需要两个养老保险关系", "fewer than two balances", field="balances")
    if keep > len(balances):
        raise InvalidInput(f"保留的关系序号应在1–{len(balances)}之间", f"keep {keep}", field="keep")
    refund = sum((b for i, b in enumerate(balances, start=1) if i != keep), Decimal("0.00"))
    rows = [(str(i), b, "保留" if i == keep else "清理并退还本人") for i, b in enumerate(balances, start=1)]
    ex.step("清理重复关系", "000 §36；004:L8464", "退还金额 = Σ 清理关系的个人账户储存额；个人缴费年限不重复计算",
            {"关系数": len(balances), "保留": f"第{keep}个"}, {}, f"{refund}元（退至本人社会保障卡金融账户）")
    return DuplicateResult(keep, refund, rows)
