"""What the kiosk can do, without Qt: the kiosk's actor, the services it offers, self-enrolment as an application
for the back office, case progress, 好差评, the receipt slip and the 个人权益记录单. The pages call these (blocking
ones on a worker thread through ui.bridge.run_in_thread); rules stay in app/.

The kiosk is not an operator: it acts as the terminal itself, role 自助终端 (app.workflow.roles.Role.kiosk), and
every case it creates names the terminal as its operator, so the back office sees the channel."""
from __future__ import annotations

import inspect
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from app.cases import lookup
from app.cases.eligibility import Verdict, evaluate_conditions
from app.cases.lookup import normalize_case_no  # noqa: F401  (re-exported for the pages)
from app.cases.journal import RATING_LABELS, rate_case, record_person_view, record_print
from app.cases.service import Actor, CaseService, CaseView, IntakeOutcome, IntakeResult, MaterialState
from app.catalog.model import Channel, LimitKind, ServiceItem, TimeLimit
from app.docs.rights_source import RIGHTS_SOURCE_KEY  # noqa: F401  runtime.extras: a RightsRecordSource (app.bootstrap, mode kiosk)
from app.clock import LOCAL_TZ, local_today, utcnow
from app.errors import YichuangError
from app.security.audit import append_audit
from app.workflow.roles import Role
from devices.base import DeviceKind, DeviceState
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_translate = QCoreApplication.translate  # lupdate reads _translate("Context", "…")

log = logging.getLogger(__name__)

CHANNEL = Channel.kiosk.value  # "kiosk"
ENROLMENT = "resident_pension_enrolment"
RIGHTS = "personal_rights_record_print"
CARD_STATUS = "sscard_status_query"  # 实体社会保障卡应用状态查询 (004:L4826)
CARD_LOSS = "sscard_loss_report_and_release"  # 挂失与解挂: the kiosk does 临时挂失 and 解挂 only (004:L5148, L5180)
# Self-enrolment by 城乡居民 through 自助终端 is an internet-channel application (001 第二章 L25): the person uploads the
# ID and the 户口簿 pages and fills the 登记表; staff of the 乡镇/县 agency check and confirm it (001 L26), so the kiosk
# case stays 已受理 for the back office instead of being 即时办结 like a counter intake.
KIOSK_APPLICATIONS = {ENROLMENT: "001 第二章 L25–L26：通过自助终端等互联网服务渠道申请，经办机构审核确认"}
BACK_OFFICE_LIMIT = TimeLimit(kind=LimitKind.text, text="经办机构审核确认后办结")
# (attachment kind, label): the label is saved with the scan (data); the screen shows scan_title(label)
ENROLMENT_SCANS = (("id_document", QT_TRANSLATE_NOOP("EnrolmentScans", "身份证（人像面）")),
                   ("hukou_book", QT_TRANSLATE_NOOP("EnrolmentScans", "户口簿首页")),
                   ("hukou_book", QT_TRANSLATE_NOOP("EnrolmentScans", "户口簿本人页")))
PAPER_OUT_TEXT = QT_TRANSLATE_NOOP("PrinterCheck", "打印机缺纸，请到窗口办理")


def paper_out_text() -> str:
    return _translate("PrinterCheck", PAPER_OUT_TEXT)


def scan_title(label: str) -> str:
    """An ENROLMENT_SCANS label as the screen shows it."""
    return _translate("EnrolmentScans", label)


def kiosk_actor(settings) -> Actor:
    terminal = settings.terminal
    return Actor(operator_id=f"kiosk-{terminal.terminal_id}", name="自助终端", role=Role.kiosk.value,
                 terminal_id=terminal.terminal_id, agency_code=terminal.agency_code, roles=(Role.kiosk.value,))


def case_channel(case: CaseView, events: list | None = None) -> str:
    """The channel a case came in by: recorded in the payload when app.cases stores it, else read from who accepted
    it (the terminal acting as 自助终端)."""
    recorded = (case.payload or {}).get("channel")
    if recorded:
        return str(recorded)
    if events:
        first = events[0]
        if first.role == Role.kiosk.value:
            return CHANNEL
        return "counter"
    return CHANNEL if case.operator_id.startswith("kiosk-") else "counter"


class _BackOfficeCatalog:
    """The catalog as the kiosk's CaseService sees it: items the kiosk only *applies* for lose their 即时办结, so the
    intake leaves the case 已受理 for the agency (001 L26). Everything else is the real catalog."""

    def __init__(self, catalog):
        self._catalog = catalog

    def get(self, code: str) -> ServiceItem:
        item = self._catalog.get(code)
        if code in KIOSK_APPLICATIONS and item.instant:
            return item.model_copy(update={"time_limit_promised": BACK_OFFICE_LIMIT})
        return item

    def __getattr__(self, name: str):
        return getattr(self._catalog, name)


@dataclass(frozen=True)
class ServiceEntry:
    key: str  # the page: enrolment / rights / certificate / contributions / card_status / card_loss / certify / …
    title: str
    subtitle: str
    needs_person: bool
    online_only: bool = False
    item_code: str | None = None


# What the kiosk offers, in menu order. `item_code` ties an entry to its catalog item: it is shown only when the catalog
# allows the item at the kiosk (`kiosk_allowed`). Entries without one are no catalog business: 待遇领取资格认证 by
# 自助认证 (001 ch5 L72; 003 9.6.4–9.6.5), look-ups of one's own records, the counter's queue ticket.
KIOSK_ITEMS: tuple[ServiceEntry, ...] = (
    ServiceEntry("certify", QT_TRANSLATE_NOOP("ServiceEntry", "待遇领取资格认证"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "刷脸认证，每年一次"), True),
    ServiceEntry("rights", QT_TRANSLATE_NOOP("ServiceEntry", "打印个人权益记录单"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "缴费和待遇记录"), True, online_only=True, item_code=RIGHTS),
    ServiceEntry("certificate", QT_TRANSLATE_NOOP("ServiceEntry", "打印参保证明"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "可扫码验证真伪（A4 纸）"), True, online_only=True),
    ServiceEntry("contributions", QT_TRANSLATE_NOOP("ServiceEntry", "居民养老保险缴费查询"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "今年是否已缴、缴费档次"), True, online_only=True),
    ServiceEntry("card_status", QT_TRANSLATE_NOOP("ServiceEntry", "社保卡状态查询"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "是否正常、是否已挂失"), True, online_only=True,
                 item_code=CARD_STATUS),
    ServiceEntry("card_loss", QT_TRANSLATE_NOOP("ServiceEntry", "社保卡临时挂失"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "找到卡后可以解挂"), True, online_only=True,
                 item_code=CARD_LOSS),
    ServiceEntry("enrolment", QT_TRANSLATE_NOOP("ServiceEntry", "城乡居民养老保险参保登记"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "自助申请，工作人员审核"), True, item_code=ENROLMENT),
    ServiceEntry("queue", QT_TRANSLATE_NOOP("ServiceEntry", "取号"), QT_TRANSLATE_NOOP("ServiceEntry", "到人工窗口办理，先取排队号"),
                 False),
    ServiceEntry("progress", QT_TRANSLATE_NOOP("ServiceEntry", "查询办理进度"),
                 QT_TRANSLATE_NOOP("ServiceEntry", "扫描回执二维码或输入受理编号"), False),
)


def kiosk_allowed(catalog, code: str) -> bool:
    """Whether the catalog allows an item at the self-service terminal: its channels name the kiosk (自助一体机,
    e.g. 004:L4864, L5148), or the internet channel — 自助服务终端 is one of the 网上经办 channels (000 第七条(一),
    L37; 001 第二章 L25 参保登记 通过自助终端等互联网服务渠道). Counter-only items are never shown."""
    try:
        item = catalog.get(code)
    except Exception:  # noqa: BLE001 - hidden by a catalog problem
        return False
    channels = {getattr(c, "value", c) for c in item.channels}
    return bool(channels & {Channel.kiosk.value, Channel.online.value})


@dataclass(frozen=True)
class CaseStatus:
    case_no: str
    item_name: str
    status_label: str
    accepted_on: str
    promised_due: str | None
    masked_name: str
    last_step: str
    last_at: str

    def lines(self) -> list[tuple[str, str]]:
        out = [(_translate("CaseStatus", "受理编号"), self.case_no), (_translate("CaseStatus", "办理事项"), self.item_name),
               (_translate("CaseStatus", "申请人"), self.masked_name),
               (_translate("CaseStatus", "受理日期"), self.accepted_on),
               (_translate("CaseStatus", "当前状态"), self.status_label)]
        if self.last_step:
            out.append((_translate("CaseStatus", "最近办理"),
                        _translate("CaseStatus", "{0}（{1}）").format(self.last_step, self.last_at)))
        if self.promised_due:
            out.append((_translate("CaseStatus", "承诺办结日期"), self.promised_due))
        return out


class RightsRecordSource(Protocol):
    """Fetches a person's 个人权益记录 from the centre, has its verification code issued and writes the PDF
    (app.docs.certificates.issue_and_render). Blocking; returns the PDF path."""

    def issue(self, ssn: str, name: str, out_path: Path) -> Path: ...


@dataclass(frozen=True)
class PrinterCheck:
    ready: bool
    text: str  # for the person: what to do if not ready

    @property
    def paper_out(self) -> bool:
        return not self.ready and self.text == paper_out_text()


def printer_check(runtime, kind: DeviceKind) -> PrinterCheck:
    """Whether a print can start, in words for the person at the kiosk (checked before they tap 打印)."""
    try:
        status = runtime.devices.get(kind).status()
    except Exception as exc:  # noqa: BLE001 - a broken driver means: no printing
        log.warning("printer status failed: %r", exc)
        return PrinterCheck(False, _translate("KioskServices", "打印机暂停服务，请到窗口办理"))
    if status.state is DeviceState.ready or (status.state is DeviceState.busy and "打印" not in status.reason):
        return PrinterCheck(True, "")
    if "缺纸" in (status.reason or ""):
        return PrinterCheck(False, paper_out_text())
    return PrinterCheck(False, _translate("KioskServices", "打印机暂停服务，请到窗口办理"))


def case_no_from_qr(text: str) -> str | None:
    """Our receipts' QR codes read "YC|<受理编号>|<case id>" (app.docs.receipt); anything else is not ours."""
    parts = (text or "").split("|")
    if len(parts) >= 2 and parts[0] == "YC" and parts[1]:
        return parts[1]
    return None


class KioskServices:
    def __init__(self, runtime, *, rights_source: RightsRecordSource | None = None):
        self.runtime = runtime
        self.actor = kiosk_actor(runtime.settings)
        self.rights_source = rights_source or runtime.extras.get(RIGHTS_SOURCE_KEY)
        self._cases: CaseService | None = None
        self._online = None
        self._certification = None

    # -- what is offered -------------------------------------------------------------------------------------------
    def entries(self, *, online: bool | None, with_person: bool) -> tuple[list[ServiceEntry], list[str]]:
        """(services to show, notices). Only items the catalog allows at the kiosk (`kiosk_allowed`); online-only
        ones are hidden while the centre is unreachable, with one notice naming them."""
        out: list[ServiceEntry] = []
        hidden: list[str] = []
        for entry in KIOSK_ITEMS:
            if entry.needs_person and not with_person:
                continue
            if entry.item_code is not None and not kiosk_allowed(self.runtime.catalog, entry.item_code):
                continue
            if entry.key == "queue" and getattr(self.runtime, "queue", None) is None:
                continue  # no 叫号 system in this hall
            if entry.online_only and online is False:
                hidden.append(_translate("ServiceEntry", entry.title))
                continue
            out.append(entry)
        notices = []
        if hidden:
            notices.append(_translate("KioskServices",
                                      "网络暂时中断：{0}暂停办理，请到窗口办理。").format(_translate("KioskServices", "、").join(hidden)))
        return out, notices

    @property
    def online(self):
        """ui.kiosk.online.KioskOnline: the centre, as this terminal."""
        if self._online is None:
            from ui.kiosk.online import KioskOnline

            self._online = KioskOnline(self.runtime, self.actor)
        return self._online

    @property
    def certification(self):
        """app.certification.service.CertificationService of this terminal (待遇领取资格认证, channel kiosk)."""
        if self._certification is None:
            from app.certification.service import CertificationService

            terminal = self.runtime.settings.terminal
            self._certification = CertificationService(self.runtime.store, terminal.terminal_id, terminal.agency_code)
        return self._certification

    def face_settings(self):
        from app.certification.config import load_certification_settings

        try:
            return load_certification_settings(self.runtime.paths.config_dir).face
        except YichuangError as exc:
            log.error("certification settings unusable, defaults used: %s", exc.detail)
            return None

    def close(self) -> None:
        if self._online is not None:
            self._online.close()
        closer = getattr(self.rights_source, "close", None)
        if closer is not None:
            closer()  # its HTTP client; a later print builds a new one

    # -- self-enrolment --------------------------------------------------------------------------------------------
    @property
    def cases(self) -> CaseService:
        if self._cases is None:
            base = self.runtime.cases
            self._cases = CaseService(base.store, _BackOfficeCatalog(base.catalog), calendar=base.calendar,
                                      agency_region=base.agency_region)
        return self._cases

    def enrolment_item(self) -> ServiceItem:
        return self.runtime.catalog.get(ENROLMENT)

    def enrolment_form(self, person, phone: str, today: date | None = None) -> dict[str, str]:
        today = today or local_today()
        address = person.address if len(person.address or "") <= 70 else ""
        return {"ssn": person.ssn, "name": person.name, "gender": person.gender if person.gender in ("男", "女") else "",
                "nation": (person.nation or "")[:10],
                "birth_date": person.birth_date.isoformat() if person.birth_date else "",
                "phone": phone, "hukou_address": address, "enrolment_date": today.isoformat()}

    def enrolment_checks(self, person, today: date | None = None) -> tuple[list[str], list[tuple[int, str]]]:
        """(reasons the person cannot apply here, conditions the person must promise). No person record is looked
        up: the kiosk holds no operator token; the back office checks insurance status and 户籍 (001 L26)."""
        item = self.enrolment_item()
        today = today or local_today()
        values = {"ssn": person.ssn, "enrolment_date": today.isoformat()}
        blockers = list(person.problems)
        promises = []
        for r in evaluate_conditions(item, values, None, self.cases.agency_region, today):
            if r.verdict is Verdict.failed:
                blockers.append(r.reason or r.condition.text)
            elif r.verdict is Verdict.confirm:
                promises.append((r.index, r.condition.text))
        return blockers, promises

    def submit_enrolment(self, person, phone: str, scans: list[tuple[str, str, bytes]],
                         promised: list[int]) -> IntakeResult:
        """One intake (case, event, outbox, audit in one transaction), then the scans as attachments of the case.
        `scans`: (material code, title, JPEG bytes). Raises ValidationFailed / YichuangError with Chinese messages."""
        item = self.enrolment_item()
        present = {code for code, _title, _data in scans}
        materials = {m.code: (MaterialState.present.value if m.code in present or m.code == "enrolment_form"
                              else MaterialState.missing.value) for m in item.materials}
        kwargs: dict[str, Any] = {"confirmed": {i: True for i in promised}, "online": True}
        if "channel" in inspect.signature(self.cases.intake).parameters:
            kwargs["channel"] = CHANNEL
        result = self.cases.intake(ENROLMENT, self.enrolment_form(person, phone), materials, self.actor, **kwargs)
        if result.outcome is not IntakeOutcome.accepted:
            return result
        attachments = self.runtime.attachments
        for n, (code, title, data) in enumerate(scans, start=1):
            try:
                attachments.add(result.case.case_id, code, bytes(data), "image/jpeg", f"{n:02d}-{title}.jpg")
            except YichuangError as exc:  # the case stands; the agency asks for the paper
                log.error("kiosk scan not stored for %s: %s", result.case.case_no, exc.detail)
        self.runtime.relay.wake()
        return result

    # -- progress --------------------------------------------------------------------------------------------------
    def find_case(self, raw: str) -> CaseStatus | None:
        """By 受理编号 as typed or scanned: hyphens and case ignored; the date and sequence alone (e.g.
        "20260301-0007") are enough when only one case on this terminal matches (app.cases.lookup)."""
        case_id = lookup.find_case_id(self.runtime.store, raw)
        return self.case_status(case_id) if case_id is not None else None

    def person_cases(self, ssn: str, limit: int = 6) -> list[CaseStatus]:
        return [self.case_status(cid) for cid in lookup.person_case_ids(self.runtime.store, ssn, limit)]

    def case_status(self, case_id: str) -> CaseStatus:
        view = self.runtime.cases.get(case_id)
        step, at = "", ""
        last = lookup.last_event(self.runtime.store, case_id)
        if last is not None:
            from app.workflow.machine import ACTION_LABELS, Action

            kind, when = last
            try:
                step = ACTION_LABELS[Action(kind)]
            except ValueError:
                step = kind
            at = _local(when)
        name = view.applicant_name
        return CaseStatus(view.case_no, view.item_name, view.status_label, view.accepted_on or _local(view.created_at),
                          view.promised_due, name[:1] + "*" * (len(name) - 1) if name else "", step, at)

    # -- 好差评 ------------------------------------------------------------------------------------------------------
    def rate(self, case_id: str, rating: int) -> None:
        rate_case(self.runtime.store, case_id=case_id, rating=rating, comment=None, channel=CHANNEL,
                  operator_id=self.actor.operator_id, terminal_id=self.actor.terminal_id)
        self.runtime.relay.wake()

    def rate_visit(self, visit_id: str, rating: int, activities: list[str]) -> None:
        """好差评 of a visit without a case: through the outbox to the centre, once (app.cases.visit_rating)."""
        from app.cases.visit_rating import rate_visit

        rate_visit(self.runtime.store, visit_id=visit_id, rating=rating, activities=activities, channel=CHANNEL,
                   operator_id=self.actor.operator_id, terminal_id=self.actor.terminal_id)
        self.runtime.relay.wake()

    # -- papers ----------------------------------------------------------------------------------------------------
    def print_receipt_slip(self, case: CaseView, item_name: str) -> Any:
        """The small receipt (受理编号 + QR to check progress, no personal data). Blocking."""
        from app.docs.slip import Slip, print_slip

        slip = Slip(agency_name=self.runtime.settings.terminal.agency_name, queue_no="自助",
                    case_no=case.case_no, item_name=item_name, deadline_text=BACK_OFFICE_LIMIT.text,
                    qr_payload=f"YC|{case.case_no}|{case.case_id}", printed_at=datetime.now(LOCAL_TZ),
                    window=f"自助终端 {self.actor.terminal_id}", status_text=case.status_label)
        result = print_slip(slip, self.runtime.devices.receipt_printer)
        record_print(self.runtime.store, case_id=case.case_id, document="受理回执（自助终端小票）", path="slip",
                     operator_id=self.actor.operator_id, terminal_id=self.actor.terminal_id)
        return result

    def issue_rights_record(self, ssn: str, name: str, out_path: Path) -> Path:
        if self.rights_source is None:
            raise YichuangError(_translate("KioskServices", "个人权益记录单暂不能在本机打印。"), "no rights record source configured",
                                code="kiosk_rights_unavailable")
        pdf = self.rights_source.issue(ssn, name, out_path)
        record_person_view(self.runtime.store, ssn=ssn, operator_id=self.actor.operator_id,
                           terminal_id=self.actor.terminal_id, purpose="自助终端打印个人权益记录单")
        return pdf

    def audit(self, action: str, detail: dict | None = None) -> None:
        """An audit line; asked on the GUI thread it is written on a worker (issue 13), never lost silently."""
        if threading.current_thread() is threading.main_thread():
            from ui.bridge import run_in_thread

            run_in_thread(lambda: self._audit(action, detail), None,
                          lambda exc: log.error("kiosk audit %s not written: %r", action, exc))
            return
        self._audit(action, detail)

    def _audit(self, action: str, detail: dict | None) -> None:
        with self.runtime.store.session() as s:
            append_audit(s, at=utcnow(), operator_id=self.actor.operator_id, terminal_id=self.actor.terminal_id,
                         action=action, object_type="terminal", object_id=self.actor.terminal_id, detail=detail or {})


def _local(at: datetime | None) -> str:
    if at is None:
        return ""
    from app.clock import as_utc

    return as_utc(at).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


RATINGS: list[tuple[int, str]] = sorted(RATING_LABELS.items(), reverse=True)
