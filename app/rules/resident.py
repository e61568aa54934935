"""城乡居民养老保险 rules without a formula elsewhere: the transfer of a resident's relationship and account when they
move (001 ch7 L89–L98, 002 §32–§34), the settlement on 注销 — account balance, and the 丧葬补助金 only for someone
already receiving the pension (002 §18, §20; 001 ch6 L87) — and the cap on 集体补助 / 社会资助 (001 ch3 L35)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.rules.base import Context, Field, calculator, out
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.money import to_fen
from app.rules.months import Month

MOVES = (("same_county", "本县（区）内迁移"), ("same_league", "同一盟市内跨县（区）"),
         ("cross_league", "跨盟市或跨省"))
GROUNDS = (("death", "死亡"), ("nationality", "丧失中华人民共和国国籍"), ("other_pension", "已享受其他基本养老保障待遇"))
ZERO = Decimal("0.00")


@dataclass
class ResidentTransferResult:
    move: str = out("迁移情形")
    relationship_moves: str = out("养老保险关系")
    funds: Decimal = out("转移资金", unit="元", money=True, headline=True)
    interest: Decimal = out("转出前结息", unit="元", money=True)
    procedure: str = out("办理要点")


@calculator("resident_transfer", "城乡居民养老保险关系转移测算",
            "已领取待遇的不转移；县（区）内迁移只变更地址；同一盟市内跨县只转关系不转资金；跨盟市或跨省的，"
            "转出地结息后将个人账户储存额一次性全额转移。",
            (Field("receiving", "已按月领取城乡居民养老保险待遇", "bool", required=False, default=False),
             Field("move", "迁移情形", "choice", choices=MOVES),
             Field("account_balance", "个人账户储存额（元，结息前）", "money", required=False, default="0"),
             Field("interest", "转出前结息（元）", "money", required=False, default="0",
                   help="转出地按记账利率计算至转出时的利息")),
            citations=("001 ch7 L89–L98", "002 §32", "002 §33", "002 §34"), keywords=("居民转移", "关系转移", "jmzy"))
def compute_resident_transfer(inputs: dict, ctx: Context, ex: Explanation) -> ResidentTransferResult:
    """rules-digest §5 case 33."""
    move, balance, interest = inputs["move"], to_fen(inputs["account_balance"]), to_fen(inputs["interest"])
    label = dict(MOVES)[move]
    if inputs["receiving"]:
        ex.step("已领取待遇的不转移", "001 ch7 L89；002 §32", "已按月领取待遇的，户籍迁移后养老保险关系也不转移",
                {"迁移情形": label}, {}, "不转移，关系留在原地")
        return ResidentTransferResult(label, "不转移（已领取待遇）", ZERO, ZERO, "告知本人待遇继续在原参保地领取")
    if move == "same_county":
        ex.step("县（区）内迁移", "001 ch7 L90；002 §33", "本县（区）内迁移的，不办理转移，只变更地址或户籍信息",
                {"个人账户储存额": balance}, {}, "转移资金0元")
        return ResidentTransferResult(label, "不转移（只变更地址/户籍）", ZERO, ZERO, "办理个人信息变更")
    if move == "same_league":
        ex.step("同一盟市内跨县（区）", "001 ch7 L91；002 §33", "只转移养老保险关系，不转移个人账户资金",
                {"个人账户储存额": balance}, {}, "转移资金0元")
        return ResidentTransferResult(label, "转移关系，不转资金", ZERO, ZERO, "转入地建立关系，账户记录随转")
    funds = balance + interest
    ex.step("跨盟市或跨省：结息后全额转移", "001 ch7 L92–L96；002 §34",
            "转入地5个工作日内审核并出具接收函；转出地结息后，将个人账户储存额一次性全额转移",
            {"个人账户储存额": balance, "结息": interest}, {}, f"转移资金{funds}元")
    return ResidentTransferResult(label, "转移关系和个人账户资金", funds, interest,
                                  "转入地收到全部资金后方可建立个人账户；告知本人账户数额，有异议可申请复核")


@dataclass
class DeregistrationResult:
    ground: str = out("注销原因")
    stop_from: Month | None = out("停发起始月")
    account: Decimal = out("个人账户余额结算", unit="元", money=True)
    funeral: Decimal = out("丧葬补助金", unit="元", money=True)
    total: Decimal = out("结算合计", unit="元", money=True, headline=True)
    payee: str = out("领取人")


@calculator("resident_deregistration", "城乡居民养老保险注销结算测算",
            "死亡、丧失国籍或已享受其他基本养老保障待遇的注销登记，次月起停发；死亡的结算个人账户余额，"
            "已领取待遇的同时结算丧葬补助金；其他原因只结算个人账户余额。",
            (Field("ground", "注销原因", "choice", choices=GROUNDS),
             Field("condition_month", "注销情形发生年月", "month", required=False,
                   help="死亡年月或取得国外国籍、领取其他待遇的年月"),
             Field("receiving", "已按月领取城乡居民养老保险待遇", "bool", required=False, default=False),
             Field("account_balance", "个人账户余额（元）", "money"),
             Field("funeral_grant", "丧葬补助金标准（元）", "money", required=False, default="0",
                   help="按当地标准填写（种子文件未给出金额）")),
            citations=("002 §18", "002 §20", "001 ch6 L79", "001 ch6 L87"), keywords=("注销", "丧葬补助金", "账户结算", "jmzx"))
def compute_deregistration(inputs: dict, ctx: Context, ex: Explanation) -> DeregistrationResult:
    """rules-digest §5 cases 17 (account settled on death), 18 (funeral grant gate) and 19 (stop month)."""
    ground, account, grant = inputs["ground"], to_fen(inputs["account_balance"]), to_fen(inputs["funeral_grant"])
    month = inputs.get("condition_month")
    stop = month + 1 if month is not None else None
    ex.step("停止发放", "002 §18", "符合注销条件的，自次月起停止发放待遇",
            {"注销情形发生": month.cn() if month else "未填"}, {}, stop.cn() + "起停发" if stop else "待核实发生年月")
    ex.step("结算个人账户余额", "002 §20；001 ch6 L87", "注销时个人账户余额一次性结算",
            {"个人账户余额": account}, {}, f"{account}元")
    funeral = ZERO
    if ground == "death" and inputs["receiving"]:
        if grant <= 0:
            raise InvalidInput("已领取待遇人员死亡的，须填写丧葬补助金标准", "funeral grant missing",
                               field="funeral_grant")
        funeral = grant
        ex.step("丧葬补助金", "002 §20", "已经领取待遇的，同时结算丧葬补助金", {"标准": grant}, {}, f"{grant}元")
    else:
        why = "未领取待遇前死亡的只结算个人账户余额" if ground == "death" else "非死亡原因注销的只结算个人账户余额"
        ex.step("丧葬补助金", "002 §20", why, {"注销原因": dict(GROUNDS)[ground]}, {}, "不发")
    payee = "指定受益人或法定继承人" if ground == "death" else "本人"
    return DeregistrationResult(dict(GROUNDS)[ground], stop, account, funeral, account + funeral, payee)


@dataclass
class SubsidyCapResult:
    highest_standard: Decimal = out("现行最高缴费标准", unit="元", money=True)
    collective: Decimal = out("集体补助", unit="元", money=True)
    social_aid: Decimal = out("社会资助", unit="元", money=True)
    accepted: str = out("核验结果", headline=False)


@calculator("resident_subsidy_cap", "集体补助、社会资助上限核验",
            "集体补助和社会资助分别不得超过当地现行最高缴费标准（缴费档次表由当地配置）。",
            (Field("highest_standard", "现行最高缴费档次（元/年）", "money", help="当地缴费档次表的最高档"),
             Field("collective", "集体补助（元）", "money", required=False, default="0"),
             Field("social_aid", "社会资助（元）", "money", required=False, default="0")),
            citations=("001 ch3 L35",), keywords=("集体补助", "社会资助", "缴费档次"))
def compute_subsidy_cap(inputs: dict, ctx: Context, ex: Explanation) -> SubsidyCapResult:
    """rules-digest §5 case 32: above the highest standard → refused; equal → accepted."""
    top = to_fen(inputs["highest_standard"])
    if top <= 0:
        raise InvalidInput("现行最高缴费档次应大于0", f"highest standard {top}", field="highest_standard")
    for key, label in (("collective", "集体补助"), ("social_aid", "社会资助")):
        amount = to_fen(inputs[key])
        ok = amount <= top
        ex.step(f"{label}上限", "001 ch3 L35", f"{label} ≤ 现行最高缴费标准", {label: amount, "最高标准": top}, {},
                "符合" if ok else "超过上限")
        if not ok:
            raise InvalidInput(f"{label}{amount}元超过现行最高缴费标准{top}元，不予受理（001 ch3 L35）",
                               f"{key} {amount} > {top}", field=key)
    return SubsidyCapResult(top, to_fen(inputs["collective"]), to_fen(inputs["social_aid"]), "未超过上限，可以受理")
