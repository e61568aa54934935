"""Appendix forms of seed 004 generated from the catalog (FormSpec) and case data: the A.1 参保登记表 for a demo person,
every printable form of the 156 items, values in 大写, blank boxes where the citizen fills or signs."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.catalog.model import FieldType, FormSpec
from app.docs.forms import (CHECKED, UNCHECKED, FormCase, appendix_form_blocks, classify, form_file_name, form_title,
                            plan_fields, printable_forms, printed_fields, render_appendix_form)
from app.docs.text import rmb_uppercase
from server.demo_data import demo_person, demo_person_ssns

PRINTED_AT = datetime(2026, 11, 25, 6, 5, tzinfo=timezone.utc)
AGENCY = "呼和浩特市新城区社会保险事业管理局"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _case(values: dict, **kw) -> FormCase:
    return FormCase(AGENCY, "150102001", "150102-T01-20261125-0007", "3f1c2a9e-8b7d-4c21-9a55-0e6d2b7f4a10", "OP0012",
                    values, PRINTED_AT, **kw)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def person():
    return demo_person(demo_person_ssns("uninsured")[0])


def _enrolment_values(p) -> dict:
    return dict(ssn=p.ssn, name=p.name, gender=p.gender, nation=p.nation, birth_date=p.birth_date.isoformat(),
                phone=p.phone, hukou_address=p.hukou_address, residence_address=p.residence_address,
                postcode=p.postcode, village=p.village, enrolment_date="2026-11-25")


def test_enrolment_form_prefilled(catalog, person, tmp_path: Path, poppler) -> None:
    item = catalog.get("resident_pension_enrolment")
    (form,) = printable_forms(item)
    pdf = render_appendix_form(item, form, _case(_enrolment_values(person)), tmp_path / "a1.pdf")
    assert poppler.pages(pdf) == 1
    text = poppler.pdftotext(pdf)
    flat = _squeeze(poppler.pdftotext(pdf, raw=True))
    assert "内蒙古城乡居民基本养老保险参保登记表" in text and "（表 A.1）" not in text
    assert "表A.1，004:L1694" in flat
    for value in (person.name, person.ssn, person.phone, person.nation, person.postcode, person.village):
        assert value in text, value  # kept by the agency: the ID number prints in full on the form itself
    assert _squeeze(person.hukou_address) in flat
    assert "2026年11月25日" in text  # 填写日期 and 参保登记时间
    assert f"{CHECKED}参保登记{UNCHECKED}变更登记" in flat
    assert f"{CHECKED}{person.gender}" in flat
    # reading order: identity before addresses before the pledge and the signatures
    order = [flat.index(x) for x in ("业务类型", "*姓名", "*公民身份号码", "户籍所在地址", "居住地址", "*参保登记时间",
                                     "参保人承诺", "以上填写内容真实无误", "参保人签章：", "县（市、区）社保机构审核意见",
                                     "经办人签章：", "填表说明")]
    assert order == sorted(order)
    assert "第 1 页 / 共 1 页" in text and "受理编号：150102-T01-20261125-0007" in text
    fonts = poppler.fonts(pdf)
    assert fonts and all(row[-5] == "yes" for row in fonts)


def test_blank_fields_are_boxes_to_fill(catalog, tmp_path: Path, poppler) -> None:
    """Nothing known about the applicant: every value cell stays empty, dates show 年 月 日 to fill in."""
    item = catalog.get("resident_pension_enrolment")
    (form,) = printable_forms(item)
    planned = plan_fields(item, form, _case({}))
    blank = [f for f in planned if f.kind not in ("header",) and not f.value]
    assert {f.label for f in blank} >= {"姓名", "公民身份号码", "联系电话", "参保人签章", "经办人签章"}
    text = poppler.pdftotext(render_appendix_form(item, form, _case({}), tmp_path / "blank.pdf"))
    assert len(re.findall(r"年\s+月\s+日", text)) >= 4  # 出生日期, 参保登记时间 and the two signature lines


def test_every_printable_form_of_the_catalog(catalog, tmp_path: Path, poppler) -> None:
    forms = [(item, form) for item in catalog.items for form in printable_forms(item)]
    assert len(forms) > 120
    for n, (item, form) in enumerate(forms):
        pdf = render_appendix_form(item, form, _case({}), tmp_path / f"{n:03d}.pdf")
        pages = poppler.pages(pdf)
        assert 1 <= pages <= 3, (form.name, pages)
        flat = _squeeze(poppler.pdftotext(pdf, raw=True))
        assert _squeeze(form_title(form.name)) in flat, form.name
        for f in printed_fields(plan_fields(item, form, _case({}))):
            assert _squeeze(f.label) in flat, (form.name, f.label)
    last = poppler.fonts(pdf)
    assert all(row[-5] == "yes" for row in last)


def test_money_fields_print_in_words(catalog, tmp_path: Path, poppler) -> None:
    """A payment form: the amount also in 人民币大写 (e.g. 退费金额 on the 养老保险退费审批表)."""
    hit = None
    for item in catalog.items:
        for form in printable_forms(item):
            money = [s for s in item.fields if s.type is FieldType.money]
            for spec in money:
                planned = plan_fields(item, form, _case({spec.key: "1680.32"}))
                if any("1,680.32" in f.value for f in planned):
                    hit = (item, form, spec)
                    break
            if hit:
                break
        if hit:
            break
    assert hit, "no appendix form shows a money field of its item"
    item, form, spec = hit
    pdf = render_appendix_form(item, form, _case({spec.key: "1680.32"}), tmp_path / "money.pdf")
    flat = _squeeze(poppler.pdftotext(pdf, raw=True))
    assert "¥1,680.32（大写：壹仟陆佰捌拾元叁角贰分）" in flat
    assert rmb_uppercase(Decimal("1680.32")) == "壹仟陆佰捌拾元叁角贰分"


def test_form_qr_decodes(catalog, person, tmp_path: Path, poppler) -> None:
    cv2 = pytest.importorskip("cv2")
    item = catalog.get("resident_pension_enrolment")
    (form,) = printable_forms(item)
    pdf = render_appendix_form(item, form, _case(_enrolment_values(person)), tmp_path / "a1.pdf")
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(cv2.imread(str(poppler.png(pdf, tmp_path, 150))))
    assert decoded == "YC|150102-T01-20261125-0007|3f1c2a9e-8b7d-4c21-9a55-0e6d2b7f4a10"


@pytest.mark.parametrize(("name", "title"), [
    ("内蒙古城乡居民基本养老保险参保登记表（表 A.1）", "内蒙古城乡居民基本养老保险参保登记表"),
    ("劳动能力鉴定申请表（正文未附表样）", "劳动能力鉴定申请表"),
    ("机关事业单位养老保险个人补收申报审批表（表 A.2；正文 6.2 称《机关事业单位养老保险个人差调申报审批表》）",
     "机关事业单位养老保险个人补收申报审批表"),
    ("（ ）年（ ）月新增人员申报表（表 A.1）", "（ ）年（ ）月新增人员申报表"),
    ("表 D-1 为民服务诉求登记单（咨询、求助和建议类）", "为民服务诉求登记单（咨询、求助和建议类）"),
    ("流动人员人事档案调函（含存根）（模板1）", "流动人员人事档案调函"),
])
def test_titles(name: str, title: str) -> None:
    assert form_title(name) == title


@pytest.mark.parametrize(("label", "kind"), [
    ("参保人签章", "sign"), ("单位名称（公章）", "sign"), ("县（市、区）社保机构审核意见", "opinion"),
    ("中心意见（经办人签字）", "opinion"), ("参保人承诺", "pledge"), ("出生日期", "date"), ("变更年月", "month"),
    ("户籍所在地址", "wide"), ("姓名", "text"), ("填写日期", "header"),
])
def test_label_kinds(label: str, kind: str) -> None:
    assert classify(label) == kind


def test_inline_options_become_check_boxes(catalog) -> None:
    item = catalog.get("resident_pension_enrolment")
    form = FormSpec(name="测试表", fields=("注销原因（丧失国籍/已享受其他基本养老保险待遇/死亡/其他）", "培训课时（理论课时/实操课时）",
                                          "就医项目（勾选）：转诊转院/异地长期居住/康复"))
    planned = {f.label: f for f in plan_fields(item, form, _case({}))}
    assert planned["注销原因"].options == ("丧失国籍", "已享受其他基本养老保险待遇", "死亡", "其他")
    assert planned["培训课时（理论课时/实操课时）"].options == ()  # two numbers, not a choice
    assert planned["就医项目"].options == ("转诊转院", "异地长期居住", "康复")


def test_file_name_and_blocks(catalog) -> None:
    item = catalog.get("resident_pension_enrolment")
    (form,) = printable_forms(item)
    assert form_file_name("150102-T01-20261125-0007", form) == "150102-T01-20261125-0007-内蒙古城乡居民基本养老保险参保登记表.pdf"
    assert appendix_form_blocks(item, form, _case({}))  # pure data, no ReportLab needed to inspect
    assert all(not any(n in f.name for n in ("个人权益记录单", "参保缴费证明")) for i in catalog.items
               for f in printable_forms(i))
