"""Local store on real SQLite files: pragmas, migrations from an older schema, unusable data dirs."""
import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, text

from app.errors import StoreError
from app.store import open_store
from app.store.database import head_revision, migrate


def test_wal_and_full_sync(tmp_path):
    store = open_store(tmp_path / "data")
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("synchronous") == "2"  # FULL
    assert store.schema_revision() == head_revision()


def test_missing_data_dir_is_created(tmp_path):
    target = tmp_path / "a" / "b" / "data"
    store = open_store(target)
    assert (target / "yichuang.sqlite3").exists() and store.schema_revision() == head_revision()


def test_older_schema_is_migrated_and_keeps_rows(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    engine = create_engine(f"sqlite:///{data / 'yichuang.sqlite3'}")
    migrate(engine, "0001")
    with engine.begin() as c:
        c.execute(text("INSERT INTO cases (case_id, case_no, item_code, item_name, applicant_ssn, applicant_name, "
                       "status, payload, operator_id, terminal_id, agency_code, created_at, updated_at, sync_state) "
                       "VALUES ('c1','N1','x','x','s','n','accepted','{}','o','T01','150102',"
                       "'2026-01-01 00:00:00','2026-01-01 00:00:00','pending')"))
    engine.dispose()
    store = open_store(data)
    assert store.schema_revision() == head_revision()
    with store.engine.connect() as c:
        assert c.execute(text("SELECT case_no, document_path FROM cases")).one() == ("N1", None)
        assert c.execute(text("SELECT count(*) FROM local_settings")).scalar() == 0


def test_data_dir_that_is_a_file_gives_chinese_error(tmp_path):
    f = tmp_path / "data"
    f.write_text("x")
    with pytest.raises(StoreError) as err:
        open_store(f / "sub")
    assert "无法创建数据目录" in err.value.user_message


def test_read_only_data_dir_refused_with_clear_message(tmp_path):
    """Root ignores permission bits, so as root the dir is made read-only by a read-only bind mount in a private
    mount namespace (unshare -m); as a normal user chmod 555 does it."""
    ro = tmp_path / "ro"
    ro.mkdir()
    code = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {os.getcwd()!r})
        from pathlib import Path
        from app.errors import StoreError
        from app.store import open_store
        try:
            open_store(Path({str(ro)!r}))
        except StoreError as e:
            print("REFUSED", e.user_message)
    """)
    if os.geteuid() == 0:
        cmd = ["unshare", "-m", "sh", "-c", f'mount --bind -o ro "{ro}" "{ro}" && exec "$0" -c "$1"',
               sys.executable, code]
    else:
        os.chmod(ro, 0o555)
        cmd = [sys.executable, "-c", code]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert "REFUSED" in out.stdout, out.stderr
    assert "没有写入权限" in out.stdout
    assert not (ro / "yichuang.sqlite3").exists()


def test_quick_head_matches_alembic():
    from app.store.database import quick_head_revision

    assert quick_head_revision() == head_revision()


def test_store_at_head_opens_without_importing_alembic(tmp_path):
    """Start-up cost (issue 13): Alembic is imported only when a migration has to run."""
    open_store(tmp_path / "data").close()
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from app.store import open_store
        store = open_store(Path({str(tmp_path / 'data')!r}))
        print(store.schema_revision(), 'alembic' in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [head_revision(), "False"]
