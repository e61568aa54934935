"""社会保险缴费通知单 (表 A.1): amounts by scheme, the total in 大写 and in the 仟佰拾万仟佰拾元角分 boxes."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.docs.payment import PaymentLine, PaymentNotice, digit_boxes, render_payment_notice

AT = datetime(2026, 11, 25, 6, 5, tzinfo=timezone.utc)


@pytest.fixture
def notice() -> PaymentNotice:
    regular = PaymentLine("职业年金", "正常应缴", 86, D("1036500.00"), D("0.08"), D("0.04"), D("82920.00"), D("41460.00"))
    back = PaymentLine("职业年金", "补缴", 2, D("24000.00"), D("0.08"), D("0.04"), D("1920.00"), D("960.00"),
                       D("31.20"), D("15.60"), D("12.50"))
    return PaymentNotice("呼和浩特市新城区社会保险事业管理局", "150102001", "ZS2026110012", "事业单位", "150102100231",
                         "呼和浩特市新城区第一中学", "中国工商银行呼和浩特新城支行", "0602001209200012345", "2026-11",
                         "2026-11", (regular, back), AT, "OP0012", staff=(85, 2, 1, 86),
                         arrears=(D("2880.00"), D("2880.00"), D("0.00")), scheme_title="职业年金")


def test_payment_notice(notice: PaymentNotice, tmp_path: Path, poppler) -> None:
    pdf = render_payment_notice(notice, tmp_path / "pay.pdf", printed_at=AT)
    assert poppler.pages(pdf) == 1
    text = poppler.pdftotext(pdf)
    flat = re.sub(r"\s+", "", poppler.pdftotext(pdf, raw=True))
    assert notice.total == D("127319.30")
    assert "社会保险缴费通知单（职业年金）" in text
    assert "人民币壹拾贰万柒仟叁佰壹拾玖元叁角整" in flat
    assert "仟佰拾万仟佰拾元角分¥127319" in flat  # the voucher boxes, read left to right
    for value in ("124,380.00", "2,939.30", "127,319.30", "1,060,500.00", "呼和浩特市新城区第一中学", "2026年11月"):
        assert value in flat, value
    assert flat.index("正常应缴") < flat.index("补缴") < flat.index("合计金额")
    assert "期末在职人数86人" in flat and "征收批次号：ZS2026110012" in text
    assert all(row[-5] == "yes" for row in poppler.fonts(pdf))


@pytest.mark.parametrize(("amount", "boxes"), [
    ("127319.30", ("", "¥", "1", "2", "7", "3", "1", "9", "3", "0")),
    ("0.05", ("", "", "", "", "", "", "¥", "0", "0", "5")),
    ("99999999.99", ("9",) * 10),
])
def test_digit_boxes(amount: str, boxes: tuple) -> None:
    assert digit_boxes(D(amount)) == boxes


def test_inconsistent_notices_refused(notice: PaymentNotice) -> None:
    with pytest.raises(ValueError, match="staff"):
        replace(notice, staff=(85, 2, 1, 87))
    with pytest.raises(ValueError, match="arrears"):
        replace(notice, arrears=(D("1.00"), D("0.50"), D("0.40")))
    with pytest.raises(ValueError, match="fen"):
        replace(notice.lines[0], unit_principal=D("82920.004"))
    with pytest.raises(ValueError, match="boxes"):
        big = replace(notice.lines[0], unit_principal=D("99999999.00"))
        replace(notice, lines=(big,))
    with pytest.raises(ValueError, match="naive"):
        replace(notice, issued_at=datetime(2026, 11, 25, 14, 5))
