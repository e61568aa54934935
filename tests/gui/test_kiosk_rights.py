"""Kiosk (issue 10), the remaining points, driven by touches against the real reference server on loopback
(server/testing.py, demo data) on a runtime bootstrapped in mode = kiosk:

- 社会保险个人权益记录查询打印 from the centre (server/rights.py → app.docs.rights_source): printed through the
  simulated A4 printer, read back with pdftotext (name, masked ID — never the full one —, contribution years, the
  verification code the server's verify endpoint accepts), looked up with the centre's audit; centre down and a
  person unknown to the centre give clear Chinese messages and print nothing;
- 好差评 at the end of every visit that did something (a print, a look-up, a ticket): offered once, skippable, ends
  by itself after its timeout, and reaches the centre through the outbox exactly once (server/service_ratings.py);
- the 取号 ticket's own layout (app.docs.slip.QueueTicketSlip) is what the simulated receipt printer receives;
- the 参保证明 is issued as its own kind, personal_certificate (个人参保证明), and old kinds still verify."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.bootstrap import bootstrap
from app.config import ServerConfig, Settings, TerminalConfig
from app.docs.certificates import money
from app.docs.rights_source import RIGHTS_SOURCE_KEY, CentralRightsSource
from app.ids import mask_id_number
from app.paths import resolve_paths
from app.store.models import AuditRecord, OutboxMessage
from devices.sim.virtual_sscard import CardData, VirtualSsCard
from server.demo_data import demo_person, demo_person_ssns, unknown_valid_ssn
from server.testing import run_server_in_thread
from tests.gui.helpers import pdf_text
from tests.gui.test_kiosk import contains_any, flush_deletes, open_shell, page_name, tap, widget_texts
from ui.kiosk.session import Timeouts

pytestmark = pytest.mark.gui

RIGHTS_TITLE = "社会保险个人权益记录单"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    db = tmp_path_factory.mktemp("kiosk-rights-central") / "central.db"
    url_db = f"sqlite:///{db}"
    with run_server_in_thread(url_db, seed_demo=True) as url:
        yield url, url_db


def kiosk_runtime_at(home: Path, url: str):
    settings = Settings(terminal=TerminalConfig(mode="kiosk"),
                        server=ServerConfig(url=url, probe_interval_seconds=0.2))
    rt = bootstrap(resolve_paths(home), settings, console_log=False)
    rt.relay.run_once()  # registers the terminal: the kiosk speaks to the centre with this token
    assert rt.relay.api.token
    return rt


def close_runtime(rt, qapp) -> None:
    from ui.bridge import settle

    rt.relay.stop()
    settle(10000)
    qapp.processEvents()
    rt.close()


@pytest.fixture
def kiosk_runtime(tmp_path, qapp, central):
    rt = kiosk_runtime_at(tmp_path / "home", central[0])
    yield rt
    close_runtime(rt, qapp)


def close_shell(shell, bridge, rt) -> None:
    shell.shutdown()
    bridge.stop_devices()
    bridge.detach_relay(rt.relay)


@pytest.fixture
def kiosk(qtbot, kiosk_runtime):
    shell, bridge = open_shell(qtbot, kiosk_runtime)
    yield shell
    close_shell(shell, bridge, kiosk_runtime)


def keep_printed_copies(monkeypatch, shell, folder: Path) -> list[Path]:
    """The simulated A4 printer keeps nothing: the test reads what it was handed."""
    copies: list[Path] = []
    real_print = shell.a4.print_pdf

    def keep_a_copy(pdf, doc_name):
        copy = folder / f"printed-{len(copies)}.pdf"
        shutil.copy(pdf, copy)
        copies.append(copy)
        return real_print(pdf, doc_name)

    monkeypatch.setattr(shell.a4, "print_pdf", keep_a_copy)
    return copies


def server_client(url: str) -> httpx.Client:
    r = httpx.post(f"{url}/api/v1/terminals/register", json={
        "terminal_id": "T-CHECK", "agency_code": "150102", "region_code": "150102", "mode": "counter",
        "hostname": "test", "client_version": "test"}, timeout=30)
    return httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {r.json()['terminal_token']}"})


def insert_card(qtbot, rt, shell, ssn: str, name: str) -> None:
    rt.devices.sscard.insert(VirtualSsCard(CardData(ssn=ssn, name=name)))
    qtbot.waitUntil(lambda: page_name(shell) == "MenuPage", timeout=5000)


def present(qtbot, rt, shell, ssn: str) -> str:
    name = demo_person(ssn).name
    insert_card(qtbot, rt, shell, ssn, name)
    return name


def open_tile(qtbot, shell, key: str):
    tap(qtbot, shell._pages["menu"].tiles[key])
    page = shell.current
    qtbot.waitUntil(lambda: not getattr(page, "busy_now", False), timeout=15000)
    return page


def central_rows(url_db: str, model, *where):
    engine = create_engine(url_db)
    try:
        with Session(engine) as s:
            return list(s.scalars(select(model).where(*where)))
    finally:
        engine.dispose()


def outbox(rt, kind: str) -> list[OutboxMessage]:
    with rt.store.session() as s:
        return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


# -- 社会保险个人权益记录查询打印 ----------------------------------------------------------------------------------------

def test_rights_record_is_printed_from_the_centre_with_a_code_the_centre_verifies(
        qtbot, kiosk_runtime, kiosk, central, tmp_path, monkeypatch) -> None:
    from server.rights import RightsRecordView

    rt = kiosk_runtime
    assert isinstance(rt.extras[RIGHTS_SOURCE_KEY], CentralRightsSource)  # app.bootstrap, mode = kiosk
    assert kiosk.services.rights_source is rt.extras[RIGHTS_SOURCE_KEY]
    ssn = demo_person_ssns("employee")[14]
    name = present(qtbot, rt, kiosk, ssn)
    with server_client(central[0]) as c:
        truth = c.get(f"/api/v1/rights-records/{ssn}").json()
    years = truth["totals"]["contribution_years"]
    assert len(years) >= 2 and truth["name"] == name
    copies = keep_printed_copies(monkeypatch, kiosk, tmp_path)

    page = open_tile(qtbot, kiosk, "rights")
    assert page_name(kiosk) == "RightsPage" and page.print_button.isVisible()
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: "打印完成" in page.state.text(), timeout=30000)

    assert [j["document"] for j in kiosk.a4.jobs] == [RIGHTS_TITLE]
    assert page._tmp is None  # the PDF and its folder are gone from the kiosk
    text = pdf_text(copies[0])
    assert RIGHTS_TITLE in text and name in text
    assert mask_id_number(ssn) in text and ssn not in text  # the ID only masked on paper
    for year in years:  # the yearly table: every contribution year, with its base
        assert f"{year}" in text
    assert f"养老实际缴费月数{truth['totals']['months_paid']}" in text
    assert money(Decimal(truth["totals"]["personal_total"])) in text
    assert money(Decimal(truth["months"][-1]["base"])) in text
    code = page.code
    assert code.startswith("QY-") and code in text and code in page.state.text()

    verdict = httpx.get(f"{central[0]}/api/v1/certificates/{code}", timeout=30).json()
    assert verdict["status"] == "genuine" and verdict["certificate"]["kind"] == "rights_record"
    facts = verdict["certificate"]
    assert facts["subject_name"] == name and facts["subject_id"] == mask_id_number(ssn)
    assert facts["title"] == RIGHTS_TITLE and facts["period_to"] == truth["period_to"]
    # audited: by the centre (who, from which terminal, for whom, why) and on the kiosk
    views = central_rows(central[1], RightsRecordView, RightsRecordView.ssn == ssn,
                         RightsRecordView.terminal_id == rt.settings.terminal.terminal_id)
    assert [v.purpose for v in views] == ["自助终端打印个人权益记录单"] and views[0].principal_kind == "terminal"
    from ui.bridge import settle

    settle(5000)  # the kiosk's audit line is written on a worker (issue 13)
    with rt.store.session() as s:
        actions = [a.action for a in s.scalars(select(AuditRecord).where(AuditRecord.object_id.in_(
            (ssn, rt.settings.terminal.terminal_id))))]
    assert "person.view" in actions and "kiosk.print" in actions

    # 好差评 at the end of this print-only visit; the rating reaches the centre through the outbox, once
    from server.service_ratings import ServiceRating

    session_id = kiosk.session.session_id
    tap(qtbot, kiosk.end_button)
    assert page_name(kiosk) == "RatingPage"
    rating_page = kiosk.current
    tap(qtbot, rating_page.buttons[4])
    assert not any(b.isEnabled() for b in rating_page.buttons.values())  # one rating per visit
    qtbot.waitUntil(lambda: page_name(kiosk) == "GoodbyePage", timeout=5000)
    (message,) = outbox(rt, "service.rating")
    assert message.body["rating_id"] == session_id and message.body["activities"] == ["rights_record"]
    assert rt.relay.drain(timeout=30)
    rows = central_rows(central[1], ServiceRating, ServiceRating.rating_id == session_id)
    assert [(r.rating, r.activities, r.channel, r.terminal_id) for r in rows] == [
        (4, ["rights_record"], "kiosk", rt.settings.terminal.terminal_id)]
    flush_deletes()
    assert not contains_any(widget_texts(kiosk), (name, ssn, code))


def test_resident_record_lists_the_resident_pension_years(kiosk_runtime, central, tmp_path) -> None:
    rt = kiosk_runtime
    ssn = demo_person_ssns("resident")[13]
    with server_client(central[0]) as c:
        truth = c.get(f"/api/v1/rights-records/{ssn}").json()
    resident = truth["resident"]
    assert resident and resident["years"]
    source = rt.extras[RIGHTS_SOURCE_KEY]
    pdf = source.issue(ssn, truth["name"], tmp_path / "resident.pdf")
    text = pdf_text(pdf)
    assert "城乡居民养老保险缴费情况" in text and truth["name"] in text and ssn not in text
    for y in resident["years"]:
        assert f"{y['year']}{y['grade']}元/年" in text
    assert f"居民养老缴费年数{len(resident['years'])}" in text
    verdict = httpx.get(f"{central[0]}/api/v1/certificates/{source.last_code}", timeout=30).json()
    assert verdict["status"] == "genuine"
    assert ["居民养老缴费年数", str(len(resident["years"]))] in [list(p) for p in
                                                                       verdict["certificate"]["summary"]]


def test_a_person_unknown_to_the_centre_is_told_so_and_nothing_is_printed(qtbot, kiosk_runtime, kiosk) -> None:
    ssn = unknown_valid_ssn()
    insert_card(qtbot, kiosk_runtime, kiosk, ssn, "查无此人")
    page = open_tile(qtbot, kiosk, "rights")
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: page.state.isVisible() and page.state.text() != "", timeout=30000)
    assert "中心系统未查到您的参保记录" in page.state.text() and "请到窗口办理" in page.state.text()
    assert kiosk.a4.jobs == [] and page.code == ""


def test_centre_down_gives_a_clear_message_and_prints_nothing(qtbot, qapp, tmp_path) -> None:
    with run_server_in_thread(f"sqlite:///{tmp_path / 'gone.db'}", seed_demo=False) as url:
        rt = kiosk_runtime_at(tmp_path / "home", url)  # registered while the centre was up
    try:  # the centre is down now; the kiosk has not noticed yet (it still shows the online items)
        shell, bridge = open_shell(qtbot, rt)
        try:
            ssn = demo_person_ssns("employee")[15]
            present(qtbot, rt, shell, ssn)
            page = open_tile(qtbot, shell, "rights")
            tap(qtbot, page.print_button)
            qtbot.waitUntil(lambda: page.state.isVisible() and page.state.text() != "", timeout=30000)
            text = page.state.text()
            assert "暂时无法连接中心系统" in text and "请到窗口办理" in text, text
            assert shell.a4.jobs == [] and page._tmp is None
            assert page.print_button.isEnabled()  # may be tried again later
        finally:
            close_shell(shell, bridge, rt)
    finally:
        close_runtime(rt, qapp)


# -- 好差评 -------------------------------------------------------------------------------------------------------------

def test_a_query_only_visit_ends_with_the_rating_page_which_times_out_unrated(qtbot, kiosk_runtime) -> None:
    rt = kiosk_runtime
    shell, bridge = open_shell(qtbot, rt, Timeouts(page=60_000, form=60_000, prompt=20_000, goodbye=60_000,
                                                   admin=60_000, rating=300))
    try:
        present(qtbot, rt, shell, demo_person_ssns("resident")[14])
        open_tile(qtbot, shell, "card_status")
        assert contains_any(widget_texts(shell), ("卡状态：",))
        tap(qtbot, shell.end_button)
        assert page_name(shell) == "RatingPage" and shell.session.activities == ["card_status"]
        qtbot.waitUntil(lambda: page_name(shell) == "GoodbyePage", timeout=10000)  # nobody answered
        assert not shell.overlay.isVisible()  # the rating page does not ask "需要更多时间吗？"
        assert outbox(rt, "service.rating") == []
    finally:
        close_shell(shell, bridge, rt)


def test_a_visit_that_did_nothing_is_not_asked_and_rating_is_offered_once(qtbot, kiosk_runtime, kiosk) -> None:
    present(qtbot, kiosk_runtime, kiosk, demo_person_ssns("employee")[16])
    tap(qtbot, kiosk._pages["menu"].end_button)  # only looked at the menu
    qtbot.waitUntil(lambda: page_name(kiosk) == "GoodbyePage", timeout=5000)
    present(qtbot, kiosk_runtime, kiosk, demo_person_ssns("employee")[17])
    open_tile(qtbot, kiosk, "card_status")
    tap(qtbot, kiosk.end_button)
    assert page_name(kiosk) == "RatingPage"
    tap(qtbot, kiosk.end_button)  # 结束办理 again on the rating page: the visit ends, not asked twice
    qtbot.waitUntil(lambda: page_name(kiosk) == "GoodbyePage", timeout=5000)
    assert outbox(kiosk_runtime, "service.rating") == []


def test_ticket_visit_rating_is_kept_offline_and_delivered_exactly_once(qtbot, kiosk_runtime, kiosk, central) -> None:
    from app.docs.slip import raster_image, ticket_escpos, ticket_lines
    from server.service_ratings import ServiceRating

    rt = kiosk_runtime
    tap(qtbot, kiosk.idle.queue_button)  # no card: an anonymous visit
    page = kiosk.current
    assert page_name(kiosk) == "QueuePage"
    printer = rt.devices.receipt_printer
    before = len(printer.printed)
    tap(qtbot, page.tiles["A"])
    qtbot.waitUntil(lambda: "已打印" in page.slip_text, timeout=15000)
    # the ticket layout, exactly as the receipt printer received it
    assert len(printer.printed) == before + 1
    paper = page.paper
    assert paper.number == page.ticket.number and paper.business == page.ticket.business
    assert paper.waiting_ahead == page.waiting and paper.agency_name == rt.settings.terminal.agency_name
    assert printer.printed[-1] == ticket_escpos(paper, printer.model.width_dots)
    words = [line.text for line in ticket_lines(paper)]
    assert page.ticket.number in words and page.ticket.business in words
    assert f"前面还有 {page.waiting} 人等候" in words and any(w.startswith("取号时间：") for w in words)
    assert raster_image(printer.printed[-1]).width == printer.model.width_dots

    tap(qtbot, next(b for b in page.findChildren(type(kiosk.end_button)) if b.text() == "结束" and b.isVisible()))
    assert page_name(kiosk) == "RatingPage"
    visit = kiosk.session.session_id
    tap(qtbot, kiosk.current.buttons[5])
    qtbot.waitUntil(lambda: page_name(kiosk) == "GoodbyePage", timeout=5000)
    (message,) = outbox(rt, "service.rating")
    assert message.state == "pending" and message.body["activities"] == ["queue"]  # kept until the relay runs
    assert central_rows(central[1], ServiceRating, ServiceRating.rating_id == visit) == []
    assert rt.relay.drain(timeout=30)
    with rt.store.session() as s:  # sent again (e.g. the answer was lost): the centre keeps the first one only
        s.get(OutboxMessage, message.seq).state = "pending"
    assert rt.relay.drain(timeout=30)
    rows = central_rows(central[1], ServiceRating, ServiceRating.rating_id == visit)
    assert [(r.rating, r.activities) for r in rows] == [(5, ["queue"])]


# -- 参保证明 as its own kind --------------------------------------------------------------------------------------------

def test_personal_certificate_kind_is_issued_and_verified_and_old_kinds_still_verify(central) -> None:
    from app.docs.certify import KIND_TITLES, issue_code

    assert KIND_TITLES["personal_certificate"] == "个人参保证明"
    with server_client(central[0]) as c:
        ssn = demo_person_ssns("employee")[18]
        codes = {}
        for kind, title in (("personal_certificate", "社会保险参保证明（个人）"), ("rights_record", RIGHTS_TITLE)):
            content = {"kind": kind, "title": title, "subject": {"id": ssn, "name": demo_person(ssn).name},
                       "agency": {"code": "150102", "name": "呼和浩特市新城区社会保险事业管理局"}, "period": {},
                       "issued_on": "2026-11-26", "summary": [["姓名", demo_person(ssn).name]], "rows": []}
            codes[kind] = issue_code(c, kind, content).code
    assert codes["personal_certificate"].startswith("GR-") and codes["rights_record"].startswith("QY-")
    for kind, code in codes.items():
        verdict = httpx.get(f"{central[0]}/api/v1/certificates/{code}", timeout=30).json()
        assert verdict["status"] == "genuine" and verdict["certificate"]["kind"] == kind
    verdict = httpx.get(f"{central[0]}/api/v1/certificates/{codes['personal_certificate']}", timeout=30).json()
    assert verdict["certificate"]["title"] == "社会保险参保证明（个人）"
