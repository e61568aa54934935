"""Test-wide setup: Qt offscreen, and no test ever touches the real user's config or data dirs."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("YICHUANG_HOME", str(tmp_path / "yc-home"))
    for name in list(os.environ):
        if name.startswith("YICHUANG_") and name != "YICHUANG_HOME":
            monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(autouse=True)
def _never_block_on_questions(monkeypatch):
    """A modal question (e.g. closing a counter window with unsaved work) would hang an offscreen test: answer yes.
    Test-wide, because counter windows are also built by device and security tests."""
    import sys

    if "ui.shell.counter" in sys.modules or any(m.startswith("PySide6") for m in sys.modules):
        monkeypatch.setattr("ui.shell.counter.ask_yes_no", lambda *a, **k: True)
