"""Least privilege: the permission matrix role × action (and per catalog item) from resources/security/
permissions.yaml, checked by the terminal's services and the central API alike (000 §77, §94; 003 13.4–13.5).

`require` raises PermissionDenied (Chinese message naming the action and the roles that may do it); `authorize`
does the same and writes the refusal to the audit log, so an attempt outside one's duties leaves a trace."""
from __future__ import annotations


from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

from app.clock import utcnow
from app.errors import YichuangError
from app.workflow.roles import Role


class Perm(str, Enum):
    view_person = "view_person"  # 查询参保人员信息
    accept = "accept"  # 受理
    review = "review"  # 审核
    recheck = "recheck"  # 复核
    approve = "approve"  # 审批
    print = "print"  # 打印
    export = "export"  # 导出个人数据
    unmask = "unmask"  # 查看完整证件号码和手机号码
    admin = "admin"  # 系统管理


class PermissionDenied(YichuangError):
    code = "forbidden"


@dataclass(frozen=True)
class PermissionMatrix:
    labels: dict[Perm, str]
    roles: dict[Role, frozenset[Perm]]
    channel_roles: dict[Role, frozenset[str]]  # role → the catalog channels it works through
    items: dict[str, dict[Perm, frozenset[Role]]]  # item code → action → the only roles allowed

    def allowed(self, roles: Iterable[str | Role], action: Perm | str, *, item: Any = None) -> bool:
        """Whether any of `roles` may do `action` (on catalog `item`, a ServiceItem or an item code)."""
        action = Perm(action)
        for role in _roles(roles):
            if action not in self.roles.get(role, frozenset()):
                continue
            if item is None:
                return True
            code = item if isinstance(item, str) else item.code
            only = self.items.get(code, {}).get(action)
            if only is not None and role not in only:
                continue
            channels = self.channel_roles.get(role)
            if action is Perm.accept and channels and not isinstance(item, str):
                if not channels & {c.value for c in item.channels}:
                    continue
            return True
        return False

    def roles_for(self, action: Perm | str) -> list[Role]:
        return [r for r in Role if Perm(action) in self.roles.get(r, frozenset())]

    def require(self, roles: Iterable[str | Role], action: Perm | str, *, item: Any = None) -> None:
        if self.allowed(roles, action, item=item):
            return
        action = Perm(action)
        who = "、".join(r.value for r in self.roles_for(action)) or "无"
        where = ""
        if item is not None:
            where = f"（事项：{item if isinstance(item, str) else item.name}）"
        raise PermissionDenied(f"您的岗位没有“{self.labels[action]}”的权限{where}，可办理的岗位：{who}。",
                               f"permission {action.value} refused for roles {sorted(str(r) for r in roles)}"
                               + (f" on item {item if isinstance(item, str) else item.code}" if item is not None else ""))


def _roles(roles: Iterable[str | Role]) -> list[Role]:
    out = []
    for r in roles:
        try:
            out.append(Role(r))
        except ValueError:
            continue  # an unknown role grants nothing
    return out


def _matrix_path() -> Path:
    return Path(str(resources.files("resources") / "security" / "permissions.yaml"))


def parse_matrix(data: dict) -> PermissionMatrix:
    """Validate the YAML tree; unknown roles or actions are errors (a typo must not silently grant nothing)."""
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        raise ValueError("permissions.yaml: schema_version 1 expected")
    labels = {Perm(k): str(v) for k, v in data["actions"].items()}
    missing = set(Perm) - set(labels)
    if missing:
        raise ValueError(f"permissions.yaml: actions without a label: {sorted(p.value for p in missing)}")
    roles = {Role(r): frozenset(Perm(a) for a in (acts or [])) for r, acts in data["roles"].items()}
    channel_roles = {Role(r): frozenset([c] if isinstance(c, str) else c)
                     for r, c in (data.get("channel_roles") or {}).items()}
    items = {str(code): {Perm(a): frozenset(Role(r) for r in rs) for a, rs in (spec or {}).items()}
             for code, spec in (data.get("items") or {}).items()}
    return PermissionMatrix(labels, roles, channel_roles, items)


@lru_cache(maxsize=1)
def load_matrix(path: str | None = None) -> PermissionMatrix:
    text = (Path(path) if path else _matrix_path()).read_text(encoding="utf-8")
    return parse_matrix(yaml.safe_load(text))


@lru_cache(maxsize=1)
def default_matrix() -> PermissionMatrix:
    """The shipped matrix, parsed once per process (services consult it on every 受理)."""
    return load_matrix()


def allowed(roles: Iterable[str | Role], action: Perm | str, *, item: Any = None) -> bool:
    return default_matrix().allowed(roles, action, item=item)


def require(roles: Iterable[str | Role], action: Perm | str, *, item: Any = None) -> None:
    default_matrix().require(roles, action, item=item)


def authorize(store, *, roles: Iterable[str | Role], action: Perm | str, operator_id: str, terminal_id: str,
              object_type: str, object_id: str, item: Any = None) -> None:
    """`require`, with a refused attempt written to the audit log (who tried what on which object)."""
    roles = tuple(roles)
    try:
        require(roles, action, item=item)
    except PermissionDenied:
        from app.security.audit import append_audit

        with store.session() as s:
            append_audit(s, at=utcnow(), operator_id=operator_id, terminal_id=terminal_id,
                         action="permission.refused", object_type=object_type, object_id=object_id,
                         detail={"permission": Perm(action).value})
        raise


def view_person(store, *, roles: Iterable[str | Role], ssn: str, operator_id: str, terminal_id: str,
                purpose: str) -> None:
    """The one door to a person's record on a terminal: permission, then the 'who looked at whom' audit record
    (app.cases.journal.record_person_view). Screens call this before they show the person."""
    from app.cases.journal import record_person_view

    authorize(store, roles=roles, action=Perm.view_person, operator_id=operator_id, terminal_id=terminal_id,
              object_type="person", object_id=ssn)
    record_person_view(store, ssn=ssn, operator_id=operator_id, terminal_id=terminal_id, purpose=purpose)


def mask_for(roles: Iterable[str | Role], *, ssn: str | None = None, phone: str | None = None) -> dict[str, str]:
    """The numbers as the role may see them in lists and prints (000 §39): full with `unmask`, masked otherwise."""
    from app.fleet.redact import mask_personal_text
    from app.ids import mask_id_number

    full = allowed(roles, Perm.unmask)
    out: dict[str, str] = {}
    if ssn is not None:
        out["ssn"] = ssn if full else mask_id_number(ssn)
    if phone is not None:
        out["phone"] = phone if full else mask_personal_text(phone)
    return out
