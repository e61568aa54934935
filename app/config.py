"""Terminal configuration: a TOML file in the platform config dir, overridden by YICHUANG_* environment variables,
validated with pydantic. Every failure becomes a ConfigError naming the file and the key."""
from __future__ import annotations

import base64
import json
import os
import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.errors import ConfigError

ENV_PREFIX = "YICHUANG_"
_ENV_SKIP = {"YICHUANG_HOME", "YICHUANG_EXIT_WHEN_READY"}  # process switches, not settings


class Mode(str, Enum):
    counter = "counter"  # 窗口
    kiosk = "kiosk"  # 自助终端
    field = "field"  # 上门/外勤


class DeviceBackend(str, Enum):
    real = "real"
    sim = "sim"
    none = "none"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TerminalConfig(_Section):
    terminal_id: str = Field(default="T01", pattern=r"^[A-Za-z0-9-]{1,16}$")
    agency_code: str = Field(default="150102", pattern=r"^\d{6,12}$")  # 经办机构编码
    agency_name: str = "呼和浩特市新城区社会保险事业管理局"
    region_code: str = Field(default="150102", pattern=r"^\d{6}$")  # 行政区划代码
    mode: Mode = Mode.counter


class ServerConfig(_Section):
    url: str = "http://127.0.0.1:18765"
    timeout_seconds: float = Field(default=8.0, gt=0, le=120)
    probe_interval_seconds: float = Field(default=5.0, gt=0, le=600)
    enrolment_code: str | None = None
    # Transport security (issue 11 point 3, app.security.transport). ca_file: PEM bundle of the CA(s) that may sign the
    # central API's certificate (empty = the system's/certifi's store). pin_sha256: SHA-256 pins of the server's public
    # key (SPKI; "sha256/<base64>" as `yichuang`'s admin tools print, or hex) or of its whole certificate (hex); any
    # one matching passes, so the next key can be pinned before a rotation. With pins and no ca_file the pin alone is
    # the trust anchor (a private CA or self-signed certificate). Plain http:// stays for the embedded demo on loopback.
    ca_file: str = ""
    pin_sha256: list[str] = []

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("必须以 http:// 或 https:// 开头")
        return v.rstrip("/")

    @field_validator("pin_sha256", mode="before")
    @classmethod
    def _pins(cls, v: Any) -> Any:
        if isinstance(v, str):  # YICHUANG_SERVER__PIN_SHA256="sha256/…,sha256/…"
            v = [p.strip() for p in v.split(",") if p.strip()]
        from app.security.transport import parse_pin

        for pin in v if isinstance(v, list) else []:
            parse_pin(str(pin))  # ValueError names the pin
        return v

    @model_validator(mode="after")
    def _tls_needs_https(self) -> "ServerConfig":
        if (self.ca_file or self.pin_sha256) and not self.url.startswith("https://"):
            raise ValueError("配置了 ca_file 或 pin_sha256 时 url 必须以 https:// 开头")
        return self


class DevicesConfig(_Section):
    sscard: DeviceBackend = DeviceBackend.sim  # 社会保障卡读卡器 (PC/SC)
    idcard: DeviceBackend = DeviceBackend.sim  # 二代身份证阅读器
    camera: DeviceBackend = DeviceBackend.sim  # 高拍仪
    receipt_printer: DeviceBackend = DeviceBackend.sim  # 小票打印机
    a4_printer: DeviceBackend = DeviceBackend.sim
    # Settings of the real back-ends (ignored by "sim" and "none"); the defaults keep older files valid.
    sscard_reader: str = ""  # PC/SC reader name, or part of it; empty = any reader
    sscard_auto_read: bool = True  # read the card as soon as it is inserted
    idcard_driver: Literal["serial", "sdtapi"] = "serial"  # sdtapi = the vendor's DLL (Windows)
    idcard_port: str = ""  # serial: /dev/ttyUSB0, COM3; empty = not configured
    idcard_baudrate: int = Field(default=115200, ge=1200, le=921600)
    idcard_dll: str = "sdtapi.dll"
    idcard_dll_port: int = Field(default=1001, ge=1, le=9999)  # sdtapi: 1001–1016 USB, 1–16 COM
    idcard_wlt_decoder: str = ""  # path of the vendor's licensed WLT photo decoder library
    camera_source: str = "0"  # a device index ("0"), a file or a URL (rtsp://…)
    camera_width: int = Field(default=2592, ge=0, le=10000)
    camera_height: int = Field(default=1944, ge=0, le=10000)
    camera_dpi: int = Field(default=200, ge=72, le=600)  # deskewed pages are saved as A4 at this resolution
    printer_url: str = ""  # tcp://192.168.1.50:9100, serial:/dev/ttyS0@9600, usb:04b8:0e15, file:/dev/usb/lp0
    printer_model: str = "generic-80"  # generic-80, generic-58, raster-80, raster-58, xprinter-xp80t, epson-tm-t20iii
    printer_chinese: Literal["auto", "gb18030", "raster"] = "auto"  # auto = as the model prints Chinese
    io_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    monitor_interval_seconds: float = Field(default=3.0, ge=0, le=600)  # 0 = don't watch for unplug/replug

    @model_validator(mode="before")
    @classmethod
    def _backend_words_only_for_kinds(cls, data: Any) -> Any:
        # Callers that switch every key of [devices] to "sim" (app.demo.demo_settings) predate the settings above:
        # a backend word on a settings key means "default".
        if isinstance(data, dict):
            kinds = {"sscard", "idcard", "camera", "receipt_printer", "a4_printer"}
            words = {b.value for b in DeviceBackend}
            data = {k: v for k, v in data.items() if k in kinds or not (isinstance(v, str) and v in words)}
        return data


class LoggingConfig(_Section):
    level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    max_bytes: int = Field(default=5_000_000, ge=100_000)
    backup_count: int = Field(default=10, ge=1, le=100)


class UpdatesConfig(_Section):
    """Signed client updates offered by the central API (app.fleet.updates)."""
    enabled: bool = True
    channel: str = Field(default="stable", pattern=r"^[a-z0-9-]{1,32}$")
    max_deferral_days: int = Field(default=7, ge=0, le=90)  # an offered update is installed at the latest after this


class PinsConfig(_Section):
    """Trust anchors handed out with the provisioning file (app.fleet.provision)."""
    update_keys: list[str] = []  # Ed25519 public keys (base64 of the 32 raw bytes) that may sign update manifests

    @field_validator("update_keys", mode="before")
    @classmethod
    def _keys(cls, v: Any) -> Any:
        if isinstance(v, str):  # YICHUANG_PINS__UPDATE_KEYS="k1,k2"
            v = [k.strip() for k in v.split(",") if k.strip()]
        for key in v if isinstance(v, list) else []:
            try:
                ok = len(base64.b64decode(str(key), validate=True)) == 32
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(f"{key!r} 不是 Ed25519 公钥（32 字节的 base64）")
        return v


class SyncConfig(_Section):
    """Offline guardrails and the sync engine's pacing (app.sync)."""

    warn_after_days: float = Field(default=2, gt=0)  # 未上传业务超过N天：提醒
    block_after_days: float = Field(default=7, gt=0)  # 未上传业务超过N天：停止新受理
    warn_after_items: int = Field(default=300, ge=1)  # 未上传条数超过M：提醒
    block_after_items: int = Field(default=1000, ge=1)  # 未上传条数超过M：停止新受理
    batch_size: int = Field(default=200, ge=1, le=500)  # cases per POST /cases/batch
    retry_base_seconds: float = Field(default=2.0, gt=0)
    retry_cap_seconds: float = Field(default=300.0, gt=0)
    submit_settle_seconds: float = Field(default=3.0, ge=0)  # scans saved just after 受理 leave before the case
    refdata_interval_seconds: float = Field(default=300.0, ge=0)
    status_interval_seconds: float = Field(default=60.0, ge=0)
    chunk_bytes: int = Field(default=256 * 1024, ge=4096, le=8 * 1024 * 1024)


class QueueConfig(_Section):
    """The hall's queue calling system (叫号, app.queue): the central API's reference queue, this terminal alone, or
    none (the counter then serves without numbers)."""
    backend: Literal["server", "local", "none"] = "server"
    url: str = ""  # empty = the central API of [server]
    counter_no: str = Field(default="1", pattern=r"^[A-Za-z0-9-]{1,8}$")  # 窗口号 announced with the number
    categories: list[str] = []  # 号段 this counter calls (A, B, …); empty = all
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    @field_validator("categories", mode="before")
    @classmethod
    def _categories(cls, v: Any) -> Any:
        if isinstance(v, str):  # YICHUANG_QUEUE__CATEGORIES="A,B"
            v = [c.strip() for c in v.split(",") if c.strip()]
        for c in v if isinstance(v, list) else []:
            if not (isinstance(c, str) and len(c) == 1 and c.isalpha() and c.isupper()):
                raise ValueError(f"{c!r} 不是号段字母（A–Z）")
        return v


class AtRestConfig(_Section):
    """Encryption at rest (issue 11, app.security.at_rest): SQLCipher database and AES-GCM files under a data key
    that only operator credentials (or the OS keyring) unwrap."""
    # Unset = by mode: on for field laptops (carried out of the office, the likeliest to be stolen), off for now on
    # counters and kiosks: a counter's relay sends earlier sessions' cases before anyone logs in (its store must be
    # open before login) and a kiosk has no operator whose credentials could unlock the key; set true to force it.
    encrypt: bool | None = None
    os_keyring: bool = True  # also wrap the terminal key in the OS keyring when a backend exists


class RetentionConfig(_Section):
    """Local copies purged after the centre confirmed them (issue 11 point 5, app.security.retention)."""
    grace_days: float = Field(default=30, ge=0)  # 中心确认后本机保留天数，再清除本机副本
    audit_keep_days: int = Field(default=180, ge=180)  # 审计记录本机至少保留（网络安全法第21条：不少于六个月）
    interval_minutes: float = Field(default=60, ge=0)  # how often the running client purges (0 = only by CLI)


class UiConfig(_Section):
    """Display language of the client (issue 13 point 5, ui.i18n): the sources are Chinese, English is second."""
    language: Literal["zh_CN", "en"] = "zh_CN"


class Settings(_Section):
    terminal: TerminalConfig = TerminalConfig()
    server: ServerConfig = ServerConfig()
    devices: DevicesConfig = DevicesConfig()
    logging: LoggingConfig = LoggingConfig()
    sync: SyncConfig = SyncConfig()
    updates: UpdatesConfig = UpdatesConfig()
    pins: PinsConfig = PinsConfig()
    queue: QueueConfig = QueueConfig()  # 叫号 (issue 13)
    at_rest: AtRestConfig = AtRestConfig()  # issue 11: encryption at rest
    retention: RetentionConfig = RetentionConfig()  # issue 11: purge of confirmed local copies
    ui: UiConfig = UiConfig()  # issue 13: [ui] language
    production: bool = False  # a production terminal refuses simulated devices


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """YICHUANG_SERVER__URL=... → {"server": {"url": ...}}; values stay strings, pydantic converts them."""
    tree: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name in _ENV_SKIP:
            continue
        keys = name[len(ENV_PREFIX):].lower().split("__")
        if len(keys) == 1 and keys[0] not in Settings.model_fields:
            continue  # a process switch (YICHUANG_NO_KEYRING) or the server's own (YICHUANG_SERVER_KEY), not a setting
        node = tree
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            node[keys[-1]] = value
    return tree


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_settings(config_file: Path | None, environ: dict[str, str] | None = None) -> Settings:
    """Read the file (absent = defaults), apply environment overrides, validate. Raises ConfigError."""
    data: dict[str, Any] = {}
    if config_file is not None and config_file.exists():
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError(f"配置文件 {config_file} 不是 UTF-8 编码，请用文本编辑器另存为 UTF-8。",
                              f"config {config_file}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"配置文件 {config_file} 格式错误（{exc}），请改正或删除该文件后重试。",
                              f"config {config_file}: TOML parse error: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"无法读取配置文件 {config_file}：{exc.strerror}",
                              f"config {config_file}: {exc!r}") from None
    data = _merge(data, _env_overrides(dict(os.environ if environ is None else environ)))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                problems.append(f"未知的配置项 {key}")
            else:
                problems.append(f"配置项 {key} 无效：{err['msg']}（当前值：{err.get('input')!r}）")
        where = f"配置文件 {config_file}" if config_file else "配置"
        raise ConfigError(f"{where}有误：" + "；".join(problems),
                          f"config {config_file}: {exc.error_count()} errors: {exc.errors(include_url=False)}") from None


# --- effective configuration and where each value came from (admin page, support bundle, `yichuang effective-config`)

PROVISIONING_RECORD = "provisioning.json"  # written beside config.toml by app.fleet.provision: which keys it set
SOURCE_LABELS = {"default": "默认值", "config": "配置文件", "provisioning": "集中配置文件", "env": "环境变量"}


@dataclass(frozen=True)
class ValueSource:
    kind: str  # default / config / provisioning / env
    detail: str = ""  # the file, the provisioning source or the variable name

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.kind]


@dataclass(frozen=True)
class EffectiveSettings:
    settings: Settings
    values: dict[str, Any]  # "server.url" → effective value (JSON form)
    sources: dict[str, ValueSource]  # "server.url" → where it came from


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def load_settings_with_sources(config_file: Path | None, environ: dict[str, str] | None = None,
                               provisioning_record: Path | None = None) -> EffectiveSettings:
    """load_settings (same merge, same validation and errors), plus the source of every value: an environment
    variable, else the config file (a key the provisioning record says it wrote, with that value, counts as the
    provisioning file), else the default."""
    env = dict(os.environ if environ is None else environ)
    settings = load_settings(config_file, env)
    from_file: dict[str, Any] = {}
    if config_file is not None and config_file.exists():
        from_file = _flatten(tomllib.loads(config_file.read_text(encoding="utf-8")))
    env_names = {}
    for name in env:
        if name.startswith(ENV_PREFIX) and name not in _ENV_SKIP:
            env_names[".".join(name[len(ENV_PREFIX):].lower().split("__"))] = name
    record: dict[str, Any] = {}
    record_path = provisioning_record or (config_file.with_name(PROVISIONING_RECORD) if config_file else None)
    if record_path is not None and record_path.exists():
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}  # a damaged record only loses the provisioning label
    provisioned = record.get("values", {}) if isinstance(record, dict) else {}
    values = _flatten(settings.model_dump(mode="json"))
    sources: dict[str, ValueSource] = {}
    for key in values:
        if key in env_names:
            sources[key] = ValueSource("env", env_names[key])
        elif key in from_file:
            if key in provisioned and provisioned[key] == from_file[key]:
                sources[key] = ValueSource("provisioning", str(record.get("source", "")))
            else:
                sources[key] = ValueSource("config", str(config_file))
        else:
            sources[key] = ValueSource("default")
    return EffectiveSettings(settings, values, sources)

def write_default_config(config_file: Path, settings: Settings | None = None) -> None:
    """Write a commented starting file so an administrator sees every key."""
    import tomli_w

    s = settings or Settings()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    body = tomli_w.dumps(s.model_dump(mode="json", exclude_none=True))
    header = "# 一窗 Yichuang 终端配置。环境变量 YICHUANG_<节>__<键> 可覆盖，例如 YICHUANG_SERVER__URL。\n"
    tmp = config_file.with_suffix(".tmp")
    tmp.write_text(header + body, encoding="utf-8")
    os.replace(tmp, config_file)
