"""待遇领取资格认证 at the centre: visit assignment and download for field staff, evidence bundles received and
verified (Ed25519 signature by a registered terminal key, every file's SHA-256, two staff), counter/kiosk records and
their back-office comparison, deaths and custody, the three result lists, suspension / termination / resumption with
back pay, the yearly report (002 §26) and the monthly death/custody report (001 ch5 L74).

The rules are the terminal's (app.certification.rules); this module only keeps the facts and applies them."""
from __future__ import annotations

import logging
import random
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.certification import rules as R
from app.certification.evidence import EvidenceTampered, b64, canonical, key_id_of, sha256_hex, unb64, verify_bundle
from app.certification.reports import monthly_loss_report, yearly_report
from app.clock import LOCAL_TZ, local_today
from app.rules.months import Month
from server.api import _E401, ApiError, Authenticated, _err, _json_bytes, _json_response, _sessions, iso
from server.db import utcnow
from server.models import (CertBenefit, CertEvent, CertFile, CertLoss, CertReport, CertStatusChange, CertTerminalKey,
                           CertVisitRow, Insurance, Operator, Person)
from server.security import Principal, authorize

log = logging.getLogger("yichuang.server.certification")
router = APIRouter(prefix="/api/v1/certification", tags=["certification"])

# The back office of certification works on pensioners' data: the verdict roles of the matrix. 管理员 administers
# the system and sees no personal data (resources/security/permissions.yaml), so it is not among them (issue 11).
BACK_OFFICE = {"审核员", "复核员", "审批人"}
PENSION_STATUS = "待遇领取"
SCHEMES = {"企业职工基本养老保险": "employee", "城乡居民养老保险": "resident"}
_E403 = {403: _err("没有权限 (forbidden)")}


# --- helpers --------------------------------------------------------------------------------------------------------

def _operator(s: Session, p: Principal) -> Operator | None:
    return s.get(Operator, p.subject) if p.kind == "operator" else None


def _require_back_office(s: Session, p: Principal) -> Operator:
    op = _operator(s, p)
    if op is None or not BACK_OFFICE.intersection(op.roles or []):
        raise ApiError(403, "forbidden", "只有后台经办人员可以执行此操作", f"{p.kind} {p.subject} lacks a back-office role")
    return op


def _terminal_of(p: Principal) -> str | None:
    return p.terminal_id or (p.subject if p.kind == "terminal" else None)


def ensure_benefits(s: Session, ssn: str | None = None) -> None:
    """Every person whose insurance is 待遇领取 has a benefit row (state active, amount unknown until set); with `ssn`
    only that person is looked at."""
    if ssn is not None and s.get(CertBenefit, ssn) is not None:
        return
    have = set(s.scalars(select(CertBenefit.ssn))) if ssn is None else set()
    q = (select(Insurance.ssn, Insurance.scheme, Insurance.since, Person.region_code)
         .join(Person, Person.ssn == Insurance.ssn).where(Insurance.status == PENSION_STATUS))
    if ssn is not None:
        q = q.where(Insurance.ssn == ssn)
    rows = s.execute(q).all()
    added = False
    for ssn, scheme, since, region in rows:
        if ssn in have:
            continue
        have.add(ssn)
        s.add(CertBenefit(ssn=ssn, scheme=SCHEMES.get(scheme, "resident"), region_code=region, benefit_start=since,
                          state="active", updated_at=utcnow()))
        added = True
    if added:
        s.flush()


def _pensioners(s: Session, *, region: str | None = None, ssns: list[str] | None = None) -> list[R.Pensioner]:
    q = select(CertBenefit, Person.name).join(Person, Person.ssn == CertBenefit.ssn)
    if region:
        q = q.where(CertBenefit.region_code.like(f"{region}%"))
    if ssns is not None:
        q = q.where(CertBenefit.ssn.in_(ssns))
    rows = s.execute(q).all()
    keys = [b.ssn for b, _ in rows]
    certs: dict[str, list[R.Certification]] = {}
    losses: dict[str, list[R.LossEvent]] = {}
    if keys:
        for e in s.scalars(select(CertEvent).where(CertEvent.ssn.in_(keys), CertEvent.result == "passed")):
            certs.setdefault(e.ssn, []).append(R.Certification(e.certified_on, R.Method(e.method), e.channel,
                                                               e.source_id or e.event_id))
        for ev in s.scalars(select(CertLoss).where(CertLoss.ssn.in_(keys))):
            losses.setdefault(ev.ssn, []).append(R.LossEvent(R.LossKind(ev.kind), ev.on_date, ev.source))
    return [_facts(b, name, certs.get(b.ssn, []), losses.get(b.ssn, [])) for b, name in rows]


def _facts(b: CertBenefit, name: str, certs, losses) -> R.Pensioner:
    return R.Pensioner(b.ssn, name, b.region_code, b.benefit_start, b.scheme,
                       Decimal(b.monthly_amount) if b.monthly_amount else None, tuple(certs), tuple(losses),
                       Month.parse(b.suspended_from) if b.suspended_from else None,
                       b.state in ("terminating", "terminated"), b.unverified_reason or "")


def _one(s: Session, ssn: str, *, ensure: bool = True) -> tuple[CertBenefit, R.Pensioner]:
    if ensure:
        ensure_benefits(s, ssn)
    b = s.get(CertBenefit, ssn)
    if b is None:
        raise ApiError(404, "pensioner_not_found", "该人员不是待遇领取人员", f"no benefit for {ssn[:6]}…")
    return b, _pensioners(s, ssns=[ssn])[0]


def _paid_through(b: CertBenefit, today: date) -> Month:
    """Payments made so far: the stored month, else the month before the suspension, else last month."""
    if b.paid_through:
        return Month.parse(b.paid_through)
    if b.suspended_from:
        return Month.parse(b.suspended_from) - 1
    return Month.of(today) - 1


def _change(s: Session, ssn: str, action: str, from_month: Month, reason: str, citation: str, detail: dict,
            by: str | None) -> dict:
    s.add(CertStatusChange(ssn=ssn, action=action, from_month=str(from_month), reason=reason, citation=citation,
                           detail=detail, at=utcnow(), by=by))
    return {"action": action, "from_month": str(from_month), "reason": reason, "citation": citation, **detail}


def _money(v: Decimal | None) -> str | None:
    return None if v is None else f"{v:.2f}"


def apply_certified(s: Session, b: CertBenefit, facts: R.Pensioner, on: date, by: str | None,
                    rules: R.RuleBook = R.RULES) -> list[dict]:
    """A passed certification: resume a suspension for missed certification, with back pay [001 ch5 L75; 002 §27]."""
    b.unverified_reason = None
    if b.state != "suspended" or not b.suspended_from:
        return []
    if (b.state_reason or "").startswith("loss:"):
        return []  # suspended for custody etc.: a certification alone does not resume
    res = R.plan_resumption(facts, on, rules=rules, today=on)
    if res is None:
        return []
    b.state, b.suspended_from, b.state_reason, b.paid_through = "active", None, None, None
    b.updated_at = utcnow()
    return [_change(s, b.ssn, "resume", res.resume_month, "经认证仍具备领取资格，恢复发放并补发暂停期间待遇",
                    res.citation, {"back_pay_months": res.back_pay_months, "back_pay": _money(res.back_pay),
                                   "explanation": res.explanation}, by)]


def apply_loss(s: Session, b: CertBenefit, facts: R.Pensioner, kind: R.LossKind, on: date, by: str | None,
               today: date, rules: R.RuleBook = R.RULES) -> list[dict]:
    """Death / another pension → the termination path (payment stops, 冒领 computed); custody, duplicate receipt,
    missing > 6 months, wanted → suspension [000 §67; 002 §27; 004:L9528]."""
    if b.state == "terminated" or b.state == "terminating":
        return []
    if kind in R.TERMINATING:
        t = R.plan_termination(facts, on, _paid_through(b, today), today=today)
        b.state, b.state_reason = "terminating", f"loss:{kind.value}"
        b.updated_at = utcnow()
        return [_change(s, b.ssn, "terminate", t.stop_from, f"{R.LOSS_LABELS[kind]}（{on.isoformat()}），启动终止（注销）流程",
                        t.citation, {"last_entitled": str(t.last_entitled), "overpaid_months": t.overpaid_months,
                                     "overpaid": _money(t.overpaid), "explanation": t.explanation}, by)]
    updated = R.Pensioner(**{**facts.__dict__, "losses": facts.losses + (R.LossEvent(kind, on, "visit"),)})
    plans = [c for c in R.plan_status_changes([updated], today, rules) if c.action == "suspend" and c.loss]
    if not plans or b.state == "suspended":
        return []
    c = plans[0]
    b.state, b.suspended_from, b.state_reason = "suspended", str(c.from_month), f"loss:{kind.value}"
    b.updated_at = utcnow()
    return [_change(s, b.ssn, "suspend", c.from_month, c.reason, c.citation, {"notify": list(c.notify)}, by)]


def _replay(row_receipt: dict) -> Response:
    return _json_response(_json_bytes(row_receipt), 200, replayed=True)


# --- terminal keys --------------------------------------------------------------------------------------------------

class TerminalKeyIn(BaseModel):
    key_id: str = Field(min_length=16, max_length=16)
    public_key: str = Field(max_length=64)
    algorithm: str = "Ed25519"


@router.put("/terminal-keys/{terminal_id}", responses={**_E401, **_E403, 409: _err("密钥编号已属于其他终端"),
                                                       422: _err("公钥与编号不符")})
def register_key(terminal_id: str, body: TerminalKeyIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Register the Ed25519 public key a terminal signs its evidence bundles with (idempotent)."""
    if _terminal_of(p) != terminal_id:
        raise ApiError(403, "forbidden", "只能登记本终端的签名密钥", f"{p.kind} {p.subject} for {terminal_id}")
    try:
        ok = body.algorithm == "Ed25519" and len(unb64(body.public_key)) == 32 and \
            key_id_of(unb64(body.public_key)) == body.key_id
    except ValueError:
        ok = False
    if not ok:
        raise ApiError(422, "validation_error", "签名公钥无效", "public key does not match key_id")
    with _sessions(request)() as s:
        row = s.get(CertTerminalKey, body.key_id)
        if row is not None and row.terminal_id != terminal_id:
            raise ApiError(409, "key_conflict", "该签名密钥已登记在其他终端", f"key {body.key_id}")
        if row is None:
            row = CertTerminalKey(key_id=body.key_id, terminal_id=terminal_id, public_key=body.public_key,
                                  algorithm=body.algorithm, registered_at=utcnow())
            s.add(row)
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                row = s.get(CertTerminalKey, body.key_id)
        return {"key_id": row.key_id, "terminal_id": row.terminal_id, "registered_at": iso(row.registered_at)}


# --- visits ---------------------------------------------------------------------------------------------------------

class AssignmentIn(BaseModel):
    operator_id: str = Field(max_length=64)
    ssns: list[str] = Field(default_factory=list, max_length=2000)
    from_to_verify: bool = Field(default=False, description="assign the 待核实 list of `region` and `year`")
    region: str | None = Field(default=None, max_length=12)
    year: int | None = None
    limit: int = Field(default=50, ge=1, le=2000)
    reason: str = Field(default="", max_length=300)
    due_by: date | None = None


def assign_visits(s: Session, *, operator_id: str, ssns: list[str], reason: str, due_by: date | None,
                  by: str) -> list[dict]:
    """One open visit per person: an existing assigned visit is moved to `operator_id` rather than duplicated."""
    out = []
    now = utcnow()
    for ssn in dict.fromkeys(ssns):
        if s.get(CertBenefit, ssn) is None:
            raise ApiError(422, "pensioner_not_found", "名单中有非待遇领取人员", f"{ssn[:6]}… is not a pensioner")
        open_visit = s.scalar(select(CertVisitRow).where(CertVisitRow.ssn == ssn, CertVisitRow.state == "assigned"))
        if open_visit is None:
            open_visit = CertVisitRow(visit_id=str(uuid.uuid4()), operator_id=operator_id, ssn=ssn,
                                      reason=reason or "认证期内无比对数据且未自助认证，需上门认证（003 9.6.4）",
                                      due_by=due_by, assigned_at=now, assigned_by=by, state="assigned")
            s.add(open_visit)
        else:
            open_visit.operator_id, open_visit.assigned_at = operator_id, now
            if reason:
                open_visit.reason = reason
            if due_by:
                open_visit.due_by = due_by
        out.append({"visit_id": open_visit.visit_id, "ssn": ssn})
    return out


@router.post("/visit-assignments", responses={**_E401, **_E403, 422: _err("非待遇领取人员")})
def post_assignments(body: AssignmentIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Assign home visits to a field operator: named persons, or the 待核实 list of a region and year."""
    with _sessions(request)() as s:
        op = _require_back_office(s, p)
        target = s.get(Operator, body.operator_id)
        if target is None or target.status != "active":
            raise ApiError(422, "operator_not_found", "外勤人员工号不存在或已停用", body.operator_id)
        ensure_benefits(s)
        ssns = list(body.ssns)
        if body.from_to_verify:
            year = body.year or local_today().year
            lists = R.result_lists(_pensioners(s, region=body.region), year, local_today())
            ssns += [c.ssn for c in lists[R.ResultList.to_verify]][: body.limit]
        visits = assign_visits(s, operator_id=body.operator_id, ssns=ssns, reason=body.reason, due_by=body.due_by,
                               by=op.operator_id)
        s.commit()
        return {"operator_id": body.operator_id, "visits": visits}


def _visit_item(s: Session, v: CertVisitRow, today: date) -> dict[str, Any]:
    person = s.get(Person, v.ssn)
    b, facts = _one(s, v.ssn, ensure=False)
    st = R.standing(facts, today)
    last = facts.last_certification()
    return {
        "visit_id": v.visit_id, "ssn": v.ssn, "name": person.name, "gender": person.gender,
        "birth_date": person.birth_date.isoformat(), "address": person.residence_address,
        "hukou_address": person.hukou_address, "phone": person.phone, "region_code": person.region_code,
        "village": person.village, "scheme": b.scheme, "benefit_start": b.benefit_start.isoformat(),
        "benefit": {"state": b.state, "suspended_from": b.suspended_from, "monthly_amount": b.monthly_amount},
        "last_certification": {"on": last.on.isoformat(), "method": last.method.value,
                               "method_label": R.METHOD_LABELS[last.method]} if last else None,
        "deadline": st.deadline.isoformat(), "reason": v.reason,
        "due_by": v.due_by.isoformat() if v.due_by else None,
        "ref_photo": b64(b.ref_photo) if b.ref_photo else None,
    }


@router.get("/visits", responses={**_E401, **_E403})
def download_visits(request: Request, p: Authenticated,
                    operator_id: Annotated[str, Query(max_length=64)]) -> dict[str, Any]:
    """The open visits of a field operator with everything needed offline (the operator themself, or back office)."""
    with _sessions(request)() as s:
        if not (p.kind == "operator" and p.subject == operator_id):
            _require_back_office(s, p)
        today = local_today()
        now = utcnow()
        ensure_benefits(s)
        rows = list(s.scalars(select(CertVisitRow).where(CertVisitRow.operator_id == operator_id,
                                                         CertVisitRow.state == "assigned")
                              .order_by(CertVisitRow.assigned_at, CertVisitRow.visit_id)))
        items = []
        for v in rows:
            items.append(_visit_item(s, v, today))
            v.downloaded_at = now
        s.commit()
        return {"operator_id": operator_id, "server_time": iso(now), "visits": items}


class BundleIn(BaseModel):
    manifest: dict[str, Any]
    signature: str = Field(max_length=200)
    public_key: str = Field(max_length=64)
    files: dict[str, str]


def _check_staff(s: Session, manifest: dict) -> list[dict]:
    staff = manifest.get("staff") or []
    ids = [str(x.get("operator_id") or "") for x in staff]
    if len(set(i for i in ids if i)) < 2:
        raise ApiError(422, "two_staff_required", "上门认证须有两名工作人员在场并确认（002 §30）",
                       f"staff: {len(set(ids))} distinct")
    for oid in ids:
        op = s.get(Operator, oid)
        if op is None or op.status != "active":
            raise ApiError(422, "two_staff_required", "在场工作人员工号无效或已停用", f"operator {oid}")
    if not any(f.get("kind") in ("person", "with_staff", "document") for f in manifest.get("files") or []):
        raise ApiError(422, "evidence_missing", "上门认证须留存影像资料（002 §30）", "no image in the bundle")
    return staff


@router.post("/visits/{visit_id}/bundle", status_code=201,
             responses={**_E401, 403: _err("终端不符"), 404: _err("走访任务不存在"),
                        409: _err("已收到另一份证据包，或签名密钥未登记"),
                        422: _err("证据包被改动 (evidence_tampered)、缺少两名工作人员 (two_staff_required)")})
def receive_bundle(visit_id: str, body: BundleIn, request: Request, p: Authenticated) -> Response:
    """Receive a visit's evidence bundle exactly once: verify the terminal's signature, every file's SHA-256 and the
    two-staff rule, store it, and apply the outcome (certified → 具备资格 and resumption with back pay; deceased →
    termination path; not found / moved → 待核实 with the reason; missing > 6 months → suspension)."""
    manifest = body.manifest
    if manifest.get("visit_id") != visit_id:
        raise ApiError(422, "validation_error", "证据包与走访任务不符", "manifest visit_id differs from the path")
    terminal_id = str(manifest.get("terminal_id") or "")
    if _terminal_of(p) != terminal_id:
        raise ApiError(403, "forbidden", "证据包只能由采集它的终端上传", f"{p.kind} {p.subject} for {terminal_id}")
    for _attempt in range(3):
        with _sessions(request)() as s:
            try:
                return _receive(s, visit_id, body, terminal_id, request)
            except IntegrityError:
                s.rollback()
    raise ApiError(409, "conflict", "请求冲突，请稍后重试", "bundle kept conflicting")


def _receive(s: Session, visit_id: str, body: BundleIn, terminal_id: str, request: Request) -> Response:
    manifest = body.manifest
    visit = s.get(CertVisitRow, visit_id)
    if visit is None:
        raise ApiError(404, "visit_not_found", "走访任务不存在", visit_id)
    digest = sha256_hex(canonical(manifest))
    if visit.state == "received":
        if visit.bundle_sha256 == digest:
            return _replay(visit.receipt or {})
        raise ApiError(409, "visit_conflict", "该走访已收到另一份证据包", f"visit {visit_id} has {visit.bundle_sha256}")
    key = s.get(CertTerminalKey, str(manifest.get("key_id") or ""))
    if key is None or key.terminal_id != terminal_id:
        raise ApiError(409, "signing_key_unknown", "终端签名密钥未登记，无法验证证据包", f"key {manifest.get('key_id')}")
    try:
        verified = verify_bundle(body.model_dump(), public_key=key.public_key)
    except EvidenceTampered as exc:
        log.warning("tampered evidence bundle for visit %s from %s: %s", visit_id, terminal_id, exc.detail)
        raise ApiError(422, "evidence_tampered", exc.user_message, exc.detail) from None
    person = manifest.get("person") or {}
    if person.get("ssn") != visit.ssn:
        raise ApiError(422, "validation_error", "证据包中的人员与走访任务不符", "person differs from the visit")
    staff = _check_staff(s, manifest)
    primary = next((x["operator_id"] for x in staff if x.get("role") == "primary"), staff[0]["operator_id"])
    second = next((x["operator_id"] for x in staff if x.get("operator_id") != primary), None)
    now = utcnow()
    today = local_today()
    try:
        outcome = R.Outcome(manifest.get("outcome"))
        captured = datetime.fromisoformat(str(manifest.get("captured_at")))
    except (ValueError, TypeError):
        raise ApiError(422, "validation_error", "证据包内容无效", "bad outcome or captured_at") from None
    visit_day = captured.astimezone(LOCAL_TZ).date()
    for f in manifest.get("files") or []:
        s.add(CertFile(owner_id=visit_id, name=f["name"], kind=f["kind"], mime_type=f["mime_type"], size=f["size"],
                       sha256=f["sha256"], data=verified.files[f["name"]]))
    b, facts = _one(s, visit.ssn)
    detail = manifest.get("detail") or {}
    effects: list[dict] = []
    listed = R.ResultList(manifest.get("result_list") or "to_verify")
    if outcome in (R.Outcome.certified, R.Outcome.hospitalised):
        result = "passed"
        listed = R.ResultList.eligible
    elif outcome is R.Outcome.deceased:
        result, listed = "failed", R.ResultList.lost
    else:
        result = "to_verify"
    s.add(CertEvent(event_id=str(uuid.uuid4()), ssn=visit.ssn, method=R.Method.home_visit.value, channel="field",
                    result=result, certified_on=visit_day, at=now, operator_id=primary, second_operator_id=second,
                    terminal_id=terminal_id, source_id=visit_id,
                    detail={"outcome": outcome.value, "place": manifest.get("place"), "notes": manifest.get("notes")}))
    if result == "passed":
        effects += apply_certified(s, b, facts, visit_day, primary)
        if b.ref_photo is None:
            person_photo = next((verified.files[f["name"]] for f in manifest["files"] if f["kind"] == "person"), None)
            b.ref_photo = person_photo
    elif outcome is R.Outcome.deceased:
        died = date.fromisoformat(detail["death_date"]) if detail.get("death_date") else visit_day
        s.add(CertLoss(event_id=str(uuid.uuid4()), ssn=visit.ssn, kind=R.LossKind.death.value, on_date=died,
                       source="field", visit_id=visit_id, operator_id=primary, terminal_id=terminal_id,
                       recorded_at=now, detail={"visit": visit_id}))
        effects += apply_loss(s, b, facts, R.LossKind.death, died, primary, today)
    else:
        since = date.fromisoformat(detail["missing_since"]) if detail.get("missing_since") else None
        if outcome is R.Outcome.moved:
            b.unverified_reason = f"已迁居至{detail.get('new_address') or '外地'}，转异地协查认证（{visit_day.isoformat()}上门）"
        else:
            b.unverified_reason = f"上门未找到本人（{visit_day.isoformat()}）" + \
                (f"，自{since.isoformat()}起下落不明" if since else "")
        if outcome is R.Outcome.not_found and since and listed is R.ResultList.lost:
            s.add(CertLoss(event_id=str(uuid.uuid4()), ssn=visit.ssn, kind=R.LossKind.missing.value, on_date=since,
                           source="field", visit_id=visit_id, operator_id=primary, terminal_id=terminal_id,
                           recorded_at=now, detail={"visit": visit_id}))
            effects += apply_loss(s, b, facts, R.LossKind.missing, since, primary, today)
    prev = s.scalar(select(CertVisitRow.bundle_sha256).where(CertVisitRow.terminal_id == terminal_id,
                                                              CertVisitRow.seq == (manifest.get("seq") or 0) - 1))
    chain_ok = None if manifest.get("seq") in (None, 1) and manifest.get("prev_sha256") is None else \
        (prev == manifest.get("prev_sha256") if prev else None)
    receipt = {"visit_id": visit_id, "bundle_sha256": digest, "verified": True, "received_at": iso(now),
               "result_list": listed.value, "result_label": R.LIST_LABELS[listed], "files": len(verified.files),
               "effects": effects, "chain_ok": chain_ok}
    visit.state, visit.terminal_id, visit.outcome, visit.result_list = "received", terminal_id, outcome.value, listed.value
    visit.seq, visit.bundle_sha256, visit.key_id = manifest.get("seq"), digest, key.key_id
    visit.manifest, visit.signature, visit.receipt, visit.received_at = manifest, body.signature, receipt, now
    s.commit()
    log.info("visit bundle received: %s (%s) from %s", visit_id, outcome.value, terminal_id)
    return _json_response(_json_bytes(receipt), 201)


@router.get("/visits/{visit_id}/receipt", responses={**_E401, 404: _err("尚未收到证据包")})
def visit_receipt(visit_id: str, request: Request, _p: Authenticated) -> dict[str, Any]:
    """The receipt of a visit's bundle (the terminal wipes its copy once it holds this)."""
    with _sessions(request)() as s:
        v = s.get(CertVisitRow, visit_id)
        if v is None or v.state != "received":
            raise ApiError(404, "not_received", "中心尚未收到该走访的证据包", visit_id)
        return dict(v.receipt or {})


# --- counter and kiosk records ---------------------------------------------------------------------------------------

class RecordIn(BaseModel):
    record_id: uuid.UUID
    ssn: str = Field(max_length=18)
    name: str = Field(max_length=64)
    method: R.Method
    channel: str = Field(pattern="^(counter|kiosk)$")
    result: str = Field(pattern="^(passed|pending|failed)$")
    identified_by: str = Field(max_length=16)
    attested: bool = False
    operator_id: str = Field(max_length=64)
    terminal_id: str = Field(max_length=64)
    certified_at: datetime
    face: dict[str, Any] = Field(default_factory=dict)
    photo: str
    photo_sha256: str = Field(min_length=64, max_length=64)


@router.post("/records", status_code=201, responses={**_E401, 404: _err("非待遇领取人员"), 422: _err("照片摘要不符")})
def post_record(body: RecordIn, request: Request, p: Authenticated) -> Response:
    """A counter or kiosk certification, exactly once (by record_id). `passed` certifies (and resumes a suspension
    with back pay); `pending` waits for the back office to compare the photo; `failed` is kept as an attempt."""
    try:
        photo = unb64(body.photo)
    except ValueError:
        photo = b""
    if sha256_hex(photo) != body.photo_sha256:
        raise ApiError(422, "evidence_tampered", "照片与摘要不符", "photo sha256 mismatch")
    rid = str(body.record_id)
    with _sessions(request)() as s:
        known = s.scalar(select(CertEvent).where(CertEvent.source_id == rid))
        if known is not None:
            return _replay(known.detail.get("receipt") or {"record_id": rid, "result": known.result})
        b, facts = _one(s, body.ssn)
        now = utcnow()
        day = body.certified_at.astimezone(LOCAL_TZ).date() if body.certified_at.tzinfo else body.certified_at.date()
        effects = apply_certified(s, b, facts, day, body.operator_id) if body.result == "passed" else []
        if body.result == "failed":
            b.unverified_reason = "自助/窗口人脸认证未通过，需人工核实"
        receipt = {"record_id": rid, "result": body.result, "received_at": iso(now), "effects": effects}
        s.add(CertEvent(event_id=str(uuid.uuid4()), ssn=body.ssn, method=body.method.value, channel=body.channel,
                        result=body.result, certified_on=day, at=now, operator_id=body.operator_id,
                        terminal_id=body.terminal_id, source_id=rid,
                        detail={"face": body.face, "identified_by": body.identified_by, "attested": body.attested,
                                "receipt": receipt}))
        s.add(CertFile(owner_id=rid, name="live.jpg", kind="live", mime_type="image/jpeg", size=len(photo),
                       sha256=body.photo_sha256, data=photo))
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            known = s.scalar(select(CertEvent).where(CertEvent.source_id == rid))
            return _replay(known.detail.get("receipt") or {})
        return _json_response(_json_bytes(receipt), 201)


class ReviewIn(BaseModel):
    match: bool
    note: str = Field(default="", max_length=300)


@router.post("/records/{record_id}/review", responses={**_E401, **_E403, 404: _err("无待比对记录")})
def review_record(record_id: str, body: ReviewIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Back-office comparison of a photo queued without a local model: a match certifies (on the day of the photo)."""
    with _sessions(request)() as s:
        op = _require_back_office(s, p)
        ev = s.scalar(select(CertEvent).where(CertEvent.source_id == record_id, CertEvent.result == "pending"))
        if ev is None:
            raise ApiError(404, "not_pending", "没有待后台比对的认证记录", record_id)
        ev.reviewed_by, ev.reviewed_at = op.operator_id, utcnow()
        effects: list[dict] = []
        b, facts = _one(s, ev.ssn)
        if body.match:
            ev.result = "passed"
            effects = apply_certified(s, b, facts, ev.certified_on, op.operator_id)
        else:
            ev.result = "rejected"
            b.unverified_reason = f"后台人工比对未通过：{body.note or '照片与本人不符'}"
        ev.detail = {**ev.detail, "review": {"match": body.match, "note": body.note}}
        s.commit()
        return {"record_id": record_id, "result": ev.result, "effects": effects}


# --- deaths and custody ---------------------------------------------------------------------------------------------

class LossIn(BaseModel):
    event_id: uuid.UUID
    ssn: str = Field(max_length=18)
    name: str = Field(default="", max_length=64)
    kind: R.LossKind
    on: date
    source: str = Field(default="counter", max_length=16)
    informant: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=300)
    operator_id: str = Field(max_length=64)
    terminal_id: str = Field(default="", max_length=64)
    at: datetime | None = None


@router.post("/loss-events", status_code=201, responses={**_E401, 404: _err("非待遇领取人员")})
def post_loss(body: LossIn, request: Request, _p: Authenticated) -> Response:
    """A death, custody (or similar) reported at a counter or found by comparison, exactly once: suspends or starts
    the termination path, and feeds the monthly report."""
    eid = str(body.event_id)
    with _sessions(request)() as s:
        if s.get(CertLoss, eid) is not None:
            row = s.get(CertLoss, eid)
            return _replay(row.detail.get("receipt") or {"event_id": eid})
        b, facts = _one(s, body.ssn)
        now = utcnow()
        effects = apply_loss(s, b, facts, body.kind, body.on, body.operator_id, local_today())
        receipt = {"event_id": eid, "received_at": iso(now), "effects": effects}
        s.add(CertLoss(event_id=eid, ssn=body.ssn, kind=body.kind.value, on_date=body.on, source=body.source,
                       operator_id=body.operator_id, terminal_id=body.terminal_id, recorded_at=now,
                       detail={"informant": body.informant, "note": body.note, "receipt": receipt}))
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            return _replay((s.get(CertLoss, eid).detail or {}).get("receipt") or {})
        return _json_response(_json_bytes(receipt), 201)


# --- standing, lists, status changes --------------------------------------------------------------------------------

@router.get("/persons/{ssn}", responses={**_E401, **_E403, 404: _err("非待遇领取人员")})
def person_status(ssn: str, request: Request, _p: Authenticated,
                  include_photo: Annotated[bool, Query()] = False) -> dict[str, Any]:
    """A pensioner's standing: next deadline, overdue, payment state, last certification, open visit."""
    with _sessions(request)() as s:
        authorize(s, _p, "view_person")  # issue 11: permission matrix
        b, facts = _one(s, ssn)
        s.commit()
        today = local_today()
        st = R.standing(facts, today)
        last = facts.last_certification()
        visit = s.scalar(select(CertVisitRow.visit_id).where(CertVisitRow.ssn == ssn, CertVisitRow.state == "assigned"))
        return {"ssn": ssn, "name": facts.name, "region_code": b.region_code, "scheme": b.scheme, "state": b.state,
                "suspended_from": b.suspended_from, "monthly_amount": b.monthly_amount,
                "deadline": st.deadline.isoformat(), "overdue": st.overdue, "days_left": st.days_left,
                "cadence": st.rule.cadence.value, "cadence_label": R.CADENCE_LABELS[st.rule.cadence],
                "citation": st.rule.citation,
                "last_certification": {"on": last.on.isoformat(), "method": last.method.value,
                                       "method_label": R.METHOD_LABELS[last.method]} if last else None,
                "open_visit": visit, "has_ref_photo": b.ref_photo is not None,
                "ref_photo": b64(b.ref_photo) if include_photo and b.ref_photo else None}


@router.get("/results", responses={**_E401, **_E403})
def results(request: Request, _p: Authenticated, year: Annotated[int, Query(ge=2000, le=2100)],
            region: Annotated[str | None, Query(max_length=12)] = None,
            as_of: Annotated[date | None, Query()] = None) -> dict[str, Any]:
    """The three lists of a year: 具备资格 / 丧失资格 / 待核实 (000 §82; 003 9.6.5), each with its reason."""
    with _sessions(request)() as s:
        authorize(s, _p, "export")  # issue 11: a list of persons is an export of personal data (matrix)
        ensure_benefits(s)
        s.commit()
        day = as_of or local_today()
        lists = R.result_lists(_pensioners(s, region=region), year, day)

        def row(c: R.Classified) -> dict:
            return {"ssn": c.ssn, "name": c.name, "reason": c.reason, "citation": c.citation,
                    "method": c.method.value if c.method else None,
                    "certified_on": c.certified_on.isoformat() if c.certified_on else None}

        return {"year": year, "region": region, "as_of": day.isoformat(), "citation": R.LIST_CITATION,
                "counts": {k.value: len(v) for k, v in lists.items()},
                "labels": {k.value: R.LIST_LABELS[k] for k in R.ResultList},
                "lists": {k.value: [row(c) for c in v] for k, v in lists.items()}}


class RunIn(BaseModel):
    as_of: date | None = None
    region: str | None = Field(default=None, max_length=12)


@router.post("/status-changes/run", responses={**_E401, **_E403})
def run_status_changes(body: RunIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Suspend everyone whose certification deadline passed (and apply pending losses): 暂停发放 from the month
    after the deadline; death → termination path. Safe to run again (people already handled are skipped)."""
    with _sessions(request)() as s:
        op = _require_back_office(s, p)
        ensure_benefits(s)
        day = body.as_of or local_today()
        people = _pensioners(s, region=body.region)
        done: list[dict] = []
        for c in R.plan_status_changes(people, day):
            b = s.get(CertBenefit, c.ssn)
            facts = next(x for x in people if x.ssn == c.ssn)
            if c.action == "terminate" and c.loss:
                done += [{"ssn": c.ssn, **e} for e in apply_loss(s, b, facts, c.loss.kind, c.loss.on,
                                                                  op.operator_id, day)]
            elif c.action == "suspend":
                b.state, b.suspended_from = "suspended", str(c.from_month)
                b.state_reason = f"loss:{c.loss.kind.value}" if c.loss else "certification_overdue"
                b.updated_at = utcnow()
                done.append({"ssn": c.ssn, **_change(s, c.ssn, "suspend", c.from_month, c.reason, c.citation,
                                                     {"notify": list(c.notify)}, op.operator_id)})
        s.commit()
        return {"as_of": day.isoformat(), "changes": done, "count": len(done)}


# --- reports ----------------------------------------------------------------------------------------------------------

@router.get("/reports/yearly", responses={**_E401, **_E403})
def get_yearly(request: Request, _p: Authenticated, year: Annotated[int, Query(ge=2000, le=2100)],
               region: Annotated[str, Query(min_length=2, max_length=12)]) -> dict[str, Any]:
    """资格认证报告书 (002 §26): certified, uncertified with reasons, lost; due date and warnings."""
    with _sessions(request)() as s:
        authorize(s, _p, "export")  # issue 11: names and ID numbers of a region (matrix)
        ensure_benefits(s)
        s.commit()
        saved = s.get(CertReport, (region, year))
        reasons = (saved.body or {}).get("reasons", {}) if saved else {}
        rep = yearly_report(_pensioners(s, region=region), region=region, year=year, as_of=local_today(),
                            reasons=reasons, submitted=saved is not None)
        out = rep.to_dict()
        out["submitted_at"] = iso(saved.submitted_at) if saved else None
        return out


class YearlySubmitIn(BaseModel):
    year: int = Field(ge=2000, le=2100)
    region: str = Field(min_length=2, max_length=12)
    reasons: dict[str, str] = Field(default_factory=dict)


@router.post("/reports/yearly", status_code=201, responses={**_E401, **_E403, 422: _err("未认证人员缺少原因")})
def submit_yearly(body: YearlySubmitIn, request: Request, p: Authenticated) -> dict[str, Any]:
    """Submit the yearly report; refused while any uncertified person has no reason (002 §26)."""
    with _sessions(request)() as s:
        op = _require_back_office(s, p)
        ensure_benefits(s)
        rep = yearly_report(_pensioners(s, region=body.region), region=body.region, year=body.year,
                            as_of=local_today(), reasons={k: v.strip() for k, v in body.reasons.items() if v.strip()})
        if not rep.submittable:
            names = "、".join(r.name for r in rep.missing_reasons[:5])
            raise ApiError(422, "reasons_missing",
                           f"有{len(rep.missing_reasons)}名未认证人员未填写原因（{names}…），报告书不能报送（002 §26）",
                           f"{len(rep.missing_reasons)} without reason")
        now = utcnow()
        rep.submitted = True
        payload = rep.to_dict() | {"reasons": {r.ssn: r.reason for r in rep.uncertified}}
        row = s.get(CertReport, (body.region, body.year))
        if row is None:
            s.add(CertReport(region_code=body.region, year=body.year, submitted_at=now, submitted_by=op.operator_id,
                             body=payload))
        else:
            row.submitted_at, row.submitted_by, row.body = now, op.operator_id, payload
        s.commit()
        return {"region": body.region, "year": body.year, "submitted_at": iso(now),
                "certified": len(rep.certified), "uncertified": len(rep.uncertified), "lost": len(rep.lost)}


@router.get("/reports/monthly", responses={**_E401, **_E403})
def get_monthly(request: Request, _p: Authenticated, month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")],
                region: Annotated[str | None, Query(max_length=12)] = None) -> dict[str, Any]:
    """Deaths and custody learnt in a month (local time): name, ID number, date, source (001 ch5 L74; 002 §27)."""
    try:
        m = Month.parse(month)
    except ValueError as exc:  # 2025-13, 0000-00 (found by fuzzing, issue 11: was a 500)
        raise ApiError(422, "validation_error", "月份无效，应为 YYYY-MM", str(exc)) from None
    start = datetime(m.year, m.month, 1, tzinfo=LOCAL_TZ)
    end = datetime((m + 1).year, (m + 1).month, 1, tzinfo=LOCAL_TZ)
    with _sessions(request)() as s:
        authorize(s, _p, "export")  # issue 11: names and ID numbers of the deceased (matrix)
        q = (select(CertLoss, Person.name, Person.region_code).join(Person, Person.ssn == CertLoss.ssn)
             .where(CertLoss.recorded_at >= start, CertLoss.recorded_at < end))
        if region:
            q = q.where(Person.region_code.like(f"{region}%"))
        events = [{"ssn": e.ssn, "name": name, "kind": e.kind, "on": e.on_date.isoformat(), "source": e.source,
                   "recorded_on": e.recorded_at.astimezone(LOCAL_TZ).date().isoformat()}
                  for e, name, _r in s.execute(q)]
    rows = monthly_loss_report(events, month)
    return {"month": month, "region": region, "citation": "001 ch5 L74；002 §27",
            "rows": [r.__dict__ for r in rows]}


# --- demo data --------------------------------------------------------------------------------------------------------

DEMO_FIELD_OPERATORS = [("field1", "外勤认证员一", ["外勤人员"]), ("field2", "外勤认证员二", ["外勤人员"]),
                        # the back office's lists and reports are exports of personal data (issue 11 matrix)
                        ("data1", "认证数据管理员", ["数据管理员"])]
DEMO_VISITS = 20


def _demo_portrait(rng: random.Random, w: int = 180, h: int = 220) -> bytes:
    import cv2
    import numpy as np

    img = np.full((h, w, 3), 246, np.uint8)
    cx = w // 2
    skin = (rng.randint(120, 160), rng.randint(160, 195), rng.randint(205, 235))
    cv2.ellipse(img, (cx, int(h * 0.98)), (int(w * 0.42), int(h * 0.25)), 0, 180, 360,
                (rng.randint(40, 140), 60, 40), -1)
    cv2.ellipse(img, (cx, int(h * 0.45)), (int(w * 0.24), int(h * 0.2)), 0, 0, 360, skin, -1)
    cv2.ellipse(img, (cx, int(h * 0.32)), (int(w * 0.25), int(h * 0.1)), 0, 180, 360, (30, 30, 30), -1)
    for dx in (-1, 1):
        cv2.circle(img, (cx + dx * int(w * 0.09), int(h * 0.43)), 3, (40, 40, 40), -1)
    ok, buf = cv2.imencode(".jpg", img, [int(cv2.IMWRITE_JPEG_QUALITY), 85])
    return buf.tobytes()


def seed_demo_certification(engine: Engine, *, today: date | None = None) -> dict[str, int]:
    """Field operators, monthly amounts (fixture values, not policy), a certification history (most retirees
    certified this year by data comparison; some not), reference photos, and 20 home visits for field1.
    Idempotent: a second call adds nothing."""
    from server.security import hash_password
    from server.demo_data import DEMO_PASSWORD

    today = today or local_today()
    rng = random.Random(20250611)
    with Session(engine) as s:
        for op_id, name, roles in DEMO_FIELD_OPERATORS:
            if s.get(Operator, op_id) is None:
                s.add(Operator(operator_id=op_id, name=name, password_hash=hash_password(DEMO_PASSWORD), roles=roles,
                               agency_code="150102", status="active"))
        ensure_benefits(s)
        benefits = list(s.scalars(select(CertBenefit).order_by(CertBenefit.ssn)))
        if s.scalar(select(func.count()).select_from(CertEvent).where(CertEvent.channel == "demo")):
            s.commit()
            return {"benefits": len(benefits), "visits": 0}
        for i, b in enumerate(benefits):
            base = 2600 + rng.randrange(0, 2200) if b.scheme == "employee" else 180 + rng.randrange(0, 260)
            b.monthly_amount = f"{base}.00"
            b.ref_photo = _demo_portrait(rng)
            if i % 3 != 0:  # two in three certified this year by comparison
                day = date(today.year, 1, 1) + timedelta(days=rng.randrange(0, max(1, (today - date(today.year, 1, 1)).days)))
                s.add(CertEvent(event_id=str(uuid.uuid4()), ssn=b.ssn, method=R.Method.data_comparison.value,
                                channel="demo", result="passed", certified_on=day, at=utcnow(), operator_id=None,
                                terminal_id=None, source_id=None, detail={"demo": True}))
            else:  # certified last year only → 待核实 this year
                day = date(today.year - 1, rng.randint(1, 12), rng.randint(1, 28))
                s.add(CertEvent(event_id=str(uuid.uuid4()), ssn=b.ssn, method=R.Method.face_kiosk.value,
                                channel="demo", result="passed", certified_on=day, at=utcnow(), operator_id=None,
                                terminal_id=None, source_id=None, detail={"demo": True}))
        s.flush()
        pending = [b.ssn for i, b in enumerate(benefits) if i % 3 == 0]
        others = [b.ssn for i, b in enumerate(benefits) if i % 3 != 0]
        chosen = (pending + others)[:DEMO_VISITS]
        visits = assign_visits(s, operator_id="field1", ssns=chosen, reason="", due_by=today + timedelta(days=30),
                               by="admin")
        s.commit()
        return {"benefits": len(benefits), "visits": len(visits)}

