"""Start-up of the installed `yichuang` command under bad conditions: corrupt config, missing or unusable data dir,
an older database; and `yichuang doctor` reporting the problem with its fix."""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine

from app.bootstrap import bootstrap
from app.paths import resolve_paths
from app.store.database import head_revision, migrate

YICHUANG = str(Path(sys.executable).with_name("yichuang"))


def _run(args, home, **env):
    e = dict(os.environ, YICHUANG_HOME=str(home), QT_QPA_PLATFORM="offscreen", **env)
    return subprocess.run([YICHUANG, *args], capture_output=True, text=True, env=e, timeout=120)


def test_corrupt_config_gives_chinese_message_not_traceback(tmp_path):
    paths = resolve_paths(tmp_path)
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text('[terminal]\nmode = "counter"\n[server\nurl=', encoding="utf-8")
    out = _run(["run"], tmp_path)
    assert out.returncode == 2
    assert "配置文件" in out.stderr and "格式错误" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_key_named_at_start_up(tmp_path):
    paths = resolve_paths(tmp_path)
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text('[server]\nurl = "ftp://central"\n', encoding="utf-8")
    out = _run(["run"], tmp_path)
    assert out.returncode == 2 and "server.url" in out.stderr and "Traceback" not in out.stderr
    doc = _run(["doctor"], tmp_path)
    assert doc.returncode == 1 and "server.url" in doc.stdout and "处理方法" in doc.stdout


def test_environment_override_is_validated_too(tmp_path):
    out = _run(["run"], tmp_path, YICHUANG_TERMINAL__MODE="bank")
    assert out.returncode == 2 and "terminal.mode" in out.stderr


def test_missing_data_dir_is_created_and_older_schema_migrated(tmp_path):
    paths = resolve_paths(tmp_path)
    paths.data_dir.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{paths.database_file}")
    migrate(engine, "0001")
    engine.dispose()
    doc = _run(["doctor"], tmp_path)
    assert "版本 0001" in doc.stdout and "yichuang migrate" in doc.stdout
    rt = bootstrap(paths, console_log=False)
    try:
        assert rt.store.schema_revision() == head_revision()
    finally:
        rt.close()
    fresh = resolve_paths(tmp_path / "fresh")
    rt = bootstrap(fresh, console_log=False)
    try:
        assert fresh.database_file.exists() and rt.log_file.exists()
    finally:
        rt.close()


def test_data_dir_unusable_exits_cleanly(tmp_path):
    (tmp_path / "data").write_text("not a directory")
    out = _run(["run"], tmp_path)
    assert out.returncode == 2 and "数据目录" in out.stderr and "Traceback" not in out.stderr


def test_doctor_on_a_healthy_default(tmp_path):
    doc = _run(["doctor"], tmp_path)
    assert doc.returncode == 0, doc.stdout + doc.stderr
    assert "[正常] 中文字体" in doc.stdout and "[正常] Qt 图形库" in doc.stdout
    assert "中心系统" in doc.stdout  # unreachable here: a warning with the fix, not an error


def test_configuration_changes_are_audited_by_key(tmp_path):
    from sqlalchemy import select

    from app.config import load_settings
    from app.store.models import AuditRecord

    paths = resolve_paths(tmp_path)
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text('[server]\nurl = "http://127.0.0.1:9"\n', encoding="utf-8")
    bootstrap(paths, console_log=False).close()
    paths.config_file.write_text('[server]\nurl = "http://127.0.0.1:9"\nenrolment_code = "SECRET-42"\n'
                                 '[terminal]\nterminal_id = "T07"\n', encoding="utf-8")
    rt = bootstrap(paths, load_settings(paths.config_file), console_log=False)
    try:
        with rt.store.session() as s:
            rows = list(s.scalars(select(AuditRecord).where(AuditRecord.object_type == "config")
                                  .order_by(AuditRecord.id)))
    finally:
        rt.close()
    assert [r.action for r in rows] == ["config.initial", "config.changed"]
    assert rows[1].detail["keys"] == ["server.enrolment_code", "terminal.terminal_id"]
    assert "SECRET-42" not in str(rows[1].detail)


def test_demo_shows_the_login_before_the_runtime_and_seeds_the_demo_operator(tmp_path):
    """`yichuang demo`: the login window is on screen first, the runtime (store, relay, demo operator) is built
    behind it on a thread (app.startup), then the client exits (YICHUANG_EXIT_WHEN_READY)."""
    out = _run(["demo"], tmp_path, YICHUANG_EXIT_WHEN_READY="1")
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith("YICHUANG_READY")]
    assert lines == ["YICHUANG_READY login", "YICHUANG_READY runtime"]
    from app.store import open_store
    from app.store.models import Operator

    data_dir = resolve_paths(tmp_path).data_dir  # YICHUANG_HOME set: the demo uses it (app.demo.demo_paths)
    store = open_store(data_dir)
    try:
        with store.session() as s:
            assert s.get(Operator, "demo") is not None
    finally:
        store.close()
