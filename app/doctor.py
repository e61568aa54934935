"""`yichuang doctor`: checks this machine and says what is missing or wrong, with the fix. Qt is checked in a child
process because a broken Qt platform plugin aborts the process that loads it."""
from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine

from app.config import DeviceBackend, Settings, load_settings
from app.errors import ConfigError, YichuangError
from app.paths import AppPaths

OK, WARN, FAIL = "ok", "warn", "fail"
QT_XCB_LIBS = {  # soname → Debian package (../shared/notes/toolchain.md §7)
    "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0", "xcb-randr": "libxcb-randr0", "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0", "xcb-shm": "libxcb-shm0", "xcb-sync": "libxcb-sync1",
    "xcb-xfixes": "libxcb-xfixes0", "xcb-xkb": "libxcb-xkb1", "xkbcommon-x11": "libxkbcommon-x11-0",
    "X11-xcb": "libx11-xcb1", "GL": "libgl1", "EGL": "libegl1", "fontconfig": "libfontconfig1",
}


@dataclass(frozen=True)
class Check:
    name: str
    level: str  # ok / warn / fail
    message: str
    fix: str = ""


def check_config(paths: AppPaths) -> tuple[Check, Settings | None]:
    if not paths.config_file.exists():
        return Check("配置文件", OK, f"未找到 {paths.config_file}，使用默认配置",
                     "如需修改，运行 yichuang config init 生成配置文件"), Settings()
    try:
        s = load_settings(paths.config_file)
    except ConfigError as exc:
        return Check("配置文件", FAIL, exc.user_message, f"修改 {paths.config_file} 中指出的配置项"), None
    return Check("配置文件", OK, f"{paths.config_file} 有效"), s


def check_dir(name: str, path: Path) -> Check:
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), Path("/"))
        if os.access(parent, os.W_OK):
            return Check(name, OK, f"{path} 尚不存在，启动时自动创建")
        return Check(name, FAIL, f"{path} 不存在且无法创建", f"sudo mkdir -p {path} && sudo chown $USER {path}")
    if not os.access(path, os.W_OK | os.X_OK):
        return Check(name, FAIL, f"{path} 没有写入权限", f"sudo chown -R $USER {path}")
    return Check(name, OK, f"{path} 可写")


def check_schema(paths: AppPaths) -> Check:
    from alembic.runtime.migration import MigrationContext

    from app.store.database import head_revision

    head = head_revision()
    db = paths.database_file
    if not db.exists():
        return Check("数据库结构", OK, f"尚无本地数据库，启动时创建（结构版本 {head}）")
    engine = create_engine(f"sqlite:///file:{db}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:
        return Check("数据库结构", FAIL, f"无法读取 {db}：{exc}", "备份该文件后联系技术支持")
    finally:
        engine.dispose()
    if current == head:
        return Check("数据库结构", OK, f"版本 {current}（最新）")
    return Check("数据库结构", WARN, f"版本 {current}，最新为 {head}", "下次启动时自动升级，或运行 yichuang migrate")


def check_fonts() -> Check:
    bundled = resources.files("resources") / "fonts" / "wqy-microhei.ttc"
    if not bundled.is_file():
        return Check("中文字体", FAIL, "安装包内的中文字体缺失，界面和回执会显示方框", "重新安装 Yichuang")
    system = ""
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        system = "；系统中文字体 " + (str(len(out.splitlines())) + " 种" if out.strip() else "无（不影响本程序）")
    return Check("中文字体", OK, "内置文泉驿微米黑" + system)


def check_qt() -> Check:
    missing = sorted({pkg for lib, pkg in QT_XCB_LIBS.items() if ctypes.util.find_library(lib) is None})
    code = "from PySide6.QtWidgets import QApplication; QApplication([]); print('ok')"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        qt_ok = proc.returncode == 0 and "ok" in proc.stdout
        err = (proc.stderr.strip().splitlines() or [""])[-1]
    except subprocess.TimeoutExpired:
        qt_ok, err = False, "timeout"
    fix = ("sudo apt-get install -y " + " ".join(missing)) if missing else ""
    if not qt_ok:
        return Check("Qt 图形库", FAIL, f"PySide6 无法启动：{err}", fix or "重新安装 Yichuang 的依赖")
    if missing:
        return Check("Qt 图形库", WARN, "缺少在桌面显示窗口所需的库：" + "、".join(missing), fix)
    return Check("Qt 图形库", OK, "PySide6 可用，xcb 平台库齐全")


def check_pcscd(settings: Settings) -> Check:
    if settings.devices.sscard is not DeviceBackend.real:
        return Check("智能卡服务", OK, f"社保卡读卡器配置为 {settings.devices.sscard.value}，不需要 pcscd")
    from devices.pcsc import list_pcsc_readers

    if not shutil.which("pcscd") and not Path("/usr/sbin/pcscd").exists():
        return Check("智能卡服务", FAIL, "未安装 pcscd", "sudo apt-get install -y pcscd libpcsclite1")
    try:
        names = list_pcsc_readers()
    except RuntimeError as exc:
        return Check("智能卡服务", FAIL, str(exc), "sudo systemctl enable --now pcscd")
    if not names:
        return Check("智能卡服务", WARN, "pcscd 已运行，但未发现读卡器", "检查读卡器 USB 连接")
    return Check("智能卡服务", OK, "读卡器：" + "、".join(names))


def check_devices(settings: Settings) -> list[Check]:
    from devices.base import DeviceState
    from devices.manager import DeviceManager

    try:
        manager = DeviceManager(settings.devices, production=settings.production)
    except YichuangError as exc:
        return [Check("外设", FAIL, exc.user_message, "修改配置文件 [devices] 一节")]
    out = []
    for st in manager.open_all():
        level = OK if st.state in (DeviceState.ready,) or st.backend == "none" else WARN
        out.append(Check("外设", level, st.label + (f"（{st.reason}）" if st.reason else "")))
    manager.close_all()
    return out


def check_central(settings: Settings) -> Check:
    from app.errors import NetworkUnavailable, ServerRejected
    from app.sync.client import CentralApi
    from app.version import API_VERSION

    from app.security.transport import tls_context

    # health is open (no signature needed), but the certificate is checked as every other call checks it
    api = CentralApi(settings.server.url, timeout=min(settings.server.timeout_seconds, 5),
                     verify=tls_context(settings.server.ca_file, settings.server.pin_sha256))
    try:
        info = api.health()
    except (NetworkUnavailable, ServerRejected) as exc:
        return Check("中心系统", WARN, f"{settings.server.url} 无法连接（{exc.detail}）；可离线办理，联网后自动上传",
                     "检查网络，或在配置文件 [server] url 中填写正确地址")
    finally:
        api.close()
    if str(info.get("api_version")) != API_VERSION:
        return Check("中心系统", FAIL, f"接口版本 {info.get('api_version')} 与客户端 {API_VERSION} 不一致", "升级客户端")
    return Check("中心系统", OK, f"{settings.server.url} 在线，服务端版本 {info.get('server_version')}")


def check_terminal_key(data_dir: Path) -> Check:
    """How the terminal's signing key is protected at rest (issue 11, app.security.terminal_keys)."""
    from app.security.terminal_keys import protection_status

    status = protection_status(data_dir)
    if status == "keyring":
        return Check("终端签名密钥", OK, "已加密，密钥保存在系统密钥环中")
    if status == "machine":
        return Check("终端签名密钥", OK, "已加密，与本机绑定（未检测到系统密钥环）")
    if status == "absent":
        return Check("终端签名密钥", OK, "尚未生成，首次启动时生成并加密保存")
    return Check("终端签名密钥", WARN, "签名密钥未加密保存（仅限本用户读取）",
                 "安装并解锁系统密钥环（如 gnome-keyring），或确保 /etc/machine-id 存在，然后重新启动 Yichuang")


def check_at_rest(paths: AppPaths, settings: Settings | None, operator: str | None = None) -> list[Check]:
    """Encryption at rest (issue 11): what can be told without credentials — on or off, key store, a conversion
    left half-way — and, with `operator` (password asked), the encrypted database's schema after unlocking it."""
    from app.security.at_rest import KEYSTORE_FILE, encryption_enabled
    from app.security.convert import JOURNAL_FILE
    from app.security.keystore import KeyStore

    if settings is None:
        return []
    name = "本地数据加密"
    checks: list[Check] = []
    if (paths.data_dir / JOURNAL_FILE).exists():
        checks.append(Check(name, FAIL, "本地数据的加密转换尚未完成，客户端暂不能使用本机数据",
                            "运行 yichuang encrypt-store --operator 工号（输入密码）完成转换"))
    db = paths.database_file
    if not encryption_enabled(settings):
        if not checks:
            checks.append(Check(name, OK, "未启用（[at_rest] encrypt = false）；如需加密本机数据：yichuang encrypt-store"))
        return checks + [check_schema(paths)]
    keystore = KeyStore(paths.data_dir / KEYSTORE_FILE)
    operators = keystore.operators()
    from app.security.convert import is_plain_sqlite

    if db.exists() and is_plain_sqlite(db):
        checks.append(Check(name, FAIL, "配置要求加密，但本地数据库仍是明文",
                            "运行 yichuang encrypt-store --operator 工号（输入密码）把现有数据转为加密存储"))
        return checks + [check_schema(paths)]
    if not keystore.exists():
        checks.append(Check(name, OK, "已启用；尚无本机密钥，首次联网登录时生成"))
        return checks
    checks.append(Check(name, OK, f"已启用（SQLCipher 数据库 + AES-GCM 文件），{len(operators)} 个工号可在本机解锁"))
    if not db.exists():
        return checks
    if not operator:
        checks.append(Check("数据库结构", WARN, "数据库已加密，未解锁无法检查结构",
                            "运行 yichuang doctor --operator 工号（输入密码）解锁后检查"))
        return checks
    from app.security.cli_unlock import UnlockFailed, open_runtime
    from app.store.database import head_revision

    try:
        with open_runtime(operator, paths=paths, settings=settings) as runtime:
            current = runtime.store.schema_revision()
    except UnlockFailed as exc:
        checks.append(Check("数据库结构", FAIL, exc.message, "核对工号和密码；多次输错会锁定，请稍后再试或联系管理员"))
        return checks
    head = head_revision()
    checks.append(Check("数据库结构", OK if current == head else WARN, f"已解锁，版本 {current}"
                        + ("（最新）" if current == head else f"，最新为 {head}"), "运行 yichuang migrate --operator 工号"))
    return checks


def run_checks(paths: AppPaths, operator: str | None = None) -> list[Check]:
    checks = [Check("Python", OK if sys.version_info >= (3, 11) else FAIL, sys.version.split()[0], "安装 Python 3.11+")]
    cfg_check, settings = check_config(paths)
    checks += [cfg_check, check_dir("数据目录", paths.data_dir), check_dir("日志目录", paths.log_dir),
               *(check_at_rest(paths, settings, operator) if settings is not None else [check_schema(paths)]),
               check_terminal_key(paths.data_dir), check_fonts(), check_qt()]
    if settings is not None:
        checks += [check_pcscd(settings), *check_devices(settings), check_central(settings)]
    return checks


def print_report(checks: list[Check], stream=sys.stdout) -> int:
    marks = {OK: "[正常]", WARN: "[注意]", FAIL: "[错误]"}
    for c in checks:
        print(f"{marks[c.level]} {c.name}：{c.message}", file=stream)
        if c.fix and c.level != OK:
            print(f"        处理方法：{c.fix}", file=stream)
    failed = sum(c.level == FAIL for c in checks)
    print(f"共 {len(checks)} 项检查，{failed} 项错误。", file=stream)
    return 1 if failed else 0
