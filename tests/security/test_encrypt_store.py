"""`yichuang encrypt-store` (issue 11): a counter that ran unencrypted — cases taken in through CaseService, scans,
printed receipts, archive packages — is converted by the installed command; then the stolen-laptop scan finds no ID
number, name, image, PDF, zip or SQLite header anywhere under the terminal's folder, and the client opens the store
after the operator's login with every case and scan present. A conversion crashed after each of its steps (the
process exits abruptly) leaves a terminal the client refuses to start on with a Chinese message, and re-running the
command converges to the same result."""
from __future__ import annotations

import json
import sqlite3
import tomllib
from datetime import date

import pytest

from app.errors import StoreError
from app.ids import make_id_number
from app.paths import resolve_paths
from app.security.convert import JOURNAL_FILE, set_encrypt_true
from server.demo_data import DEMO_PASSWORD
from tests.security.cli_support import runtime_of, write_config, yichuang
from tests.security.test_at_rest import accept_case, central, jpeg, png  # noqa: F401  (fixture)
from tests.security.test_at_rest_stolen import PLAIN_CONTAINERS, needles_for, print_receipt, scan

pytestmark = pytest.mark.integration
PEOPLE = [(make_id_number("150102", date(1961, 7, 14), 23, False), "斯琴高娃"),
          (make_id_number("150102", date(1955, 1, 2), 57, True), "那顺乌日图")]
STEPS = ["keys", "export", "plain_moved", "swapped", "files", "config"]


def plain_counter(home, url) -> dict[str, bytes]:
    """A day at a counter without encryption: cases, scans, receipts, archive packages. Returns the scans."""
    write_config(home, url, encrypt=False)
    rt = runtime_of(home)
    scans = {}
    try:
        assert rt.store is not None and not rt.encrypted
        rt.auth.login("demo", DEMO_PASSWORD)
        for i, (ssn, name) in enumerate(PEOPLE):
            case_id = accept_case(rt, ssn, name)
            scans[case_id] = jpeg(200 + i)
            rt.attachments.add(case_id, "id_card", scans[case_id], "image/jpeg", f"{name}身份证.jpg")
            rt.attachments.add(case_id, "hukou", png(200 + i), "image/png", "户口簿.png")
            doc = print_receipt(rt, case_id, ssn, name)
            rt.archiver.package(case_id, [doc], "demo", rt.settings.terminal.terminal_id)
        assert rt.store.path.read_bytes()[:16] == b"SQLite format 3\x00"
    finally:
        rt.close()
    return scans


def needles() -> dict:
    out = needles_for(PEOPLE)
    out.update(PLAIN_CONTAINERS)
    return out


def assert_converted(home, scans: dict[str, bytes]) -> None:
    paths = resolve_paths(home)
    assert not (paths.data_dir / JOURNAL_FILE).exists()
    settings_text = paths.config_file.read_text("utf-8")
    assert tomllib.loads(settings_text)["at_rest"]["encrypt"] is True and "# 一窗 test terminal" in settings_text
    assert scan(home, needles()) == []
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(paths.database_file).execute("SELECT * FROM cases").fetchall()
    rt = runtime_of(home)
    try:
        assert rt.encrypted and rt.store is None
        rt.auth.login("demo", DEMO_PASSWORD)
        assert "pysqlcipher" in rt.store.engine.url.drivername
        found = {c.case_id for c in rt.cases.recent()}
        assert found == set(scans)
        for case_id, photo in scans.items():
            views = rt.attachments.list(case_id)
            assert len(views) == 2 and photo in [rt.attachments.read(v) for v in views]
        from app.security.sealed_docs import read_document

        receipts = sorted(paths.documents_dir.glob("*.pdf"))
        assert len(receipts) == len(PEOPLE) and all(read_document(p).startswith(b"%PDF") for p in receipts)
        with rt.store.session() as s:
            from app.security.audit import verify_chain

            assert verify_chain(s) is None
    finally:
        rt.close()


def test_plain_counter_converted_reveals_nothing_and_opens_after_login(tmp_path, central):  # noqa: F811
    home = tmp_path / "counter"
    scans = plain_counter(home, central)
    assert scan(home, needles())  # before: the names and the images are there to find
    r = yichuang(home, "encrypt-store", "--operator", "demo", stdin=DEMO_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["keystore_created"] and report["database"] == "converted" and report["config_updated"]
    assert report["attachments_sealed"] == 4 and report["documents_sealed"] >= 4 and report["plaintext_wiped"] >= 9
    assert_converted(home, scans)
    again = yichuang(home, "encrypt-store", "--operator", "demo", stdin=DEMO_PASSWORD + "\n")
    assert again.returncode == 0 and json.loads(again.stdout)["already_encrypted"] is True


def test_wrong_password_converts_nothing(tmp_path, central):  # noqa: F811
    home = tmp_path / "counter"
    plain_counter(home, central)
    r = yichuang(home, "encrypt-store", "--operator", "demo", stdin="not-the-password\n")
    assert r.returncode == 2 and "无法完成本机数据加密" in r.stderr and "not-the-password" not in r.stderr
    paths = resolve_paths(home)
    assert paths.database_file.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not (paths.data_dir / "keystore.json").exists() and not (paths.data_dir / JOURNAL_FILE).exists()


def test_a_conversion_crashed_after_each_step_converges_when_run_again(tmp_path, central):  # noqa: F811
    home = tmp_path / "counter"
    scans = plain_counter(home, central)
    for step in STEPS:  # each run resumes the previous crash and dies after the next step
        r = yichuang(home, "encrypt-store", "--operator", "demo", stdin=DEMO_PASSWORD + "\n",
                     env={"YC_ENCRYPT_STORE_CRASH_AT": step})
        assert r.returncode == 70, (step, r.stderr)
        assert (resolve_paths(home).data_dir / JOURNAL_FILE).exists()
        with pytest.raises(StoreError) as err:  # the client will not start on a half-converted terminal
            runtime_of(home)
        assert "yichuang encrypt-store" in err.value.user_message
        doctor = yichuang(home, "doctor")
        assert "加密转换尚未完成" in doctor.stdout, doctor.stdout
    r = yichuang(home, "encrypt-store", "--operator", "demo", stdin=DEMO_PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert_converted(home, scans)


def test_config_edit_keeps_comments_and_other_keys(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('# 柜台 3\n[terminal]\nterminal_id = "T03"\n\n[at_rest]\n# 加密\nencrypt = false\n'
                   'os_keyring = true\n\n[ui]\nlanguage = "zh_CN"\n', "utf-8")
    assert set_encrypt_true(cfg)
    text = cfg.read_text("utf-8")
    data = tomllib.loads(text)
    assert data["at_rest"] == {"encrypt": True, "os_keyring": True} and data["ui"]["language"] == "zh_CN"
    assert "# 柜台 3" in text and "# 加密" in text
    assert not set_encrypt_true(cfg)
    bare = tmp_path / "bare.toml"
    bare.write_text('[terminal]\nterminal_id = "T04"\n', "utf-8")
    assert set_encrypt_true(bare) and tomllib.loads(bare.read_text("utf-8"))["at_rest"]["encrypt"] is True
