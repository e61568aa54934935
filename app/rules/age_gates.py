"""Age gates used by the catalog's conditions: 16 years for acting in person on social security card business
(004:L4630), resident enrolment (004:L1628), unemployment registration in working age (004:L15325), minor workers
aged 16–17 (004:L19670), the 童工 check of the work start (004:L7588) and 就业见习 for 16–24 (004:L15639)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.ids import InvalidIdNumber, parse_id_number
from app.rules.base import Context, Field, calculator, out, table
from app.rules.errors import InvalidInput
from app.rules.explain import Explanation
from app.rules.months import age_years

# (code, what, citation, minimum age, maximum age or None, text when met, text when not met)
GATES = (
    ("sscard_in_person", "社会保障卡业务本人持证办理", "004:L4630", 16, None, "本人持有效身份证件原件办理",
     "不满16周岁：由法定代理人持有效身份证件原件代为办理（需监护关系证明）"),
    ("resident_enrolment", "城乡居民养老保险参保登记", "004:L1628", 16, None, "年满16周岁（在校学生除外）可参保",
     "不满16周岁，不能参保"),
    ("unemployment_registration", "失业登记（劳动年龄内）", "004:L15325", 16, None, "年满16周岁，可办理（已依法享受基本养老保险待遇的除外）",
     "不满16周岁，不在劳动年龄内"),
    ("minor_worker", "录用未成年工登记备案", "004:L19670", 16, 17, "年满16周岁不满18周岁，属未成年工",
     "不属于未成年工（年满16周岁不满18周岁）"),
    ("internship", "就业见习（16–24岁登记失业青年）", "004:L15639", 16, 24, "在16–24岁范围内",
     "不在16–24岁范围内（离校2年内未就业高校毕业生除外）"),
)


def age_on(birth: date, day: date) -> int:
    return age_years(birth, day)


@dataclass
class AgeGateResult:
    birth_date: date = out("出生日期")
    on: date = out("核验日期")
    age: int = out("周岁年龄", unit="周岁")
    in_person: bool = out("可本人办理社会保障卡业务")
    child_labour: bool | None = out("童工（未满16周岁参加工作）")
    work_start_age: int | None = out("参加工作时年龄", unit="周岁")
    gates: list = table("年龄条件", ("事项", "依据", "条件", "结果"))


@calculator("age_gates", "年龄条件核验（16周岁持卡规则等）",
            "按出生日期（或公民身份号码）计算周岁，核验社会保障卡本人办理、居民参保、失业登记、未成年工、童工等年龄条件。",
            (Field("ssn", "公民身份号码", "text", required=False, help="与出生日期二选一"),
             Field("birth_date", "出生日期", "date", required=False),
             Field("check_date", "核验日期", "date", required=False, help="不填则为测算日期"),
             Field("work_start", "参加工作日期（童工校验）", "date", required=False)),
            citations=("004:L4630", "004:L1628", "004:L15325", "004:L19670", "004:L7588", "004:L15639"),
            keywords=("年龄", "16周岁", "童工"))
def compute_age_gates(inputs: dict, ctx: Context, ex: Explanation) -> AgeGateResult:
    on = inputs.get("check_date") or ctx.today
    birth = inputs.get("birth_date")
    if inputs.get("ssn"):
        try:
            facts = parse_id_number(inputs["ssn"], on)
        except InvalidIdNumber as exc:
            raise InvalidInput(exc.reason, f"bad ssn: {exc.reason}", field="ssn") from None
        if birth and birth != facts.birth_date:
            raise InvalidInput("出生日期与公民身份号码中的出生日期不一致", "birth mismatch", field="birth_date")
        birth = facts.birth_date
    if birth is None:
        raise InvalidInput("请填写“公民身份号码”或“出生日期”", "no birth date", field="birth_date")
    if birth > on:
        raise InvalidInput("出生日期不能晚于核验日期", f"birth {birth} > {on}", field="birth_date")
    age = age_on(birth, on)
    ex.step("周岁年龄", "004:L4630", "周岁 = 核验日期年份 − 出生年份，未到当年生日的减1", {"出生日期": birth, "核验日期": on},
            {}, f"{age}周岁")
    rows = []
    for code, what, cite, low, high, yes, no in GATES:
        ok = age >= low and (high is None or age <= high)
        cond = f"年满{low}周岁" + (f"且不超过{high}周岁" if high is not None else "")
        rows.append((what, cite, cond, yes if ok else no))
        ex.step(what, cite, cond, {"年龄": f"{age}周岁"}, {}, yes if ok else no)
    child = start_age = None
    work = inputs.get("work_start")
    if work is not None:
        if work < birth:
            raise InvalidInput("参加工作日期不能早于出生日期", "work before birth", field="work_start")
        start_age = age_on(birth, work)
        child = start_age < 16
        rows.append(("童工校验", "004:L7588", "参加工作时年满16周岁",
                     f"参加工作时{start_age}周岁，" + ("属童工，强制拦截" if child else "不属童工")))
        ex.step("童工校验", "004:L7588", "参加工作时未满16周岁的为童工（退休审核强制校验）", {"参加工作日期": work},
                {"参加工作时年龄": f"{start_age}周岁"}, "属童工" if child else "不属童工")
    return AgeGateResult(birth, on, age, age >= 16, child, start_age, rows)
