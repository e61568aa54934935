"""The 受理回执 rendered to a real PDF and read back with poppler."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from app.docs.receipt import AcceptanceReceipt, render_acceptance_receipt
from app.docs.style import PAGE_HEIGHT, QR_SIZE, qr_matrix, qr_origin
from app.ids import mask_id_number



@pytest.fixture
def receipt_pdf(receipt: AcceptanceReceipt, tmp_path: Path, printed_at: datetime) -> Path:
    return render_acceptance_receipt(receipt, tmp_path / "receipt.pdf", printed_at=printed_at)


def test_receipt_text(receipt: AcceptanceReceipt, receipt_pdf: Path, poppler, raw_id: str) -> None:
    text = poppler.pdftotext(receipt_pdf)
    assert "受理回执" in text
    assert receipt.case_no in text
    assert receipt.agency_name in text
    assert mask_id_number(raw_id) in text
    assert mask_id_number(raw_id) == raw_id[:6] + "********" + raw_id[-4:]
    assert raw_id not in text
    assert raw_id[6:14] not in text  # not even the birth date part
    for name, status in receipt.materials:
        assert name in text
        assert status in text
    for label, value in receipt.summary_fields:
        assert label in text and value in text
    assert "2026年11月25日 14:03" in text  # accepted 06:03 UTC, printed in Beijing time
    assert "打印时间：2026年11月25日 14:05" in text
    assert receipt.item_citation in text
    assert receipt.query_hint in text
    assert "申请人签字" in text and "经办人签字" in text
    assert "第 1 页 / 共 1 页" in text


def test_font_embedded(receipt_pdf: Path, poppler) -> None:
    rows = poppler.fonts(receipt_pdf)
    assert rows, "no fonts listed"
    assert any("WenQuanYiMicroHei" in row[0] for row in rows)
    # every font is embedded (emb column = "yes"): nothing left to the viewer's substitution
    assert all(row[-5] == "yes" for row in rows), rows


def test_many_materials_span_pages(many_materials: AcceptanceReceipt, tmp_path: Path, poppler, printed_at) -> None:
    pdf = render_acceptance_receipt(many_materials, tmp_path / "long.pdf", printed_at=printed_at)
    pages = poppler.pages(pdf)
    assert pages >= 2
    seen = ""
    for page in range(1, pages + 1):
        text = poppler.pdftotext(pdf, page)
        assert f"第 {page} 页 / 共 {pages} 页" in text
        assert len(re.findall(r"共 \d+ 页", text)) == 1
        seen += text
    for name, _ in many_materials.materials:
        assert name in seen
    assert "申请人签字" in poppler.pdftotext(pdf, pages)  # signatures close the last page


def test_empty_materials_and_escaping(receipt: AcceptanceReceipt, tmp_path: Path, poppler) -> None:
    odd = replace(receipt, materials=(), applicant_name="A&B <测试>", summary_fields=())
    text = poppler.pdftotext(render_acceptance_receipt(odd, tmp_path / "odd.pdf"))
    assert "本事项未收取材料" in text
    assert "A&B <测试>" in text


def test_naive_accept_time_refused(receipt: AcceptanceReceipt) -> None:
    with pytest.raises(ValueError, match="naive"):
        replace(receipt, accepted_at=datetime(2026, 11, 25, 14, 3))


def test_qr_payload(receipt: AcceptanceReceipt, raw_id: str) -> None:
    assert receipt.qr_payload == f"YC|{receipt.case_no}|{receipt.case_id}"
    assert raw_id not in receipt.qr_payload
    assert replace(receipt, verify_payload="X|1").qr_payload == "X|1"


def test_qr_decodes_to_payload(receipt: AcceptanceReceipt, receipt_pdf: Path, tmp_path: Path, poppler) -> None:
    cv2 = pytest.importorskip("cv2", reason="opencv (cv2) not installed; the module-sampling test below still runs")
    png = poppler.png(receipt_pdf, tmp_path, dpi=150)
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(cv2.imread(str(png)))
    assert decoded == receipt.qr_payload


def test_qr_modules_match_payload(receipt: AcceptanceReceipt, receipt_pdf: Path, tmp_path: Path, poppler) -> None:
    """Without a decoder: sample the centre of every module in the rendered page and compare with the encoding."""
    dpi = 300
    scale = dpi / 72
    image = Image.open(poppler.png(receipt_pdf, tmp_path, dpi=dpi)).convert("L")
    expected = qr_matrix(receipt.qr_payload)
    n = len(expected)
    x0, y0 = qr_origin()
    top = PAGE_HEIGHT - (y0 + QR_SIZE)  # from the top edge, as the image counts
    module = QR_SIZE / n
    seen = [
        [image.getpixel((round((x0 + (c + 0.5) * module) * scale), round((top + (r + 0.5) * module) * scale))) < 128
         for c in range(n)]
        for r in range(n)
    ]
    assert seen == expected
    near_miss = receipt.qr_payload[:-1] + ("1" if receipt.qr_payload[-1] != "1" else "2")
    assert seen != qr_matrix(near_miss)  # same size code, one character off: the sampling tells them apart
