"""Operator roles and the separation-of-duties rules on role assignment.

Four post families must not be held by one person: 业务运行, 基金财务, 数据管理, 内部控制 — "信息系统不相容权限互斥"
(001 ch11 L130); 业务/财务分离 (002 §40). Per-case separation (受理 ≠ 审核 ≠ 复核) lives in app.workflow.machine.
"""
from __future__ import annotations

from enum import Enum

from app.errors import YichuangError


class Role(str, Enum):
    clerk = "受理员"  # 综合柜员: 受理 and 办结 of instant items
    reviewer = "审核员"
    rechecker = "复核员"
    approver = "审批人"  # 分管领导审批
    admin = "管理员"
    finance = "财务人员"  # 基金财务
    data_admin = "数据管理员"
    auditor = "稽核员"  # 内部控制
    kiosk = "自助终端"
    field = "外勤人员"  # 上门认证/上门服务


class Family(str, Enum):
    business = "业务运行"
    finance = "基金财务"
    data = "数据管理"
    control = "内部控制"


ROLE_FAMILY: dict[Role, Family] = {
    Role.clerk: Family.business, Role.reviewer: Family.business, Role.rechecker: Family.business,
    Role.approver: Family.business, Role.kiosk: Family.business, Role.field: Family.business,
    Role.finance: Family.finance, Role.data_admin: Family.data, Role.admin: Family.data,
    Role.auditor: Family.control,
}

RULE_FAMILIES = "001 ch11 L130「业务运行、基金财务、数据管理、内部控制」岗位不得由同一人兼任（信息系统不相容权限互斥）"


class IncompatibleRoles(YichuangError):
    code = "incompatible_roles"

    def __init__(self, user_message: str, detail: str, rule: str):
        super().__init__(user_message, detail)
        self.rule = rule


def parse_roles(names) -> tuple[Role, ...]:
    out = []
    for n in names:
        try:
            out.append(Role(n))
        except ValueError:
            raise YichuangError(f"未知的岗位角色：{n}", f"unknown role {n!r}", code="unknown_role") from None
    return tuple(dict.fromkeys(out))


def check_role_assignment(roles) -> tuple[Role, ...]:
    """Return the roles if they may be held together; raise IncompatibleRoles naming the rule otherwise."""
    parsed = parse_roles(roles)
    families = {}
    for r in parsed:
        families.setdefault(ROLE_FAMILY[r], []).append(r)
    if len(families) > 1:
        listing = "；".join(f"{f.value}：{'、'.join(r.value for r in rs)}" for f, rs in families.items())
        raise IncompatibleRoles(f"岗位不相容，不能同时授予：{listing}。依据 {RULE_FAMILIES}。",
                                f"incompatible families {sorted(f.name for f in families)}", RULE_FAMILIES)
    return parsed
