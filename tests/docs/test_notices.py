"""The 一次性告知书 and 不予受理通知书 rendered to real PDFs and read back with poppler; the receipt's 承诺办结日期."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from app.catalog.model import (Citation, Condition, Group, LimitKind, MaterialForm, MaterialSpec, ServiceItem,
                               TimeLimit)
from app.docs.notices import (CONTINUE_TEXT, DEFAULT_REMEDY, RETURNED_TEXT, CorrectionNotice, RefusalNotice,
                              correction_materials, refusal_reasons, render_correction_notice,
                              render_refusal_notice)
from app.docs.receipt import AcceptanceReceipt, render_acceptance_receipt
from app.ids import mask_id_number

MISSING = (
    ("《城乡居民基本养老保险参保登记表》", "表格", 1, "窗口现场填写，申请人签字"),
    ("居民户口簿（户主页及本人页）", "原件及复印件", 1, "验原件，收复印件"),
    ("《独生子女父母光荣证》（如有）", "复印件", 2, "享受缴费补贴的"),
    ("银行卡（存折）", "复印件", 1, ""),
    ("委托书（代办时提供）", "原件", 1, "由他人代办的"),
)
RECEIVED = (("居民身份证（正反面）", "原件"), ("近期一寸免冠照片", "原件"))
REASONS = (
    ("年满16周岁（不含在校学生）", "004:L1612 二、受理条件"),
    ("非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可以在户籍地参加城乡居民养老保险",
     "004:L1613"),
)


def _common(raw_id: str) -> dict:
    return dict(
        agency_name="呼和浩特市新城区社会保险事业管理局",
        agency_code="150102001",
        case_no="150102-T01-20261125-0008",
        case_id="7d0b7f7e-1c3a-4e55-8a61-2f9d0c4b5e21",
        item_name="城乡居民养老保险参保登记",
        item_citation="《内蒙古自治区社会保险经办服务标准化指南》004:L1604",
        applicant_name="乌兰其其格",
        applicant_id_number=raw_id,
        operator_id="OP0012",
        operator_name="王丽",
        terminal_id="T01",
    )


@pytest.fixture
def correction(raw_id: str) -> CorrectionNotice:
    return CorrectionNotice(
        **_common(raw_id),
        notified_at=datetime(2026, 11, 25, 6, 3, tzinfo=timezone.utc),
        missing=MISSING,
        received=RECEIVED,
        deadline_text="请于补齐材料后到任一窗口继续办理，本业务保留至 2026年12月31日",
    )


@pytest.fixture
def refusal(raw_id: str) -> RefusalNotice:
    return RefusalNotice(**_common(raw_id), decided_at=datetime(2026, 11, 25, 6, 3, tzinfo=timezone.utc),
                         reasons=REASONS)


def _squeeze(text: str) -> str:
    """Text without whitespace: a wrapped cell or paragraph is then one run, whatever the line breaks."""
    return re.sub(r"\s+", "", text)


def _flow(pdf: Path, poppler) -> str:
    """The body in content order (pdftotext -raw: a wrapped cell's lines stay together), whitespace removed.
    The page furniture is painted last, so header and footer come after the body."""
    return _squeeze(poppler.pdftotext(pdf, raw=True))


def _assert_fonts_embedded(pdf: Path, poppler) -> None:
    rows = poppler.fonts(pdf)
    assert rows, "no fonts listed"
    assert any("WenQuanYiMicroHei" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows), rows


def _assert_footers(pdf: Path, poppler) -> int:
    pages = poppler.pages(pdf)
    for page in range(1, pages + 1):
        text = poppler.pdftotext(pdf, page)
        assert f"第 {page} 页 / 共 {pages} 页" in text
        assert len(re.findall(r"共 \d+ 页", text)) == 1
    return pages


def test_correction_notice(correction: CorrectionNotice, tmp_path: Path, poppler, raw_id: str, printed_at) -> None:
    pdf = render_correction_notice(correction, tmp_path / "correction.pdf", printed_at=printed_at)
    text = poppler.pdftotext(pdf)
    flat = _flow(pdf, poppler)
    assert text.count("一次性告知书") >= 2  # header subtitle and body title
    assert "经审查，您申请办理的“城乡居民养老保险参保登记”所需材料尚不齐全，现一次性告知如下：" in flat
    assert correction.case_no in text and correction.agency_name in text
    assert mask_id_number(raw_id) in text
    assert raw_id not in text and raw_id[6:14] not in text
    assert "2026年11月25日 14:03" in text  # 06:03 UTC, printed in Beijing time

    missing_at, received_at = flat.index("需补齐的材料"), flat.index("已收取的材料")
    assert missing_at < received_at
    for n, (name, form, count, notes) in enumerate(MISSING, start=1):
        where = flat.index(_squeeze(name))
        assert missing_at < where < received_at, name
        assert f"{form}／{count}份" in flat[where:received_at]
        assert _squeeze(notes) in flat[where:received_at]
    for name, form in RECEIVED:
        assert flat.index(_squeeze(name)) > received_at, name
    assert received_at < flat.index(_squeeze(correction.deadline_text))
    assert CONTINUE_TEXT in flat
    assert correction.contact in text
    assert _squeeze(f"办理依据：{correction.item_citation}") in flat
    assert "申请人签收" in text and "经办人：" in text
    assert flat.index(correction.agency_name + "2026年11月25日") > flat.index("申请人签收")  # dated sign-off
    assert "第 1 页 / 共 1 页" in text
    _assert_fonts_embedded(pdf, poppler)


def test_correction_notice_numbers_every_material(correction: CorrectionNotice, tmp_path: Path, poppler) -> None:
    text = poppler.pdftotext(render_correction_notice(correction, tmp_path / "c.pdf"))
    rows = [line.split()[0] for line in text.splitlines()
            if line.split() and line.split()[0].isdigit() and len(line.split()[0]) <= 2]
    assert rows[:len(MISSING)] == [str(n) for n in range(1, len(MISSING) + 1)]


def test_forty_missing_materials_span_pages(correction: CorrectionNotice, tmp_path: Path, poppler) -> None:
    many = tuple((f"《证明材料》（第{n:02d}项）", "复印件", 1, "按实际情况提供的证明材料，复印件须加盖公章")
                 for n in range(1, 41))
    pdf = render_correction_notice(replace(correction, missing=many), tmp_path / "long.pdf")
    pages = _assert_footers(pdf, poppler)
    assert pages >= 2
    seen = _flow(pdf, poppler)
    for name, *_ in many:
        assert _squeeze(name) in seen
    assert seen.count("需补齐的材料") == 1  # one notice, one list, continued (header row repeated) over pages
    last = poppler.pdftotext(pdf, pages)
    assert "申请人签收" in last and "2026年11月25日" in last  # signatures and date close the last page


def test_refusal_notice(refusal: RefusalNotice, tmp_path: Path, poppler, raw_id: str, printed_at) -> None:
    pdf = render_refusal_notice(refusal, tmp_path / "refusal.pdf", printed_at=printed_at)
    text = poppler.pdftotext(pdf)
    flat = _flow(pdf, poppler)
    assert text.count("不予受理通知书") >= 2
    assert "经审查，您申请办理的“城乡居民养老保险参保登记”不符合受理条件，决定不予受理。理由如下：" in flat
    assert mask_id_number(raw_id) in text and raw_id not in text
    start = flat.index("理由如下：")
    positions = []
    for reason, citation in REASONS:
        at = flat.index(_squeeze(reason), start)
        assert _squeeze(citation) in flat[at - 40:at + len(_squeeze(reason)) + 40], citation
        positions.append(at)
    assert positions == sorted(positions)
    assert positions[-1] < flat.index(_squeeze(DEFAULT_REMEDY)) < flat.index(RETURNED_TEXT)
    assert "申请人签收" in text and "经办人：" in text
    assert refusal.agency_name in text
    assert "第 1 页 / 共 1 页" in text
    _assert_fonts_embedded(pdf, poppler)


def test_notices_escape_user_text(correction: CorrectionNotice, refusal: RefusalNotice, tmp_path: Path,
                                  poppler) -> None:
    odd = replace(correction, applicant_name="A&B <测试>", received=(),
                  missing=(("<b>证明</b> & 说明", "原件", 1, ""),))
    text = poppler.pdftotext(render_correction_notice(odd, tmp_path / "odd.pdf"))
    assert "A&B <测试>" in text and "<b>证明</b> & 说明" in text
    assert "未收取材料" in text
    text = poppler.pdftotext(render_refusal_notice(replace(refusal, reasons=(("条件 <甲> & 乙", ""),)),
                                                   tmp_path / "odd-r.pdf"))
    assert "条件 <甲> & 乙" in text


def test_notices_refuse_bad_data(correction: CorrectionNotice, refusal: RefusalNotice) -> None:
    with pytest.raises(ValueError, match="naive"):
        replace(correction, notified_at=datetime(2026, 11, 25, 14, 3))
    with pytest.raises(ValueError, match="naive"):
        replace(refusal, decided_at=datetime(2026, 11, 25, 14, 3))
    with pytest.raises(ValueError, match="missing"):
        replace(correction, missing=())
    with pytest.raises(ValueError, match="count"):
        replace(correction, missing=(("户口簿", "原件", 0, ""),))
    with pytest.raises(ValueError, match="reason"):
        replace(refusal, reasons=())
    assert correction.qr_payload == f"YC|{correction.case_no}|{correction.case_id}"
    assert correction.applicant_id_number not in correction.qr_payload


def _item() -> ServiceItem:
    cite = Citation(line=1604)
    return ServiceItem(
        code="resident_pension_enrolment", name="城乡居民养老保险参保登记", group=Group.registration, source=cite,
        conditions=(Condition(text="年满16周岁", source=Citation(line=1612)), Condition(text="户籍在本地")),
        time_limit_statutory=TimeLimit(kind=LimitKind.instant), time_limit_promised=TimeLimit(kind=LimitKind.instant),
        materials=(
            MaterialSpec(code="id_card", name="居民身份证", form=MaterialForm.original),
            MaterialSpec(code="hukou", name="户口簿", form=MaterialForm.original_and_copy),
            MaterialSpec(code="photo", name="照片", count=2),
            MaterialSpec(code="proxy", name="委托书", required=False, condition="由他人代办的",
                         condition_field="by_proxy", condition_values=("是",)),
            MaterialSpec(code="hukou_db", name="户籍信息", shared=True),
        ),
        fields=({"key": "by_proxy", "label": "是否代办", "type": "choice", "options": ("是", "否")},),
    )


def test_materials_from_catalog_item() -> None:
    missing, received = correction_materials(_item(), {"by_proxy": "是"}, {"id_card": True})
    assert missing == (("户口簿", "原件及复印件", 1, ""), ("照片", "原件", 2, ""), ("委托书", "原件", 1, "由他人代办的"))
    assert received == (("居民身份证", "原件"),)
    missing, _ = correction_materials(_item(), {"by_proxy": "否"}, {})
    assert [m[0] for m in missing] == ["居民身份证", "户口簿", "照片"]  # never the shared 户籍信息 (000 §12)


def test_reasons_from_catalog_item() -> None:
    item = _item()
    assert refusal_reasons(item, item.conditions) == (("年满16周岁", "004:L1612"), ("户籍在本地", "004:L1604"))


def test_receipt_promised_date(receipt: AcceptanceReceipt, tmp_path: Path, poppler) -> None:
    dated = replace(receipt, promised_time_limit="10个工作日", promised_date=date(2026, 12, 9))
    text = poppler.pdftotext(render_acceptance_receipt(dated, tmp_path / "dated.pdf"))
    assert "承诺办结日期" in text and "2026年12月09日" in text
    assert "承诺时限" in text and "10个工作日" in text
    plain = poppler.pdftotext(render_acceptance_receipt(receipt, tmp_path / "plain.pdf"))
    assert "承诺办结日期" not in plain and "承诺时限" in plain
    with pytest.raises(TypeError):
        replace(receipt, promised_date=datetime(2026, 12, 9, tzinfo=timezone.utc))
