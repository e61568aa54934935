"""Hardening (issue 11 point 6): no secrets or personal data in the log files after a login and a case; YAML only
through safe loaders; SQL only with bound parameters (no f-string/format/concatenated SQL in app/ and server/);
user-supplied file names sanitised."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from app.security.filenames import safe_file_name

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("app", "server", "ui", "devices")


def _python_files(*dirs: str):
    for d in dirs:
        yield from (p for p in (ROOT / d).rglob("*.py") if "__pycache__" not in p.parts)


# -- YAML -------------------------------------------------------------------------------------------------------------

_UNSAFE_NAMES = {"unsafe_load", "full_load", "load_all", "unsafe_load_all", "full_load_all", "Loader", "FullLoader",
                 "UnsafeLoader", "CLoader", "CFullLoader", "CUnsafeLoader"}
_SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "_Loader"}  # _Loader: app/catalog/loader.py, CSafeLoader or SafeLoader


def test_yaml_only_through_safe_loaders():
    problems = []
    for path in _python_files(*SOURCE_DIRS):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml" \
                    and node.attr in _UNSAFE_NAMES:
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno} yaml.{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                name = getattr(loader, "attr", None) or getattr(loader, "id", None)
                if name not in _SAFE_LOADERS:
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} yaml.load without a safe Loader")
    assert problems == []


def test_yaml_loaders_in_use_refuse_python_objects(tmp_path):
    from app.catalog.loader import _Loader
    from app.security.permissions import parse_matrix

    evil = "!!python/object/apply:os.system ['echo pwned > %s']" % (tmp_path / "pwned")
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load(evil, Loader=_Loader)
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(evil)
    assert issubclass(_Loader, yaml.SafeLoader) or _Loader.__name__ == "CSafeLoader"
    assert not (tmp_path / "pwned").exists()
    with pytest.raises((ValueError, KeyError, TypeError, AttributeError)):
        parse_matrix(yaml.safe_load("schema_version: 1\nactions: !!str x\nroles: {}"))


# -- SQL --------------------------------------------------------------------------------------------------------------

_SQL_CALLS = {"text", "execute", "exec_driver_sql", "executescript", "executemany"}
# Statements that cannot take bound parameters, each with the reason it is safe.
_ALLOWED = {
    "PRAGMA": "SQLite/SQLCipher pragmas (key, rekey, journal mode) cannot be bound; values are hex or constants",
}


_SQL_START = ("SELECT", "UPDATE", "INSERT", "DELETE", "CREATE", "DROP", "ALTER", "WITH", "REPLACE", "PRAGMA")
# Reviewed: SQL assembled from code constants only (column lists, "?" placeholder marks, fixed WHERE fragments);
# every value is still bound. A new entry needs the same review.
_REVIEWED = {
    "app/queue/local.py": "column names and fixed conditions from the module's own constants; values bound with ?",
    "app/sync/outbox_view.py": "a fixed inner query and ?-marks counted from the ids; the ids are bound",
    "app/sync/outbox.py": "IN lists from the module's CASE_KINDS/UNSENT constants; case values bound (:b_case)",
    "app/security/convert.py": "row counts per table of the store's own schema (names from sqlite_master, quoted "
                               "identifiers) in the fixed schemas main/encrypted; no values",
}


def _constant_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _constant_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _constant_text(node.func.value)
    return ""


def _is_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.BinOp) and _is_constant(node.left) and _is_constant(node.right)


def _dynamic_string(node: ast.AST) -> bool:
    """A string built at run time (f-string with fields, %, +, .format) that looks like SQL."""
    if isinstance(node, ast.JoinedStr):
        dynamic = any(isinstance(v, ast.FormattedValue) for v in node.values)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        dynamic = not _is_constant(node)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        dynamic = True
    else:
        return False
    return dynamic and _constant_text(node).lstrip(" (\n").upper().startswith(_SQL_START)


def test_sql_only_with_bound_parameters():
    problems = []
    for path in _python_files("app", "server"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name not in _SQL_CALLS or not _dynamic_string(node.args[0]):
                continue
            snippet = ast.get_source_segment(source, node.args[0]) or ""
            rel = path.relative_to(ROOT).as_posix()
            if any(word in snippet for word in _ALLOWED) or rel in _REVIEWED or "/migrations/" in rel:
                continue  # migrations: static DDL assembled from the migration's own constants
            problems.append(f"{path.relative_to(ROOT)}:{node.lineno} {snippet[:80]}")
    assert problems == [], "SQL built from strings: use bound parameters (:name) or SQLAlchemy expressions"


def test_the_sql_scanner_catches_string_built_sql():
    bad = ast.parse('s.execute(text(f"SELECT * FROM cases WHERE ssn = \'{ssn}\'"))\n'
                    'conn.execute("DELETE FROM x WHERE id = %s" % ident)\n'
                    'conn.execute("SELECT {}".format(a))')
    calls = [n for n in ast.walk(bad) if isinstance(n, ast.Call) and n.args and _dynamic_string(n.args[0])]
    assert len(calls) == 3
    good = ast.parse('s.execute(text("SELECT * FROM cases WHERE ssn = :ssn"), {"ssn": ssn})')
    assert not [n for n in ast.walk(good) if isinstance(n, ast.Call) and n.args and _dynamic_string(n.args[0])]


# -- logs -------------------------------------------------------------------------------------------------------------

def test_logs_hold_no_secrets_or_personal_data_after_login_and_a_case(tmp_path):
    from app.bootstrap import bootstrap
    from app.config import ServerConfig, Settings
    from app.paths import resolve_paths
    from app.security.operators import seed_local_operator
    from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form

    settings = Settings(server=ServerConfig(url="http://127.0.0.1:9"))
    rt = bootstrap(resolve_paths(tmp_path / "home"), settings, console_log=False)
    try:
        seed_local_operator(rt.store, "demo", "演示柜员", ["受理员"], "150102", "demo1234")
        with pytest.raises(Exception):
            rt.auth.login("demo", "Secret-Guess-77")
        rt.auth.login("demo", "demo1234")
        form = applicant_form()
        result = rt.cases.intake("resident_pension_enrolment", form, {k: "present" for k in ALL_MATERIALS}, ACTOR,
                                 online=False, confirmed={i: True for i in range(20)})
        assert result.case.case_no
        import logging

        logging.getLogger("app.test").info("look-up of %s phone %s", form["ssn"], form["phone"])
    finally:
        rt.close()
    import logging

    for handler in logging.getLogger().handlers:
        handler.flush()
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "home").rglob("*.log*"))
    assert "login" in logs or "starting client" in logs, "the log was written"
    for secret in ("demo1234", "Secret-Guess-77", form["ssn"], "$argon2"):
        assert secret not in logs, secret


# -- file names -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system32\\x.dll", "x.dll"),
    ("扫描件:身份证?.jpg", "扫描件_身份证_.jpg"),
    ("CON.txt", "_CON.txt"),
    (".hidden", "hidden"),
    ("..", "文件"),
    ("", "文件"),
    ("a\x00b\r\n.pdf", "a_b__.pdf"),
    ("名" * 300 + ".pdf", "名" * 116 + ".pdf"),
])
def test_user_file_names_are_sanitised(raw, safe):
    assert safe_file_name(raw) == safe
    assert "/" not in safe and "\\" not in safe


def test_attachment_paths_never_come_from_the_user_file_name(tmp_path):
    from app.bootstrap import bootstrap
    from app.config import ServerConfig, Settings
    from app.paths import resolve_paths
    from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form

    rt = bootstrap(resolve_paths(tmp_path / "home"), Settings(server=ServerConfig(url="http://127.0.0.1:9")),
                   console_log=False)
    try:
        case = rt.cases.intake("resident_pension_enrolment", applicant_form(), {k: "present" for k in ALL_MATERIALS},
                               ACTOR, online=False, confirmed={i: True for i in range(20)}).case
        view = rt.attachments.add(case.case_id, "id_document", b"\xff\xd8scan", "image/jpeg", "../../../evil.sh")
        assert view.path.resolve().is_relative_to(rt.paths.attachments_dir.resolve())
        assert "evil" not in view.path.name
    finally:
        rt.close()
