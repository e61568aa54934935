"""The printable 测算单 (app/docs/estimate.py): explanation, parameters with sources, 大写 and the disclaimer."""
import shutil
import subprocess
from datetime import date, datetime, timezone

import pytest

from app.docs.estimate import DISCLAIMER, SAMPLE_NOTICE, EstimateDocument, estimate_title, render_estimate
from app.ids import make_id_number


def _text(pdf) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout.replace("\n", "")


def test_estimate_pdf_carries_explanation_and_disclaimer(calc, official, tmp_path):
    c = calc("enterprise_pension", params=official, today=date(2025, 1, 1), birth_date="1964-06-15", group="male",
             actual_months="480", avg_index="1.0", account_balance="139000")
    ssn = make_id_number("150102", date(1964, 6, 15), 7, True)
    doc = EstimateDocument(agency_name="呼和浩特市新城区社会保险事业管理局", calculation=c, operator_id="OP01",
                           operator_name="王丽", applicant_name="巴特尔", applicant_id_number=ssn,
                           printed_at=datetime(2025, 1, 2, 2, 0, tzinfo=timezone.utc))
    pdf = render_estimate(doc, tmp_path / "est.pdf")
    text = _text(pdf)
    assert estimate_title(c) == "企业职工基本养老金测算单" and "企业职工基本养老金测算单" in text
    assert "肆仟贰佰元整" in text                       # 4200.00 in 大写
    assert "国发〔2005〕38号" in text and "基础养老金" in text and "计算过程" in text and "所用参数" in text
    assert DISCLAIMER[:20] in text and SAMPLE_NOTICE[:10] not in text
    assert ssn not in text and ssn[:6] + "********" + ssn[-4:] in text


def test_sample_parameters_are_announced_on_paper(calc, tmp_path):
    c = calc("unemployment_benefit", contribution_months="30", involuntary="是", registered="是",
             birth_date="1985-05-01", group="male", application_date="2025-03-10")
    pdf = render_estimate(EstimateDocument(agency_name="测试经办机构", calculation=c), tmp_path / "u.pdf")
    text = _text(pdf)
    assert "失业保险金测算单" in text and "按月发放计划" in text and "004:L14403" in text
    assert SAMPLE_NOTICE[:10] in text and "示例值" in text
