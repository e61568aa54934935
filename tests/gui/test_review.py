"""Back-office screens with a real runtime: a 关键信息 change from 受理 through 审核, 复核, 审批 to 办结 by four people,
separation of duties, 退回 with a reason, a stale second click, supervisor counts, scans and the 好差评 dialog."""
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QDialog

import app.cases.service as case_service
from app.cases.service import IntakeOutcome, MaterialState
from app.clock import utcnow
from app.ids import make_id_number, mask_id_number
from app.security.operators import seed_local_operator
from app.workflow.deadlines import Urgency
from app.workflow.machine import Action, Status
from tests.gui.helpers import type_text
from ui.review.model import actor_for
from ui.review.panel import ReviewPanel
from ui.review.queue import ReviewQueueWidget
from ui.review.rating import RatingDialog
from ui.review.supervisor import SupervisorView
from ui.style import ERROR

ITEM = "ent_employee_personal_info_change"
SCREENSHOT = "/tmp/review-panel.png"


def login(runtime, operator_id: str, name: str, roles: list[str]):
    password = f"pw-{operator_id}-1234"
    seed_local_operator(runtime.store, operator_id, name, roles, "150102", password)
    return runtime.auth.login(operator_id, password)


STAFF = {"A": ("A001", "阿拉坦", ["受理员", "审核员"]), "B": ("B001", "宝音", ["审核员", "复核员"]),
         "C": ("C001", "其其格", ["复核员"]), "D": ("D001", "达来", ["审批人"]), "E": ("E001", "额尔敦", ["审核员"])}


class _Staff(dict):
    """Operators logged in on first use (each password hash costs about a second)."""

    def __init__(self, runtime):
        super().__init__()
        self.runtime = runtime

    def __missing__(self, key):
        self[key] = login(self.runtime, *STAFF[key])
        return self[key]


@pytest.fixture
def staff(runtime):
    """A: 受理员 who also holds 审核员; B: 审核员 who also holds 复核员; C: 复核员; D: 审批人; E: another 审核员."""
    return _Staff(runtime)


def new_case(runtime, session, level: str = "关键信息", seq: int = 23, name: str = "乌兰", submit: bool = True,
             item_code: str = ITEM):
    """受理 by `session` through the core, then 提交审核 — how a case reaches the back office."""
    item = runtime.catalog.get(item_code)
    ssn = make_id_number("150102", date(1964 if item_code != ITEM else 1980, 5, 17), seq, True)
    if item_code == ITEM:
        form = {"ssn": ssn, "name": name, "phone": "13904711234", "change_level": level,
                "change_reason": "档案记载出生日期与登记不一致", "old_birth_date": "1980-05-17",
                "new_birth_date": "1980-06-17", "unit_name": "呼和浩特市新华机械厂"}
    else:
        form = {"ssn": ssn, "name": name, "retirement_date": "2026-05-17"}
    materials = {m.code: (MaterialState.shared if m.shared else MaterialState.present).value for m in item.materials}
    actor = actor_for(runtime, session)
    result = runtime.cases.intake(item_code, form, materials, actor,
                                  confirmed={i: True for i in range(len(item.conditions))}, online=True)
    assert result.outcome is IntakeOutcome.accepted
    if not submit:
        return result.case
    return runtime.cases.act(result.case.case_id, Action.submit, actor)


def loaded_queue(qtbot, runtime, session) -> ReviewQueueWidget:
    queue = ReviewQueueWidget(runtime, session)
    qtbot.addWidget(queue)
    queue.resize(1200, 400)
    queue.show()
    qtbot.waitUntil(lambda: queue.loads >= 1 and not queue._loading, timeout=10000)
    return queue


def queue_case_ids(queue) -> list[str]:
    return [row.case.case_id for row in queue.table.rows]


def open_panel(qtbot, runtime, session, case_id: str) -> ReviewPanel:
    panel = ReviewPanel(runtime, session, case_id)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitUntil(lambda: panel.case is not None, timeout=10000)
    return panel


def open_from_queue(qtbot, runtime, session, case_id: str) -> ReviewPanel:
    """The operator's way: the case is in the queue, select it, Enter opens it, the panel shows it."""
    queue = loaded_queue(qtbot, runtime, session)
    row = queue.table.row_of(case_id)
    assert row >= 0, f"case not in the queue of {session.operator_id}"
    opened = []
    queue.open_case.connect(opened.append)
    queue.table.setFocus()
    queue.table.selectRow(row)
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    assert opened == [case_id]
    return open_panel(qtbot, runtime, session, opened[0])


def click_approve(qtbot, panel, expect_success: bool):
    assert panel.approve_button.isVisible() and panel.approve_button.isEnabled()
    acted = []
    panel.acted.connect(acted.append)
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    answered(qtbot, panel)
    assert bool(acted) is expect_success
    return acted[0] if acted else None


def answered(qtbot, panel) -> None:
    """The action runs on a worker (issue 13): wait for its answer on the panel."""
    qtbot.waitUntil(lambda: not panel.is_acting(), timeout=10000)


def message_state(panel) -> str | None:
    return panel.message_label.property("state") if panel.message_label.isVisible() else None


def test_key_information_change_passes_review_recheck_and_approval_by_four_people(qtbot, runtime, staff):
    case = new_case(runtime, staff["A"])
    assert case.status == Status.review.value

    # A accepted it and also holds 审核员: it is in A's queue, but 通过 is refused (受理审核分离, 000 §6).
    panel_a = open_from_queue(qtbot, runtime, staff["A"], case.case_id)
    assert panel_a.approve_button.text() == "审核通过"
    assert "风险点" in panel_a.risk_label.text() and panel_a.risk_label.isVisible()
    assert "证明材料" in panel_a.risk_label.text(), "the review-stage risk point of the item"
    click_approve(qtbot, panel_a, expect_success=False)
    assert message_state(panel_a) == "error"
    assert "受理人不能审核本人受理的业务" in panel_a.message_label.text()
    after = runtime.cases.get(case.case_id)
    assert (after.status, after.version) == (Status.review.value, case.version), "nothing changed"
    assert panel_a.status_label.text() == "待审核"

    # B reviews.
    panel_b = open_from_queue(qtbot, runtime, staff["B"], case.case_id)
    assert panel_b.form_details.values["change_level"].text() == "关键信息"
    view = click_approve(qtbot, panel_b, expect_success=True)
    assert view.status == Status.recheck.value and message_state(panel_b) == "ok"
    qtbot.waitUntil(lambda: panel_b.event_table.rowCount() == 3)
    assert not panel_b.approve_button.isVisible() or panel_b.approve_button.text() == "复核通过"

    # B also holds 复核员, so the case is in B's queue again — but B may not 复核 what B reviewed (002 §40).
    panel_b2 = open_from_queue(qtbot, runtime, staff["B"], case.case_id)
    assert panel_b2.approve_button.text() == "复核通过"
    click_approve(qtbot, panel_b2, expect_success=False)
    assert "复核人不能是本业务的受理人或审核人" in panel_b2.message_label.text()
    assert runtime.cases.get(case.case_id).status == Status.recheck.value
    # A pure 审核员 neither sees it in the queue nor gets a 通过 button for a 待复核 case.
    queue_e = loaded_queue(qtbot, runtime, staff["E"])
    assert case.case_id not in queue_case_ids(queue_e)
    panel_e = open_panel(qtbot, runtime, staff["E"], case.case_id)
    assert not panel_e.approve_button.isVisible()
    assert "您的岗位不能处理" in panel_e.note_label.text()

    # C rechecks, D approves: 办结.
    panel_c = open_from_queue(qtbot, runtime, staff["C"], case.case_id)
    assert click_approve(qtbot, panel_c, expect_success=True).status == Status.approval.value
    panel_d = open_from_queue(qtbot, runtime, staff["D"], case.case_id)
    assert panel_d.approve_button.text() == "审批通过"
    done = click_approve(qtbot, panel_d, expect_success=True)
    assert done.status == Status.completed.value
    qtbot.waitUntil(lambda: panel_d.event_table.rowCount() == 5)
    assert panel_d.status_label.text() == "已办结"
    assert not any(b.isVisible() for b in panel_d.action_buttons)
    assert "无需再办理" in panel_d.note_label.text()
    # 办结 builds the electronic archive package (000 §115: 年度—类别—案件流水号) with its manifest
    qtbot.waitUntil(lambda: panel_d.last_archive is not None, timeout=20000)
    import json
    import zipfile
    with zipfile.ZipFile(panel_d.last_archive.path) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["case"]["case_id"] == case.case_id and manifest["item"]["archive"]["type_code"] == "gl/02"
    assert panel_d.last_archive.archive_no.split("-")[1] == "GL02"
    assert "已办结并归档" in panel_d.message_label.text() and not panel_d.rate_button.isHidden()

    events = runtime.cases.events(case.case_id)
    assert [(e.kind, e.operator_id, e.role) for e in events] == [
        ("accept", "A001", "受理员"), ("submit", "A001", "受理员"), ("approve_review", "B001", "审核员"),
        ("approve_recheck", "C001", "复核员"), ("approve_final", "D001", "审批人")]
    history = [[panel_d.event_table.item(r, c).text() for c in range(6)] for r in range(5)]
    assert history[2][1:5] == ["审核通过", "待审核 → 待复核", "审核员", "B001"]
    assert runtime.cases.deadline(case.case_id).urgency is Urgency.done
    # Nobody's queue holds it any more.
    for key in "ABCD":
        assert case.case_id not in queue_case_ids(loaded_queue(qtbot, runtime, staff[key]))


def test_return_needs_a_reason_and_sends_the_case_back_to_the_clerk(qtbot, runtime, staff):
    clerk = login(runtime, "F001", "斯琴", ["受理员"])
    case = new_case(runtime, clerk, level="一般信息", seq=31, name="娜仁")
    assert case.case_id not in queue_case_ids(loaded_queue(qtbot, runtime, clerk)), "待审核 is not the clerk's"

    panel = open_from_queue(qtbot, runtime, staff["B"], case.case_id)
    qtbot.mouseClick(panel.return_button, Qt.MouseButton.LeftButton)
    dialog = panel.reason_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled(), "no reason, no 退回"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, dialog.text_edit, "   ")
    assert not dialog.ok_button.isEnabled(), "blanks are no reason"
    assert dialog.isVisible() and runtime.cases.get(case.case_id).status == Status.review.value
    dialog.text_edit.clear()
    type_text(qtbot, dialog.text_edit, "申请表缺少申请人签字")
    assert dialog.ok_button.isEnabled()
    acted = []
    panel.acted.connect(acted.append)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    answered(qtbot, panel)
    assert acted and acted[0].status == Status.returned.value
    last = runtime.cases.events(case.case_id)[-1]
    assert (last.kind, last.reason, last.operator_id) == ("return", "申请表缺少申请人签字", "B001")
    assert case.case_id not in queue_case_ids(loaded_queue(qtbot, runtime, staff["B"]))

    # Back in the clerk's queue as 已退回; the clerk sees why and submits again.
    queue = loaded_queue(qtbot, runtime, clerk)
    row = queue.table.row_of(case.case_id)
    assert row >= 0 and queue.table.item(row, 4).text() == "已退回"
    panel_clerk = open_from_queue(qtbot, runtime, clerk, case.case_id)
    qtbot.waitUntil(lambda: panel_clerk.event_table.rowCount() == 3)
    assert panel_clerk.event_table.item(2, 5).text() == "申请表缺少申请人签字"
    assert panel_clerk.submit_button.isVisible() and not panel_clerk.approve_button.isVisible()
    qtbot.mouseClick(panel_clerk.submit_button, Qt.MouseButton.LeftButton)
    answered(qtbot, panel_clerk)
    assert runtime.cases.get(case.case_id).status == Status.review.value


def test_second_panel_on_the_same_version_gets_the_stale_message(qtbot, runtime, staff):
    case = new_case(runtime, staff["A"], seq=41, name="图雅")
    first = open_panel(qtbot, runtime, staff["B"], case.case_id)
    second = open_panel(qtbot, runtime, staff["E"], case.case_id)
    assert first.case.version == second.case.version == case.version
    click_approve(qtbot, first, expect_success=True)
    click_approve(qtbot, second, expect_success=False)
    assert message_state(second) == "error"
    assert "该业务已被其他人员处理" in second.message_label.text()
    assert second.status_label.text() == "待审核", "the stale panel changes nothing until refreshed"
    now = runtime.cases.get(case.case_id)
    assert now.status == Status.recheck.value and len(runtime.cases.events(case.case_id)) == 3
    qtbot.mouseClick(second.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.status_label.text() == "待复核")
    assert not second.approve_button.isVisible() and not second.message_label.isVisible()


def test_suspend_and_resume_and_correction_through_the_panel(qtbot, runtime, staff):
    case = new_case(runtime, staff["A"], level="一般信息", seq=91, name="哈斯")
    panel = open_from_queue(qtbot, runtime, staff["E"], case.case_id)
    qtbot.mouseClick(panel.suspend_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, panel.reason_dialog.text_edit, "待公安部门核实户籍信息")
    qtbot.mouseClick(panel.reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    answered(qtbot, panel)
    assert runtime.cases.get(case.case_id).status == Status.suspended.value
    assert panel.resume_button.isVisible() and not panel.approve_button.isVisible()
    qtbot.waitUntil(lambda: "暂停计时" in panel.deadline_label.text())
    queue = loaded_queue(qtbot, runtime, staff["E"])
    assert case.case_id in queue_case_ids(queue), "a 中止 case stays with the stage that stopped it"
    assert case.case_id not in queue_case_ids(loaded_queue(qtbot, runtime, staff["C"]))
    qtbot.mouseClick(panel.resume_button, Qt.MouseButton.LeftButton)
    answered(qtbot, panel)
    assert runtime.cases.get(case.case_id).status == Status.review.value

    # 材料不齐: the clerk's queue holds it as 待补正 until every missing material is ticked.
    item = runtime.catalog.get(ITEM)
    materials = {m.code: (MaterialState.shared if m.shared else MaterialState.present).value for m in item.materials}
    materials["key_info_evidence"] = MaterialState.missing.value
    form = {"ssn": make_id_number("150102", date(1980, 5, 17), 92, True), "name": "阿拉坦", "phone": "13904711234",
            "change_level": "关键信息", "change_reason": "参加工作时间登记有误"}
    result = runtime.cases.intake(ITEM, form, materials, actor_for(runtime, staff["A"]),
                                  confirmed={i: True for i in range(len(item.conditions))})
    assert result.outcome is IntakeOutcome.correction
    clerk_panel = open_from_queue(qtbot, runtime, staff["A"], result.case.case_id)
    assert clerk_panel.status_label.text() == "待补正" and clerk_panel.correction_button.isVisible()
    qtbot.mouseClick(clerk_panel.correction_button, Qt.MouseButton.LeftButton)
    dialog = clerk_panel.correction_dialog
    assert list(dialog.boxes) == ["key_info_evidence"] and not dialog.ok_button.isEnabled()
    dialog.boxes["key_info_evidence"].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    answered(qtbot, clerk_panel)
    after = runtime.cases.get(result.case.case_id)
    assert after.status == Status.accepted.value and after.payload["materials"]["key_info_evidence"] == "present"
    qtbot.waitUntil(lambda: clerk_panel.submit_button.isVisible())


def _created_days_ago(monkeypatch, days: int):
    past = utcnow() - timedelta(days=days)
    monkeypatch.setattr(case_service, "utcnow", lambda: past)


def test_queue_masks_ids_sorts_by_remaining_time_and_filters(qtbot, runtime, staff, monkeypatch):
    today = new_case(runtime, staff["A"], level="一般信息", seq=51, name="萨仁")
    with monkeypatch.context() as m:
        _created_days_ago(m, 6)
        late = new_case(runtime, staff["A"], level="一般信息", seq=52, name="吉雅")
    queue = loaded_queue(qtbot, runtime, staff["B"])
    assert queue_case_ids(queue) == [late.case_id, today.case_id], "overdue first"
    t = queue.table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert headers == ["受理编号", "事项", "申请人", "公民身份号码", "状态", "受理日", "承诺办结日", "剩余"]
    assert t.item(0, 3).text() == mask_id_number(late.applicant_ssn) and "*" in t.item(0, 3).text()
    assert t.item(0, 7).text().startswith("超期") and t.item(0, 7).foreground().color() == QColor(ERROR)
    assert t.item(1, 7).text() == "今日到期"
    type_text(qtbot, queue.filter_edit, "萨仁")
    assert t.isRowHidden(0) and not t.isRowHidden(1)
    qtbot.keyClick(queue.filter_edit, Qt.Key.Key_Return)
    opened = []
    queue.open_case.connect(opened.append)
    qtbot.keyClick(t, Qt.Key.Key_Return)
    assert opened == [today.case_id]
    queue.filter_edit.clear()
    # Double-click opens too; a refresh picks up a new case.
    rect = t.visualRect(t.model().index(0, 1))
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a real double-click starts
    qtbot.mouseDClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened[-1] == late.case_id
    third = new_case(runtime, staff["A"], level="一般信息", seq=53, name="包金")
    loads = queue.loads
    qtbot.mouseClick(queue.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.loads > loads and third.case_id in queue_case_ids(queue))
    assert "3 件" in queue.title_label.text()
    queue.grab().save("/tmp/review-queue.png")


def test_supervisor_counts_open_cases_per_urgency(qtbot, runtime, staff, monkeypatch):
    new_case(runtime, staff["A"], seq=61, name="巴特尔", item_code="employee_pension_normal_retirement",
             submit=False)  # 10 working days: 正常
    soon = new_case(runtime, staff["A"], seq=62, name="朝鲁")  # 即时办结, accepted today: 今日到期
    with monkeypatch.context() as m:
        _created_days_ago(m, 5)
        late = new_case(runtime, staff["A"], seq=63, name="敖登")
    finished = new_case(runtime, staff["A"], level="一般信息", seq=64, name="高娃")
    runtime.cases.act(finished.case_id, Action.approve_review, actor_for(runtime, staff["B"]))

    view = SupervisorView(runtime, staff["D"])
    qtbot.addWidget(view)
    view.resize(1280, 500)
    view.show()
    qtbot.waitUntil(lambda: view.loads >= 1 and not view._loading, timeout=10000)
    assert (view.counts[Urgency.ok], view.counts[Urgency.due_soon], view.counts[Urgency.overdue]) == (1, 1, 1)
    assert view.count_labels[Urgency.overdue].text() == "已超期　1"
    assert view.count_labels[Urgency.ok].text() == "正常　1"
    ids = [row.case.case_id for row in view.table.rows]
    assert finished.case_id not in ids and len(ids) == 3
    assert ids[:2] == [late.case_id, soon.case_id], "sorted by remaining time"
    assert [view.table.item(r, 3).text() for r in range(3)] == ["待审核", "待审核", "已受理"]
    assert "3 件" in view.title_label.text()
    view.grab().save("/tmp/review-supervisor.png")


def test_rating_dialog_returns_the_choice(qtbot, runtime, staff):
    case = new_case(runtime, staff["A"], level="一般信息", seq=71, name="其木格")
    runtime.cases.act(case.case_id, Action.approve_review, actor_for(runtime, staff["B"]))
    dialog = RatingDialog(runtime, case.case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: case.case_no in dialog.case_label.text(), timeout=5000)  # read on a worker
    assert "已办结" in dialog.case_label.text()
    assert list(dialog.level_buttons) == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert not dialog.submit_button.isEnabled()
    qtbot.mouseClick(dialog.level_buttons["非常满意"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.level_buttons["满意"], Qt.MouseButton.LeftButton)
    assert dialog.level_buttons["满意"].isChecked() and not dialog.level_buttons["非常满意"].isChecked()
    type_text(qtbot, dialog.comment_edit, "窗口服务热情")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.rating, dialog.comment, dialog.score) == ("满意", "窗口服务热情", 4)
    assert dialog.choice() == ("满意", "窗口服务热情")

    declined = RatingDialog(runtime, case.case_id)
    qtbot.addWidget(declined)
    declined.show()
    qtbot.mouseClick(declined.skip_button, Qt.MouseButton.LeftButton)
    assert declined.choice() is None


def _scan_png(title: str) -> bytes:
    """A page that looks like a scanned certificate, encoded as PNG."""
    image = QImage(620, 860, QImage.Format.Format_RGB32)
    image.fill(QColor("#fbfaf5"))
    painter = QPainter(image)
    painter.setPen(QColor("#8d1f1f"))
    painter.drawRect(QRect(30, 30, 560, 800))
    font = QFont()
    font.setPointSize(28)
    painter.setFont(font)
    painter.drawText(QRect(30, 60, 560, 80), Qt.AlignmentFlag.AlignCenter, title)
    font.setPointSize(14)
    painter.setFont(font)
    painter.setPen(QColor("#333333"))
    for i, line in enumerate(("姓名：乌兰", "出生日期：1980年06月17日", "公民身份号码：150102********", "登记机关：新城区")):
        painter.drawText(80, 220 + i * 60, line)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data)


def test_panel_lists_attachments_and_shows_the_scan(qtbot, runtime, staff):
    case = new_case(runtime, staff["A"], seq=81)
    runtime.cases.act(case.case_id, Action.approve_review, actor_for(runtime, staff["B"]))
    runtime.attachments.add(case.case_id, "key_info_evidence", _scan_png("户口簿"), "image/png", "户口簿.png")
    runtime.attachments.add(case.case_id, "info_change_application_form", _scan_png("关键信息变更申请表"),
                            "image/png", "申请表.png")
    panel = open_panel(qtbot, runtime, staff["C"], case.case_id)
    viewer = panel.scan_viewer
    qtbot.waitUntil(lambda: viewer.thumbs.count() == 2, timeout=10000)
    assert "户口簿.png" in viewer.thumbs.item(0).text() and "人事档案" in viewer.thumbs.item(0).text()
    assert not viewer.thumbs.item(0).icon().isNull()
    assert viewer.image_view.has_image() and not viewer.image_view.pixmap().isNull()
    materials = [panel.material_list.item(r).text() for r in range(panel.material_list.count())]
    assert any("人事档案、公安部门户籍资料" in t and "扫描件 1 份" in t for t in materials)
    assert any("已收取" in t for t in materials)
    # Clicking a material shows its scan.
    row = next(r for r, t in enumerate(materials) if "申请表" in t)
    entry = panel.material_list.item(row)
    qtbot.mouseClick(panel.material_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.material_list.visualItemRect(entry).center())
    assert viewer.thumbs.currentRow() == 1
    assert panel.approve_button.text() == "复核通过"
    assert "风险点" in panel.risk_label.text() and "多环节审核" in panel.risk_label.text()
    qtbot.wait(100)
    assert panel.grab().save(SCREENSHOT)
