"""`yichuang provision | effective-config | update | support-bundle`: the fleet subcommands (a plugin of ui.cli;
`admin`, which opens a window, is ui.admin.cli). Errors a user can fix print in Chinese without a traceback, like the rest of the command."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from app.errors import YichuangError
from app.paths import resolve_paths


def _fail(exc: YichuangError) -> int:
    print(f"失败：{exc.user_message}", file=sys.stderr)
    return 2


def cmd_provision(args) -> int:
    from app.fleet.provision import provision

    try:
        result = provision(args.source, resolve_paths(), terminal_id=args.terminal_id, expected_sha256=args.sha256)
    except YichuangError as exc:
        return _fail(exc)
    print(f"已按集中配置文件 {result.source} 配置本机（sha256 {result.sha256[:16]}…），写入 {result.config_file}")
    from app.fleet.redact import redact_values

    changed = redact_values({k: v[1] for k, v in result.changed.items()})
    for key, value in changed.items():
        print(f"  {key} = {value!r}（原为 {redact_values({key: result.changed[key][0]})[key]!r}）")
    if not changed:
        print("  配置未变化")
    return 0


def cmd_effective_config(args) -> int:
    from app.config import load_settings_with_sources
    from app.fleet.redact import SHOWN_SECRET, redact_values

    paths = resolve_paths()
    try:
        eff = load_settings_with_sources(paths.config_file)
    except YichuangError as exc:
        return _fail(exc)
    values = redact_values(eff.values, SHOWN_SECRET)
    if args.json:
        print(json.dumps({k: {"value": values[k], "source": eff.sources[k].kind, "detail": eff.sources[k].detail}
                          for k in values}, ensure_ascii=False, indent=2))
        return 0
    print(f"# 配置文件：{paths.config_file}")
    for key, value in values.items():
        src = eff.sources[key]
        print(f"{key:<32} {json.dumps(value, ensure_ascii=False):<40} {src.label}" + (f"（{src.detail}）" if src.detail else ""))
    return 0


def cmd_update(args) -> int:
    from app.config import load_settings
    from app.fleet.updates import Updater

    paths = resolve_paths()
    try:
        settings = load_settings(paths.config_file)
        if not settings.updates.enabled and not args.manifest:
            print("本机已关闭自动更新（updates.enabled = false）。")
            return 0
        updater = Updater(settings, paths.data_dir)
        envelope = Path(args.manifest).read_bytes() if args.manifest else None
        offer = updater.check(envelope)
        if offer is None:
            print("已是最新版本。")
            return 0
        now = updater.clock()
        print(f"可更新到 {offer.version}（当前 {updater.current_version}），最迟 {offer.deadline:%Y-%m-%d} 安装"
              + ("，已到期，必须安装" if offer.forced(now) else f"，还可推迟 {offer.days_left(now)} 天"))
        if args.action == "defer":
            print(f"已推迟，剩余 {updater.defer(offer)} 天。")
        elif args.action == "install":
            package = updater.download(offer)
            updater.install(offer, package)
            print(f"已安装 {offer.version}，请重新启动一窗。")
    except YichuangError as exc:
        return _fail(exc)
    except OSError as exc:
        print(f"失败：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # httpx errors: the central API cannot be reached
        if type(exc).__module__.startswith("httpx"):
            print(f"失败：无法连接中心系统获取更新（{exc}）", file=sys.stderr)
            return 2
        raise
    return 0


def cmd_support_bundle(args) -> int:
    from app.config import load_settings
    from app.fleet.support import make_support_bundle

    paths = resolve_paths()
    statuses, terminal_id = None, ""
    try:
        settings = load_settings(paths.config_file)
        terminal_id = settings.terminal.terminal_id
        from devices.manager import DeviceManager

        manager = DeviceManager(settings.devices, production=settings.production)
        statuses = manager.open_all()
        manager.close_all()
    except YichuangError as exc:  # a broken configuration is exactly when the help desk needs the bundle
        print(f"注意：{exc.user_message}", file=sys.stderr)
    path = make_support_bundle(paths, device_statuses=statuses, out_dir=Path(args.out) if args.out else None,
                               terminal_id=terminal_id)
    print(f"支持包已生成：{path}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("provision", help="按集中配置文件（路径或网址）配置本机")
    p.add_argument("source", help="集中配置文件的路径或 http(s):// 网址")
    p.add_argument("--terminal-id", help="本机终端编号（优先于文件中的 terminal_ids）")
    p.add_argument("--sha256", help="文件的 SHA-256 校验值（由信息科另行告知）")
    p.set_defaults(func=cmd_provision)
    e = sub.add_parser("effective-config", help="显示生效配置及每项来源")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_effective_config)
    u = sub.add_parser("update", help="检查、推迟或安装已签名的更新")
    u.add_argument("action", choices=["check", "defer", "install"])
    u.add_argument("--manifest", help="使用本地的更新清单文件（离线分发）而不是从中心系统获取")
    u.set_defaults(func=cmd_update)
    s = sub.add_parser("support-bundle", help="生成发给技术支持的支持包（已脱敏）")
    s.add_argument("--out", help="保存目录（默认数据目录下 support/）")
    s.set_defaults(func=cmd_support_bundle)
