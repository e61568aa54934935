"""The `yichuang` command: run the client, the embedded demo, doctor, config and migrate subcommands. Errors a user
can fix are printed in Chinese without a traceback; the detail goes to the log."""
from __future__ import annotations

import argparse
import logging
import signal
import sys

from app.errors import YichuangError
from app.paths import resolve_paths
from app.version import __version__

log = logging.getLogger("yichuang.cli")


def _fail(exc: YichuangError) -> int:
    print(f"一窗无法启动：{exc.user_message}", file=sys.stderr)
    log.error("start-up failed: %s", exc.detail)
    return 2


def cmd_run(args) -> int:
    from app.config import Mode, load_settings
    from app.paths import ensure_writable_dir

    paths = resolve_paths()
    try:
        settings = load_settings(paths.config_file)
        ensure_writable_dir(paths.data_dir)
    except YichuangError as exc:
        return _fail(exc)
    return _start_client(paths, settings, lambda: _bootstrap(paths, settings), kiosk=settings.terminal.mode == Mode.kiosk)


def _bootstrap(paths, settings):
    from app.bootstrap import bootstrap

    return bootstrap(paths, settings)


def _start_client(paths, settings, build, *, after=None, kiosk: bool = False, demo_banner: str | None = None) -> int:
    """The login window shows while the runtime is built on a thread (app.startup); a kiosk (no login) waits."""
    from app.startup import PendingRuntime

    pending = PendingRuntime(paths, settings, build, after)
    if kiosk:
        try:
            pending.wait()
        except YichuangError as exc:
            return _fail(exc)
    from ui.app import run_client

    return run_client(pending, demo_banner=demo_banner)


def cmd_demo(args) -> int:
    from app.config import Mode, load_settings
    from app.demo import DEMO_BANNER, DEMO_OPERATOR, demo_paths, demo_settings, start_embedded_server
    from app.paths import ensure_writable_dir

    paths = demo_paths()
    try:
        base = load_settings(paths.config_file)
        ensure_writable_dir(paths.data_dir)
        server = None if args.no_server else start_embedded_server(paths, args.port)
        settings = demo_settings(base, server.url if server else base.server.url)
    except YichuangError as exc:
        return _fail(exc)

    def seed(runtime) -> None:
        from app.security.operators import seed_local_operator

        op_id, name, roles, agency, password = DEMO_OPERATOR
        seed_local_operator(runtime.store, op_id, name, roles, agency, password, keep_existing=True)

    try:
        return _start_client(paths, settings, lambda: _bootstrap(paths, settings), after=seed,
                             kiosk=settings.terminal.mode == Mode.kiosk, demo_banner=DEMO_BANNER)
    finally:
        if server:
            server.stop()


def cmd_doctor(args) -> int:
    from app.doctor import print_report, run_checks

    # issue 11 hook: on an encrypted terminal `--operator` unlocks the store so its schema is checked too
    return print_report(run_checks(resolve_paths(), operator=getattr(args, "operator", "") or None))


def cmd_config(args) -> int:
    from app.config import load_settings, write_default_config

    paths = resolve_paths()
    if args.action == "init":
        if paths.config_file.exists() and not args.force:
            print(f"配置文件已存在：{paths.config_file}（加 --force 覆盖）", file=sys.stderr)
            return 1
        write_default_config(paths.config_file)
        print(f"已生成配置文件：{paths.config_file}")
        return 0
    try:
        settings = load_settings(paths.config_file)
    except YichuangError as exc:
        return _fail(exc)
    import tomli_w

    print(f"# 配置文件：{paths.config_file}（{'存在' if paths.config_file.exists() else '不存在，使用默认值'}）")
    print(tomli_w.dumps(settings.model_dump(mode="json", exclude_none=True)))
    return 0


def cmd_migrate(args) -> int:
    from app.store import open_store
    from app.security import cli_unlock  # issue 11 hook: an encrypted store is unlocked like at the login window

    if cli_unlock.terminal_is_encrypted():
        return cli_unlock.run_with_runtime(args.operator, lambda rt: _print_revision(rt.store))
    try:
        store = open_store(resolve_paths().data_dir)
    except YichuangError as exc:
        return _fail(exc)
    try:
        return _print_revision(store)
    finally:
        store.close()


def _print_revision(store) -> int:
    print(f"本地数据库已是最新结构：{store.schema_revision()}")
    return 0


def cmd_catalog(args) -> int:
    import json

    from app.catalog import load_catalog

    catalog = load_catalog()
    if args.action == "validate":
        for p in catalog.problems:
            print(f"[错误] {p.message}")
        print(f"共 {len(catalog.items) + len(catalog.problems)} 个事项文件，{len(catalog.problems)} 个有误。")
        return 1 if catalog.problems else 0
    if args.action == "list":
        rows = [{"id": i.code, "name": i.name, "group": i.group.value, "subgroup": i.subgroup,
                 "seed_line": str(i.source), "time_limit_statutory": i.time_limit_statutory.label(),
                 "time_limit_promised": i.time_limit_promised.label(),
                 "channels": [c.value for c in i.channels], "offline": i.offline.policy.value}
                for i in catalog.items]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                print(f"{r['id']:<48} {r['name']}  [{r['group']}] {r['seed_line']} 承诺：{r['time_limit_promised']}")
        return 0
    if not args.item or args.item not in catalog:
        print(f"没有编码为 {args.item!r} 的事项。可用 yichuang catalog list 查看全部事项。", file=sys.stderr)
        return 1
    item = catalog.get(args.item)
    if args.json:
        print(json.dumps(item.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        import yaml

        print(yaml.safe_dump(item.model_dump(mode="json"), allow_unicode=True, sort_keys=False))
    return 0


def cmd_audit(args) -> int:
    from app.security import cli_unlock  # issue 11 hook: an encrypted store is unlocked like at the login window
    from app.security.audit import record_count, verify_chain
    from app.store import open_store

    def check(store) -> tuple:
        with store.session() as s:
            return verify_chain(s), record_count(s)

    if cli_unlock.terminal_is_encrypted():
        found: list = []
        code = cli_unlock.run_with_runtime(args.operator, lambda rt: found.append(check(rt.store)) or 0)
        if not found:
            return code
        broken, total = found[0]
    else:
        try:
            store = open_store(resolve_paths().data_dir)
        except YichuangError as exc:
            return _fail(exc)
        broken, total = check(store)
        store.close()
    if broken is None:
        print(f"审计日志完整：共 {total} 条记录，哈希链校验通过。")
        return 0
    print(f"审计日志被篡改或损坏：第一处断链在记录 {broken}（共 {total} 条）。请保留本机数据并联系安全管理员。")
    return 1


_CORE_COMMANDS = ("run", "demo", "doctor", "config", "migrate", "audit", "catalog")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The full parser; with `argv` given, the plugin command groups are left out when argv names a core command
    (or none: `yichuang` alone runs the client) — importing them costs ~0.5 s of a counter's cold start."""
    p = argparse.ArgumentParser(prog="yichuang", description="一窗 社会保险经办综合柜员客户端")
    p.add_argument("--version", action="version", version=f"yichuang {__version__}")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="启动客户端（默认）").set_defaults(func=cmd_run)
    d = sub.add_parser("demo", help="在本机启动演示中心服务和模拟外设，并打开柜员窗口")
    d.add_argument("--port", type=int, default=None, help="演示中心服务端口（默认自动选择）")
    d.add_argument("--no-server", action="store_true", help="不启动演示中心服务（体验离线办理）")
    d.set_defaults(func=cmd_demo)
    dr = sub.add_parser("doctor", help="检查本机环境并给出处理方法")
    dr.add_argument("--operator", default="", help="本机数据已加密时：用此工号解锁后一并检查数据库（密码提示输入）")
    dr.set_defaults(func=cmd_doctor)
    c = sub.add_parser("config", help="查看或生成配置文件")
    c.add_argument("action", choices=["show", "init"])
    c.add_argument("--force", action="store_true")
    c.set_defaults(func=cmd_config)
    m = sub.add_parser("migrate", help="升级本地数据库结构")
    m.add_argument("--operator", default="", help="本机数据已加密时用于解锁的工号（密码提示输入或从标准输入读取）")
    m.set_defaults(func=cmd_migrate)
    a = sub.add_parser("audit", help="审计日志：verify 校验哈希链")
    a.add_argument("action", choices=["verify"])
    a.add_argument("--operator", default="", help="本机数据已加密时用于解锁的工号（密码提示输入或从标准输入读取）")
    a.set_defaults(func=cmd_audit)
    k = sub.add_parser("catalog", help="业务事项目录：list 列出、show 查看、validate 校验")
    k.add_argument("action", choices=["list", "show", "validate"])
    k.add_argument("item", nargs="?", help="事项编码（show 时必填）")
    k.add_argument("--json", action="store_true", help="以 JSON 输出")
    k.set_defaults(func=cmd_catalog)
    if argv is None or _wants_plugins(argv):
        _register_plugins(sub)
    return p


def _wants_plugins(argv: list[str]) -> bool:
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None:  # `yichuang --help` lists every command; `yichuang` / `--version` need none
        return any(a in ("-h", "--help") for a in argv)
    return first not in _CORE_COMMANDS


# Subcommand groups that live with their domain: each module exposes register(subparsers) adding its parser(s)
# with set_defaults(func=...), where func(args) -> int prints its result (JSON for scripts).
_PLUGIN_MODULES = ("devices.cli", "app.rules.cli", "app.sync.cli", "app.fleet.cli", "ui.admin.cli",
                   "app.security.retention",  # issue 11: `yichuang purge`
                   "app.security.convert")  # issue 11: `yichuang encrypt-store`


def _register_plugins(sub) -> None:
    import importlib

    for name in _PLUGIN_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):  # only the plugin itself may be absent
                raise
            continue
        module.register(sub)


def main(argv: list[str] | None = None) -> int:
    # `yichuang catalog list | head` ends quietly; restored afterwards, because tests (and scripts) call main()
    # in-process, and a default SIGPIPE there would kill the whole process on a write to a closed socket
    previous = signal.signal(signal.SIGPIPE, signal.SIG_DFL) if hasattr(signal, "SIGPIPE") else None
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser(argv).parse_args(argv)
        func = getattr(args, "func", cmd_run)
        return func(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGPIPE, previous)


if __name__ == "__main__":
    sys.exit(main())
