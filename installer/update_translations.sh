#!/usr/bin/env bash
# Regenerate resources/translations/yichuang_{zh_CN,en}.ts from ui/**/*.py (pyside6-lupdate) and compile the .qm
# files the client loads (pyside6-lrelease). New English entries are left unfinished: translate them in the .ts
# (or with .venv/bin/pyside6-linguist), then run this again. Exit status 1 = something is still untranslated.
set -euo pipefail
cd "$(dirname "$0")/.."
QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m ui.i18n update
