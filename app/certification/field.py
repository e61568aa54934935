"""Field mode (上门认证) on a laptop with no network.

Before leaving: `download` the visits assigned to the operator (person, address, reference photo, last certification)
into the encrypted local store. Offline, per visit: photos (person, with staff, documents), the second staff member
confirms with their own credentials (`verify_second_staff`, 002 §30), the person signs on screen, notes, place (typed
or GPS), time, outcome. `commit_visit` seals the files, signs the evidence bundle and — in one transaction — marks
the visit captured, records the files, a death or long absence for the monthly report, the outbox message carrying
the bundle and the audit record. The relay delivers it when a network appears; once the server confirmed the
bundle (its SHA-256 in the answer), `wipe_confirmed` overwrites the files and clears the person's data.

Work counts only once it is in the central system [000 §94]: a captured visit is `captured`, not done."""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certification import messages
from app.certification.config import CertificationSettings
from app.certification.evidence import (KEY_SETTING, EvidenceFile, EvidenceTampered, EvidenceVault, TerminalSigner,
                                        bundle_sha256, make_bundle, unb64, verify_bundle)
from app.certification.gps import Place
from app.certification.rules import LIST_LABELS, OUTCOME_LABELS, LossKind, Outcome, ResultList, missing_long_enough
from app.clock import as_utc, local_today, utcnow
from app.errors import AuthError, YichuangError
from app.security.audit import append_audit
from app.security.passwords import verify_password
from app.store import Store
from app.store.models import CertEvidence, CertLossEvent, CertVisit, LocalSetting, Operator, OutboxMessage
from app.sync.outbox import SENT, new_message

log = logging.getLogger(__name__)

CHAIN_SETTING = "certification.bundle_chain"
CONFIRMATION_TTL = timedelta(minutes=30)
TWO_STAFF_RULE = "002 §30：须有两名（含）以上工作人员在场，并留存影像资料"
STATE_LABELS = {"assigned": "待走访", "captured": "已采集，待上传", "confirmed": "中心已确认", "wiped": "已上传并清除",
                "failed": "上传被拒，需处理"}
PHOTO_KINDS = {"person": "本人照片", "with_staff": "与工作人员合影", "document": "证件/材料"}


class TwoStaffError(YichuangError):
    code = "two_staff_required"


class VisitIncomplete(YichuangError):
    code = "visit_incomplete"

    def __init__(self, problems: list[str]):
        super().__init__("走访记录不完整：" + "；".join(problems), "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Staff:
    operator_id: str
    name: str


@dataclass(frozen=True)
class StaffConfirmation:
    """The second staff member present confirmed this visit with their own credentials."""

    visit_id: str
    operator_id: str
    name: str
    confirmed_at: datetime
    method: str  # verifier / keystore


@dataclass
class VisitDraft:
    visit_id: str
    outcome: Outcome
    photos: dict[str, list[bytes]] = field(default_factory=dict)  # kind → JPEG bytes
    signature_png: bytes | None = None
    signature_waived: str = ""  # why the person could not sign (e.g. 卧床无法书写)
    notes: str = ""
    place: Place | None = None
    captured_at: datetime | None = None
    death_date: date | None = None
    missing_since: date | None = None
    new_address: str = ""
    hospital: str = ""


@dataclass(frozen=True)
class VisitView:
    visit_id: str
    operator_id: str
    ssn: str
    name: str
    person: dict
    reason: str
    due_by: str | None
    state: str
    outcome: str | None
    has_ref_photo: bool
    captured_at: datetime | None
    bundle_sha256: str | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[Outcome(self.outcome)] if self.outcome else ""


@dataclass(frozen=True)
class CommitResult:
    visit_id: str
    bundle_sha256: str
    message_id: str
    result_list: ResultList
    files: int
    bytes: int


def _view(v: CertVisit) -> VisitView:
    return VisitView(v.visit_id, v.operator_id, v.ssn, v.name, dict(v.person or {}), v.reason, v.due_by, v.state,
                     v.outcome, v.ref_photo is not None, as_utc(v.captured_at) if v.captured_at else None,
                     v.bundle_sha256)


def result_list_for(draft: VisitDraft, today: date) -> ResultList:
    if draft.outcome in (Outcome.certified, Outcome.hospitalised):
        return ResultList.eligible
    if draft.outcome is Outcome.deceased:
        return ResultList.lost
    if draft.outcome is Outcome.not_found and draft.missing_since and missing_long_enough(draft.missing_since, today):
        return ResultList.lost  # 下落不明超过6个月 → 停发 (004:L9528)
    return ResultList.to_verify


def check_draft(draft: VisitDraft, primary: Staff, second: StaffConfirmation | None, *, require_signature: bool = True,
                now: datetime | None = None, today: date | None = None) -> list[str]:
    """Every rule a visit must meet before it can be saved; the problems in Chinese (empty = complete)."""
    now = now or utcnow()
    today = today or local_today()
    problems: list[str] = []
    if second is None:
        problems.append("须由第二名工作人员用本人工号和密码确认在场（" + TWO_STAFF_RULE + "）")
    else:
        if second.operator_id == primary.operator_id:
            problems.append("第二名工作人员不能与本人为同一人（" + TWO_STAFF_RULE + "）")
        if second.visit_id != draft.visit_id:
            problems.append("第二名工作人员的确认属于另一次走访，请重新确认")
        elif now - second.confirmed_at > CONFIRMATION_TTL:
            problems.append("第二名工作人员的确认已超过30分钟，请重新确认")
    n_photos = sum(len(v) for v in draft.photos.values())
    if n_photos == 0:
        problems.append("须至少留存一张现场照片（002 §30）")
    if not draft.place or not draft.place.text.strip():
        problems.append("请填写走访地点（或读取GPS）")
    if draft.outcome in (Outcome.certified, Outcome.hospitalised):
        if not draft.photos.get("person"):
            problems.append("请拍摄本人照片")
        if draft.outcome is Outcome.certified and not draft.photos.get("with_staff"):
            problems.append("请拍摄本人与工作人员合影")
        if require_signature and not draft.signature_png and not draft.signature_waived.strip():
            problems.append("请本人在屏幕上签字（无法签字的请注明原因）")
        if draft.outcome is Outcome.hospitalised and not draft.hospital.strip():
            problems.append("请填写所住医院")
    elif draft.outcome is Outcome.deceased:
        if not draft.death_date:
            problems.append("请填写死亡日期")
        elif draft.death_date > today:
            problems.append("死亡日期不能晚于今天")
        if not draft.photos.get("document"):
            problems.append("请拍摄死亡证明、火化证明或户口注销证明")
    elif draft.outcome is Outcome.not_found:
        if not draft.notes.strip():
            problems.append("请在备注中写明走访经过（向谁了解、何时再访）")
        if draft.missing_since and draft.missing_since > today:
            problems.append("下落不明起始日期不能晚于今天")
    elif draft.outcome is Outcome.moved:
        if not draft.new_address.strip():
            problems.append("请填写迁居后的地址（转异地协查认证）")
    return problems


class FieldService:
    def __init__(self, store: Store, dek: bytes, evidence_dir: Path, terminal_id: str, *,
                 settings: CertificationSettings | None = None, require_encrypted_store: bool = True):
        if require_encrypted_store and "pysqlcipher" not in store.engine.url.drivername:
            raise YichuangError("外勤模式要求本地数据库加密，请以加密方式打开本机数据（联系管理员）。",
                                f"field mode on a plain database {store.path}", code="store_not_encrypted")
        self.store = store
        self.vault = EvidenceVault(evidence_dir, dek)
        self._dek = dek
        self.terminal_id = terminal_id
        self.settings = settings or CertificationSettings()

    # -- the terminal's signing key ----------------------------------------------------------------------------------
    def _signer(self, s: Session) -> tuple[TerminalSigner, str | None]:
        """The signing key (created and queued for registration on first use) and the id of its registration message
        when that has not been delivered yet (bundles then wait for it)."""
        row = s.get(LocalSetting, KEY_SETTING)
        if row is None:
            signer = TerminalSigner.generate()
            s.add(LocalSetting(key=KEY_SETTING, value=signer.sealed(self._dek)))
            msg = new_message(aggregate_id=self.terminal_id, kind=messages.TERMINAL_KEY, method="PUT",
                              path=messages.key_path(self.terminal_id),
                              body={"key_id": signer.key_id, "public_key": signer.public_key,
                                    "algorithm": "Ed25519"})
            s.add(msg)
            s.flush()
            return signer, msg.message_id
        signer = TerminalSigner.unsealed(row.value, self._dek)
        pending = s.scalar(select(OutboxMessage.message_id).where(OutboxMessage.kind == messages.TERMINAL_KEY,
                                                                  OutboxMessage.state != SENT)
                           .order_by(OutboxMessage.seq.desc()).limit(1))
        return signer, pending

    def ensure_signing_key(self) -> str:
        with self.store.session() as s:
            signer, _ = self._signer(s)
            return signer.key_id

    # -- the visit list ----------------------------------------------------------------------------------------------
    def download(self, api, operator_id: str) -> dict[str, int]:
        """Fetch the operator's visit list (operator token on `api`). Visits not yet captured are refreshed; ones the
        centre no longer assigns are dropped; captured ones are never touched."""
        from app.certification.remote import download_visits

        data = download_visits(api, operator_id)
        now = utcnow()
        added = updated = removed = 0
        with self.store.session() as s:
            self._signer(s)  # registered while still online, before the first bundle
            listed = set()
            for item in data.get("visits", []):
                vid = item["visit_id"]
                listed.add(vid)
                photo = unb64(item["ref_photo"]) if item.get("ref_photo") else None
                person = {k: item.get(k) for k in ("gender", "birth_date", "address", "hukou_address", "phone",
                                                   "region_code", "village", "scheme", "benefit_start", "benefit",
                                                   "last_certification", "deadline")}
                row = s.get(CertVisit, vid)
                if row is None:
                    s.add(CertVisit(visit_id=vid, operator_id=operator_id, ssn=item["ssn"], name=item["name"],
                                    person=person, ref_photo=photo, reason=item.get("reason") or "",
                                    due_by=item.get("due_by"), state="assigned", downloaded_at=now))
                    added += 1
                elif row.state == "assigned":
                    row.name, row.person, row.ref_photo = item["name"], person, photo
                    row.reason, row.due_by, row.downloaded_at = item.get("reason") or "", item.get("due_by"), now
                    updated += 1
            for row in s.scalars(select(CertVisit).where(CertVisit.operator_id == operator_id,
                                                         CertVisit.state == "assigned")):
                if row.visit_id not in listed:
                    s.delete(row)
                    removed += 1
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id,
                         action="certification.visits.download", object_type="operator", object_id=operator_id,
                         detail={"added": added, "updated": updated, "removed": removed})
        return {"added": added, "updated": updated, "removed": removed, "total": len(listed)}

    def visits(self, operator_id: str | None = None, *, include_wiped: bool = False) -> list[VisitView]:
        with self.store.session() as s:
            q = select(CertVisit).order_by(CertVisit.state != "assigned", CertVisit.due_by, CertVisit.name)
            if operator_id:
                q = q.where(CertVisit.operator_id == operator_id)
            if not include_wiped:
                q = q.where(CertVisit.state != "wiped")
            return [_view(v) for v in s.scalars(q)]

    def visit(self, visit_id: str) -> VisitView:
        with self.store.session() as s:
            v = s.get(CertVisit, visit_id)
            if v is None:
                raise YichuangError("找不到该走访任务。", f"visit {visit_id} not found", code="visit_not_found")
            return _view(v)

    def reference_photo(self, visit_id: str) -> bytes | None:
        with self.store.session() as s:
            v = s.get(CertVisit, visit_id)
            return v.ref_photo if v else None

    # -- the second staff member ---------------------------------------------------------------------------------------
    def verify_second_staff(self, *, visit_id: str, primary_operator_id: str, operator_id: str, password: str,
                            keystore=None) -> StaffConfirmation:
        """The second staff member types their own 工号 and password on this laptop; checked against their local
        verifier (cached at their last online login here) or their key wrap in the key store."""
        operator_id = (operator_id or "").strip()
        if not operator_id or not password:
            raise AuthError("请第二名工作人员输入本人工号和密码。", "second staff credentials empty")
        if operator_id == primary_operator_id:
            raise TwoStaffError("第二名工作人员不能与本人为同一人：" + TWO_STAFF_RULE, "second staff = primary")
        now = utcnow()
        with self.store.session() as s:
            op = s.get(Operator, operator_id)
            method = None
            if op is not None and not op.disabled and op.password_verifier and \
                    verify_password(op.password_verifier, password):
                method = "verifier"
            elif keystore is not None and keystore.has_operator(operator_id) and (op is None or not op.disabled):
                try:
                    keystore.unlock(operator_id, password)
                    method = "keystore"
                except AuthError:
                    method = None
            known = op is not None or (keystore is not None and keystore.has_operator(operator_id))
            name = op.name if op else operator_id
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id,
                         action="certification.second_staff" if method else "certification.second_staff.refused",
                         object_type="visit", object_id=visit_id, detail={"primary": primary_operator_id})
        # the session committed: a refusal stays in the audit log
        if method is None:
            if not known:
                raise AuthError("该工号未在本机登录过，无法离线确认。第二名工作人员须出发前在本机联网登录一次。",
                                f"unknown second staff {operator_id}")
            raise AuthError("第二名工作人员工号或密码错误。", f"second staff {operator_id} refused")
        return StaffConfirmation(visit_id, operator_id, name, now, method)

    # -- capture and commit ----------------------------------------------------------------------------------------------
    def commit_visit(self, draft: VisitDraft, primary: Staff, second: StaffConfirmation | None) -> CommitResult:
        now = utcnow()
        today = local_today()
        problems = check_draft(draft, primary, second, require_signature=self.settings.field.require_signature,
                               now=now, today=today)
        if problems:
            raise VisitIncomplete(problems)
        assert second is not None
        files: list[EvidenceFile] = []
        for kind in ("person", "with_staff", "document"):
            for i, data in enumerate(draft.photos.get(kind) or [], start=1):
                files.append(EvidenceFile(f"{kind}-{i}.jpg", kind, "image/jpeg", data))
        if draft.signature_png:
            files.append(EvidenceFile("signature.png", "signature", "image/png", draft.signature_png))
        sealed: list[tuple[EvidenceFile, str]] = []
        try:
            for f in files:
                sealed.append((f, self.vault.put(draft.visit_id, f.name, f.data)))
            result = self._commit(draft, primary, second, files, sealed, now, today)
        except BaseException:
            for _f, rel in sealed:
                self.vault.wipe(rel)
            raise
        return result

    def _commit(self, draft: VisitDraft, primary: Staff, second: StaffConfirmation, files: list[EvidenceFile],
                sealed: list[tuple[EvidenceFile, str]], now: datetime, today: date) -> CommitResult:
        captured_at = draft.captured_at or now
        listed = result_list_for(draft, today)
        with self.store.session() as s:
            visit = s.get(CertVisit, draft.visit_id)
            if visit is None:
                raise YichuangError("找不到该走访任务。", f"visit {draft.visit_id} not found", code="visit_not_found")
            if visit.state != "assigned":
                raise YichuangError("该走访已保存，不能重复保存。", f"visit {visit.visit_id} is {visit.state}",
                                    code="visit_already_captured")
            signer, key_msg = self._signer(s)
            chain_row = s.get(LocalSetting, CHAIN_SETTING)
            chain = json.loads(chain_row.value) if chain_row else {"seq": 0, "sha256": None}
            seq = int(chain["seq"]) + 1
            detail = {"death_date": draft.death_date.isoformat() if draft.death_date else None,
                      "missing_since": draft.missing_since.isoformat() if draft.missing_since else None,
                      "new_address": draft.new_address.strip() or None, "hospital": draft.hospital.strip() or None,
                      "signature_waived": draft.signature_waived.strip() or None}
            facts = {
                "visit_id": visit.visit_id, "terminal_id": self.terminal_id, "seq": seq, "prev_sha256": chain["sha256"],
                "person": {"ssn": visit.ssn, "name": visit.name},
                "outcome": draft.outcome.value, "outcome_label": OUTCOME_LABELS[draft.outcome],
                "result_list": listed.value, "result_label": LIST_LABELS[listed],
                "detail": {k: v for k, v in detail.items() if v},
                "staff": [{"operator_id": primary.operator_id, "name": primary.name, "role": "primary"},
                          {"operator_id": second.operator_id, "name": second.name, "role": "second",
                           "confirmed_at": as_utc(second.confirmed_at).isoformat(), "method": second.method}],
                "place": (draft.place or Place("")).to_dict(),
                "captured_at": as_utc(captured_at).isoformat(), "committed_at": now.isoformat(),
                "notes": draft.notes.strip(), "rule": TWO_STAFF_RULE,
            }
            bundle = make_bundle(signer, facts, files)
            digest = bundle_sha256(bundle["manifest"])
            msg = new_message(aggregate_id=visit.visit_id, kind=messages.VISIT_BUNDLE, method="POST",
                              path=messages.bundle_path(visit.visit_id), body=bundle, depends_on=key_msg, now=now)
            s.add(msg)
            for f, rel in sealed:
                s.add(CertEvidence(evidence_id=str(uuid.uuid4()), owner_id=visit.visit_id, kind=f.kind,
                                   file_name=f.name, path=rel, mime_type=f.mime_type, size_bytes=len(f.data),
                                   sha256=f.entry()["sha256"], created_at=now))
            loss = None
            if draft.outcome is Outcome.deceased:
                loss = (LossKind.death, draft.death_date)
            elif listed is ResultList.lost and draft.missing_since:
                loss = (LossKind.missing, draft.missing_since)
            if loss:
                s.add(CertLossEvent(event_id=str(uuid.uuid4()), ssn=visit.ssn, name=visit.name, kind=loss[0].value,
                                    on_date=loss[1].isoformat(), source="field", visit_id=visit.visit_id,
                                    operator_id=primary.operator_id, terminal_id=self.terminal_id, at=now,
                                    detail={"outcome": draft.outcome.value}, message_id=msg.message_id))
            visit.state, visit.outcome, visit.seq = "captured", draft.outcome.value, seq
            visit.bundle_sha256, visit.message_id, visit.captured_at = digest, msg.message_id, captured_at
            s.merge(LocalSetting(key=CHAIN_SETTING, value=json.dumps({"seq": seq, "sha256": digest})))
            append_audit(s, at=now, operator_id=primary.operator_id, terminal_id=self.terminal_id,
                         action="certification.visit.capture", object_type="visit", object_id=visit.visit_id,
                         detail={"outcome": draft.outcome.value, "second_staff": second.operator_id,
                                 "bundle_sha256": digest, "files": len(files)})
        return CommitResult(draft.visit_id, digest, msg.message_id, listed, len(files), sum(len(f.data) for f in files))

    # -- verification ----------------------------------------------------------------------------------------------------
    def verify_visit(self, visit_id: str) -> list[str]:
        """Re-check a captured visit on this laptop: the bundle queued for upload still verifies and every sealed file
        still opens and matches its manifest entry. Returns the problems (empty = intact)."""
        with self.store.session() as s:
            v = s.get(CertVisit, visit_id)
            if v is None or v.message_id is None:
                return ["该走访尚未保存"]
            msg = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == v.message_id))
            evidence = list(s.scalars(select(CertEvidence).where(CertEvidence.owner_id == visit_id)))
            body = dict(msg.body) if msg else {}
            digest = v.bundle_sha256
            key_row = s.get(LocalSetting, KEY_SETTING)
        if body.get("wiped"):
            return []
        problems: list[str] = []
        signer_pub = json.loads(key_row.value)["public_key"] if key_row else None
        try:
            verified = verify_bundle(body, public_key=signer_pub)
            if verified.sha256 != digest:
                problems.append("证据包摘要与保存时不符")
        except EvidenceTampered as exc:
            problems += exc.problems
            verified = None
        entries = {e["name"]: e for e in (body.get("manifest") or {}).get("files", [])}
        for ev in evidence:
            if ev.path is None:
                continue
            try:
                data = self.vault.get(ev.path, visit_id, ev.file_name)
            except EvidenceTampered as exc:
                problems += exc.problems
                continue
            import hashlib

            if hashlib.sha256(data).hexdigest() != (entries.get(ev.file_name) or {}).get("sha256"):
                problems.append(f"本机文件 {ev.file_name} 与证据清单不符")
        return problems

    # -- after the server confirmed --------------------------------------------------------------------------------------
    def wipe_confirmed(self) -> int:
        """Wipe every visit whose bundle the server confirmed (delivered, and the server's answer names the same
        SHA-256 and says it verified): sealed files overwritten and removed, person data and reference photo cleared,
        the outbox body reduced to a stub. Returns how many visits were wiped."""
        now = utcnow()
        to_wipe: list[str] = []
        wiped = 0
        with self.store.session() as s:
            rows = list(s.execute(select(CertVisit, OutboxMessage)
                                  .join(OutboxMessage, OutboxMessage.message_id == CertVisit.message_id)
                                  .where(CertVisit.state == "captured")))
            for visit, msg in rows:
                if msg.state == "failed":
                    visit.state = "failed"
                    continue
                reply = msg.response or {}
                if msg.state != SENT or reply.get("bundle_sha256") != visit.bundle_sha256 or not reply.get("verified"):
                    continue
                for ev in s.scalars(select(CertEvidence).where(CertEvidence.owner_id == visit.visit_id)):
                    if ev.path:
                        to_wipe.append(ev.path)
                    ev.path = None
                for ev in s.scalars(select(CertLossEvent).where(CertLossEvent.visit_id == visit.visit_id)):
                    s.delete(ev)
                msg.body = {"wiped": True, "visit_id": visit.visit_id, "bundle_sha256": visit.bundle_sha256}
                visit.person, visit.ref_photo, visit.name, visit.ssn = {}, None, "", ""
                visit.state, visit.confirmed_at, visit.wiped_at = "wiped", as_utc(msg.sent_at or now), now
                append_audit(s, at=now, operator_id=visit.operator_id, terminal_id=self.terminal_id,
                             action="certification.visit.wiped", object_type="visit", object_id=visit.visit_id,
                             detail={"bundle_sha256": visit.bundle_sha256,
                                     "server_received_at": reply.get("received_at")})
                wiped += 1
        for rel in to_wipe:
            self.vault.wipe(rel)
        self._sweep_orphans()
        if wiped:
            log.info("field data wiped after server confirmation", extra={"visits": wiped})
        return wiped

    def reopen(self, visit_id: str, operator_id: str) -> None:
        """A visit whose bundle the centre refused for good (state `failed`): its evidence is wiped, the refused
        message is marked superseded, and the visit can be captured again (a new bundle, same visit id)."""
        now = utcnow()
        to_wipe: list[str] = []
        with self.store.session() as s:
            v = s.get(CertVisit, visit_id)
            msg = s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == v.message_id)) if v else None
            if v is None or msg is None or msg.state != "failed":
                raise YichuangError("只有被中心拒绝的走访可以重新采集。", f"visit {visit_id} not failed",
                                    code="visit_not_failed")
            for ev in list(s.scalars(select(CertEvidence).where(CertEvidence.owner_id == visit_id))):
                if ev.path:
                    to_wipe.append(ev.path)
                s.delete(ev)
            for ev in s.scalars(select(CertLossEvent).where(CertLossEvent.visit_id == visit_id)):
                s.delete(ev)
            reason = msg.last_error
            msg.state, msg.body = "superseded", {"wiped": True, "visit_id": visit_id, "refused": True}
            v.state, v.outcome, v.bundle_sha256, v.message_id, v.captured_at = "assigned", None, None, None, None
            append_audit(s, at=now, operator_id=operator_id, terminal_id=self.terminal_id,
                         action="certification.visit.reopen", object_type="visit", object_id=visit_id,
                         detail={"refused": (reason or "")[:200]})
        for rel in to_wipe:
            self.vault.wipe(rel)

    def _sweep_orphans(self) -> None:
        """Files no row points at (a crash between the commit and the overwrite) are wiped as well."""
        if not self.vault.directory.exists():
            return
        with self.store.session() as s:
            live = set(s.scalars(select(CertEvidence.path).where(CertEvidence.path.is_not(None))))
        for path in self.vault.directory.rglob("*.sealed"):
            rel = path.relative_to(self.vault.directory).as_posix()
            if rel not in live:
                self.vault.wipe(rel)
        for path in self.vault.directory.rglob("*.part"):
            path.unlink(missing_ok=True)

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self.store.session() as s:
            return dict(s.execute(select(CertVisit.state, func.count()).group_by(CertVisit.state)).all())

    def reseal(self, new_dek: bytes) -> int:
        """After `KeyStore.rotate_dek`: re-encrypt the signing key and every evidence file under the new DEK."""
        n = 0
        with self.store.session() as s:
            row = s.get(LocalSetting, KEY_SETTING)
            if row is not None:
                row.value = TerminalSigner.unsealed(row.value, self._dek).sealed(new_dek)
            for ev in s.scalars(select(CertEvidence).where(CertEvidence.path.is_not(None))):
                self.vault.reseal(ev.path, ev.owner_id, ev.file_name, new_dek)
                n += 1
        self._dek = new_dek
        self.vault = EvidenceVault(self.vault.directory, new_dek)
        return n
