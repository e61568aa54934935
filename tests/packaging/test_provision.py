"""Provisioning a terminal from one file or URL, and the source of every effective value."""
from __future__ import annotations

import json
import tomllib

import pytest

from app.config import load_settings, load_settings_with_sources
from app.fleet.provision import ProvisioningError, provision
from tests.packaging.conftest import write

AGENCY_FILE = """
# 新城区社保局：全部窗口终端
[terminal]
agency_code = "150102001"
agency_name = "呼和浩特市新城区社会保险事业管理局"
region_code = "150102"
mode = "kiosk"

[server]
url = "https://si.example.gov.cn/"
enrolment_code = "ENROL-7Q2X"

[devices]
sscard = "none"
camera = "none"

[pins]
update_keys = ["{key}"]

[updates]
max_deferral_days = 3

[provisioning]
version = 4
terminal_ids = {{ "counter-07" = "T07", "counter-08" = "T08" }}
"""


@pytest.fixture
def agency_file(tmp_path, keypair):
    return write(tmp_path / "agency.toml", AGENCY_FILE.format(key=keypair[1]))


def test_provision_from_file_writes_config_and_sources(paths, agency_file, keypair):
    result = provision(str(agency_file), paths, hostname="counter-07")
    s = load_settings(paths.config_file, environ={})
    assert (s.terminal.terminal_id, s.terminal.mode.value, s.server.url) == ("T07", "kiosk", "https://si.example.gov.cn")
    assert s.devices.sscard.value == "none" and s.pins.update_keys == [keypair[1]] and s.updates.max_deferral_days == 3
    assert result.changed["terminal.mode"] == ("counter", "kiosk")
    assert paths.config_file.stat().st_mode & 0o777 == 0o600  # it holds the enrolment code
    assert not list(paths.config_dir.glob("*.tmp")) and not list(paths.config_dir.glob(".config.*"))

    eff = load_settings_with_sources(paths.config_file, environ={"YICHUANG_SERVER__TIMEOUT_SECONDS": "3"})
    kinds = {k: v.kind for k, v in eff.sources.items()}
    assert kinds["terminal.mode"] == kinds["terminal.terminal_id"] == kinds["pins.update_keys"] == "provisioning"
    assert eff.sources["terminal.mode"].detail == str(agency_file)
    assert kinds["server.timeout_seconds"] == "env" and eff.sources["server.timeout_seconds"].detail == \
        "YICHUANG_SERVER__TIMEOUT_SECONDS"
    assert kinds["logging.level"] == kinds["devices.idcard"] == "default"
    assert eff.values["server.timeout_seconds"] == 3.0

    # An administrator edits one provisioned key by hand: from then on it is the config file's.
    text = paths.config_file.read_text(encoding="utf-8").replace('mode = "kiosk"', 'mode = "field"')
    paths.config_file.write_text(text + '\n', encoding="utf-8")
    eff = load_settings_with_sources(paths.config_file, environ={})
    assert eff.sources["terminal.mode"].kind == "config" and eff.values["terminal.mode"] == "field"
    assert eff.sources["server.url"].kind == "provisioning"


def test_provision_from_url(paths, agency_file, http_dir):
    root, base = http_dir
    (root / "agency.toml").write_bytes(agency_file.read_bytes())
    import hashlib

    digest = hashlib.sha256(agency_file.read_bytes()).hexdigest()
    result = provision(f"{base}/agency.toml", paths, terminal_id="T31", expected_sha256=digest)
    s = load_settings(paths.config_file, environ={})
    assert s.terminal.terminal_id == "T31" and s.terminal.agency_code == "150102001"
    record = json.loads(paths.config_file.with_name("provisioning.json").read_text(encoding="utf-8"))
    assert record["source"] == f"{base}/agency.toml" and record["sha256"] == digest == result.sha256
    assert "terminal.terminal_id" not in record["values"]  # given on the command line: a local value
    eff = load_settings_with_sources(paths.config_file, environ={})
    assert eff.sources["terminal.terminal_id"].kind == "config"
    assert eff.sources["server.url"].kind == "provisioning" and eff.sources["server.url"].detail.startswith(base)


def test_url_errors_and_wrong_hash_write_nothing(paths, agency_file, http_dir):
    root, base = http_dir
    (root / "agency.toml").write_bytes(agency_file.read_bytes())
    with pytest.raises(ProvisioningError) as err:
        provision(f"{base}/agency.toml", paths, expected_sha256="0" * 64)
    assert "校验值不符" in err.value.user_message
    with pytest.raises(ProvisioningError) as err:
        provision(f"{base}/missing.toml", paths)
    assert "HTTP 404" in err.value.user_message
    assert not paths.config_file.exists()


def test_invalid_file_is_refused_naming_the_key_and_keeps_the_old_config(paths, tmp_path):
    write(paths.config_file, '[terminal]\nterminal_id = "T05"\n')
    before = paths.config_file.read_bytes()
    bad = write(tmp_path / "bad.toml", '[terminal]\nmode = "bank"\n[sever]\nurl = "http://x"\n')
    with pytest.raises(ProvisioningError) as err:
        provision(str(bad), paths)
    assert "terminal.mode" in err.value.user_message and "sever" in err.value.user_message
    assert str(bad) in err.value.user_message
    assert paths.config_file.read_bytes() == before
    assert not paths.config_file.with_name("provisioning.json").exists()


def test_reprovisioning_replaces_what_the_last_file_set_and_keeps_local_keys(paths, tmp_path):
    write(paths.config_file, '[logging]\nlevel = "DEBUG"\n')
    first = write(tmp_path / "v1.toml", '[devices]\ncamera = "none"\nidcard = "real"\n[terminal]\nmode = "field"\n')
    second = write(tmp_path / "v2.toml", '[devices]\nidcard = "real"\n')
    provision(str(first), paths)
    provision(str(second), paths)
    s = load_settings(paths.config_file, environ={})
    assert s.devices.camera.value == "sim" and s.terminal.mode.value == "counter"  # back to defaults
    assert s.devices.idcard.value == "real" and s.logging.level == "DEBUG"
    raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    assert "camera" not in raw["devices"] and "terminal" not in raw


def test_json_provisioning_and_a_broken_local_config_is_repaired(paths, tmp_path):
    write(paths.config_file, "[terminal\nmode = ")
    src = write(tmp_path / "agency.json", json.dumps({"terminal": {"mode": "field"}}))
    provision(str(src), paths)
    assert load_settings(paths.config_file, environ={}).terminal.mode.value == "field"
    assert len(list(paths.config_dir.glob("config.toml.broken-*"))) == 1


def test_cli_provision_and_effective_config(paths, agency_file, capsys, monkeypatch):
    from ui.cli import main

    monkeypatch.setenv("YICHUANG_HOME", str(paths.config_dir.parent))
    assert main(["provision", str(agency_file), "--terminal-id", "T09"]) == 0
    out = capsys.readouterr().out
    assert "terminal.mode = 'kiosk'" in out and "ENROL-7Q2X" not in out
    monkeypatch.setenv("YICHUANG_LOGGING__LEVEL", "WARNING")
    assert main(["effective-config", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["terminal.mode"]["source"] == "provisioning"
    assert data["terminal.terminal_id"] == {"value": "T09", "source": "config", "detail": str(paths.config_file)}
    assert data["logging.level"]["source"] == "env" and data["logging.level"]["value"] == "WARNING"
    assert data["server.enrolment_code"]["value"] != "ENROL-7Q2X"
    assert main(["provision", str(agency_file.with_name("absent.toml"))]) == 2
    assert "无法读取集中配置文件" in capsys.readouterr().err
