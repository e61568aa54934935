"""`yichuang admin`: opens the system administration page (effective configuration with sources, support bundle)
— a plugin of ui.cli, kept in ui/ because it opens a window."""
from __future__ import annotations

import sys

from app.errors import YichuangError


def cmd_admin(args) -> int:
    from app.bootstrap import bootstrap

    try:
        runtime = bootstrap()
    except YichuangError as exc:
        print(f"失败：{exc.user_message}", file=sys.stderr)
        return 2
    from ui.admin.page import run_admin

    return run_admin(runtime)


def register(sub) -> None:
    sub.add_parser("admin", help="打开系统管理页（生效配置及来源、支持包）").set_defaults(func=cmd_admin)
