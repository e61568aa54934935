"""Age gates of the catalog's conditions: the 16-year-old card rule (004:L4630) and the others."""
from datetime import date

import pytest

from app.ids import make_id_number
from app.rules.errors import InvalidInput


@pytest.mark.parametrize("day,age,in_person", [("2025-05-16", 15, False), ("2025-05-17", 16, True)])
def test_004_L4630_sixteen_year_card_rule(calc, day, age, in_person):
    """004:L4630: 年满16周岁本人持证办理；不满16周岁由法定代理人代为办理. The birthday itself counts."""
    r = calc("age_gates", birth_date="2009-05-17", check_date=day).result
    assert r.age == age and r.in_person is in_person
    assert r.gates[0][3].startswith("本人" if in_person else "不满16周岁")


def test_age_from_the_id_number(calc):
    ssn = make_id_number("150102", date(2008, 2, 29), 11, True)
    r = calc("age_gates", ssn=ssn, check_date="2025-02-28").result
    assert r.birth_date == date(2008, 2, 29) and r.age == 16


@pytest.mark.parametrize("birth,minor", [("2008-01-01", True), ("2007-06-01", False), ("2010-01-01", False)])
def test_minor_worker_16_to_17(calc, birth, minor):
    """004:L19670: 年满16周岁不满18周岁的未成年工."""
    r = calc("age_gates", birth_date=birth, check_date="2025-06-01").result
    row = next(g for g in r.gates if g[0] == "录用未成年工登记备案")
    assert row[3].startswith("年满16周岁不满18周岁") is minor


@pytest.mark.parametrize("start,child", [("1979-05-16", True), ("1979-05-17", False)])
def test_004_L7588_child_labour_check(calc, start, child):
    """004:L7588: 校验是否是童工（16周岁前参加工作）."""
    r = calc("age_gates", birth_date="1963-05-17", work_start=start).result
    assert r.child_labour is child


def test_bad_dates(calc):
    with pytest.raises(InvalidInput):
        calc("age_gates", birth_date="2030-01-01", check_date="2025-01-01")
    with pytest.raises(InvalidInput) as err:
        calc("age_gates", birth_date="1850-01-01")
    assert "超出" in err.value.user_message
    with pytest.raises(InvalidInput):
        calc("age_gates")
