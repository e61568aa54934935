"""The appendix forms of seed 004 (附录 A 表样) printed pre-filled for signature, generated from the catalog's form
definition (ServiceItem.forms: FormSpec(name, source, field labels in printed order)) and the case's answers.

No form has code of its own. Each label is classified by the keyword rules of form_rules.yaml — a header line, a
plain field, a long field on its own row, a date, a choice (options from the catalog field or written into the label
as “（a/b/c）”), a pledge, the agency's opinion box, a signature box — and laid out in the house style: filled values
printed, everything the citizen must still fill or sign left as an empty box of writing height. A form needing more
(options, 填表说明, its own pledge text, a repeated table) gets an entry in that file, not code.

These forms stay with the agency (e.g. 表 A.1: “本表最终由县社保机构留存”), so identity numbers print in full, unlike
receipts and notices that leave the counter.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from app.catalog.model import FieldSpec, FieldType, FormSpec, ServiceItem
from app.docs.blocks import Block, Cell, Gap, Layout, Para, SignBox, SignBoxes, Title, Together
from app.docs.render import render_document
from app.docs.style import PageFurniture
from app.docs.text import format_cn_day, rmb_uppercase, to_shanghai

CHECKED, UNCHECKED = "■", "□"
_NB = "\u00a0"  # no-break spaces keep their width in a Paragraph; ideographic spaces would collapse
BLANK_DATE = f"年{_NB * 7}月{_NB * 7}日{_NB * 2}"
BLANK_MONTH = f"年{_NB * 7}月{_NB * 2}"
# Forms that are certificates issued by the agency, printed by app.docs.certificates instead.
CERTIFICATE_FORMS = ("单位社会保险参保缴费证明", "社会保险个人权益记录单")
_TITLE_NOTES = ("表", "附件", "附录", "模板", "正文", "原文", "文本", "图", "经办机构出具", "框架", "提纲",
                "登记簿", "电子件", "存根")
_NOT_OPTIONS = ("课时", "人数", "金额", "时间", "卷", "份")


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    text = resources.files("app.docs").joinpath("form_rules.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class FormCase:
    """What a form is pre-filled from: the case's answers (by FieldSpec key) and who prints it."""

    agency_name: str
    agency_code: str
    case_no: str
    case_id: str
    operator_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    printed_at: datetime | None = None    # aware; the day printed into 填表日期 and the footer
    labels: Mapping[str, str] = field(default_factory=dict)  # extra values by printed label (e.g. 单位编号)

    def __post_init__(self) -> None:
        if self.printed_at is not None:
            to_shanghai(self.printed_at)


@dataclass(frozen=True)
class PlannedField:
    label: str                 # as printed
    kind: str                  # header | opinion | sign | pledge | photo | date | month | wide | long | text
    value: str = ""
    options: tuple[str, ...] = ()
    required: bool = False
    source_label: str = ""     # the catalog's label

    @property
    def blank(self) -> bool:
        return not self.value


# --- titles ----------------------------------------------------------------------------------------------------------

def form_title(name: str) -> str:
    """The printed title: the catalog's annotations (（表 A.1）, （附件1）, （正文未附表样）…) removed."""
    title = re.sub(r"^(表\s*[A-Z]-\d+|附录\s*[A-Z])\s*", "", name.strip())
    while True:
        match = re.search(r"[（(]([^（）()]*)[）)]\s*$", title)
        if not match or not any(note in match.group(1) for note in _TITLE_NOTES):
            break
        title = title[:match.start()].rstrip()
    return re.sub(r"^[Xx]{2}\s*年度", "　　　　年度", title)


def form_reference(form: FormSpec) -> str:
    """e.g. “表 A.1，004:L1694”: where the layout comes from."""
    match = re.search(r"(表\s*[A-Z]\.\d+|文本\s*[A-Z]\.\d+|图\s*[A-Z]\.\d+|附件\s*\d+|模板\s*\d+|表单\s*\d+|附表\s*\d+)",
                      form.name)
    parts = [match.group(1)] if match else []
    if form.source is not None:
        parts.append(str(form.source))
    return "，".join(parts)


def is_certificate(form: FormSpec) -> bool:
    return any(name in form.name for name in CERTIFICATE_FORMS)


def printable_forms(item: ServiceItem) -> tuple[FormSpec, ...]:
    """The item's appendix forms a counter prints for signature (certificates are printed by app.docs.certificates)."""
    return tuple(f for f in item.forms if not is_certificate(f))


# --- classification --------------------------------------------------------------------------------------------------

def _norm(label: str) -> str:
    text = re.sub(r"[\s*＊]", "", label).replace("(", "（").replace(")", "）")
    return text


def _base(label: str) -> str:
    return re.split(r"[（(：:]", _norm(label), maxsplit=1)[0]


def _display(label: str) -> str:
    text = re.sub(r"[*＊]", "", label).strip()
    return re.sub(r"[（(]YYYYMMDD[）)]", "", text).strip()


def _inline_options(label: str) -> tuple[str, tuple[str, ...]]:
    """“注销原因（丧失国籍/死亡/其他）” → (“注销原因”, options); “就医项目（勾选）：a/b” likewise."""
    text = _norm(label)
    picked = re.match(r"^(.*?)（勾选）：?(.+)$", text)
    if picked:
        head, tail = picked.group(1), picked.group(2)
    else:
        tail_match = re.match(r"^(.*?)（([^（）]+)）$", text)
        if not tail_match:
            return label, ()
        head, tail = tail_match.group(1), tail_match.group(2)
    options = tuple(o.strip() for o in tail.split("/"))
    if (len(options) < 2 or any(not o or len(o) > 14 or "（" in o or "，" in o for o in options)
            or any(head.endswith(word) for word in _NOT_OPTIONS)):
        return label, ()
    return head, options


def classify(label: str) -> str:
    text = _norm(label)
    for kind in ("header", "opinion", "sign", "pledge", "photo", "date"):
        if any(word in text for word in rules()["kinds"][kind]):
            if kind == "date" and ("年月" in text and "日" not in text and "日期" not in text):
                return "month"
            return kind
    if any(word in text for word in rules()["kinds"]["wide"]) or len(text) > rules()["wide_from_chars"]:
        return "wide"
    return "text"


def _synonym_group(label: str) -> set[str]:
    base = _base(label)
    for group in rules()["synonyms"]:
        names = {_base(n) for n in group}
        if base in names or _norm(label) in {_norm(n) for n in group}:
            return names
    return {base}


def _match_field(item: ServiceItem, label: str) -> FieldSpec | None:
    exact = _norm(label)
    for spec in item.fields:
        if _norm(spec.label) == exact:
            return spec
    names = _synonym_group(label)
    for spec in item.fields:
        if _base(spec.label) in names:
            return spec
    return None


def _format_value(spec: FieldSpec | None, raw: Any) -> str:
    if raw is None or raw == "":
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    text = str(raw).strip()
    kind = spec.type if spec is not None else None
    try:
        if kind is FieldType.date or isinstance(raw, date):
            return format_cn_day(raw if isinstance(raw, date) else date.fromisoformat(text))
        if kind is FieldType.month and re.fullmatch(r"\d{4}-\d{2}", text):
            return f"{text[:4]}年{text[5:7]}月"
        if kind is FieldType.money:
            amount = Decimal(text)
            return f"¥{amount:,.2f}（大写：{rmb_uppercase(amount)}）"
    except (ValueError, InvalidOperation):
        return text
    if kind is FieldType.bool:
        return {"true": "是", "1": "是", "false": "否", "0": "否"}.get(text.lower(), text)
    return text


def plan_fields(item: ServiceItem, form: FormSpec, case: FormCase) -> list[PlannedField]:
    """Each label of the form with its kind, value and options (no layout yet)."""
    per_form = _form_rules(form)
    labels = form.fields or tuple(spec.label for spec in item.fields)  # 正文未附表样: the item's own fields
    today = format_cn_day(to_shanghai(case.printed_at).date()) if case.printed_at else format_cn_day(date.today())
    context = rules()["context"]
    required_labels = {_norm(x) for x in per_form.get("required", ())}
    planned: list[PlannedField] = []
    for label in labels:
        head, options = _inline_options(label)
        kind = classify(label)
        spec = _match_field(item, head)
        if spec is not None and spec.type is FieldType.choice and not options:
            options = spec.options
        elif spec is not None and spec.type is FieldType.bool and not options:
            options = ("是", "否")
        options = tuple(per_form.get("options", {}).get(_display(head), options))
        value = ""
        if _display(label) in per_form.get("values", {}):
            value = str(per_form["values"][_display(label)])
        elif label in case.labels or _display(label) in case.labels:
            value = str(case.labels.get(label, case.labels.get(_display(label), "")))
        elif _norm(label) in {_norm(x) for x in context["today"]}:
            value = today
        elif _norm(label) in {_norm(x) for x in context["agency"]}:
            value = case.agency_name
        elif spec is not None:
            value = _format_value(spec, case.values.get(spec.key))
        if spec is not None and spec.type is FieldType.month and kind == "text":
            kind = "month"
        elif spec is not None and spec.type is FieldType.date and kind == "text":
            kind = "date"
        elif spec is not None and spec.type is FieldType.long_text and kind in ("text", "wide"):
            kind = "long"
        if kind == "wide" and any(w in label for w in ("原因", "说明", "情况", "内容", "经历", "简历", "计划", "方案",
                                                        "评价", "简介", "概述", "理由", "诉求", "线索", "经过")):
            kind = "long"
        if options and kind not in ("header", "sign", "opinion", "pledge"):
            kind = "choice_wide" if sum(len(o) for o in options) > 16 else "choice"
        required = ("*" in label or "＊" in label or _norm(head) in required_labels
                    or (spec is not None and spec.required))
        planned.append(PlannedField(_display(head if options else label), kind, value, tuple(options), required,
                                    label))
    return planned


def _form_rules(form: FormSpec) -> dict[str, Any]:
    for prefix, entry in (rules().get("forms") or {}).items():
        if form.name.startswith(prefix):
            return entry or {}
    return {}


# --- layout ----------------------------------------------------------------------------------------------------------

def _value_text(f: PlannedField) -> str:
    if f.options:
        return "　".join(f"{CHECKED if o == f.value else UNCHECKED} {o}" for o in f.options)
    if f.value:
        return f.value
    if f.kind == "date":
        return BLANK_DATE
    if f.kind == "month":
        return BLANK_MONTH
    return ""


def _height(f: PlannedField) -> float:
    heights = rules()["heights"]
    if f.kind == "photo":
        return heights["photo"]
    if f.value:
        return 0
    if f.kind == "long":
        return heights["long"]
    if f.kind in ("wide", "choice_wide"):
        return heights["wide"]
    return heights["text"]


def _value_cell(f: PlannedField, span: int = 1, height: float | None = None) -> Cell:
    blank_date = not f.value and not f.options and f.kind in ("date", "month")
    return Cell(_value_text(f), span=span, style="form_date" if blank_date else "form_value",
                height_mm=_height(f) if height is None else height)


def _label_cell(f: PlannedField, rowspan: int = 1) -> Cell:
    return Cell(("*" if f.required else "") + f.label, style="form_label", shade=True, rowspan=rowspan)


def _main_layout(fields_: Sequence[PlannedField]) -> Layout | None:
    rows: list[tuple[Cell, ...]] = []
    pending: PlannedField | None = None

    def flush_single() -> None:
        nonlocal pending
        if pending is not None:
            rows.append((_label_cell(pending), _value_cell(pending, span=3)))
            pending = None

    for f in fields_:
        if f.kind in ("wide", "long", "choice_wide", "photo"):
            flush_single()
            rows.append((_label_cell(f), _value_cell(f, span=3)))
        elif pending is None:
            pending = f
        else:
            height = max(_height(pending), _height(f))
            rows.append((_label_cell(pending), _value_cell(pending, height=height),
                         _label_cell(f), _value_cell(f, height=height)))
            pending = None
    flush_single()
    return Layout(tuple(rows), widths=(2.5, 3.6, 2.5, 3.6), min_row_mm=9) if rows else None


def _table_layout(columns: Sequence[PlannedField], blank_rows: int) -> Layout:
    head = tuple(Cell(c.label, style="form_label", shade=True) for c in columns)
    body = tuple(tuple(Cell(str(n + 1) if c.label.startswith("序号") else "", style="cell_center")
                       for c in columns) for n in range(blank_rows))
    widths = tuple(0.8 if c.label.startswith("序号") else 3.0 for c in columns)
    return Layout((head, *body), widths=widths, min_row_mm=9, repeat_rows=1)


def _find_tables(fields_: list[PlannedField]) -> list[tuple[int, int, int]]:
    """(start, end, blank rows) of label runs that form a repeated table (rules: tables)."""
    found = []
    norms = [_norm(f.source_label) for f in fields_]
    i = 0
    while i < len(fields_):
        hit = None
        for table in rules().get("tables", ()):
            cols = [_norm(c) for c in table["columns"]]
            if norms[i:i + len(cols)] == cols:
                hit = (i, i + len(cols), int(table["rows"]))
                break
        if hit:
            found.append(hit)
            i = hit[1]
        else:
            i += 1
    return found


def _sign_boxes(fields_: Sequence[PlannedField], pledge_text: str) -> list[SignBox]:
    boxes: list[SignBox] = []
    i = 0
    while i < len(fields_):
        f = fields_[i]
        nxt = fields_[i + 1] if i + 1 < len(fields_) else None
        if f.kind in ("pledge", "opinion"):
            text = (f.value or pledge_text) if f.kind == "pledge" else f.value
            if nxt is not None and nxt.kind == "sign":
                boxes.append(SignBox(f.label, text, nxt.label))
                i += 2
                continue
            boxes.append(SignBox(f.label, text, "签字（盖章）" if f.kind == "pledge" else "经办人签字（盖章）"))
        else:  # a signature on its own
            boxes.append(SignBox(f.label, f.value, "盖章" if "章" in f.label else "签字", height_mm=26))
        i += 1
    return boxes


def printed_fields(planned: Sequence[PlannedField]) -> list[PlannedField]:
    """The planned fields that get a place of their own: a bare “日期” right after a signature or opinion box is
    that box's date, which its 年 月 日 line already holds."""
    out: list[PlannedField] = []
    for f in planned:
        if (f.kind == "date" and _norm(f.source_label) in ("日期", "签字日期", "签章日期") and out
                and out[-1].kind in ("sign", "opinion")):
            continue
        out.append(f)
    return out


def appendix_form_blocks(item: ServiceItem, form: FormSpec, case: FormCase) -> list[Block]:
    planned = printed_fields(plan_fields(item, form, case))
    per_form = _form_rules(form)
    header = [f for f in planned if f.kind == "header"]
    body = [f for f in planned if f.kind not in ("header", "sign", "opinion", "pledge")]
    signing = [f for f in planned if f.kind in ("sign", "opinion", "pledge")]
    blocks: list[Block] = [Title(form_title(form.name))]
    reference = form_reference(form)
    line = "　　".join(f"{f.label}：{_value_text(f) or '＿＿＿＿＿＿'}" for f in header)
    if reference:
        line = (line + "　　" if line else "") + f"（依据：{reference}）"
    if line:
        blocks.append(Para(line, style="note"))
    tables = _find_tables(body)
    cursor = 0
    for start, end, blank_rows in tables:
        if start > cursor and (layout := _main_layout(body[cursor:start])):
            blocks.append(layout)
        blocks.append(Gap(2))
        blocks.append(_table_layout(body[start:end], blank_rows))
        blocks.append(Gap(2))
        cursor = end
    if (layout := _main_layout(body[cursor:])):
        blocks.append(layout)
    boxes = _sign_boxes(signing, per_form.get("pledge_text", rules()["pledge_text"]))
    closing: list[Block] = [Gap(3)]
    if boxes:
        closing.append(SignBoxes(tuple(boxes)))
        closing.append(Gap(2))
    if per_form.get("notes"):
        closing.append(Para(" ".join(str(per_form["notes"]).split()), style="note"))
    closing.append(Para(rules()["note"], style="note"))
    closing.append(Para(f"办理事项：{item.name}（{item.source}）　受理编号：{case.case_no}", style="note"))
    blocks.append(Together(tuple(closing)))
    return blocks


def form_furniture(form: FormSpec, case: FormCase) -> PageFurniture:
    return PageFurniture(
        agency_name=case.agency_name, agency_code=case.agency_code, title=form_title(form.name),
        case_no=case.case_no, operator_id=case.operator_id, qr_payload=f"YC|{case.case_no}|{case.case_id}",
        printed_at=case.printed_at)


def render_appendix_form(item: ServiceItem, form: FormSpec, case: FormCase, path: Path | str) -> Path:
    """Write the pre-filled form to `path` atomically (DocumentWriteError if it cannot be saved)."""
    return render_document(form_furniture(form, case), appendix_form_blocks(item, form, case), path)


def form_file_name(case_no: str, form: FormSpec) -> str:
    """A file name for the documents folder, beside the receipt: “<受理编号>-<表名>.pdf”."""
    title = re.sub(r"[\\/:*?\"<>|\s]+", "", form_title(form.name)) or "表格"
    return f"{case_no}-{title[:40]}.pdf"
