"""Parameters as data: region overrides, effective dating, imported official values, schema checks, and the
never-a-silent-default rule."""
from datetime import date
from pathlib import Path

import pytest

from app.rules import import_parameter_file, load_parameters
from app.rules.errors import MissingParameter, ParameterFileError
from app.rules.params import region_chain, shipped_dir


def test_every_shipped_value_has_a_source_and_samples_are_labelled(shipped):
    entries = shipped.entries()
    assert entries and all(e.source for e in entries)
    for e in entries:
        if "示例" in e.source:
            assert e.sample, f"{e.key} {e.region} {e.period()} looks like a sample but is not labelled"
    samples = {e.key for e in entries if e.sample}
    # what the seeds do not give (rules-digest §2.9) ships as labelled samples
    assert {"avg_wage_monthly", "pension_calc_base_monthly", "resident_basic_pension_national",
            "contribution_rates", "injury_avg_wage_monthly", "national_urban_disposable_income"} <= samples
    # what seed 004 gives is not a sample
    for key in ("unemployment_months_table", "unemployment_monthly_standard", "transfer_pooled_ratio",
                "injury_funeral_months", "flexible_base_bounds"):
        assert key not in samples


def test_seed_citations_point_at_the_lines(shipped):
    """Every 004:L… cited by a shipped parameter exists in the seed and says what the value claims."""
    seed = Path(__file__).resolve().parents[2] / "docs" / "seeds" / "004_f296b97e2ab141b6.txt"
    lines = seed.read_text(encoding="utf-8").splitlines()
    assert "享受月数\t2\t4\t8\t12\t14\t15\t16\t17\t18\t24" in lines[14404 - 1]
    assert "1782" in lines[14411 - 1] and "1584" in lines[14412 - 1]
    assert "12%" in lines[6685 - 1]
    assert "6个月" in lines[11894 - 1] and "20" in lines[11896 - 1]
    assert "保留到元" in lines[6488 - 1]
    assert "视同缴费月数" in lines[5802 - 1]
    assert "1 日至 15 日" in lines[14416 - 1] and "15 日之前申请的当月审核发放" in lines[14420 - 1]


def test_region_chain():
    assert region_chain("150404") == ["150404", "150400", "150000", "000000"]
    assert region_chain("150000") == ["150000", "000000"]
    with pytest.raises(ValueError):
        region_chain("15")


def test_a_district_overrides_the_autonomous_region(shipped):
    on = date(2025, 1, 1)
    assert shipped.get("recovery_offset_order", "150404", on=on).region == "150404"      # 002 §29 (松山区)
    assert shipped.get("recovery_offset_order", "150102", on=on).region == "150000"
    assert shipped.get("payout_months_table", "150404", on=on).region == "000000"


def test_missing_parameter_names_parameter_and_year(shipped):
    with pytest.raises(MissingParameter) as err:
        shipped.get("pension_calc_base_monthly", "150102", year=2031)
    e = err.value
    assert e.key == "pension_calc_base_monthly" and "2031" in e.period
    assert "计发基数" in e.user_message and "2031年度" in e.user_message and "150102" in e.user_message
    with pytest.raises(MissingParameter) as err:
        shipped.get("unemployment_monthly_standard", "150102", on=date(2023, 5, 1))
    assert "2023年" in err.value.user_message


def test_imported_official_value_wins_over_the_shipped_sample(tmp_path):
    official = tmp_path / "official-2025.yaml"
    official.write_text('parameters:\n  - {key: avg_wage_monthly, region: "150000", year: 2024, value: 8123,\n'
                        '     source: 内蒙古自治区人社厅 2025年公布}\n', encoding="utf-8")
    data_dir = tmp_path / "data"
    target, entries = import_parameter_file(official, data_dir)
    assert target.parent == data_dir / "parameters" and len(entries) == 1
    ps = load_parameters(data_dir)
    entry = ps.get("avg_wage_monthly", "150102", year=2024)
    assert entry.value == 8123 and not entry.sample and entry.layer == 1
    assert load_parameters().get("avg_wage_monthly", "150102", year=2024).sample


@pytest.mark.parametrize("body,message", [
    ("parameters:\n  - {key: nonsense, region: '150000', year: 2024, value: 1, source: x}\n", "未定义的参数"),
    ("parameters:\n  - {key: avg_wage_monthly, region: '150000', year: 2024, value: 1}\n", "缺少来源"),
    ("parameters:\n  - {key: avg_wage_monthly, region: '150000', from: 2024-01-01, value: 1, source: x}\n", "year"),
    ("parameters:\n  - {key: fen_rounding, region: '150000', year: 2024, value: HALF_UP, source: x}\n", "from"),
    ("parameters:\n  - {key: avg_wage_monthly, region: '150000', year: 2024, value: -5, source: x}\n", "负数"),
    ("parameters:\n  - {key: avg_wage_monthly, region: '15', year: 2024, value: 5, source: x}\n", "6位"),
    ("parameters:\n  - {key: avg_wage_monthly, region: '150000', year: 2024, value: 5, source: x}\n"
     "  - {key: avg_wage_monthly, region: '150000', year: 2024, value: 6, source: y}\n", "两个取值"),
    ("parameters: [\n", "YAML"),
    ("nothing: here\n", "parameters"),
])
def test_invalid_files_are_refused_and_nothing_is_installed(tmp_path, body, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(ParameterFileError) as err:
        import_parameter_file(bad, tmp_path / "data")
    assert message in err.value.user_message
    assert not (tmp_path / "data" / "parameters").exists() or not list((tmp_path / "data" / "parameters").iterdir())


def test_a_new_year_is_a_data_change(tmp_path, calc):
    """Adding next year's value is a file, not code: the calculator picks it up."""
    folder = tmp_path / "y"
    folder.mkdir()
    (folder / "2027.yaml").write_text('defaults: {region: "150000", source: 测试}\nparameters:\n'
                                      '  - {key: pension_calc_base_monthly, year: 2027, value: 9000}\n',
                                      encoding="utf-8")
    ps = load_parameters(extra_dirs=[folder])
    c = calc("enterprise_pension", params=ps, today=date(2027, 3, 1), birth_date="1966-01-10", group="male",
             actual_months="400", avg_index="1", account_balance="100000", retirement_month="2027-03")
    assert c.result.calc_base == 9000 and not c.result.provisional


def test_definitions_file_is_shipped():
    assert (shipped_dir() / "definitions.yaml").is_file()
