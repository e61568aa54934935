"""Signed updates: a valid manifest is offered and installed after its package verifies; a tampered manifest, an
unpinned key, a downgrade, a replayed older manifest and a tampered package are refused; deferral ends."""
from __future__ import annotations

import base64
import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.config import PinsConfig, ServerConfig, Settings, UpdatesConfig
from app.fleet.publish import generate_keypair, release
from app.fleet.updates import UpdateRefused, Updater, verify_manifest

TAG = "linux-x86_64"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def published(tmp_path, keypair):
    """A release office folder with version 0.2.0 of a (fake) .deb for linux-x86_64."""
    pkg = tmp_path / "yichuang_0.2.0_amd64.deb"
    pkg.write_bytes(b"!<arch>\n" + b"debian package bytes " * 1000)
    updates = tmp_path / "updates"
    manifest = release(key_pem=keypair[0], updates_dir=updates, version="0.2.0", package=pkg, platform=TAG,
                       base_url="http://central.test/api/v1/updates/files", notes="修复打印")
    return updates, manifest


def make_updater(tmp_path, keypair, *, version="0.1.0", days=7, run=None, clock=None, download=None, url=None):
    settings = Settings(pins=PinsConfig(update_keys=[keypair[1]]), updates=UpdatesConfig(max_deferral_days=days),
                        server=ServerConfig(url=url or "http://central.test"))
    files = tmp_path / "updates" / "files"

    def local_download(url: str, dest: Path) -> None:
        shutil.copyfile(files / url.rsplit("/", 1)[1], dest)

    runs: list[list[str]] = []
    updater = Updater(settings, tmp_path / "data", current_version=version, tag=TAG, clock=clock or Clock(),
                      download=download or (None if url else local_download),
                      run=run or (lambda cmd: runs.append(cmd) or 0))
    return updater, runs


def test_valid_manifest_is_offered_downloaded_verified_and_installed(tmp_path, keypair, published):
    _, manifest = published
    updater, runs = make_updater(tmp_path, keypair)
    offer = updater.check(manifest.read_bytes())
    assert offer.version == "0.2.0" and offer.manifest.sequence == 1 and offer.manifest.notes == "修复打印"
    assert offer.deadline == T0 + timedelta(days=7) and not offer.forced(T0)
    package = updater.download(offer)
    updater.install(offer, package)
    assert runs and runs[0][-1] == str(package) and "dpkg" in runs[0]


def _tamper(envelope: bytes, **changes) -> bytes:
    env = json.loads(envelope)
    payload = json.loads(env["payload"])
    payload.update(changes)
    env["payload"] = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return json.dumps(env).encode()


def test_tampered_manifest_is_refused(tmp_path, keypair, published):
    _, manifest = published
    updater, runs = make_updater(tmp_path, keypair)
    raw = manifest.read_bytes()
    evil = json.loads(json.loads(raw)["payload"])["packages"]
    evil[TAG]["url"] = "http://evil.test/yichuang.deb"
    for tampered in (_tamper(raw, version="9.9.9"), _tamper(raw, packages=evil), _tamper(raw, force_after_days=0)):
        with pytest.raises(UpdateRefused) as err:
            updater.check(tampered)
        assert err.value.code == "bad_signature" and "签名无效" in err.value.user_message
    env = json.loads(raw)
    sig = bytearray(base64.b64decode(env["signature"]))
    sig[0] ^= 1
    env["signature"] = base64.b64encode(bytes(sig)).decode()
    with pytest.raises(UpdateRefused, match="does not verify"):
        updater.check(json.dumps(env).encode())
    with pytest.raises(UpdateRefused) as err:
        updater.check(b'{"format": "something-else"}')
    assert err.value.code == "bad_manifest"
    assert not runs


def test_manifest_signed_by_an_unpinned_key_or_without_pins_is_refused(tmp_path, keypair, published):
    _, manifest = published
    other_updater, _ = make_updater(tmp_path, (None, generate_keypair()[1]))
    with pytest.raises(UpdateRefused) as err:
        other_updater.check(manifest.read_bytes())
    assert err.value.code == "bad_signature"
    with pytest.raises(UpdateRefused) as err:
        verify_manifest(manifest.read_bytes(), [])
    assert err.value.code == "no_keys"


def test_downgrade_is_refused_and_same_version_is_up_to_date(tmp_path, keypair, published):
    _, manifest = published
    newer, runs = make_updater(tmp_path, keypair, version="0.3.0")
    with pytest.raises(UpdateRefused) as err:
        newer.check(manifest.read_bytes())
    assert err.value.code == "downgrade" and "拒绝降级" in err.value.user_message
    same, _ = make_updater(tmp_path, keypair, version="0.2.0")
    assert same.check(manifest.read_bytes()) is None
    assert not runs


def test_an_older_manifest_replayed_after_a_newer_one_is_refused(tmp_path, keypair, published):
    updates, manifest = published
    old_envelope = manifest.read_bytes()
    pkg = tmp_path / "yichuang_0.3.0_amd64.deb"
    pkg.write_bytes(b"newer package")
    release(key_pem=keypair[0], updates_dir=updates, version="0.3.0", package=pkg, platform=TAG,
            base_url="http://central.test/api/v1/updates/files")
    updater, _ = make_updater(tmp_path, keypair)
    assert updater.check(manifest.read_bytes()).manifest.sequence == 2
    with pytest.raises(UpdateRefused) as err:  # validly signed, but older than what this terminal has seen
        updater.check(old_envelope)
    assert err.value.code == "replayed_manifest"


def test_tampered_package_is_refused_before_install(tmp_path, keypair, published):
    _, manifest = published
    bad_download = lambda url, dest: dest.write_bytes(b"!<arch>\n" + b"trojan " * 3000)  # noqa: E731
    updater, runs = make_updater(tmp_path, keypair, download=bad_download)
    offer = updater.check(manifest.read_bytes())
    with pytest.raises(UpdateRefused) as err:
        updater.download(offer)
    assert err.value.code == "bad_package" and not list((tmp_path / "data" / "updates").glob("*.deb*"))

    good, runs = make_updater(tmp_path, keypair)
    package = good.download(offer)
    package.write_bytes(package.read_bytes()[:-1] + b"X")  # altered on disk between download and install
    with pytest.raises(UpdateRefused) as err:
        good.install(offer, package)
    assert err.value.code == "bad_package" and not runs


def test_deferral_until_n_days_then_forced(tmp_path, keypair, published):
    updates, manifest = published
    clock = Clock()
    updater, _ = make_updater(tmp_path, keypair, days=3, clock=clock)
    offer = updater.check(manifest.read_bytes())
    assert updater.defer(offer) == 3
    clock.now = T0 + timedelta(days=2, hours=1)
    offer = updater.check(manifest.read_bytes())
    assert offer.first_offered_at == T0 and offer.deferrals == 1 and not offer.forced(clock.now)
    assert updater.defer(offer) == 1
    clock.now = T0 + timedelta(days=3)
    offer = updater.check(manifest.read_bytes())
    assert offer.forced(clock.now) and offer.deferrals == 2
    with pytest.raises(UpdateRefused) as err:
        updater.defer(offer)
    assert err.value.code == "deferral_expired"

    # A security release can shorten the delay: force_after_days=0 means install now.
    pkg = tmp_path / "yichuang_0.2.1_amd64.deb"
    pkg.write_bytes(b"urgent")
    m2 = release(key_pem=keypair[0], updates_dir=updates, version="0.2.1", package=pkg, platform=TAG,
                 base_url="http://central.test/files", force_after_days=0)
    offer = updater.check(m2.read_bytes())
    assert offer.forced(clock.now)


def test_end_to_end_through_the_central_api(tmp_path, keypair, published, monkeypatch):
    """The server route serves the manifest and the package; the client fetches, verifies and installs."""
    from server.testing import run_server_in_thread

    updates, manifest = published
    monkeypatch.setenv("YICHUANG_SERVER_UPDATES_DIR", str(updates))
    with run_server_in_thread(f"sqlite:///{tmp_path / 'central.db'}") as base:
        # Re-publish with download URLs on this server.
        release(key_pem=keypair[0], updates_dir=updates, version="0.2.0", package=tmp_path / "yichuang_0.2.0_amd64.deb",
                platform=TAG, base_url=f"{base}/api/v1/updates/files")
        import httpx

        served = httpx.get(f"{base}/api/v1/updates/manifest")
        assert served.status_code == 200 and served.content == manifest.read_bytes()
        missing = httpx.get(f"{base}/api/v1/updates/manifest", params={"channel": "beta"})
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "no_update"
        assert httpx.get(f"{base}/api/v1/updates/files/nothing.deb").status_code == 404
        updater, runs = make_updater(tmp_path, keypair, url=base)
        offer = updater.check()
        assert offer.version == "0.2.0" and offer.manifest.sequence == 2
        package = updater.download(offer)
        updater.install(offer, package)
        assert package.read_bytes() == (tmp_path / "yichuang_0.2.0_amd64.deb").read_bytes() and runs


def test_cli_update_check_and_defer(tmp_path, keypair, published, monkeypatch, capsys):
    from ui.cli import main

    _, manifest = published
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(f'[pins]\nupdate_keys = ["{keypair[1]}"]\n', encoding="utf-8")
    monkeypatch.setenv("YICHUANG_HOME", str(home))
    assert main(["update", "check", "--manifest", str(manifest)]) == 0
    assert "可更新到 0.2.0" in capsys.readouterr().out
    assert main(["update", "defer", "--manifest", str(manifest)]) == 0
    assert "已推迟" in capsys.readouterr().out
    manifest.write_bytes(_tamper(manifest.read_bytes(), version="0.9.0"))
    assert main(["update", "check", "--manifest", str(manifest)]) == 2
    assert "签名无效" in capsys.readouterr().err
