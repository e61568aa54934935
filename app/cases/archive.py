"""Builds the electronic archive package of a 办结 case: manifest (JSON) + documents + scans with SHA-256, numbered
"年度—类别—案件流水号" (000 §115, 000:L351), zipped for the archive system; flags what the catalog's archive rules
require but the case lacks (R-D5: all business materials are digitised, 000 §112)."""
from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.cases.attachments import AttachmentStore
from app.catalog import Catalog
from app.clock import LOCAL_TZ, as_utc, utcnow
from app.errors import YichuangError
from app.ids import mask_id_number
from app.security.audit import append_audit
from app.security.sealed_docs import cipher_for, read_document, write_document
from app.store import Store
from app.store.models import ArchivePackage, Case, CaseEvent, CaseNumberSequence


@dataclass(frozen=True)
class ArchiveResult:
    archive_no: str
    path: Path
    sha256: str
    missing: tuple[str, ...]
    manifest: dict


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Archiver:
    def __init__(self, store: Store, catalog: Catalog, attachments: AttachmentStore, directory: Path):
        self.store = store
        self.catalog = catalog
        self.attachments = attachments
        self.directory = directory

    def package(self, case_id: str, documents: list[Path], operator_id: str, terminal_id: str) -> ArchiveResult:
        """Idempotent: a case already packaged returns its package."""
        with self.store.session() as s:
            done = s.get(ArchivePackage, case_id)
            if done is not None:
                return ArchiveResult(done.archive_no, Path(done.path), done.sha256, tuple(done.missing), {})
            case = s.get(Case, case_id)
            if case is None or case.status != "completed":
                raise YichuangError("只有已办结的业务才能归档。", f"case {case_id} not completed")
            item = self.catalog.get(case.item_code)
            events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)))
            now = utcnow()
            year = now.astimezone(LOCAL_TZ).year
            category = (item.archive.type_code or "qt/00").replace("/", "").upper()  # gl/01 → GL01; 其他 QT00
            seq_row = s.get(CaseNumberSequence, (f"AR{category}", str(year)))
            if seq_row is None:
                seq_row = CaseNumberSequence(terminal_id=f"AR{category}", day=str(year), last_value=0)
                s.add(seq_row)
            seq_row.last_value += 1
            archive_no = f"{year}-{category}-{terminal_id}-{seq_row.last_value:05d}"
            scans = self.attachments.list(case_id)
            scanned = {a.material_code for a in scans}
            form = (case.payload or {}).get("form", {})
            states = (case.payload or {}).get("materials", {})
            missing = [f"缺少扫描件：{m.name}" for m in item.required_materials(form)
                       if states.get(m.code) == "present" and m.code not in scanned]
            doc_names = " ".join(p.name for p in documents)
            missing += [f"待核对归档材料：{entry}" for entry in item.archive.catalog
                        if entry.strip("《》") not in doc_names and not any(entry.strip("《》") in m.name
                                                                           for m in item.materials
                                                                           if m.code in scanned)]
            manifest = {
                "archive_no": archive_no, "numbering_rule": "年度—类别—案件流水号（000 §115）",
                "case": {"case_id": case.case_id, "case_no": case.case_no, "status": case.status,
                         "applicant": mask_id_number(case.applicant_ssn),
                         "applicant_sha256": hashlib.sha256(case.applicant_ssn.encode()).hexdigest()},
                "item": {"code": item.code, "name": item.name, "source": str(item.source),
                         "archive": item.archive.model_dump(mode="json")},
                "events": [{"seq": e.seq, "kind": e.kind, "to": e.to_status, "operator_id": e.operator_id,
                            "role": e.role, "terminal_id": e.terminal_id, "at": as_utc(e.at).isoformat()}
                           for e in events],
                "documents": [], "scans": [], "missing": missing, "created_at": now.isoformat(),
            }
            target = self.directory / f"{archive_no}.zip"
            target.parent.mkdir(parents=True, exist_ok=True)
            sealed = cipher_for(target) is not None  # issue 11: an encrypted terminal keeps the package sealed
            tmp = target.with_suffix(".part")
            sink = io.BytesIO() if sealed else tmp
            with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as z:
                for doc in documents:  # 表格在前、审核凭证在后 (000 §113): documents in the order given
                    data = read_document(doc)  # opened in memory when sealed
                    z.writestr(f"documents/{doc.name}", data)
                    manifest["documents"].append({"file": f"documents/{doc.name}",
                                                  "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
                for a in scans:
                    data = self.attachments.read(a)
                    name = f"scans/{a.material_code}-{a.attachment_id}{a.path.suffix}"
                    z.writestr(name, data)
                    manifest["scans"].append({"file": name, "material_code": a.material_code, "sha256": a.sha256,
                                              "size": a.size_bytes})
                z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            if sealed:
                package = sink.getvalue()
                write_document(target, package)
                digest = hashlib.sha256(package).hexdigest()  # of the package itself, as the archive system gets it
            else:
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
                digest = _sha256(target)
            s.add(ArchivePackage(case_id=case_id, archive_no=archive_no, path=str(target), sha256=digest,
                                 missing=missing, created_at=now))
            append_audit(s, at=now, operator_id=operator_id, terminal_id=terminal_id, action="case.archive",
                         object_type="case", object_id=case_id, detail={"archive_no": archive_no,
                                                                        "missing": len(missing)})
            return ArchiveResult(archive_no, target, digest, tuple(missing), manifest)
