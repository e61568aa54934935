"""All UI text goes through Qt's translation system (issue 13 point 5): the .ts sources are complete (Chinese finished,
English translated for every entry), they are current with ui/**/*.py, no Chinese literal in ui/ escapes a translate
call, and with [ui] language = en real windows show English."""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from ui import i18n

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf]")
PLACEHOLDER = re.compile(r"\{\d*\}")
TRANSLATE_CALLS = {"tr", "translate", "_translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}

# Chinese literals in ui/ that are not UI text, each with the reason. (The scanner itself skips docstrings, literals
# compared with data or passed to str methods such as strip/replace — they test data, nobody reads them — and audit
# purposes, `purpose=…`, which are written to the audit log in the log's language.)
ALLOWED_FILES = {
    # The `yichuang` console command: runs without a QApplication (no translator is installed) and prints for
    # administrators at a terminal, like the Chinese configuration messages of app/ it passes on.
    "ui/cli.py",
    "ui/admin/cli.py",  # its `yichuang admin` subcommand (help text, start-up failure), the same console
    # Official documents handed to the applicant, Chinese whatever the screen language (their other texts come from
    # app.docs): the kiosk's 社会保险参保证明 and the 受理回执 data.
    "ui/kiosk/certificate.py",
    "ui/business/receipt.py",
}
ALLOWED = {
    # Journal record (data written to the print journal), not shown text.
    ("ui/print/printing.py", "（打印机："), ("ui/print/printing.py", "）"),
    # A CJK glyph used only to measure a width in the current font.
    ("ui/widgets/elided_label.py", "中"),
    # The pinyin name picker's tables of Chinese characters (surnames, given-name characters, readings).
    *(("ui/kiosk/keyboard.py", c) for c in "单曾查解仇区乐覃缪翟盖尉朴召种员句万长重都和"),
    # Values stored in the case payload and compared with catalog data: a yes/no field's two values, the catalog's
    # hint that marks a today-default, the eligibility engine's generic reason.
    ("ui/business/fields.py", "否"), ("ui/business/fields.py", "是"), ("ui/business/fields.py", "默认为今天"),
    ("ui/business/conditions.py", "请核实"),
    # The reasons printed on the 不予受理通知书 (document content, see above).
    ("ui/business/documents.py", "（"), ("ui/business/documents.py", "）"),
    # A file name in the documents folder.
    ("ui/calc/screen.py", "测算单-"),
    # Kiosk data: the catalog justification and time limit of kiosk applications, the kiosk's actor name in case
    # events, the printed slip's queue field and window, the print journal's document name.
    ("ui/kiosk/services.py", "001 第二章 L25–L26：通过自助终端等互联网服务渠道申请，经办机构审核确认"),
    ("ui/kiosk/services.py", "经办机构审核确认后办结"), ("ui/kiosk/services.py", "自助终端"),
    ("ui/kiosk/services.py", "自助"), ("ui/kiosk/services.py", "自助终端 "),
    ("ui/kiosk/services.py", "受理回执（自助终端小票）"),
    # Role names as the operator records hold them (data compared with session roles).
    *(("ui/shell/tools.py", r) for r in ("管理员", "审核员", "复核员", "审批人", "受理员")),
}
ALLOWED_PREFIXES = {  # long table strings of the pinyin picker (ui/kiosk/keyboard.py)
    ("ui/kiosk/keyboard.py", "王李张"), ("ui/kiosk/keyboard.py", "伟芳娜"), ("ui/kiosk/keyboard.py", "乌兰巴特尔"),
}
AUDIT_CALLS = {"_viewed", "record_person_view"}  # their texts are the audit log's purpose of a person look-up
STR_METHODS = {"strip", "rstrip", "lstrip", "replace", "startswith", "endswith", "split", "count", "find", "index"}


def _messages(language: str) -> list[dict]:
    return i18n.read_messages(i18n.ts_path(language))


def test_english_translation_is_complete_and_english():
    messages = _messages("en")
    assert len(messages) > 300  # the whole client, not a stub
    problems = []
    for m in messages:
        text = m["translation"]
        if m["unfinished"] or not text.strip():
            problems.append(("untranslated", m["context"], m["source"]))
        elif CJK.search(text):
            problems.append(("Chinese in English", m["context"], m["source"], text))
        elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(m["source"])):
            problems.append(("placeholders differ", m["context"], m["source"], text))
    assert problems == []


def test_chinese_file_is_finished():
    messages = _messages("zh_CN")
    unfinished = [(m["context"], m["source"]) for m in messages if m["unfinished"] or not m["translation"]]
    assert unfinished == []
    assert {(m["context"], m["source"]) for m in messages} == {(m["context"], m["source"]) for m in _messages("en")}


def test_compiled_translations_match_the_sources(qapp):
    """The shipped .qm gives, for every entry of its .ts, exactly the translation written there (lrelease was run)."""
    from PySide6.QtCore import QTranslator

    for language in i18n.LANGUAGES:
        translator = QTranslator()
        assert translator.load(str(i18n.qm_path(language))), language
        stale = [(m["context"], m["source"]) for m in _messages(language)
                 if translator.translate(m["context"], m["source"], m["comment"] or None) != m["translation"]]
        assert stale == [], language


def _call_name(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def chinese_outside_translate(path: Path) -> list[tuple[int, str]]:
    """String constants with Chinese characters that are shown to someone yet not inside a translate call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    inside: set[int] = set()

    def skip(node: ast.AST) -> None:
        inside.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip(first.value)
        if isinstance(node, ast.Call):
            if _call_name(node.func) in TRANSLATE_CALLS:
                for arg in node.args:
                    skip(arg)
            if isinstance(node.func, ast.Attribute) and node.func.attr in STR_METHODS:
                for arg in node.args:
                    skip(arg)
            if _call_name(node.func) in AUDIT_CALLS:
                for arg in node.args:
                    skip(arg)
            for kw in node.keywords:
                if kw.arg == "purpose":  # audit record
                    skip(kw.value)
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                if isinstance(operand, (ast.Constant, ast.Tuple, ast.List, ast.Set)):
                    skip(operand)
        if isinstance(node, ast.arguments):
            names = [a.arg for a in node.posonlyargs + node.args]
            for name, default in zip(names[len(names) - len(node.defaults):], node.defaults):
                if name == "purpose":
                    skip(default)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
            and id(node) not in inside and node.value.strip("\u3000 \n")]


def test_no_chinese_literal_escapes_translation():
    found = []
    for path in i18n.ui_sources(ROOT):
        rel = path.as_posix()
        if rel in ALLOWED_FILES:
            continue
        found += [(rel, line, text) for line, text in chinese_outside_translate(ROOT / path)
                  if (rel, text) not in ALLOWED
                  and not any(rel == f and text.startswith(prefix) for f, prefix in ALLOWED_PREFIXES)]
    assert found == []


def test_scanner_sees_an_unwrapped_literal(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""模块说明"""\nA = self.tr("已包装")\nB = _translate("Ctx", "已包装")\nC = "未包装"\n'
                      'D = f"前缀{x}"\nif s == "比较": s = s.rstrip("。")\nlog_view(purpose="审计用途")\n', encoding="utf-8")
    assert sorted(text for _line, text in chinese_outside_translate(sample)) == sorted(["未包装", "前缀"])


def test_ts_files_are_current_with_the_sources(tmp_path):
    """lupdate over today's sources finds exactly the entries of the committed .ts files (run
    installer/update_translations.sh after changing UI text)."""
    fresh = tmp_path / "fresh.ts"
    i18n.run_lupdate(fresh, "en", ROOT)
    found = {(m["context"], m["source"], m["comment"]) for m in i18n.read_messages(fresh)}
    for language in i18n.LANGUAGES:
        shipped = {(m["context"], m["source"], m["comment"]) for m in _messages(language)}
        assert sorted(found - shipped) == [], f"{language}: not in the .ts file"
        assert sorted(shipped - found) == [], f"{language}: no longer in the sources"


def test_update_command_keeps_translations(tmp_path, monkeypatch):
    """`python -m ui.i18n update` on a copy: lupdate keeps every English translation, Chinese stays finished."""
    copy = tmp_path / "translations"
    shutil.copytree(i18n.translations_dir(), copy)
    monkeypatch.setattr(i18n, "translations_dir", lambda: copy)
    left = i18n.update()
    assert left == {"zh_CN": 0, "en": 0}
    before = {(m["context"], m["source"]): m["translation"] for m in _messages("en")}
    after = {(m["context"], m["source"]): m["translation"] for m in i18n.read_messages(copy / "yichuang_en.ts")}
    assert after == before
    assert (copy / "yichuang_en.qm").stat().st_size > 10_000


# -- the running client in English -----------------------------------------------------------------------------------

@pytest.fixture
def english(qapp):
    loaded = i18n.install_translators(qapp, "en")
    yield loaded
    i18n.install_translators(qapp, "zh_CN")


def _shown_texts(root: QWidget, skip: tuple[str, ...] = ()) -> list[str]:
    """Window title, and for every visible widget (object names in `skip` excepted): its text, placeholder, tooltip
    and accessible name."""
    texts = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.objectName() in skip:
            continue
        if isinstance(w, (QLabel, QAbstractButton)):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        texts.append(w.toolTip())
        texts.append(w.accessibleName())
    return [t for t in texts if t]


def test_language_setting_loads_english_and_qt_strings(english, qapp):
    from PySide6.QtCore import QCoreApplication

    assert any(path.endswith("yichuang_en.qm") for path in english)
    assert QCoreApplication.translate("LoginDialog", "登录") == "Log in"
    i18n.install_translators(qapp, "zh_CN")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # qtbase_zh_CN: standard buttons
    assert QCoreApplication.translate("LoginDialog", "登录") == "登录"
    i18n.install_translators(qapp, "en")


DOMAIN_TABLES = [("app.workflow.machine", "STATUS_LABELS"), ("app.workflow.machine", "ACTION_LABELS"),
                 ("app.cases.service", "SYNC_LABELS"), ("app.cases.service", "MATERIAL_STATE_LABELS"),
                 ("app.sync.outbox", "KIND_LABELS"), ("app.sync.outbox", "STATE_LABELS"),
                 ("app.sync.outbox", "REMOTE_LABELS"), ("app.workflow.deadlines", "URGENCY_LABELS"),
                 ("app.catalog.model", "CHANNEL_LABELS"), ("app.certification.service", "RESULT_LABELS"),
                 ("app.certification.rules", "METHOD_LABELS"), ("app.certification.rules", "LOSS_LABELS"),
                 ("app.certification.rules", "OUTCOME_LABELS"), ("app.certification.field", "STATE_LABELS"),
                 ("app.certification.field", "PHOTO_KINDS")]


def test_domain_labels_cover_the_core_tables(english):
    """Every label of app/'s label tables is listed for lupdate in ui.texts and has its English text."""
    import importlib

    from ui.texts import DOMAIN_LABELS, domain

    values = {v for module, name in DOMAIN_TABLES for v in getattr(importlib.import_module(module), name).values()}
    assert sorted(values - set(DOMAIN_LABELS)) == []
    assert [v for v in values if CJK.search(domain(v))] == []
    assert domain("待审核") == "Awaiting review" and domain("张三") == "张三"  # names pass through


def test_config_key_selects_the_language(monkeypatch):
    from app.config import load_settings

    assert load_settings(None, {}).ui.language == "zh_CN"
    assert load_settings(None, {"YICHUANG_UI__LANGUAGE": "en"}).ui.language == "en"
    assert i18n.normalise("en_US") == "en" and i18n.normalise("zh") == "zh_CN" and i18n.normalise(None) == "zh_CN"


def test_login_dialog_in_english(english, qtbot, runtime):
    from ui.login import LoginDialog

    dialog = LoginDialog(runtime)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    assert dialog.windowTitle() == "Yichuang — Clerk login"
    assert dialog.login_button.text() == "Log in"
    assert dialog.operator_edit.placeholderText() == "Enter staff ID"
    data = runtime.settings.terminal.agency_name  # configuration data, shown as configured
    texts = _shown_texts(dialog)
    assert len(texts) >= 8
    assert [t for t in texts if CJK.search(t) and t != data] == []


def test_counter_window_in_english(english, qtbot, runtime, session, bridge):
    from PySide6.QtGui import QAction

    from ui.shell.counter import CounterWindow

    window = CounterWindow(runtime, session, bridge)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    actions = [a.text() for a in window.findChildren(QAction) if a.text()]
    assert len(actions) >= 10 and [t for t in actions if CJK.search(t)] == []
    # Data shown as it is: the agency and the operator's name; the device states are worded by devices/ (no Qt).
    data = (runtime.settings.terminal.agency_name, session.name)
    texts = _shown_texts(window, skip=("devicesLabel",))
    assert len(texts) >= 8
    assert [t for t in texts if CJK.search(t) and not any(d in t for d in data)] == []
    assert window.windowTitle().startswith("Yichuang")
    window.close()
