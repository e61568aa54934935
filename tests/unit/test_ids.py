from datetime import date

import pytest

from app.ids import (InvalidIdNumber, is_valid_id_number, is_valid_uscc, make_id_number, mask_id_number,
                     mask_id_numbers_in_text, parse_id_number, uscc_check_char)


def test_published_sample_number_is_valid():
    facts = parse_id_number("11010519491231002x")  # GB 11643 sample; lower-case x accepted
    assert facts.number == "11010519491231002X"
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.gender == "女"


@pytest.mark.parametrize("raw, reason", [
    ("1101051949123100", "18位"),
    ("11010519491231002A", "数字"),
    ("110105194912310021", "校验位"),
    ("110105194902300028", "出生日期"),
])
def test_bad_numbers_give_chinese_reasons(raw, reason):
    with pytest.raises(InvalidIdNumber) as err:
        parse_id_number(raw)
    assert reason in err.value.reason


def test_future_birth_date_refused():
    n = make_id_number("150102", date(2030, 1, 1), 1, True)
    with pytest.raises(InvalidIdNumber):
        parse_id_number(n, today=date(2026, 1, 1))


def test_made_numbers_validate_and_carry_gender():
    for seq in range(0, 500, 7):
        for male in (True, False):
            n = make_id_number("150203", date(1970, 2, 28), seq, male)
            f = parse_id_number(n)
            assert f.male is male and f.region_code == "150203"


def test_masking_keeps_six_and_four():
    n = make_id_number("150102", date(1980, 5, 17), 23, True)
    assert mask_id_number(n) == n[:6] + "********" + n[-4:]
    text = f"lookup ssn={n} failed; other 12345"
    masked = mask_id_numbers_in_text(text)
    assert n not in masked and mask_id_number(n) in masked and "12345" in masked


def test_uscc_check():
    code = "91150102MA0N" + "00001"
    full = code + uscc_check_char(code)
    assert is_valid_uscc(full)
    wrong = full[:-1] + ("0" if full[-1] != "0" else "1")
    assert not is_valid_uscc(wrong)
    assert not is_valid_id_number("abc")
