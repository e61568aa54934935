"""Calculator screens: a retirement estimate computed through the generic screen (as opened from
企业职工正常退休申请) and printed to PDF; bad input; the administrators' parameter import."""
import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.ids import make_id_number
from ui.calc import CalculatorScreen, ParameterAdminScreen, screens_for_item

pytestmark = pytest.mark.gui

SSN = make_id_number("150102", date(1966, 5, 10), 31, True)


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout.replace("\n", "")


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def _result(screen) -> dict[str, str]:
    t = screen.result_table
    return {t.item(r, 0).text(): t.item(r, 1).text() for r in range(t.rowCount())}


def test_retirement_estimate_through_the_screen_and_printed(qtbot, runtime, session):
    screen = screens_for_item(runtime, session, "employee_pension_normal_retirement",
                              applicant={"name": "巴特尔", "ssn": SSN, "birth_date": "1966-05-10", "group": "male"})
    qtbot.addWidget(screen)
    screen.show()
    assert screen.spec.name == "enterprise_pension"
    assert [screen.picker.itemData(i) for i in range(screen.picker.count())] == [
        "enterprise_pension", "retirement_age", "extension_options"]
    _type(qtbot, screen.date_edit, "2026-06-01")
    _type(qtbot, screen.inputs["actual_months"], "380")
    _type(qtbot, screen.inputs["deemed_months"], "60")
    _type(qtbot, screen.inputs["avg_index"], "1.2")
    _type(qtbot, screen.inputs["account_balance"], "120000")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)

    calc = screen.last_calculation
    assert calc is not None, screen.message_label.text()
    shown = _result(screen)
    assert shown["退休时间"] == "2026年10月" and shown["退休年龄"] == "60周岁5个月"
    assert shown["月基本养老金（测算）"] == f"{calc.result.total}元/月"
    assert screen.steps_table.rowCount() == len(calc.explanation.steps) >= 6
    assert screen.params_table.rowCount() == len(calc.explanation.params)
    assert screen.warnings_label.isVisible() and "示例值" in screen.warnings_label.text()
    assert screen.print_button.isEnabled()

    with qtbot.waitSignal(screen.document_ready, timeout=30000) as printed:
        qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    path = printed.args[0]
    assert path.parent == runtime.paths.documents_dir and path.is_file()
    text = _pdf_text(path)
    assert "企业职工基本养老金测算单" in text and "巴特尔" in text and "演示柜员" in text
    assert runtime.settings.terminal.agency_name in text
    assert SSN not in text and SSN[-4:] in text
    assert "国发〔2005〕38号" in text and "延迟退休决定" in text and "仅供参考" in text and "示例参数" in text
    assert "（大写）：人民币" in text
    assert screen.open_button.isEnabled()


def test_retirement_age_screen_switch_and_bad_input(qtbot, runtime, session):
    screen = CalculatorScreen(runtime, session, "retirement_age", today=date(2025, 6, 1))
    qtbot.addWidget(screen)
    screen.show()
    _type(qtbot, screen.inputs["birth_date"], "1965-13-01")
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    assert screen.last_calculation is None
    assert "出生日期" in screen.message_label.text() and screen.inputs["birth_date"].property("invalid")
    _type(qtbot, screen.inputs["birth_date"], "1965-01-10")
    screen.inputs["group"].setCurrentIndex(screen.inputs["group"].findData("male"))
    qtbot.mouseClick(screen.compute_button, Qt.MouseButton.LeftButton)
    assert _result(screen)["法定退休时间"] == "2025年2月"
    screen.picker.setCurrentIndex(screen.picker.findData("unemployment_benefit"))
    assert screen.spec.name == "unemployment_benefit" and "contribution_months" in screen.inputs
    assert screen.result_table.rowCount() == 0


def test_missing_parameter_is_reported_by_name(qtbot, runtime, session):
    screen = CalculatorScreen(runtime, session, "contribution_base", today=date(2019, 6, 1))
    qtbot.addWidget(screen)
    screen.inputs["kind"].setCurrentIndex(screen.inputs["kind"].findData("employee"))
    _type(qtbot, screen.inputs["declared"], "5000")
    assert screen.compute() is None
    assert "全口径城镇单位就业人员月平均工资" in screen.message_label.text() and "2018年度" in screen.message_label.text()


def test_admin_imports_official_values(qtbot, runtime, session, tmp_path, monkeypatch):
    official = tmp_path / "内蒙古2025官方参数.yaml"
    official.write_text('defaults: {region: "150000", source: 内蒙古自治区人社厅公布}\nparameters:\n'
                        '  - {key: pension_calc_base_monthly, year: 2026, value: 8888}\n', encoding="utf-8")
    admin = ParameterAdminScreen(runtime, session)
    qtbot.addWidget(admin)
    before = admin.table.rowCount()
    monkeypatch.setattr("ui.calc.admin.choose_file", lambda parent: str(official))
    with qtbot.waitSignal(admin.parameters_changed, timeout=5000):
        qtbot.mouseClick(admin.import_button, Qt.MouseButton.LeftButton)
    assert "已导入 1 项参数" in admin.message_label.text()
    assert admin.table.rowCount() == before + 1
    admin.filter_edit.setText("计发基数")
    kinds = {admin.table.item(r, 6).text() for r in range(admin.table.rowCount())}
    assert "管理员导入" in kinds and "示例值" in kinds

    screen = CalculatorScreen(runtime, session, "enterprise_pension", today=date(2026, 6, 1))
    qtbot.addWidget(screen)
    screen.set_inputs({"birth_date": "1966-05-10", "group": "male", "actual_months": "400", "avg_index": "1",
                       "account_balance": "100000"})
    calc = screen.compute()
    assert calc is not None and calc.result.calc_base == 8888
    assert any(p.origin == "管理员导入" and not p.sample for p in calc.explanation.params)

    bad = tmp_path / "bad.yaml"
    bad.write_text("parameters:\n  - {key: avg_wage_monthly, region: '150000', year: 2024, value: 1}\n",
                   encoding="utf-8")
    assert admin.import_file(str(bad)) is False
    assert "导入失败" in admin.message_label.text() and "缺少来源" in admin.message_label.text()
