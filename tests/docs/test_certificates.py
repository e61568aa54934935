"""Verifiable certificates end to end: codes issued by a real reference server, PDFs read back with poppler, the QR
code decoded from the rendered page with OpenCV and checked against the server; forged, tampered and unknown codes."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from app.docs.certificates import (RIGHTS_TITLE, UNIT_TITLE, Verification, issue_and_render, render_rights_record,
                                   rights_content, unit_content)
from app.docs.certify import content_hash, parse_code
from app.docs.samples import rights_record, unit_certificate
from app.docs.text import rmb_uppercase
from app.ids import mask_id_number
from server.db import make_engine
from server.demo_data import DEMO_PASSWORD, generate_demo_data
from server.models import Certificate
from server.testing import run_server_in_thread

pytestmark = pytest.mark.integration


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def demo():
    return generate_demo_data()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('verify') / 'central.db'}"
    with run_server_in_thread(url, seed_demo=True) as base:
        yield base, url


@pytest.fixture(scope="module")
def authed(server):
    base, _url = server
    with httpx.Client(base_url=base, timeout=30) as c:
        token = c.post("/api/v1/auth/login", json={"operator_id": "demo", "password": DEMO_PASSWORD,
                                                  "terminal_id": "T-DOCS-01"}).json()["access_token"]
    with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


@pytest.fixture(scope="module")
def public(server):
    with httpx.Client(base_url=server[0], timeout=30) as c:
        yield c


def _longest_employee(demo):
    employees = [p for p in demo.persons if p.kind == "employee"]
    return min(employees, key=lambda p: min(i.since for i in p.insurances))


def _decode_qr(pdf: Path, folder: Path, poppler, page: int = 1) -> list[str]:
    """Every QR code OpenCV reads on the rendered page (as a scanner would: from pixels, not from the PDF)."""
    cv2 = pytest.importorskip("cv2")
    detector = cv2.QRCodeDetector()
    for dpi in (150, 300):
        image = cv2.imread(str(poppler.png(pdf, folder, dpi, page)))
        ok, decoded, _points, _ = detector.detectAndDecodeMulti(image)
        found = [d for d in decoded if d] if ok else []
        if not found:
            single, _points, _ = detector.detectAndDecode(image)
            found = [single] if single else []
        if not found:  # the document camera's decoder: OpenCV on a reduced copy, then zxing-cpp (a real scanner's
            from devices.camera.vision import decode_qr  # robustness; OpenCV alone misses some renderings)

            found = [r.text for r in decode_qr(image)]
        if found:
            return found
    raise AssertionError("no QR code decoded from the page")


def _verify(public: httpx.Client, url: str) -> dict:
    response = public.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def test_rights_record_one_year_verifies(demo, authed, public, tmp_path: Path, poppler) -> None:
    person = next(p for p in demo.persons if p.kind == "employee" and len(p.insurances) == 3)
    record = rights_record(person, demo.units, period_from="2024-01", period_to="2024-12", case_no="150102-T01-0001")
    issued = issue_and_render(authed, record, tmp_path / "qy.pdf")
    pdf = issued.path
    text = poppler.pdftotext(pdf)
    flat = _squeeze(poppler.pdftotext(pdf, raw=True))
    assert "2024年度社会保险个人权益记录单" in text
    assert person.name in text and mask_id_number(person.ssn) in text and person.ssn not in text
    assert issued.code in text and f"验证码：{issued.code}" in text  # in the panel and in every footer
    order = [flat.index(x) for x in ("个人基本信息", "首次参保日期", "缴费情况（按年度汇总", "基本养老保险个人账户情况",
                                     "缴费明细（按月", "2024-01", "2024-12", "社会保险经办机构名称", "更改信息回执")]
    assert order == sorted(order)
    fonts = poppler.fonts(pdf)
    assert fonts and all(row[-5] == "yes" for row in fonts)

    payloads = _decode_qr(pdf, tmp_path, poppler)
    assert set(payloads) == {issued.url}  # header and body carry the same address
    verdict = _verify(public, payloads[0])
    assert verdict["status"] == "genuine" and verdict["genuine"] is True
    facts = verdict["certificate"]
    assert facts["title"] == "2024年度社会保险个人权益记录单" and facts["subject_name"] == person.name
    assert facts["subject_id"] == mask_id_number(person.ssn)
    assert facts["content_hash"] == content_hash(rights_content(record))
    assert dict(facts["summary"])["个人缴费合计（元）"] in text  # what the server certifies is what the paper says
    assert (facts["period_from"], facts["period_to"]) == ("2024-01", "2024-12")


def test_long_rights_record_spans_pages(demo, tmp_path: Path, poppler) -> None:
    person = _longest_employee(demo)
    record = rights_record(person, demo.units)
    assert len(record.months) > 300
    code = "QY-7K2M-9XQ4-TRDF-3HN2-PWA8"
    pdf = render_rights_record(record, Verification(code, f"https://verify.example/api/v1/certificates/{code}"),
                               tmp_path / "long.pdf")
    pages = poppler.pages(pdf)
    assert pages >= 8
    seen = []
    for page in range(1, pages + 1):
        text = poppler.pdftotext(pdf, page)
        assert f"第 {page} 页 / 共 {pages} 页" in text
        assert f"验证码：{code}" in text  # each page can be verified on its own
        found = re.findall(r"\b(\d{4}-\d{2})\b", text)
        if found:
            assert "费款所属期" in text  # the month table's header repeats on every page it continues on
        seen += found
    months = [m.month for m in record.months]
    assert [m for m in seen if m in set(months)] == months  # every month once, in order, across the pages
    assert "更改信息回执" in poppler.pdftotext(pdf, pages)
    assert all(row[-5] == "yes" for row in poppler.fonts(pdf))


def test_retiree_record(demo, tmp_path: Path, poppler) -> None:
    retiree = next(p for p in demo.persons if p.kind == "retiree" and p.insurances[0].scheme == "企业职工基本养老保险")
    record = rights_record(retiree, demo.units, period_from="2024-01")
    pdf = render_rights_record(record, Verification("QY-X", "https://verify.example/x"), tmp_path / "r.pdf")
    text = poppler.pdftotext(pdf)
    assert "养老金领取情况" in text and "月养老金水平" in text and "缴费明细" not in text


def test_unit_certificate_verifies(demo, authed, public, tmp_path: Path, poppler) -> None:
    unit = demo.units[0]
    cert = unit_certificate(unit, demo.persons, case_no="150102-T01-20250106-0003", purpose="银行贷款")
    issued = issue_and_render(authed, cert, tmp_path / "cb.pdf")
    pdf = issued.path
    assert poppler.pages(pdf) == 1
    text = poppler.pdftotext(pdf)
    flat = _squeeze(poppler.pdftotext(pdf, raw=True))
    assert UNIT_TITLE in text and "证明编号：150102-T01-20250106-0003" in text
    assert _squeeze(f"兹证明{unit.name}（统一社会信用代码：{unit.uscc}）") in flat
    total = cert.paid_total.quantize(Decimal("0.01"))
    assert f"（大写：{rmb_uppercase(total)}）" in flat
    assert "该单位无欠缴社会保险费记录" in flat and "特此证明" in flat and "用于银行贷款" in flat
    assert flat.index("一、参保情况") < flat.index("二、缴费明细") < flat.index("特此证明") < flat.index("说明：")
    for scheme in cert.schemes:
        assert scheme.scheme in text
    assert all(row[-5] == "yes" for row in poppler.fonts(pdf))

    (payload,) = set(_decode_qr(pdf, tmp_path, poppler))
    verdict = _verify(public, payload)
    assert verdict["genuine"] and verdict["certificate"]["subject_name"] == unit.name
    assert verdict["certificate"]["subject_id"] == unit.uscc
    assert dict(verdict["certificate"]["summary"])["欠缴情况"] == "无欠缴"


def test_forged_tampered_and_unknown_codes(demo, authed, public, server, tmp_path: Path) -> None:
    person = next(p for p in demo.persons if p.kind == "employee")
    record = rights_record(person, demo.units, period_from="2023-01", period_to="2023-12")
    issued = issue_and_render(authed, record, tmp_path / "qy.pdf")
    assert _verify(public, f"/api/v1/certificates/{issued.code}")["status"] == "genuine"
    # typed by hand: lower case, no hyphens, O for 0 — still the same code
    typed = issued.code.replace("-", "").lower().replace("0", "o")
    assert _verify(public, f"/api/v1/certificates/{typed}")["status"] == "genuine"

    parsed = parse_code(issued.code)
    forged_tag = parsed.tag[:-1] + ("A" if parsed.tag[-1] != "A" else "B")
    forged = f"QY-{parsed.serial}{forged_tag}"
    verdict = _verify(public, f"/api/v1/certificates/{forged}")
    assert verdict["status"] == "tampered" and verdict["genuine"] is False and verdict["certificate"] is None
    assert "伪造或篡改" in verdict["message"]

    made_up = "QY-0000-0000-0000-0000-0000"
    assert _verify(public, f"/api/v1/certificates/{made_up}")["status"] == "unknown"
    assert _verify(public, "/api/v1/certificates/not-a-code")["status"] == "unknown"
    # a 参保证明 prefix on a 权益记录 serial is not the certificate that was issued
    assert _verify(public, f"/api/v1/certificates/CB-{parsed.serial}{parsed.tag}")["status"] == "unknown"

    # the holder of a digital copy can check its content: the right hash passes, another one is reported
    good = _verify(public, f"/api/v1/certificates/{issued.code}?content_hash={issued.content_hash}")
    assert good["status"] == "genuine"
    altered = replace(record, name=record.name + "X")
    other = content_hash(rights_content(altered))
    assert _verify(public, f"/api/v1/certificates/{issued.code}?content_hash={other}")["status"] == "tampered"

    # someone edits the stored record (a bigger pension account): the code no longer matches its content
    engine = make_engine(server[1])
    try:
        with engine.begin() as conn:
            row = conn.execute(Certificate.__table__.select().where(Certificate.serial == parsed.serial)).one()
            content = dict(row.content)
            content["summary"] = [[k, "999,999.99" if "账户累计" in k else v] for k, v in content["summary"]]
            conn.execute(update(Certificate).where(Certificate.serial == parsed.serial).values(content=content))
    finally:
        engine.dispose()
    assert _verify(public, f"/api/v1/certificates/{issued.code}")["status"] == "tampered"


def test_reprint_gets_the_same_code_and_issue_needs_sign_in(demo, authed, public, tmp_path: Path) -> None:
    unit = demo.units[1]
    cert = unit_certificate(unit, demo.persons, period_from="2024-07", issued_on=date(2025, 2, 3))
    first = issue_and_render(authed, cert, tmp_path / "a.pdf")
    again = issue_and_render(authed, cert, tmp_path / "b.pdf")
    assert again.code == first.code
    later = issue_and_render(authed, replace(cert, issued_on=date(2025, 2, 4)), tmp_path / "c.pdf")
    assert later.code != first.code  # another day, another certificate
    body = {"kind": "unit_certificate", "content": _jsonable(unit_content(cert))}
    anonymous = public.post("/api/v1/certificates", json=body)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthorized"


def test_issue_refuses_inconsistent_or_inexact_content(demo, authed) -> None:
    record = rights_record(next(p for p in demo.persons if p.kind == "employee"), demo.units, period_from="2024-06")
    content = rights_content(record)
    mismatch = authed.post("/api/v1/certificates", json={"kind": "unit_certificate",
                                                        "content": {**_jsonable(content)}})
    assert mismatch.status_code == 422 and mismatch.json()["error"]["code"] == "validation_error"
    with pytest.raises(TypeError):
        content_hash({**content, "rate": 0.16})  # floats are not certifiable


def _jsonable(content: dict) -> dict:
    from app.docs.certify import plain_content

    return plain_content(content)


def test_titles() -> None:
    assert RIGHTS_TITLE == "社会保险个人权益记录单"
    assert UNIT_TITLE == "单位社会保险参保缴费证明"
