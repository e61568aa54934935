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
