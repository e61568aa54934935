"""`yichuang calc`: every calculator on the command line, printing JSON (result, explanation steps, parameters used
with their sources, warnings) for support staff, scripts and integration tests.

    yichuang calc list
    yichuang calc retirement_age --birth-date 1965-03-10 --group male
    yichuang calc unemployment_benefit --contribution-months 130 --involuntary --registered \
        --birth-date 1972-05-01 --group male --application-date 2025-03-10 --region 150102
    yichuang calc params [--key avg_wage_monthly] [--region 150404]
    yichuang calc import-params official-2025.yaml
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from app.errors import YichuangError


def _default_region() -> str:
    try:
        from app.config import load_settings
        from app.paths import resolve_paths

        return load_settings(resolve_paths().config_file).terminal.region_code
    except Exception:  # no or broken config: the demo region; --region always wins
        return "150102"


def _data_dir() -> Path | None:
    try:
        from app.paths import resolve_paths

        return resolve_paths().data_dir
    except Exception:
        return None


def _print(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def _fail(exc: YichuangError) -> int:
    payload = {"error": {"code": exc.code, "message": exc.user_message, "detail": exc.detail}}
    if getattr(exc, "field", None):
        payload["error"]["field"] = exc.field
    _print(payload)
    print(f"测算失败：{exc.user_message}", file=sys.stderr)
    return 2


def _load(args):
    from app.rules.params import load_parameters

    extra = [Path(p) for p in (args.params or [])]
    return load_parameters(_data_dir(), extra)


def _on(args) -> date:
    if not args.on:
        from app.clock import local_today

        return local_today()
    try:
        return date.fromisoformat(args.on)
    except ValueError:
        from app.rules.errors import InvalidInput

        raise InvalidInput(f"测算日期格式错误（应为 YYYY-MM-DD）：{args.on}", f"bad --on {args.on}", field="on") from None


def cmd_run(args) -> int:
    from app.rules import run_calculator

    spec = args.spec
    raw = {f.key: getattr(args, f.key) for f in spec.fields}
    try:
        calc = run_calculator(spec.name, raw, region=args.region or _default_region(), today=_on(args),
                              params=_load(args))
    except YichuangError as exc:
        return _fail(exc)
    payload = calc.to_json()
    if args.pdf:
        from app.docs.estimate import EstimateDocument, render_estimate

        try:
            path = render_estimate(EstimateDocument.for_calculation(calc, agency_name=args.agency or "社会保险经办机构"),
                                   args.pdf)
        except YichuangError as exc:
            return _fail(exc)
        payload["pdf"] = str(path)
    _print(payload)
    return 0


def cmd_list(args) -> int:
    from app.rules import calculators

    rows = [{"name": c.name, "title": c.title, "summary": c.summary, "citations": list(c.citations),
             "inputs": [{"option": f.option, "label": f.label, "kind": f.kind, "required": f.required and f.default is None,
                         **({"choices": dict(f.choices)} if f.choices else {})} for f in c.fields]}
            for c in calculators()]
    _print({"calculators": rows})
    return 0


def cmd_params(args) -> int:
    from app.rules.params import ORIGIN_TEXT

    try:
        ps = _load(args)
        if args.key:
            ps.definition(args.key)
    except YichuangError as exc:
        return _fail(exc)
    except KeyError:
        print(f"没有名为“{args.key}”的参数。", file=sys.stderr)
        return 2
    from app.rules.base import jsonable

    rows = [{"key": e.key, "name": e.name, "region": e.region, "region_name": ps.region_name(e.region),
             "period": e.period(), "value": jsonable(e.value), "unit": e.unit, "source": e.source,
             "sample": e.sample, "note": e.note, "origin": ORIGIN_TEXT[e.layer], "file": Path(e.origin).name}
            for e in ps.entries(args.key) if not args.region or e.region == args.region]
    _print({"parameters": rows, "files": [str(f) for f in ps.files]})
    return 0


def cmd_import(args) -> int:
    from app.rules.params import import_parameter_file

    data_dir = _data_dir()
    if data_dir is None:
        print("无法确定本机数据目录。", file=sys.stderr)
        return 2
    try:
        target, entries = import_parameter_file(Path(args.file), data_dir)
    except YichuangError as exc:
        return _fail(exc)
    except OSError as exc:
        print(f"无法导入参数文件：{exc}", file=sys.stderr)
        return 2
    _print({"imported": str(target), "entries": len(entries),
            "sample_entries": sum(1 for e in entries if e.sample)})
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", help="行政区划代码（6位），默认取本机配置的 region_code")
    p.add_argument("--on", help="测算日期 YYYY-MM-DD（决定适用的规则和参数），默认今天")
    p.add_argument("--params", action="append", metavar="DIR", help="附加参数文件夹（可多次）")


def register(subparsers) -> None:
    from app.rules import calculators

    calc = subparsers.add_parser("calc", help="待遇与缴费测算：输出 JSON（结果、计算过程、所用参数及来源）",
                                 description="待遇与缴费测算。每个计算器输出 JSON：result（结果）、explanation（计算步骤、"
                                             "依据）、parameters（所用参数及来源，sample=true 为示例值）。")
    sub = calc.add_subparsers(dest="calculator", metavar="<计算器>")
    calc.set_defaults(func=lambda args: (calc.print_help(), 0)[1])
    sub.add_parser("list", help="列出全部计算器及其输入项").set_defaults(func=cmd_list)
    p = sub.add_parser("params", help="列出参数（地区、期间、取值、来源）")
    p.add_argument("--key", help="只看某个参数")
    p.add_argument("--region", help="只看某个地区的取值")
    p.add_argument("--params", action="append", metavar="DIR", help="附加参数文件夹")
    p.set_defaults(func=cmd_params)
    p = sub.add_parser("import-params", help="校验并导入官方参数文件（YAML）到本机")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)
    for spec in calculators():
        p = sub.add_parser(spec.name, help=spec.title, description=f"{spec.title}：{spec.summary}"
                           f"（依据：{'；'.join(spec.citations)}）")
        for f in spec.fields:
            kwargs = {"dest": f.key, "default": None}
            text = f.label + (f"（{f.help}）" if f.help else "")
            if f.kind == "choice":
                text += "；可选：" + "，".join(f"{v}={label}" for v, label in f.choices)
            if f.kind == "bool":
                kwargs.update(nargs="?", const="true", metavar="是/否")
            elif f.kind in ("date", "month"):
                kwargs["metavar"] = f.kind == "date" and "YYYY-MM-DD" or "YYYY-MM"
            if f.required and f.default is None:
                text += "［必填］"
            p.add_argument(f.option, help=text, **kwargs)
        _common(p)
        p.add_argument("--pdf", metavar="FILE", help="同时生成测算单 PDF")
        p.add_argument("--agency", help="测算单上的经办机构名称")
        p.set_defaults(func=cmd_run, spec=spec)
