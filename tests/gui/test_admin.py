"""The admin page: every effective value with where it came from, and the support-bundle button."""
from __future__ import annotations

import re
import zipfile
from datetime import date

import pytest

from app.fleet.provision import provision
from app.ids import make_id_number

pytestmark = pytest.mark.gui
SSN = make_id_number("150102", date(1970, 6, 1), 31, False)


@pytest.fixture
def provisioned(runtime, tmp_path, monkeypatch):
    source = tmp_path / "agency.toml"
    source.write_text('[terminal]\nmode = "kiosk"\nagency_code = "150102001"\n[server]\nurl = "https://si.example.gov.cn"\n'
                      'enrolment_code = "ENROL-SECRET"\n', encoding="utf-8")
    provision(str(source), runtime.paths, terminal_id="T07")
    with runtime.paths.config_file.open("a", encoding="utf-8") as fh:
        fh.write('\n[devices]\ncamera = "none"\n')  # a local edit after provisioning
    monkeypatch.setenv("YICHUANG_LOGGING__LEVEL", "DEBUG")
    return source


def test_admin_page_shows_each_value_and_its_source(qtbot, runtime, provisioned):
    from ui.admin.page import AdminPage

    page = AdminPage(runtime)
    qtbot.addWidget(page)
    page.show()
    assert page.source_of("terminal.mode") == "集中配置文件"
    assert page.source_of("server.url") == "集中配置文件"
    assert page.source_of("terminal.terminal_id") == "配置文件"  # given on the command line, written locally
    assert page.source_of("devices.camera") == "配置文件"
    assert page.source_of("logging.level") == "环境变量"
    assert page.source_of("server.timeout_seconds") == "默认值"
    row = page.row_of("logging.level")
    assert page.table.item(row, 1).text().startswith("DEBUG")  # the running client started before the variable
    assert page.table.item(row, 3).text() == "YICHUANG_LOGGING__LEVEL"
    row = page.row_of("terminal.mode")
    assert page.table.item(row, 3).text() == str(provisioned)
    secret_row = page.row_of("server.enrolment_code")
    assert "ENROL-SECRET" not in page.table.item(secret_row, 1).text()
    # The fixture's runtime runs offline against another URL than the file's: the page says so.
    assert "本次运行：" in page.table.item(page.row_of("server.url"), 1).text()
    assert str(provisioned) in page.summary.text() and str(runtime.paths.config_file) in page.summary.text()


def test_support_bundle_button(qtbot, runtime, provisioned, tmp_path):
    from PySide6.QtCore import Qt

    from ui.admin.page import AdminPage

    log_file = runtime.paths.log_dir / "yichuang.log"
    with log_file.open("a", encoding="utf-8") as fh:
        fh.write(f'{{"message": "an unmasked line from an old version: {SSN}"}}\n')
    page = AdminPage(runtime, bundle_dir=tmp_path / "bundles")
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.bundle_ready, timeout=20000) as blocker:
        qtbot.mouseClick(page.bundle_button, Qt.MouseButton.LeftButton)
    path = blocker.args[0]
    assert path.exists() and "支持包已生成" in page.message.text() and page.bundle_button.isEnabled()
    with zipfile.ZipFile(path) as zf:
        text = "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
        assert "logs/yichuang.log" in zf.namelist() and "devices.json" in zf.namelist()
    assert SSN not in text and not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", text)
    assert "ENROL-SECRET" not in text and '"source": "provisioning"' in text


def test_update_check_defer_and_a_tampered_manifest(qtbot, runtime, tmp_path):
    import json

    from PySide6.QtCore import Qt

    from app.config import PinsConfig, Settings
    from app.fleet.publish import generate_keypair, release
    from app.fleet.updates import Updater
    from ui.admin.page import AdminPage

    pem, public = generate_keypair()
    pkg = tmp_path / "yichuang_0.5.0_amd64.deb"
    pkg.write_bytes(b"package")
    manifest = release(key_pem=pem, updates_dir=tmp_path / "updates", version="0.5.0", package=pkg,
                       platform="linux-x86_64", base_url="http://central.test/files", notes="新增事项")
    served = {"bytes": manifest.read_bytes()}
    updater = Updater(Settings(pins=PinsConfig(update_keys=[public])), runtime.paths.data_dir, current_version="0.1.0",
                      tag="linux-x86_64", fetch=lambda url: served["bytes"])
    page = AdminPage(runtime, updater=updater)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.update_checked, timeout=10000) as blocker:
        qtbot.mouseClick(page.update_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].version == "0.5.0" and "可更新到 0.5.0" in page.message.text()
    assert "新增事项" in page.message.text() and page.defer_button.isEnabled() and page.install_button.isEnabled()
    qtbot.mouseClick(page.defer_button, Qt.MouseButton.LeftButton)
    assert "已推迟" in page.message.text() and not page.defer_button.isEnabled()

    envelope = json.loads(served["bytes"])
    envelope["payload"] = envelope["payload"].replace("0.5.0", "0.6.0")
    served["bytes"] = json.dumps(envelope).encode()
    with qtbot.waitSignal(page.update_failed, timeout=10000):
        qtbot.mouseClick(page.update_button, Qt.MouseButton.LeftButton)
    assert "签名无效" in page.message.text() and not page.install_button.isEnabled()
