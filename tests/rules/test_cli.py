"""`yichuang calc`: JSON with result, explanation steps and parameters; Chinese errors with exit code 2."""
import json
import subprocess
import sys

import pytest

from ui.cli import main


def _run(capsys, *argv):
    code = main(["calc", *argv])
    out = capsys.readouterr()
    return code, out


def test_calc_help_lists_every_calculator(capsys):
    with pytest.raises(SystemExit) as done:
        main(["calc", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for name in ("retirement_age", "enterprise_pension", "unemployment_benefit", "injury_death", "transfer_fund",
                 "recovery_offset", "age_gates", "contribution_base"):
        assert name in text


def test_retirement_json(capsys):
    code, out = _run(capsys, "retirement_age", "--birth-date", "1965-01-10", "--group", "male", "--on", "2025-06-01",
                     "--region", "150102")
    assert code == 0
    data = json.loads(out.out)
    assert data["calculator"] == "retirement_age" and data["result"]["statutory_month"] == "2025-02"
    assert data["explanation"]["steps"][0]["citation"].startswith("延迟退休决定")
    assert all(p["source"] for p in data["parameters"])
    assert {"label": "法定退休年龄", "value": "60周岁1个月"} in data["summary"]


def test_unemployment_json_with_bool_flags(capsys):
    code, out = _run(capsys, "unemployment_benefit", "--contribution-months", "130", "--involuntary", "--registered",
                     "--birth-date", "1970-05-01", "--group", "male", "--application-date", "2025-03-10",
                     "--on", "2025-03-10")
    data = json.loads(out.out)
    assert code == 0 and data["result"]["first_period_amount"] == "2138.40"
    assert data["result"]["schedule"][0][0] == "2025-03"


def test_errors_are_json_and_chinese(capsys):
    code, out = _run(capsys, "contribution_base", "--kind", "employee", "--declared", "-5", "--lower", "3000",
                     "--upper", "15000")
    assert code == 2
    assert json.loads(out.out)["error"]["field"] == "declared" and "不能为负数" in out.err
    code, out = _run(capsys, "contribution_base", "--kind", "employee", "--declared", "5000", "--on", "2019-06-01",
                     "--region", "150102")
    assert code == 2 and json.loads(out.out)["error"]["code"] == "parameter_missing"
    assert "2018年度" in out.err


def test_params_listing(capsys):
    code, out = _run(capsys, "params", "--key", "unemployment_months_table")
    data = json.loads(out.out)
    assert code == 0 and data["parameters"][0]["source"].startswith("004:L14403")


def test_pdf_option(tmp_path, capsys):
    pdf = tmp_path / "est.pdf"
    code, out = _run(capsys, "account_drawdown", "--account-pension-at-retirement", "300",
                     "--pension-at-retirement", "1000", "--total-increase", "100", "--pdf", str(pdf), "--on", "2025-06-01")
    assert code == 0 and pdf.is_file() and json.loads(out.out)["pdf"] == str(pdf)


def test_installed_entry_point_help():
    done = subprocess.run([sys.executable, "-m", "ui.cli", "calc", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "enterprise_pension" in done.stdout
