"""Stolen-laptop test (issue 11): a realistic counter session and a field-laptop session with encryption at rest
(cases with ID numbers and names, scans and photos, printed receipts and archive packages, a home visit with photos, a signature and the downloaded
reference photos, uploads to the real reference server), then the whole terminal folder (config, data dir with
db / -wal / -shm / keystore / attachments / evidence / caches, logs) is copied and every byte of every file scanned
for the ID numbers, names (UTF-8, GB18030, UTF-16) and image signatures. Nothing may be found, and the copied
database must not open without the key."""
from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date

import pytest

from app.certification.rules import Outcome
from app.errors import StoreError
from app.ids import make_id_number
from app.security.at_rest import enrol_operator
from app.store import open_store
from app.sync.client import CentralApi
from server.demo_data import DEMO_PASSWORD
from tests.security.test_at_rest import accept_case, central, jpeg, png, start  # noqa: F401  (fixture)

PEOPLE = [(make_id_number("150102", date(1958, 2, 11), 31, False), "其其格玛"),
          (make_id_number("152502", date(1949, 9, 30), 77, True), "巴特尔朝鲁")]
# Signatures long enough that ciphertext cannot match them by chance: a bare 4-byte magic (ff d8 ff e0, PK 03 04)
# turns up in a few MB of random bytes about once in a thousand runs (a CI run failed on exactly that).
IMAGE_SIGNATURES = {
    "jpeg JFIF": re.compile(rb"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    "jpeg Exif": re.compile(rb"\xff\xd8\xff\xe1..Exif\x00\x00", re.DOTALL),
    "jpeg raw": re.compile(rb"\xff\xd8\xff\xdb\x00[\x43\x84]"),
    "png": re.compile(re.escape(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")),
}
PLAIN_CONTAINERS = {
    "SQLite plain header": b"SQLite format 3\x00",
    "plain PDF": re.compile(rb"%PDF-\d\.\d"),
    "plain zip": re.compile(rb"PK\x03\x04[\x0a\x14\x2d]\x00"),
}
Needle = "bytes | re.Pattern[bytes]"


def found(needle, data: bytes) -> bool:
    return bool(needle.search(data)) if isinstance(needle, re.Pattern) else needle in data


def print_receipt(runtime, case_id: str, ssn: str, name: str):
    """A receipt PDF into the documents dir, as the counter's document job writes it (app.docs.render)."""
    from app.docs.blocks import Para, Title
    from app.docs.render import render_document
    from app.docs.style import PageFurniture

    target = runtime.paths.documents_dir / f"{case_id[:8]}-受理回执.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    return render_document(PageFurniture(agency_name="呼和浩特市新城区社会保险事业管理局", title="受理回执",
                                         case_no=case_id[:8]),
                           [Title("受理回执"), Para(f"申请人：{name}  公民身份号码：{ssn}")], target)


def needles_for(people: list[tuple[str, str]]) -> dict[str, Needle]:
    out: dict[str, Needle] = {}
    for ssn, name in people:
        out[f"ssn {ssn[:6]}…"] = ssn.encode("ascii")
        out[f"ssn utf-16 {ssn[:6]}…"] = ssn.encode("utf-16-le")
        for enc in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
            out[f"name {enc}"] = name.encode(enc)
    out.update(IMAGE_SIGNATURES)
    return out


def scan(root, needles: dict[str, Needle]) -> list[tuple[str, str]]:
    hits, files = [], 0
    for f in sorted(root.rglob("*")):
        if f.is_file():
            files += 1
            data = f.read_bytes()
            hits += [(str(f.relative_to(root)), label) for label, n in needles.items() if found(n, data)]
    assert files > 5  # the scan saw the terminal's files
    return hits


def test_stolen_counter_and_field_laptops_reveal_nothing(tmp_path, central):  # noqa: F811
    # -- a counter session with encryption at rest ---------------------------------------------------------------
    counter = start(tmp_path / "counter", central, terminal_id="TST01")
    packages = []
    try:
        counter.auth.login("demo", DEMO_PASSWORD)
        for i, (ssn, name) in enumerate(PEOPLE):
            case_id = accept_case(counter, ssn, name)
            counter.attachments.add(case_id, "id_card", jpeg(100 + i), "image/jpeg", f"{name}身份证.jpg")
            counter.attachments.add(case_id, "hukou", png(100 + i), "image/png", "户口簿.png")
            # the day prints a receipt (a PDF under the documents dir) and packages the 办结 case's archive
            doc = print_receipt(counter, case_id, ssn, name)
            res = counter.archiver.package(case_id, [doc], "demo", counter.settings.terminal.terminal_id)
            packages.append(res.path)
        assert counter.relay.drain(60)
        counter.cases.recent()  # reads go through the store as in the GUI
        # sealed, yet opened transparently for the preview/printer (private copy) and for reading the package
        from app.security.sealed_docs import plain_copy, read_document
        from ui.print.pages import page_count, render_pages

        receipts = sorted(counter.paths.documents_dir.glob("*.pdf"))
        assert len(receipts) == len(PEOPLE)
        for pdf in receipts:
            assert not pdf.read_bytes().startswith(b"%PDF")
            with plain_copy(pdf) as plain:
                assert plain.read_bytes().startswith(b"%PDF") and counter.paths.data_dir not in plain.parents
                private = plain.parent
                assert (private.stat().st_mode & 0o777) == 0o700
            assert not private.exists()  # wiped after use
            if page_count(pdf) is not None:
                assert page_count(pdf) >= 1
        pages = render_pages(receipts[0])
        assert pages.images
        pages.cleanup()
        import io
        import zipfile

        for path in packages:
            with zipfile.ZipFile(io.BytesIO(read_document(path))) as z:
                assert z.read("manifest.json") and any(n.startswith("documents/") for n in z.namelist())
    finally:
        counter.close()
    # -- a field laptop: visit list with reference photos downloaded, one visit captured and uploaded ---------------
    from tests.certification.helpers import draft_for, portrait

    field_rt = start(tmp_path / "field", central, terminal_id="TST02", mode="field")
    visit_people: list[tuple[str, str]] = []
    try:
        session = field_rt.auth.login("field1", DEMO_PASSWORD)
        enrol_operator(field_rt, "field2", DEMO_PASSWORD)  # the colleague of the visit, known on this laptop
        field = field_rt.field_service()
        api = CentralApi(field_rt.settings.server.url, 30, token=session.token)
        field.download(api, "field1")
        api.close()
        visits = field.visits("field1")
        assert visits and all(v.has_ref_photo for v in visits)
        visit_people = [(v.ssn, v.name) for v in visits]
        v = visits[0]
        conf = field.verify_second_staff(visit_id=v.visit_id, primary_operator_id="field1", operator_id="field2",
                                         password=DEMO_PASSWORD)
        from app.certification.field import Staff

        field.commit_visit(draft_for(v.visit_id, Outcome.certified, [portrait(seed=1), portrait(seed=2)]),
                           Staff("field1", "外勤认证员一"), conf)
        assert field_rt.relay.drain(60)
    finally:
        field_rt.close()

    # -- the thief copies both folders ---------------------------------------------------------------------------------
    stolen = tmp_path / "stolen"
    shutil.copytree(tmp_path / "counter", stolen / "counter")
    shutil.copytree(tmp_path / "field", stolen / "field")
    names = {p.name for p in stolen.rglob("*") if p.is_file()}
    assert "keystore.json" in names and "yichuang.sqlite3" in names and any(n.endswith(".log") for n in names)
    assert any(p.suffix == ".sealed" for p in (stolen / "field").rglob("*"))  # evidence was there to find
    needles = needles_for(PEOPLE + visit_people[:5])
    needles.update(PLAIN_CONTAINERS)
    assert scan(stolen, needles) == []
    # the logs in particular: no ID number, name or phone of anyone
    logs = b"".join(p.read_bytes() for p in stolen.rglob("*.log*") if p.is_file())
    assert logs and not any(found(n, logs) for n in needles.values()) and b"13904719876" not in logs
    # the copied databases do not open without the key (sqlite3 directly, and the store without a key)
    for part in ("counter", "field"):
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(stolen / part / "data" / "yichuang.sqlite3").execute("SELECT * FROM cases").fetchall()
        with pytest.raises(StoreError):
            open_store(stolen / part / "data", key=None)
        with pytest.raises(StoreError):
            open_store(stolen / part / "data", key=b"\x01" * 32)


def test_the_needles_find_plain_data_and_not_ciphertext(tmp_path):
    """The scan is only worth its pass if it would see the plain thing: every kind of image, document and container
    the terminal writes matches, and 16 MB of random bytes (ciphertext) matches nothing."""
    import io
    import os
    import zipfile

    from tests.certification.helpers import portrait

    needles = {**needles_for(PEOPLE), **PLAIN_CONTAINERS}
    doc = print_receipt_plain(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", "{}")
    db = tmp_path / "plain.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.commit()
    samples = {"jpeg JFIF": jpeg(1), "png": png(1), "plain PDF": doc.read_bytes(), "plain zip": buf.getvalue(),
               "SQLite plain header": db.read_bytes()}
    for label, data in samples.items():
        assert found(needles[label], b"\x00" * 100 + data), label
    # the field photos (face frames) and the server's reference photos are OpenCV JPEGs, as the scans are
    from app.certification.face import encode_jpeg
    assert found(needles["jpeg JFIF"], encode_jpeg(portrait(seed=1)))
    noise = os.urandom(16 * 1024 * 1024)
    assert [label for label, n in needles.items() if found(n, noise)] == []


def print_receipt_plain(tmp_path):
    from app.docs.blocks import Para, Title
    from app.docs.render import render_document
    from app.docs.style import PageFurniture

    return render_document(PageFurniture(agency_name="测试", title="受理回执", case_no="0"),
                           [Title("受理回执"), Para(f"申请人：{PEOPLE[0][1]}")], tmp_path / "r.pdf")
