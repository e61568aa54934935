"""The calculators in the counter's finder (app.rules.finder) and the calculator inputs a business screen's
applicant prefills (app.rules.prefill)."""
from datetime import date

import pytest

from app.ids import make_id_number
from app.rules import ITEM_CALCULATORS, REGISTRY
from app.rules.finder import CALC_PREFIX, calculator_of, is_calculator_code, search_calculators
from app.rules.prefill import applicant_inputs

MAN = make_id_number("150102", date(1966, 5, 10), 31, True)
WOMAN = make_id_number("150102", date(1972, 3, 1), 12, False)


def _names(text: str) -> list[str]:
    return [s.name for s in search_calculators(text)]


@pytest.mark.parametrize("text, first", [
    ("退休年龄", "retirement_age"), ("养老金测算", "enterprise_pension"), ("txnl", "retirement_age"),
    ("失业金", "unemployment_benefit"), ("失业保险金", "unemployment_benefit"), ("工亡", "injury_death"),
    ("视同缴费", "deemed_months"), ("缴费基数", "contribution_base"), ("cxjm", "resident_pension"),
])
def test_finder_words_find_the_calculator(text, first):
    assert _names(text)[0] == first


def test_pension_words_list_both_pension_estimates():
    assert {"enterprise_pension", "resident_pension"} <= set(_names("养老金测算"))


def test_generic_word_lists_every_calculator_and_nonsense_none():
    assert set(_names("测算")) == set(REGISTRY)
    assert _names("") == [] and _names("   ") == [] and _names("qqqzzz") == []


def test_codes_round_trip():
    assert is_calculator_code(CALC_PREFIX + "retirement_age") and not is_calculator_code("retirement_age")
    assert not is_calculator_code(None) and not is_calculator_code("")
    assert calculator_of("calc:unemployment_benefit").name == "unemployment_benefit"


def test_item_calculators_exist():
    for item, names in ITEM_CALCULATORS.items():
        assert set(names) <= set(REGISTRY), item


def test_prefill_from_a_man_on_the_retirement_screen():
    got = applicant_inputs({"ssn": MAN.lower(), "name": "巴特尔", "gender": "男", "archive_birth_date": "1966-05-10",
                            "retirement_date": "2026-10-01", "deemed_months": "60", "unit_name": "某公司"})
    assert got == {"ssn": MAN, "name": "巴特尔", "birth_date": "1966-05-10", "group": "male",
                   "retirement_month": "2026-10", "deemed_months": "60"}


def test_prefill_uses_the_id_number_when_the_form_says_nothing_else():
    got = applicant_inputs({"ssn": MAN})
    assert got["birth_date"] == "1966-05-10" and got["group"] == "male"


def test_prefill_prefers_the_file_birth_date_over_the_id_number():
    """档案出生日期 decides retirement (it may differ from the ID number's date)."""
    assert applicant_inputs({"ssn": MAN, "archive_birth_date": "1965-12-01"})["birth_date"] == "1965-12-01"


@pytest.mark.parametrize("identity, group", [("干部", "female_cadre"), ("工人", "female_worker"),
                                             ("个体", "female_cadre"), ("", None)])
def test_a_womans_group_needs_her_identity_at_retirement(identity, group):
    got = applicant_inputs({"ssn": WOMAN, "identity_at_retirement": identity})
    assert got.get("group") == group and got["birth_date"] == "1972-03-01"


def test_prefill_injury_fields_and_invalid_ids_are_left_out():
    got = applicant_inputs({"ssn": "150102196605101234", "disability_grade": "七级", "injury_date": "2024-02-03",
                            "appraisal_date": "2024-08-01", "death_type": "停工留薪期内因工伤导致死亡"})
    assert "ssn" not in got and "group" not in got
    assert (got["grade"], got["injury_date"], got["assessment_date"], got["death_type"]) == (
        "7", "2024-02-03", "2024-08-01", "during_leave")


def test_items_with_calculators_are_catalog_items():
    from app.catalog import load_catalog

    catalog = load_catalog()
    assert [code for code in ITEM_CALCULATORS if code not in catalog] == []
