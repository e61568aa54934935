"""The command line on an encrypted terminal (issue 11): `yichuang migrate`, `audit verify`, `sync status|list`,
`purge --dry-run` and `doctor --operator` unlock the store with the operator's password (read from standard input,
as a script pipes it) the way the login window does; wrong credentials give a Chinese message on stderr and exit
code 2 and count towards the lock-out kept in the key store; `doctor` without credentials still says what it can.
Runs of the installed `.venv/bin/yichuang` against a real reference server on loopback; no password in any log."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from app.ids import make_id_number
from app.security.keystore import KeyStore
from server.demo_data import DEMO_PASSWORD
from tests.security.cli_support import files_bytes, runtime_of, write_config, yichuang
from tests.security.test_at_rest import accept_case, central  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration
CJK = re.compile(r"[\u4e00-\u9fff]")
WRONG = "Wrong-Pass-7731"


@pytest.fixture(scope="module")
def encrypted_home(tmp_path_factory, central):  # noqa: F811
    """A counter with encryption at rest whose operator logged in once (key store made) and accepted a case."""
    home = tmp_path_factory.mktemp("cli-encrypted")
    write_config(home, central, encrypt=True)
    rt = runtime_of(home)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
        accept_case(rt, make_id_number("150102", date(1966, 5, 3), 41, True), "乌力吉")
    finally:
        rt.close()
    return home


def test_commands_unlock_with_the_operators_password(encrypted_home):
    home = encrypted_home
    pw = DEMO_PASSWORD + "\n"
    r = yichuang(home, "migrate", "--operator", "demo", stdin=pw)
    assert r.returncode == 0, r.stderr
    assert "本地数据库已是最新结构" in r.stdout
    r = yichuang(home, "audit", "verify", "--operator", "demo", stdin=pw)
    assert r.returncode == 0, r.stderr
    assert "审计日志完整" in r.stdout and "哈希链校验通过" in r.stdout
    r = yichuang(home, "sync", "status", "--operator", "demo", stdin=pw)
    assert r.returncode == 0, r.stderr
    status = json.loads(r.stdout)
    assert status["online"] is True and sum(status["counts"].values()) >= 1
    r = yichuang(home, "sync", "list", "--group", "all", "--operator", "demo", stdin=pw)
    assert r.returncode == 0, r.stderr
    assert any(item["kind"] == "case.submit" for item in json.loads(r.stdout)["items"])
    r = yichuang(home, "sync", "drain", "--timeout", "60", "--operator", "demo", stdin=pw)
    assert r.returncode == 0, r.stderr + r.stdout
    assert json.loads(r.stdout)["pending"] == 0
    r = yichuang(home, "purge", "--dry-run", "--operator", "demo", stdin=pw)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["dry_run"] is True
    # a script must name the operator: nothing is read from its input as an operator id
    r = yichuang(home, "audit", "verify", stdin="demo\n" + pw)
    assert r.returncode == 2 and "--operator" in r.stderr
    logs = files_bytes(home / "logs")
    assert logs and DEMO_PASSWORD.encode() not in logs  # the password never reaches a log


def test_without_or_with_wrong_credentials_exit_2_in_chinese(encrypted_home):
    home = encrypted_home
    r = yichuang(home, "migrate")  # nothing on stdin
    assert r.returncode == 2 and "--operator" in r.stderr and CJK.search(r.stderr)
    r = yichuang(home, "sync", "status", "--operator", "demo", stdin=WRONG + "\n")
    assert r.returncode == 2 and "工号或密码错误" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and WRONG not in r.stderr + r.stdout
    r = yichuang(home, "audit", "verify", "--operator", "nobody9", stdin=WRONG + "\n")
    assert r.returncode == 2 and "无法解锁本机数据" in r.stderr and CJK.search(r.stderr)
    # a right password clears the count, as at the window
    assert yichuang(home, "migrate", "--operator", "demo", stdin=DEMO_PASSWORD + "\n").returncode == 0
    assert "demo" not in KeyStore(home / "data" / "keystore.json")._load().get("guard", {})
    logs = files_bytes(home / "logs")
    assert WRONG.encode() not in logs and DEMO_PASSWORD.encode() not in logs


def test_repeated_wrong_passwords_lock_the_operator_out(tmp_path, central):  # noqa: F811
    home = tmp_path / "lock"
    write_config(home, central, encrypt=True)
    rt = runtime_of(home)
    try:
        rt.auth.login("demo", DEMO_PASSWORD)
    finally:
        rt.close()
    for _ in range(5):  # PRELOGIN_MAX_FAILURES, the login window's count
        r = yichuang(home, "migrate", "--operator", "demo", stdin=WRONG + "\n")
        assert r.returncode == 2 and "工号或密码错误" in r.stderr
    assert KeyStore(home / "data" / "keystore.json").locked_until("demo") is not None
    r = yichuang(home, "migrate", "--operator", "demo", stdin=DEMO_PASSWORD + "\n")  # even the right one now
    assert r.returncode == 2 and "已锁定" in r.stderr, r.stderr
    # and the window sees the same lock
    rt = runtime_of(home)
    try:
        from app.errors import AuthError

        with pytest.raises(AuthError) as err:
            rt.auth.login("demo", DEMO_PASSWORD)
        assert "已锁定" in err.value.user_message
    finally:
        rt.close()


def test_doctor_reports_an_encrypted_store_and_checks_it_when_unlocked(encrypted_home):
    home = encrypted_home
    r = yichuang(home, "doctor")
    assert "本地数据加密：已启用" in r.stdout and "1 个工号可在本机解锁" in r.stdout, r.stdout
    assert "数据库已加密，未解锁无法检查结构" in r.stdout and "yichuang doctor --operator" in r.stdout
    assert "Traceback" not in r.stderr
    r = yichuang(home, "doctor", "--operator", "demo", stdin=DEMO_PASSWORD + "\n")
    assert "[正常] 数据库结构：已解锁，版本" in r.stdout, r.stdout
    r = yichuang(home, "doctor", "--operator", "demo", stdin=WRONG + "\n")
    assert "[错误] 数据库结构：无法解锁本机数据：工号或密码错误" in r.stdout and r.returncode == 1
