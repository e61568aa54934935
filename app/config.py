"""Terminal configuration: a TOML file in the platform config dir, overridden by YICHUANG_* environment variables,
validated with pydantic. Every failure becomes a ConfigError naming the file and the key."""
from __future__ import annotations

import os
import tomllib
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("必须以 http:// 或 https:// 开头")
        return v.rstrip("/")


class DevicesConfig(_Section):
    sscard: DeviceBackend = DeviceBackend.sim  # 社会保障卡读卡器 (PC/SC)
    idcard: DeviceBackend = DeviceBackend.sim  # 二代身份证阅读器
    camera: DeviceBackend = DeviceBackend.sim  # 高拍仪
    receipt_printer: DeviceBackend = DeviceBackend.sim  # 小票打印机
    a4_printer: DeviceBackend = DeviceBackend.sim


class LoggingConfig(_Section):
    level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    max_bytes: int = Field(default=5_000_000, ge=100_000)
    backup_count: int = Field(default=10, ge=1, le=100)


class Settings(_Section):
    terminal: TerminalConfig = TerminalConfig()
    server: ServerConfig = ServerConfig()
    devices: DevicesConfig = DevicesConfig()
    logging: LoggingConfig = LoggingConfig()
    production: bool = False  # a production terminal refuses simulated devices


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """YICHUANG_SERVER__URL=... → {"server": {"url": ...}}; values stay strings, pydantic converts them."""
    tree: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name in _ENV_SKIP:
            continue
        keys = name[len(ENV_PREFIX):].lower().split("__")
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
