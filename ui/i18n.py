"""Display language of the client: installs our translation (resources/translations/yichuang_<lang>.qm) and Qt's own
(qtbase_<lang>.qm: 确定/取消 on standard buttons) for the configured `[ui] language`; `python -m ui.i18n update`
regenerates the .ts sources from ui/**/*.py with pyside6-lupdate and compiles them with pyside6-lrelease.

The source language is Simplified Chinese: the strings in the code are what a clerk reads. yichuang_zh_CN.ts is the
identity translation (every entry finished, translation = source, so wording can be adjusted without touching code);
yichuang_en.ts carries the English translation, written by hand. `update` never invents English: new strings stay
`unfinished` until someone translates them, and tests/gui/test_i18n.py fails meanwhile."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")  # [ui] language; the first is the source language
CATALOG = "yichuang"  # yichuang_<lang>.ts / .qm
_installed: list[QTranslator] = []  # a QTranslator must outlive its installation


def translations_dir() -> Path:
    return Path(str(resources.files("resources") / "translations"))


def ts_path(language: str) -> Path:
    return translations_dir() / f"{CATALOG}_{language}.ts"


def qm_path(language: str) -> Path:
    return translations_dir() / f"{CATALOG}_{language}.qm"


def normalise(language: str | None) -> str:
    """'en', 'en_US', 'zh-CN', 'zh' … → one of LANGUAGES; anything else → the source language."""
    if not language:
        return SOURCE_LANGUAGE
    code = language.replace("-", "_")
    if code in LANGUAGES:
        return code
    base = code.split("_")[0].lower()
    return next((lang for lang in LANGUAGES if lang.split("_")[0] == base), SOURCE_LANGUAGE)


def _install(app: QCoreApplication, path: Path) -> str | None:
    translator = QTranslator(app)
    if path.is_file() and translator.load(str(path)):
        app.installTranslator(translator)
        _installed.append(translator)
        return str(path)
    return None


def install_translators(app: QCoreApplication, language: str | None = None) -> list[str]:
    """Install the translators of `language` (None = Chinese), replacing those an earlier call installed. Returns the
    .qm files loaded. Widgets read their texts when they are built: switch before opening windows."""
    language = normalise(language)
    for translator in _installed:
        app.removeTranslator(translator)
        translator.setParent(None)  # back to Python, freed with the list entry
    _installed.clear()
    loaded = []
    ours = _install(app, qm_path(language))
    if ours:
        loaded.append(ours)
    elif language != SOURCE_LANGUAGE:
        log.warning("translation %s missing; the client shows Chinese", qm_path(language).name)
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    qt = _install(app, qt_dir / f"qtbase_{language}.qm")
    if qt:
        loaded.append(qt)
    log.info("ui language %s (%d translation files)", language, len(loaded))
    return loaded


# --- maintenance: lupdate / lrelease -------------------------------------------------------------------------------

def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)  # the venv's pyside6-lupdate
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with PySide6)")
    return found


def ui_sources(root: Path | None = None) -> list[Path]:
    """Every Python file of ui/, relative to the repository root, in a stable order."""
    root = root or Path(__file__).resolve().parent.parent
    return sorted(p.relative_to(root) for p in (root / "ui").rglob("*.py"))


def run_lupdate(ts_file: Path, language: str, root: Path | None = None) -> None:
    """lupdate over ui/**/*.py into `ts_file`, keeping existing translations and dropping vanished strings.
    Locations are not stored: the file changes only when texts do, so parallel work merges cleanly. Modules without
    a class context call `_translate("Context", "…")` (`_translate = QCoreApplication.translate`, as pyuic writes)."""
    root = root or Path(__file__).resolve().parent.parent
    cmd = [_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", "-tr-function-alias", "translate+=_translate",
           "-source-language", SOURCE_LANGUAGE, "-target-language", language, *[str(p) for p in ui_sources(root)], "-ts", str(ts_file)]
    subprocess.run(cmd, cwd=root, check=True, stdout=subprocess.DEVNULL)


def read_messages(ts_file: Path) -> list[dict]:
    """[{context, source, comment, translation, unfinished}] of a .ts file."""
    out = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            out.append({"context": name, "source": message.findtext("source") or "",
                        "comment": message.findtext("comment") or "",
                        "translation": (tr.text or "") if tr is not None else "",
                        "unfinished": tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete")})
    return out


def fill_translations(ts_file: Path, translate) -> int:
    """Set the translation of every unfinished entry for which `translate(context, source)` returns a text; returns
    how many remain unfinished. Writes the file the way lupdate does (UTF-8, DOCTYPE, four-space indent)."""
    tree = ET.parse(ts_file)
    left = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            if tr is not None and tr.get("type") != "unfinished":
                continue
            text = translate(name, message.findtext("source") or "")
            if text:
                if tr is None:
                    tr = ET.SubElement(message, "translation")
                tr.text = text
                tr.attrib.pop("type", None)
            else:
                left += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_file.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return left


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True)


def update() -> dict[str, int]:
    """Regenerate both .ts files from the sources, finish the Chinese one (translation = source), compile both.
    Returns the number of unfinished entries per language (English ones need a translator)."""
    translations_dir().mkdir(parents=True, exist_ok=True)
    left = {}
    for language in LANGUAGES:
        ts = ts_path(language)
        run_lupdate(ts, language)
        source = (lambda _context, text: text) if language == SOURCE_LANGUAGE else (lambda _context, _text: None)
        left[language] = fill_translations(ts, source)
        run_lrelease(ts, qm_path(language))
    return left


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["update"]:
        left = update()
        for language, count in left.items():
            print(f"{ts_path(language).name}: {len(read_messages(ts_path(language)))} entries, {count} unfinished")
        return 1 if any(left.values()) else 0
    if args[:1] == ["check"]:
        bad = 0
        for language in LANGUAGES:
            for m in read_messages(ts_path(language)):
                if m["unfinished"] or not m["translation"]:
                    bad += 1
                    print(f"{language}\t{m['context']}\t{m['source']!r}")
        return 1 if bad else 0
    print("usage: python -m ui.i18n update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
