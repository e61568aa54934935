"""The catalog against the standard: every item of seed 004 has a valid entry whose citations point at the seed."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.catalog.loader import default_items_dir

SEED = Path(__file__).resolve().parents[2] / "docs" / "seeds"
SEED_004 = SEED / "004_f296b97e2ab141b6.txt"
pytestmark = pytest.mark.skipif(not SEED_004.exists(), reason="seed documents not beside the repository")

# Lines the heading heuristic below finds that are not service items (forms, notes, sub-documents), with why.
NOT_ITEMS = {
    8: "目录 (table of contents)", 178: "last line of the table of contents",
    12390: "可行性研究报告（提纲）: an appendix of 工伤预防项目申报", 12621: "填写说明 of a form",
    15163: "a form (填报时间)", 16699: "职业培训结业申请审批表: a form", 16860: "职业培训补贴申领审批表: a form",
    16946: "公共就业创业服务标准: the 一次性创业补贴 text repeated word for word (item at 16881)",
    17514: "劳动人事争议仲裁申请工作细则: part of the arbitration item", 17653: "调解工作细则: part of the mediation item",
    18363: "second line of the wrapped title at 18361", 19102: "a table of archive material classes",
    19235: "填表说明 of a form", 14906: "招聘简章模板: 附件 3 of 职业介绍",
    17431: "《仲裁申请书》说明: a note on a document of the arbitration item",
}


def _lines() -> list[str]:
    return SEED_004.read_text(encoding="utf-8").splitlines()


def _headings(lines: list[str]) -> set[int]:
    """An item title is a short line followed (after blanks) by '1 范围', '1 办理条件' or '一、…'."""
    found = set()
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or len(s) > 45 or re.match(r"^(\d|[一二三四五六七八九十]、|[（(【图表附])", s):
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and re.match(r"^(1 范围|1 办理条件|一、)", lines[j].strip()):
            found.add(i + 1)
    return found


def _squash(s: str) -> str:
    return re.sub(r"[\s*]", "", s)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_file_loads_and_ids_are_unique(catalog):
    assert catalog.problems == ()
    assert len(catalog.items) == 156
    assert len({i.code for i in catalog.items}) == 156
    assert len({i.source.line for i in catalog.items}) == 156


def test_every_item_of_the_seed_has_an_entry(catalog):
    lines = _lines()
    headings = _headings(lines) - set(NOT_ITEMS)
    cited = {i.source.line for i in catalog.items}
    assert headings - cited == set(), "seed items without a catalog entry"
    for extra in sorted(cited - headings):  # titles the heuristic misses: wrapped over two lines
        text = _squash(lines[extra - 1] + lines[extra])
        assert any(_squash(i.name)[:6] in text for i in catalog.items if i.source.line == extra), extra


def test_title_lines_contain_the_item_name(catalog):
    lines = _lines()
    for item in catalog.items:
        title = _squash(lines[item.source.line - 1] + lines[item.source.line])
        assert _squash(item.name)[:6] in title, (item.code, item.source.line, title[:40])


def test_every_citation_points_at_a_non_empty_seed_line(catalog):
    seeds = {p.name[:3]: p.read_text(encoding="utf-8").splitlines() for p in SEED.glob("*.txt")}
    for item in catalog.items:
        cites = [item.source, item.time_limit_statutory.source, item.time_limit_promised.source, item.fee.source,
                 item.archive.source, *(c.source for c in item.conditions), *(m.source for m in item.materials),
                 *(f.source for f in item.forms)]
        for c in filter(None, cites):
            assert 1 <= c.line <= len(seeds[c.file]), (item.code, str(c))


def test_groups_are_all_covered(catalog):
    groups = {i.group.value for i in catalog.items}
    for g in ("社会保险登记", "社会保险费申报", "证明查询打印", "社会保障卡", "养老保险", "工伤保险", "失业保险", "就业创业", "其他"):
        assert g in groups


def test_the_three_tier_item_has_review_recheck_and_approval(catalog):
    item = catalog.get("ent_employee_personal_info_change")
    assert item.stages_for({"change_level": "关键信息"})[-4:-1] == ("review", "recheck", "approve")
    assert "approve" not in item.stages_for({"change_level": "重要信息"})
    assert "recheck" not in item.stages_for({"change_level": "一般信息"})


def test_shared_materials_are_never_demanded(catalog):
    shared = [(i, m) for i in catalog.items for m in i.materials if m.shared]
    assert shared, "the catalog marks materials obtainable by data sharing (000 §12)"
    for item, m in shared:
        assert m not in item.required_materials({})


def test_a_broken_file_is_hidden_and_named_while_the_rest_load(tmp_path):
    items = tmp_path / "items"
    shutil.copytree(default_items_dir(), items)
    bad = items / "resident_pension_enrolment.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("kind: instant", "kind: soon"), encoding="utf-8")
    (items / "broken_syntax.yaml").write_text("code: [unclosed\n", encoding="utf-8")
    catalog = load_catalog(items)
    assert len(catalog.items) == 155
    msgs = {p.file: p.message for p in catalog.problems}
    assert "time_limit_promised.kind" in msgs["resident_pension_enrolment.yaml"]
    assert "YAML" in msgs["broken_syntax.yaml"]


def test_compiled_cache_is_used_and_invalidated(tmp_path, monkeypatch):
    import app.catalog.loader as loader

    items = tmp_path / "items"
    shutil.copytree(default_items_dir(), items)
    cache = tmp_path / "cache"
    first = load_catalog(items, cache)
    assert len(list(cache.glob("catalog-*.pickle"))) == 1
    real_parse = loader.parse_item_file

    def no_parsing(path):
        raise AssertionError("a warm start must not parse YAML")
    monkeypatch.setattr(loader, "parse_item_file", no_parsing)
    again = load_catalog(items, cache)
    assert again.items == first.items
    monkeypatch.setattr(loader, "parse_item_file", real_parse)
    f = items / "resident_pension_enrolment.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("name: 城乡居民养老保险参保登记", "name: 城乡居民养老保险参保登记（新）"),
                 encoding="utf-8")
    changed = load_catalog(items, cache)
    assert changed.get("resident_pension_enrolment").name.endswith("（新）")


@pytest.mark.parametrize("query, code", [
    ("cxjmcbdj", "resident_pension_enrolment"),
    ("城乡居民养老保险参保", "resident_pension_enrolment"),
    ("chengxiangjumin", "resident_pension_enrolment"),
    ("shbzkgs", "sscard_loss_report_and_release"),
    ("挂失", "sscard_loss_report_and_release"),
    ("gsrd", "work_injury_recognition"),
    ("失业保险金", "unemployment_benefit_claim"),
])
def test_finder(catalog, query, code):
    assert catalog.search(query)[0].code == code


def test_cli_list_show_validate():
    exe = str(Path(sys.executable).with_name("yichuang"))
    out = subprocess.run([exe, "catalog", "validate"], capture_output=True, text=True)
    assert out.returncode == 0 and "0 个有误" in out.stdout
    import json
    rows = json.loads(subprocess.run([exe, "catalog", "list", "--json"], capture_output=True, text=True).stdout)
    assert len(rows) == 156 and {"id", "name", "group", "seed_line", "time_limit_promised", "channels"} <= set(rows[0])
    one = json.loads(subprocess.run([exe, "catalog", "show", "work_injury_recognition", "--json"],
                                    capture_output=True, text=True).stdout)
    assert one["name"] == "工伤认定" or one["name"].startswith("工伤认定")
    bad = subprocess.run([exe, "catalog", "show", "nope"], capture_output=True, text=True)
    assert bad.returncode == 1 and "没有编码为" in bad.stderr
