"""`yichuang encrypt-store`: turn encryption at rest on for a terminal that ran without it (a counter, usually) —
the SQLite store becomes SQLCipher, scans and documents are sealed, the key store is made, `[at_rest] encrypt = true`
is written to the configuration, and the plaintext is overwritten and removed. Qt-free.

The key store is made the way a field laptop's first login makes it (app.security.at_rest.AtRestAuthenticator): the
operator's password is checked by the centre (online; the centre vouches before keys are minted), then a fresh
terminal master key and data key are wrapped under that password (and under an OS-keyring secret when a backend
exists). Further `--operator`s get wraps after their own passwords are checked (online or by the verifier cached at
their last online login here), like `enrol_operator`.

Atomic and resumable. A journal (`encrypt-store.json` in the data dir) marks a conversion in progress; while it is
there the client refuses to start and `yichuang doctor` says to re-run the command. Each step leaves the terminal in
a state the next run recognises from the files themselves:

1. keys: the key store is created once; a re-run unlocks it with the operator's password (lock-out counted);
2. database: the plain file is exported with `sqlcipher_export` into `yichuang.sqlite3.encrypting`, verified (every
   table's row count, integrity check) and fsynced; then the plain file is renamed to `yichuang.sqlite3.plain` and
   the encrypted one to `yichuang.sqlite3` (each rename followed by an fsync of the directory). A crash before the
   swap leaves the plain store in place (the half-written copy is discarded and redone); after the first rename the
   next run finishes the second;
3. files: every plain scan, receipt and archive package is hard-linked aside (`.encrypt-store/plain/`), then sealed
   in place with the mandated routines (`AttachmentStore.reseal_all`, `sealed_docs.seal_existing`, atomic
   replacement) — the links keep the old plaintext inodes so they can be overwritten, not just unlinked;
4. configuration: `[at_rest] encrypt = true` is written into config.toml (comments and other keys kept; atomic);
5. wipe: the plain database, its -wal/-shm, and every linked plaintext inode are overwritten with zeros and
   removed; then the journal goes.

Stop the client before converting. Set `YC_ENCRYPT_STORE_CRASH_AT=<step>` to make the process exit abruptly after
that step (used by the crash tests; steps: keys, export, plain_moved, swapped, files, config)."""
from __future__ import annotations

import json
import logging
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.clock import utcnow
from app.errors import YichuangError

log = logging.getLogger(__name__)

JOURNAL_FILE = "encrypt-store.json"
STAGING_DIR = ".encrypt-store"
SQLITE_HEADER = b"SQLite format 3\x00"
CRASH_ENV = "YC_ENCRYPT_STORE_CRASH_AT"


@dataclass
class ConversionReport:
    already_encrypted: bool = False
    keystore_created: bool = False
    operators: list[str] = field(default_factory=list)
    database: str = ""  # converted / resumed / already / created
    tables: int = 0
    rows: int = 0
    attachments_sealed: int = 0
    documents_sealed: int = 0
    plaintext_wiped: int = 0
    config_updated: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


class ConversionError(YichuangError):
    code = "encrypt_store_failed"


def _crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:
        log.warning("simulated crash after step %s", step)
        os._exit(70)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows: directories cannot be opened; rename is durable enough there
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def is_plain_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


# --- the database -------------------------------------------------------------------------------------------------------

def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _table_counts(conn, schema: str = "main") -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n.replace(chr(34), chr(34) * 2)}"').fetchone()[0]
            for n in names}


def export_encrypted(plain: Path, target: Path, key: bytes) -> dict[str, int]:
    """Copy the plain SQLite database into a new SQLCipher file under `key` (sqlcipher_export), verify it and fsync
    it. Returns the row count of each table. The plain file's WAL is checkpointed into it first."""
    import sqlcipher3

    for stale in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm"),
                  target.with_name(target.name + "-journal")):
        stale.unlink(missing_ok=True)  # a half-written copy of an earlier run (ciphertext): redone from scratch
    conn = sqlcipher3.connect(str(plain), isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        expected = _table_counts(conn)
        conn.execute(f"ATTACH DATABASE {_quote(str(target))} AS encrypted KEY \"x'{key.hex()}'\"")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    check = sqlcipher3.connect(str(target), isolation_level=None)
    try:
        check.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        got = _table_counts(check)
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if got != expected or integrity != "ok":
        raise ConversionError("本地数据库加密转换校验未通过，原数据未改动，请联系技术支持。",
                              f"export verification failed: integrity={integrity}, "
                              f"tables differ={sorted(k for k in expected if expected[k] != got.get(k))}")
    _fsync_file(target)
    _fsync_dir(target.parent)
    return expected


def _checkpoint_and_close(db: Path) -> None:
    """Fold the plain database's WAL into it, so no plaintext pages stay in a -wal beside it."""
    import sqlite3

    conn = sqlite3.connect(str(db))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _swap_database(db: Path, report: ConversionReport, key: bytes) -> None:
    tmp = db.with_name(db.name + ".encrypting")
    old = db.with_name(db.name + ".plain")
    if db.exists() and is_plain_sqlite(db):
        counts = export_encrypted(db, tmp, key)
        report.tables, report.rows = len(counts), sum(counts.values())
        _crash_point("export")
        _checkpoint_and_close(db)
        _wipe_sidecars(db)
        os.replace(db, old)
        _fsync_dir(db.parent)
        _crash_point("plain_moved")
        os.replace(tmp, db)
        _fsync_dir(db.parent)
        report.database = "converted"
        _crash_point("swapped")
        return
    if not db.exists() and tmp.exists() and old.exists():  # a crash between the two renames
        os.replace(tmp, db)
        _fsync_dir(db.parent)
        report.database = "resumed"
        _crash_point("swapped")
        return
    if not db.exists() and old.exists():  # the copy never finished: the plain file goes back and is converted
        os.replace(old, db)
        _fsync_dir(db.parent)
        _swap_database(db, report, key)
        return
    tmp.unlink(missing_ok=True)
    report.database = "already" if db.exists() else "created"


def _wipe_sidecars(db: Path) -> int:
    from app.security.at_rest import wipe_file

    n = 0
    for suffix in ("-wal", "-shm", "-journal"):
        n += wipe_file(db.with_name(db.name + suffix))
    return n


# --- files ----------------------------------------------------------------------------------------------------------------

def _plain_files(roots: list[Path]) -> list[Path]:
    from app.security.at_rest import FileCipher

    out = []
    for root in roots:
        if not root.is_dir():
            continue
        for f in sorted(root.rglob("*")):
            if f.is_file() and not f.name.endswith(".part"):
                with open(f, "rb") as fh:
                    head = fh.read(64)
                if not FileCipher.is_sealed(head + b"\0" * 16):
                    out.append(f)
    return out


def _link_aside(files: list[Path], staging: Path, data_dir: Path) -> None:
    """Hard links to the plaintext inodes, so the sealing's atomic replacement leaves them for `_wipe_linked`.
    The manifest (link name → file) is written durably before any link exists."""
    from app.security.at_rest import write_durably

    staging.mkdir(parents=True, exist_ok=True)
    manifest_path = staging / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    known = set(manifest.values())
    for f in files:
        rel = f.relative_to(data_dir).as_posix()
        if rel not in known:
            manifest[f"{len(manifest):06d}"] = rel
            known.add(rel)
    write_durably(manifest_path, json.dumps(manifest).encode("utf-8"))
    plain = {f.relative_to(data_dir).as_posix() for f in files}
    for name, rel in manifest.items():
        link = staging / name
        if rel not in plain or link.exists():
            continue
        try:
            os.link(data_dir / rel, link)
        except OSError as exc:  # another file system, or no hard links: the plain inode is freed unwiped
            log.warning("could not keep a plaintext inode for wiping: %s", type(exc).__name__)
    _fsync_dir(staging)


def _wipe_linked(staging: Path, data_dir: Path) -> int:
    from app.security.at_rest import wipe_file

    manifest_path = staging / "manifest.json"
    if not manifest_path.exists():
        return 0
    manifest = json.loads(manifest_path.read_text("utf-8"))
    n = 0
    for name, rel in manifest.items():
        link, live = staging / name, data_dir / rel
        if not link.exists():
            continue
        if live.exists() and os.path.samefile(link, live):
            raise ConversionError("有文件尚未加密，转换中止，请重新运行 yichuang encrypt-store。",
                                  f"{rel} still holds its plaintext inode after sealing")
        n += wipe_file(link)
    manifest_path.unlink()
    try:
        staging.rmdir()
    except OSError:
        pass
    return n


def _wipe_stray_parts(roots: list[Path]) -> int:
    from app.security.at_rest import wipe_file

    n = 0
    for root in roots:
        if root.is_dir():
            for f in root.rglob("*.part"):
                n += wipe_file(f)
    return n


# --- the configuration ----------------------------------------------------------------------------------------------------

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(#.*)?$")
_ENCRYPT_KEY = re.compile(r"^(\s*)#?\s*encrypt\s*=.*$")


def set_encrypt_true(config_file: Path) -> bool:
    """Write `encrypt = true` into `[at_rest]` of config.toml, keeping every other line (comments included);
    atomic. Returns False when it already said so."""
    import tomllib

    from app.security.at_rest import write_durably

    text = config_file.read_text("utf-8") if config_file.exists() else ""
    try:
        current = tomllib.loads(text).get("at_rest", {}).get("encrypt")
    except tomllib.TOMLDecodeError as exc:
        raise ConversionError(f"配置文件 {config_file} 有误，无法写入加密设置：{exc}", f"toml: {exc!r}") from None
    if current is True:
        return False
    lines = text.splitlines()
    section, start, end = None, None, len(lines)
    for i, line in enumerate(lines):
        m = _SECTION.match(line)
        if m:
            if section == "at_rest":
                end = i
                break
            section = m.group(1).strip()
            if section == "at_rest":
                start = i
    if start is None:
        lines += ["", "[at_rest]", "encrypt = true  # yichuang encrypt-store"]
    else:
        for i in range(start + 1, end):
            m = _ENCRYPT_KEY.match(lines[i])
            if m and not lines[i].lstrip().startswith("#"):
                lines[i] = f"{m.group(1)}encrypt = true  # yichuang encrypt-store"
                break
        else:
            lines.insert(start + 1, "encrypt = true  # yichuang encrypt-store")
    new = "\n".join(lines) + "\n"
    if tomllib.loads(new).get("at_rest", {}).get("encrypt") is not True:
        raise ConversionError(f"无法在配置文件 {config_file} 中开启加密，请手工设置 [at_rest] encrypt = true。",
                              "edited config does not read back encrypt = true")
    write_durably(config_file, new.encode("utf-8"))
    return True


# --- the whole conversion -----------------------------------------------------------------------------------------------

def _journal(data_dir: Path, step: str) -> None:
    from app.security.at_rest import write_durably

    path = data_dir / JOURNAL_FILE
    started = None
    if path.exists():
        try:
            started = json.loads(path.read_text("utf-8")).get("started_at")
        except ValueError:
            started = None
    write_durably(path, json.dumps({"started_at": started or utcnow().isoformat(), "step": step}).encode())


def conversion_pending(data_dir: Path) -> bool:
    return (Path(data_dir) / JOURNAL_FILE).exists()


def _keys(paths, settings, api, operator_id: str, password: str, report: ConversionReport):
    """Unlock (or, the first time, create) the key store exactly as the encrypted client's login does."""
    from types import SimpleNamespace

    from app.security.at_rest import KEYSTORE_FILE, AtRestAuthenticator
    from app.security.keystore import KeyStore

    keystore = KeyStore(paths.data_dir / KEYSTORE_FILE)
    shell = SimpleNamespace(paths=paths, settings=settings, api=api, keystore=keystore, store=None)
    auth = AtRestAuthenticator(shell, use_keyring=settings.at_rest.os_keyring)
    auth._check_lock(operator_id)
    report.keystore_created = not keystore.exists()
    keys, _rewrap = auth._unlock(operator_id, password)  # wrong password: counted towards the lock-out
    keystore.clear_failures(operator_id)
    return keys, keystore


def encrypt_store(paths, settings, credentials: list[tuple[str, str]], *, api=None) -> ConversionReport:
    """Convert this terminal's data to encryption at rest (see the module's docstring). `credentials` are
    (operator id, password): the first unlocks or creates the key store, the others get wraps of their own."""
    from app.cases.attachments import AttachmentStore
    from app.security import sealed_docs
    from app.security.at_rest import FileCipher, encryption_enabled
    from app.security.operators import Authenticator
    from app.store import open_store
    from app.sync.client import CentralApi

    data_dir = paths.data_dir
    report = ConversionReport()
    if encryption_enabled(settings) and not conversion_pending(data_dir) and not is_plain_sqlite(paths.database_file):
        report.already_encrypted = True
        return report
    if not credentials:
        raise ConversionError("请用 --operator 指定解锁本机数据的工号。", "no operator")
    own_api = api is None
    api = api or CentralApi.from_settings(settings, data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        operator_id, password = credentials[0]
        if is_plain_sqlite(paths.database_file):  # the local verifier and lock-out first, as at any login here
            plain = open_store(data_dir)
            try:
                Authenticator(plain, api, settings.terminal.terminal_id).login(operator_id, password)
            finally:
                plain.close()
        keys, keystore = _keys(paths, settings, api, operator_id, password, report)
        _journal(data_dir, "keys")
        _crash_point("keys")

        _swap_database(paths.database_file, report, keys.dek)
        _journal(data_dir, "database")
        store = open_store(data_dir, key=keys.dek)
        try:
            cipher = FileCipher(keys)
            roots = [paths.attachments_dir, paths.documents_dir, data_dir / "archive"]
            staging = data_dir / STAGING_DIR / "plain"
            _link_aside(_plain_files(roots), staging, data_dir)
            attachments = AttachmentStore(store, paths.attachments_dir, cipher=cipher)
            report.attachments_sealed = attachments.reseal_all(cipher)
            # files under attachments/ that no row names (left by an old crash): sealed too, never left in clear
            report.attachments_sealed += sealed_docs.seal_existing(paths.attachments_dir, cipher)
            report.documents_sealed = sum(sealed_docs.seal_existing(d, cipher) for d in roots[1:])
            _journal(data_dir, "files")
            _crash_point("files")
            for other_id, other_password in credentials[1:]:  # colleagues: checked like enrol_operator
                Authenticator(store, api, settings.terminal.terminal_id).login(other_id, other_password)
                keystore.add_operator(keys, other_id, other_password)
            report.operators = [c[0] for c in credentials]
            from app.security.audit import append_audit

            with store.session() as s:
                append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=settings.terminal.terminal_id,
                             action="at_rest.converted", object_type="terminal",
                             object_id=settings.terminal.terminal_id,
                             detail={"database": report.database, "attachments": report.attachments_sealed,
                                     "documents": report.documents_sealed})
        finally:
            store.close()
        report.config_updated = set_encrypt_true(paths.config_file)
        _journal(data_dir, "config")
        _crash_point("config")

        old = paths.database_file.with_name(paths.database_file.name + ".plain")
        from app.security.at_rest import wipe_file

        wiped = wipe_file(old) + _wipe_sidecars(old)
        wiped += _wipe_linked(staging, data_dir) + _wipe_stray_parts(roots)
        try:
            (data_dir / STAGING_DIR).rmdir()
        except OSError:
            pass
        report.plaintext_wiped = wiped
        (data_dir / JOURNAL_FILE).unlink(missing_ok=True)
        _fsync_dir(data_dir)
        log.info("terminal converted to encryption at rest",
                 extra={"tables": report.tables, "attachments": report.attachments_sealed,
                        "documents": report.documents_sealed, "wiped": wiped})
        return report
    finally:
        if own_api:
            api.close()


# --- `yichuang encrypt-store` -------------------------------------------------------------------------------------------

def register(sub) -> None:
    from app.security.cli_unlock import add_operator_argument

    p = sub.add_parser("encrypt-store", help="把未加密终端的本机数据转为加密存储（SQLCipher + AES-GCM），可中断后重跑")
    add_operator_argument(p, repeat=True)
    p.set_defaults(func=cmd_encrypt_store)


def cmd_encrypt_store(args) -> int:
    from app.config import load_settings
    from app.logs import configure_logging
    from app.paths import resolve_paths
    from app.security.cli_unlock import Credentials

    paths = resolve_paths()
    try:
        settings = load_settings(paths.config_file)
        configure_logging(paths.log_dir, settings.logging.level, settings.logging.max_bytes,
                          settings.logging.backup_count, console=False)
    except YichuangError as exc:
        print(f"无法读取配置：{exc.user_message}", file=sys.stderr)
        return 2
    creds = Credentials()
    operators = list(args.operator or []) or [creds.operator(None)]
    credentials = []
    for operator_id in operators:
        if not operator_id:
            print("请用 --operator 指定解锁本机数据的工号。", file=sys.stderr)
            return 2
        if len(operators) > 1 and creds._interactive():
            print(f"工号 {operator_id}", file=sys.stderr)
        credentials.append((operator_id, creds.secret("密码：")))
    try:
        report = encrypt_store(paths, settings, credentials)
    except YichuangError as exc:
        log.warning("encrypt-store refused: %s", exc.code or type(exc).__name__)
        print(f"无法完成本机数据加密：{exc.user_message}", file=sys.stderr)
        return 2
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if report.already_encrypted:
        print("本机数据已是加密存储，无需转换。", file=sys.stderr)
    return 0
