"""`yichuang sync …`: the outbox from a terminal's shell (support staff, scripts). Prints JSON.

  status              counts per state, last successful sync, offline guardrail, central API reachable
  list [--group G] [--search TEXT] [--limit N]
  retry [MESSAGE_ID …] | --all-failed
  drain [--timeout S] send everything now (waits out backoffs), then pull verdicts and reference data
  pull                pull central verdicts and reference data now
"""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("sync", help="离线同步：status 查看、list 列出、retry 重试、drain 立即上传、pull 拉取中心状态与参考数据")
    p.add_argument("action", choices=["status", "list", "retry", "drain", "pull"])
    p.add_argument("ids", nargs="*", help="retry：消息编号")
    p.add_argument("--group", default="pending", choices=["pending", "failed", "rejected", "conflict", "sent", "all"])
    p.add_argument("--search", default="")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--all-failed", action="store_true", help="retry：重试全部失败项")
    p.add_argument("--timeout", type=float, default=120.0)
    from app.security.cli_unlock import add_operator_argument

    add_operator_argument(p)  # issue 11: an encrypted terminal is unlocked like at the login window
    p.set_defaults(func=cmd_sync)


def _print(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _open():
    from app.config import load_settings
    from app.paths import resolve_paths
    from app.store import open_store

    paths = resolve_paths()
    settings = load_settings(paths.config_file)
    return paths, settings, open_store(paths.data_dir)


def _relay(paths, settings, store):
    from app.sync.client import CentralApi
    from app.sync.relay import OutboxRelay

    api = CentralApi.from_settings(settings, paths.data_dir)  # TLS pinning + signed requests (issue 11)
    return OutboxRelay(store, api, settings.terminal, probe_interval=min(settings.server.probe_interval_seconds, 2.0),
                       enrolment_code=settings.server.enrolment_code, sync=settings.sync,
                       attachments_dir=paths.attachments_dir)


def cmd_sync(args) -> int:
    from app.errors import YichuangError
    from app.security import cli_unlock

    if cli_unlock.terminal_is_encrypted():  # the store opens only with the data key the operator's login unwraps
        return cli_unlock.run_with_runtime(
            getattr(args, "operator", ""), lambda rt: _dispatch(args, rt.paths, rt.settings, rt.store))
    try:
        paths, settings, store = _open()
    except YichuangError as exc:
        print(f"无法打开本机数据：{exc.user_message}", file=sys.stderr)
        return 2
    try:
        return _dispatch(args, paths, settings, store)
    finally:
        store.close()


def _dispatch(args, paths, settings, store) -> int:
    from app.sync import actions, guardrails, outbox, outbox_view

    guardrails.configure(store, settings.sync)
    if args.action == "status":
        relay = _relay(paths, settings, store)
        online = relay._probe()
        relay.api.close()
        check = guardrails.capture_check(store)
        last = outbox.last_success(store)
        _print({"online": online, "server": settings.server.url, "counts": outbox_view.group_counts(store),
                "last_success": last.isoformat() if last else None,
                "guardrail": {"level": check.level, "unsent": check.unsent, "message": check.message}})
        return 0
    if args.action == "list":
        page = outbox_view.search(store, args.group, args.search, limit=args.limit)
        _print({"total": page.total, "capped": page.capped, "items": [
            {"message_id": r.message_id, "kind": r.kind, "state": r.state, "label": r.state_label,
             "attempts": r.attempts, "subject": r.subject, "item": r.item_name, "problem": r.problem,
             "created_at": r.created_at.isoformat()} for r in page.rows]})
        return 0
    if args.action == "retry":
        if not args.ids and not args.all_failed:
            print("请给出消息编号，或用 --all-failed 重试全部失败项。", file=sys.stderr)
            return 1
        n = actions.retry(store, None if args.all_failed else list(args.ids), operator_id="cli",
                          terminal_id=settings.terminal.terminal_id)
        _print({"requeued": n})
        return 0
    relay = _relay(paths, settings, store)
    try:
        if args.action == "pull":
            relay.run_once(pull=True)
            ok = relay.online is True
        else:
            ok = relay.drain(args.timeout)
    finally:
        relay.api.close()
    st = relay.status()
    _print({"online": st.online, "pending": st.pending, "failed": st.failed, "conflicts": st.conflicts,
            "rejected": st.rejected, "last_error": st.last_error, "done": ok})
    return 0 if ok else 1
