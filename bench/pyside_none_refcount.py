"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a void Qt method (QLabel.setText,
QTableWidget.setItem, QTimer.start …): None's reference count falls by one per call until CPython aborts with
"none_dealloc: deallocating None" — the scripted clerk's day (bench/clerk_day.py) died that way after ~200 cases.
CPython ≥ 3.12 makes None immortal; PySide6 6.11.3 does not have the fault. Prints the drift per call.

Usage: .venv/bin/python bench/pyside_none_refcount.py
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

app = QApplication([])
label = QLabel()
N = 1000
before = sys.getrefcount(None)
for _ in range(N):
    label.setText("x")
drift = (sys.getrefcount(None) - before) / N
print(f"PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}: None refcount {drift:+.2f} per void call "
      f"({'BROKEN: the process will abort after ~' + str(before) + ' such calls' if drift < -0.5 else 'ok'})")
os._exit(0)
