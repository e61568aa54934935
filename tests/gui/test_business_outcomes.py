"""The generic business screen on items of every group, offline: 受理, 一次性告知补正, 不予受理 and their PDFs."""
from datetime import date

from PySide6.QtCore import Qt

from app.clock import local_today
from app.docs.text import format_cn_day
from app.ids import make_id_number, mask_id_number
from app.sync.relay import SyncStatus
from app.workflow.machine import Status
from tests.gui.helpers import (NAME, PHONE, SSN, USCC, bad_check_digit, press_save, bad_uscc_check, between, click_choice,
                               confirm_all, fill, fill_applicant, pdf_text, save, set_materials, type_text)

TODAY = local_today().isoformat()


def _rows(runtime):
    return {c.case_no: c for c in runtime.cases.recent()}


def test_accepted_working_days_item_prints_the_promised_date(qtbot, window, runtime):
    """社会保险登记, a unit item with a 2-working-day promise: the receipt carries the 承诺办结日期."""
    form = window.open_item("gov_inst_si_registration")
    assert form.field_widgets["unit_uscc"].hasFocus(), "a unit item starts with its 统一社会信用代码"
    fill(qtbot, form, {"unit_uscc": USCC, "unit_name": "呼和浩特市新城区图书馆", "institution_type": "公益一类事业单位",
                       "bank_name": "中国工商银行呼和浩特新城支行", "bank_account": "0602001209024567890"})
    assert not form.grid.status["unit_uscc"].isVisible(), "a valid code raises no inline message"
    confirm_all(qtbot, form)
    set_materials(qtbot, form)
    pdf = save(qtbot, form)

    result = form.last_result
    case = result.case
    assert result.outcome.value == "accepted" and case.status == Status.accepted.value
    due = result.deadline.due
    assert due is not None and due > local_today() and case.promised_due == due.isoformat()
    assert form.message_label.text().startswith(f"已受理，受理编号 {case.case_no}，承诺办结日期 {format_cn_day(due)}")
    assert _rows(runtime)[case.case_no].document_path == str(pdf) == str(form.last_document)
    text = pdf_text(pdf)
    assert "受理回执" in text and case.case_no in text
    assert f"承诺办结日期{format_cn_day(due)}" in text
    assert "2个工作日" in text
    assert "对应业务材料" in text and "已收取" in text


def test_wrong_uscc_check_character_is_refused_focused_and_nothing_saved(qtbot, window, runtime):
    form = window.open_item("gov_inst_si_registration")
    fill(qtbot, form, {"unit_uscc": bad_uscc_check(USCC), "unit_name": "新城区图书馆",
                       "institution_type": "公益一类事业单位", "bank_name": "工商银行",
                       "bank_account": "0602001209024567890"})
    status = form.grid.status["unit_uscc"]
    assert status.isVisible() and status.text() == "统一信用代码校验位不正确，请核对营业执照", "checked while typing"
    assert form.field_widgets["unit_uscc"].property("invalid") is True
    confirm_all(qtbot, form)
    set_materials(qtbot, form)
    form.field_widgets["unit_name"].setFocus()
    press_save(qtbot, form)
    assert form.message_label.isVisible()
    assert form.message_label.text().startswith("统一信用代码校验位不正确或含有不允许的字母")
    assert form.field_widgets["unit_uscc"].hasFocus()
    assert form.last_case is None and form.save_button.isEnabled()
    assert runtime.cases.recent() == [] and runtime.cases.pending_outbox() == 0


def test_correction_notice_lists_exactly_the_missing_materials(qtbot, window, runtime):
    form = window.open_item("resident_pension_enrolment")
    fill_applicant(qtbot, form)
    rows = form.materials.rows
    click_choice(qtbot, rows["hukou_book"].selector, "missing")
    click_choice(qtbot, rows["enrolment_form"].selector, "missing")
    click_choice(qtbot, rows["id_document"].selector, "waived")  # 告知承诺 counts as provided
    pdf = save(qtbot, form)

    result = form.last_result
    assert result.outcome.value == "correction"
    assert [m.code for m in result.missing] == ["hukou_book", "enrolment_form"]
    assert form.message_label.text().startswith("材料不齐，已生成一次性告知书")
    assert pdf.name == f"{result.case.case_no}-一次性告知书.pdf"
    case = runtime.cases.get(result.case.case_id)
    assert case.status == Status.correction.value and case.status_label == "待补正"
    assert case.payload["missing"] == ["hukou_book", "enrolment_form"]
    text = pdf_text(pdf)
    assert "一次性告知书" in text and case.case_no in text and mask_id_number(SSN) in text
    missing_part = between(text, "需补齐的材料", "已收取的材料")
    # (a long name wraps inside its table cell, so its tail may follow the next column's text)
    assert "户口簿首页和本人页" in missing_part and "《内蒙古城乡居民基本养老保险参保登记表" in missing_part
    assert "有效身份证件" not in missing_part, "a 告知承诺 material is not demanded again"
    assert form.save_button.text() == "已告知补正" and not form.save_button.isEnabled()


def test_refused_under_age_with_reason_and_citation(qtbot, window, runtime):
    """城乡居民养老保险参保登记 needs 16 years (min_age predicate, 004:L1628): a 15-year-old is refused."""
    minor = make_id_number("150102", date(local_today().year - 15, 1, 2), 5, False)
    form = window.open_item("resident_pension_enrolment")
    fill_applicant(qtbot, form, ssn=minor, name="萨仁")
    first = form.conditions.rows[0]
    assert first.verdict.value == "failed", "evaluated live from the ID number"
    assert "申请人须年满16周岁（当前15周岁）" in first.label.text() and "004:L1628" in first.label.text()
    assert form.conditions.title().endswith("不符合 1 项）")
    pdf = save(qtbot, form)

    result = form.last_result
    assert result.outcome.value == "refused" and result.case.status == Status.refused.value
    assert form.message_label.text().startswith(f"不予受理（受理编号 {result.case.case_no}）")
    assert pdf.name.endswith("-不予受理通知书.pdf")
    text = pdf_text(pdf)
    assert "不予受理通知书" in text
    assert "年满16周岁（不含在校学生）（申请人须年满16周岁（当前15周岁））" in text
    assert "004:L16285.1" in text  # the citation column: 004:L1628 5.1
    assert _rows(runtime)[result.case.case_no].status_label == "不予受理"


def test_clerk_answering_not_met_refuses_with_that_condition(qtbot, window, runtime):
    """失业保险: a condition the clerk checks by hand (非因本人意愿中断就业) answered 不符合."""
    form = window.open_item("unemployment_benefit_claim")
    fill_applicant(qtbot, form)
    click_choice(qtbot, form.conditions.rows[1].choice, "no")
    assert form.conditions.title() == "办理条件（符合 4 项，待核实 0 项，不符合 1 项）"
    pdf = save(qtbot, form)
    assert form.last_result.outcome.value == "refused"
    text = pdf_text(pdf)
    assert "非因本人意愿中断就业（经办人核实不符合）" in text and "004:L14385" in text
    assert "按照规定参加失业保险" not in text, "only the failed condition is a reason"


def test_conditional_material_shown_and_demanded_only_when_the_field_requires_it(qtbot, window, runtime):
    """企业职工个人基本信息变更: 关键信息 needs 人事档案、户籍资料 (key_info_evidence); 一般信息 does not."""
    form = window.open_item("ent_employee_personal_info_change")
    assert form.header.offline_note is not None and "联网后方能办结" in form.header.offline_note.text()
    row = form.materials.rows["key_info_evidence"]
    assert not row.shown and row.label.isHidden(), "no 变更信息类别 chosen yet: not asked for"
    base = {"ssn": SSN, "name": NAME, "phone": PHONE, "change_reason": "出生日期登记错误"}
    fill(qtbot, form, {**base, "change_level": "关键信息"})
    assert row.shown and not row.label.isHidden()
    confirm_all(qtbot, form)
    set_materials(qtbot, form, {"key_info_evidence": "missing"})
    pdf = save(qtbot, form)
    result = form.last_result
    assert result.outcome.value == "correction"
    assert [m.code for m in result.missing] == ["key_info_evidence"]
    missing_part = between(pdf_text(pdf), "需补齐的材料", "已收取的材料")
    assert "人事档案、公安部门户籍资料等材料" in missing_part
    assert "社会保障卡" not in missing_part, "shared materials are never demanded"

    form = window.open_item("ent_employee_personal_info_change")
    row = form.materials.rows["key_info_evidence"]
    fill(qtbot, form, {**base, "ssn": make_id_number("150102", date(1975, 3, 9), 41, False), "name": "其其格",
                       "change_level": "一般信息"})
    assert not row.shown and row.label.isHidden() and row.selector.isHidden()
    assert "key_info_evidence" not in form.material_states()
    confirm_all(qtbot, form)
    set_materials(qtbot, form)
    save(qtbot, form)
    result = form.last_result
    assert result.outcome.value == "accepted" and result.missing == ()
    assert runtime.cases.get(result.case.case_id).payload["materials"]["key_info_evidence"] == "missing"


def test_shared_material_is_never_demanded(qtbot, window, runtime):
    """企业社会保险登记: 营业执照 is obtained by data sharing (000 §12): no selector, not on any notice."""
    form = window.open_item("ent_si_registration")
    shared = form.materials.rows["business_license"]
    assert shared.selector is None and shared.shared_label.text() == "信息共享获取（无需提供）"
    assert form.material_states()["business_license"] == "shared"
    fill(qtbot, form, {"unit_uscc": USCC, "unit_name": "呼和浩特市青城乳业有限公司", "legal_rep_name": "张建国",
                       "legal_rep_ssn": SSN})
    confirm_all(qtbot, form)
    set_materials(qtbot, form, {"annual_declaration_commitment": "missing"})
    pdf = save(qtbot, form)
    assert [m.code for m in form.last_result.missing] == ["annual_declaration_commitment"]
    text = pdf_text(pdf)
    assert "营业执照" not in between(text, "需补齐的材料", "已收取的材料")

    form = window.open_item("employee_pension_normal_retirement")  # 养老保险: its only material is shared
    assert form.materials.selectors() == []
    fill(qtbot, form, {"ssn": make_id_number("150102", date(1966, 1, 4), 12, True), "name": "巴特尔",
                       "retirement_date": TODAY})
    confirm_all(qtbot, form)
    pdf = save(qtbot, form)
    result = form.last_result
    assert result.outcome.value == "accepted" and result.deadline.due is not None
    assert "信息共享获取" in pdf_text(pdf)


def test_online_only_item_shows_where_to_go_instead_of_a_form(qtbot, window, runtime):
    form = window.open_item("esscard_application")  # 社会保障卡: 电子社保卡 is served online only
    assert form.online_panel is not None and form.online_panel.isVisible()
    assert form.online_panel.title.text() == "本事项网上办理，窗口不受理"
    assert "网上办理" in form.online_panel.link.text()
    assert not form._scroll.isVisible() and not form.save_button.isVisible()
    form.save()  # Ctrl+S out of habit
    assert form.message_label.text() == "本事项网上办理，窗口不受理"
    assert runtime.cases.recent() == []


def test_online_policy_item_is_refused_offline_and_accepted_online(qtbot, window, runtime):
    """证明查询打印 needs the central system: offline the 网上办理 panel; once the relay reports online, the form."""
    form = window.open_item("personal_rights_record_print")
    panel = form.online_panel
    assert panel.isVisible() and panel.title.text() == "本事项须联网办理，当前中心系统离线"
    assert not form.save_button.isEnabled()
    press_save(qtbot, form, click=False)
    assert "须联网办理" in form.message_label.text()
    assert runtime.cases.recent() == []

    runtime.relay.on_status(SyncStatus(online=True, pending=0, failed=0))  # what the relay thread reports
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    assert form._scroll.isVisible() and form.save_button.isEnabled()
    fill(qtbot, form, {"ssn": SSN, "name": NAME, "applicant_category": "本人", "record_year": "2025"})
    assert form.materials.rows["own_id_card"].shown and not form.materials.rows["power_of_attorney"].shown
    confirm_all(qtbot, form)
    set_materials(qtbot, form)
    save(qtbot, form)
    assert form.last_result.outcome.value == "accepted"
    assert runtime.cases.get(form.last_case.case_id).status == Status.completed.value  # 即时办结


def test_items_of_more_groups_accept(qtbot, window, runtime):
    """社会保险费申报, 就业创业 (conditional materials by two fields) and 其他 (a written mediation application)."""
    form = window.open_item("gov_inst_pension_annual_wage_declaration")
    fill(qtbot, form, {"unit_uscc": USCC, "unit_name": "新城区图书馆", "declaration_year": "2026",
                       "annual_wage_total": "1250000.00"})
    confirm_all(qtbot, form)
    pdf = save(qtbot, form)
    due = form.last_result.deadline.due
    assert "10个工作日" in pdf_text(pdf) and format_cn_day(due) in pdf_text(pdf)

    form = window.open_item("employment_registration")
    rows = form.materials.rows
    fill(qtbot, form, {"ssn": SSN, "name": NAME, "registration_type": "自主创业、灵活就业或自由职业",
                       "local_hukou": "否"})
    assert [c for c, r in rows.items() if r.shown] == ["employment_certificate", "self_employment_form",
                                                       "residence_permit"]
    confirm_all(qtbot, form)
    set_materials(qtbot, form)
    save(qtbot, form)
    assert form.last_result.outcome.value == "accepted"

    form = window.open_item("labor_dispute_mediation_application")
    fill(qtbot, form, {"ssn": make_id_number("150102", date(1990, 8, 8), 7, False), "name": "娜仁",
                       "phone": PHONE, "unit_name": "呼和浩特市某商贸有限公司", "applicant_kind": "劳动者",
                       "application_mode": "书面", "application_date": TODAY, "dispute_matter": "拖欠工资"})
    assert form.materials.rows["mediation_application"].shown
    confirm_all(qtbot, form)
    set_materials(qtbot, form)
    pdf = save(qtbot, form)
    result = form.last_result
    assert result.outcome.value == "accepted" and "书面调解申请" in pdf_text(pdf)
    assert {c.item_code for c in runtime.cases.recent()} == {
        "gov_inst_pension_annual_wage_declaration", "employment_registration", "labor_dispute_mediation_application"}


def test_work_injury_with_occupational_disease_demands_the_diagnosis(qtbot, window, runtime):
    """工伤保险: 职业病 makes the diagnosis certificate required; it is listed with the other missing paper."""
    form = window.open_item("work_injury_recognition")
    assert not form.materials.rows["occupational_disease_diagnosis"].shown
    fill(qtbot, form, {"ssn": SSN, "name": NAME, "applicant_role": "工伤职工", "unit_name": "某建筑公司",
                       "injury_type": "职业病", "accident_date": TODAY})
    assert form.materials.rows["occupational_disease_diagnosis"].shown
    confirm_all(qtbot, form)
    set_materials(qtbot, form, {"initial_diagnosis": "missing", "occupational_disease_diagnosis": "missing",
                                "labour_relation_proof": "waived"})
    pdf = save(qtbot, form)
    assert [m.code for m in form.last_result.missing] == ["initial_diagnosis", "occupational_disease_diagnosis"]
    missing_part = between(pdf_text(pdf), "需补齐的材料", "已收取的材料")
    assert "医疗机构出具的职工受伤害时初诊" in missing_part and "确诊的职业病诊断证明书" in missing_part
    assert "《工伤认定申请表》" not in missing_part and "劳动关系" not in missing_part


def test_scans_are_kept_until_the_case_exists_then_stored(qtbot, window, runtime, tmp_path, monkeypatch):
    scan = tmp_path / "hukou.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    monkeypatch.setattr("ui.business.materials.choose_file", lambda *_a: str(scan))
    form = window.open_item("resident_pension_enrolment")
    fill_applicant(qtbot, form)
    row = form.materials.rows["hukou_book"]
    qtbot.mouseClick(row.attach_button, Qt.MouseButton.LeftButton)  # 扫描/附件 → file dialog (replaced)
    qtbot.waitUntil(lambda: len(row.scans) == 1, timeout=10000)  # read off the GUI thread
    assert row.attach_button.text() == "扫描/附件（1）"
    form.materials.attach("id_document", b"%PDF-1.4 scanned id", "application/pdf", "id.pdf")  # e.g. the 高拍仪
    assert form.has_unsaved_input()
    save(qtbot, form)
    stored = runtime.attachments.list(form.last_case.case_id)
    assert sorted((a.material_code, a.file_name, a.mime_type) for a in stored) == [
        ("hukou_book", "hukou.png", "image/png"), ("id_document", "id.pdf", "application/pdf")]
    assert runtime.attachments.read(stored[0]) in (scan.read_bytes(), b"%PDF-1.4 scanned id")


def test_conditions_follow_the_id_number_and_the_person_lookup(qtbot, window, runtime, monkeypatch):
    record = {"name": "乌兰", "region_code": "150102",
              "insurances": [{"scheme": "企业职工基本养老保险", "status": "参保缴费"}]}
    monkeypatch.setattr(runtime.api, "person", lambda ssn: record)
    form = window.open_item("resident_pension_enrolment")
    rows = form.conditions.rows
    verdicts = lambda: [r.verdict.value for r in rows]  # noqa: E731
    assert verdicts() == ["confirm"] * 4, "no ID number yet"
    ssn = form.field_widgets["ssn"]
    type_text(qtbot, ssn, bad_check_digit(SSN))
    assert form.lookup_status.text() == "公民身份号码校验位不正确，请核对后重新输入", "checked live"
    assert ssn.property("invalid") is True and verdicts() == ["confirm"] * 4
    ssn.clear()
    type_text(qtbot, ssn, SSN)
    assert not form.lookup_status.isVisible() and ssn.property("invalid") is False
    assert verdicts() == ["met", "confirm", "confirm", "confirm"], "age from the number"
    qtbot.mouseClick(form.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.lookup_status.text().startswith("已查到 乌兰"), timeout=10000)
    assert verdicts() == ["met", "met", "failed", "met"]  # 属地户籍 and the schemes from the central record
    assert "已参加企业职工基本养老保险，不能重复参保" in rows[2].label.text()
    assert form.conditions.title() == "办理条件（符合 3 项，待核实 0 项，不符合 1 项）"
    ssn.clear()
    type_text(qtbot, ssn, make_id_number("150102", date(1985, 2, 3), 11, False))
    assert verdicts() == ["met", "confirm", "confirm", "confirm"], "another person: the record no longer applies"
