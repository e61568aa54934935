"""Signed client updates. The central API serves a manifest (GET /api/v1/updates/manifest) signed with Ed25519 by
the release office (app.fleet.publish); the terminal trusts only the keys pinned by provisioning (pins.update_keys).

Before anything is installed the client checks, in this order, and refuses with a reason otherwise:
1. the envelope's signature over the exact payload bytes, by a pinned key (a tampered manifest fails here);
2. the manifest is for this product and is not older than one already seen (`sequence`: no replay of an old one);
3. the version is newer than the running one (no downgrade; the same version means up to date);
4. the downloaded package has the size and SHA-256 the manifest states (checked again just before installing).

An update may be deferred by the clerk, but only until N days after it was first offered, N being
updates.max_deferral_days or the manifest's smaller force_after_days (0: install now, e.g. a security fix).

Envelope: {"format": "yichuang-update-manifest/1", "key_id": "…", "payload": "<JSON text>", "signature": "<b64>"};
payload: {"product": "yichuang", "version": "0.2.0", "sequence": 7, "channel": "stable", "published_at": "…Z",
"force_after_days": 7, "notes": "…", "packages": {"linux-x86_64": {"url", "sha256", "size", "kind": "deb"}}}.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from app.errors import YichuangError

FORMAT = "yichuang-update-manifest/1"
PRODUCT = "yichuang"
MANIFEST_PATH = "/api/v1/updates/manifest"
_VERSION = re.compile(r"^\d+(\.\d+){0,3}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
PACKAGE_KINDS = ("deb", "inno")


class UpdateRefused(YichuangError):
    """The manifest or package failed a check; nothing was installed. `code` says which check."""

    code = "update_refused"


def parse_version(text: str) -> tuple[int, ...]:
    if not isinstance(text, str) or not _VERSION.match(text):
        raise ValueError(f"bad version {text!r}")
    parts = tuple(int(p) for p in text.split("."))
    return parts + (0,) * (4 - len(parts))


def key_id(public_key_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def platform_tag() -> str:
    """linux-x86_64, linux-aarch64, windows-x86_64 …: the key of this machine's package in the manifest."""
    system = "windows" if sys.platform == "win32" else sys.platform.rstrip("0123456789")
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    return f"{system}-{machine}"


@dataclass(frozen=True)
class PackageRef:
    url: str
    sha256: str
    size: int
    kind: str  # deb / inno


@dataclass(frozen=True)
class Manifest:
    version: str
    sequence: int
    channel: str
    published_at: datetime
    force_after_days: int | None
    notes: str
    packages: dict[str, PackageRef]
    key_id: str

    def package_for(self, tag: str) -> PackageRef:
        if tag not in self.packages:
            raise UpdateRefused(f"版本 {self.version} 没有适用于本机（{tag}）的安装包", f"no package for {tag}",
                                code="no_package")
        return self.packages[tag]


def _refuse(code: str, message: str, detail: str) -> UpdateRefused:
    return UpdateRefused(message, detail, code=code)


def verify_manifest(envelope: bytes | dict[str, Any], trusted_keys: list[str]) -> Manifest:
    """Check the signature with the pinned keys and the payload's shape; return the manifest. Raises UpdateRefused."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not trusted_keys:
        raise _refuse("no_keys", "本机未配置更新签名公钥（pins.update_keys），不接受任何更新", "no pinned update keys")
    try:
        env = json.loads(envelope) if isinstance(envelope, (bytes, str)) else envelope
        if not isinstance(env, dict) or env.get("format") != FORMAT:
            raise ValueError(f"format {env.get('format') if isinstance(env, dict) else type(env)!r}")
        payload_text, sig_b64 = env["payload"], env["signature"]
        if not isinstance(payload_text, str) or not isinstance(sig_b64, str):
            raise ValueError("payload/signature are not strings")
        signature = base64.b64decode(sig_b64, validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise _refuse("bad_manifest", "更新清单格式错误，已拒绝", f"envelope: {exc}") from None
    payload_bytes = payload_text.encode("utf-8")
    by_id = {key_id(k): k for k in trusted_keys}
    candidates = [by_id[env["key_id"]]] if env.get("key_id") in by_id else list(trusted_keys)
    signer = None
    for key in candidates:
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(key)).verify(signature, payload_bytes)
        except (InvalidSignature, ValueError):
            continue
        signer = key
        break
    if signer is None:
        raise _refuse("bad_signature", "更新清单签名无效（可能被篡改或不是本单位发布），已拒绝",
                      f"signature by key_id {env.get('key_id')!r} does not verify with any pinned key")
    try:
        p = json.loads(payload_text)
        if p.get("product") != PRODUCT:
            raise ValueError(f"product {p.get('product')!r}")
        parse_version(p["version"])
        packages = {}
        for tag, ref in p["packages"].items():
            if not _SHA256.match(ref["sha256"]) or ref.get("kind") not in PACKAGE_KINDS:
                raise ValueError(f"package {tag}: bad sha256 or kind")
            packages[tag] = PackageRef(str(ref["url"]), ref["sha256"], int(ref["size"]), ref["kind"])
        force = p.get("force_after_days")
        manifest = Manifest(p["version"], int(p["sequence"]), str(p.get("channel", "stable")),
                            datetime.fromisoformat(p["published_at"].replace("Z", "+00:00")),
                            None if force is None else max(0, int(force)), str(p.get("notes", "")), packages,
                            key_id(signer))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _refuse("bad_manifest", "更新清单内容不完整，已拒绝", f"payload: {exc!r}") from None
    return manifest


# --- state: what this terminal has seen and deferred ---------------------------------------------------------------

@dataclass
class UpdateState:
    highest_sequence: int = 0
    offers: dict[str, dict[str, Any]] = field(default_factory=dict)  # version → {first_offered_at, deferrals}

    @classmethod
    def load(cls, path: Path) -> "UpdateState":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(int(data.get("highest_sequence", 0)), dict(data.get("offers", {})))
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def save(self, path: Path) -> None:
        from app.fleet.provision import _atomic_write

        _atomic_write(path, json.dumps({"highest_sequence": self.highest_sequence, "offers": self.offers},
                                       ensure_ascii=False, indent=2).encode("utf-8"), 0o644)


@dataclass(frozen=True)
class Offer:
    manifest: Manifest
    package: PackageRef
    first_offered_at: datetime
    deadline: datetime  # after this, the update is installed without asking
    deferrals: int

    @property
    def version(self) -> str:
        return self.manifest.version

    def forced(self, now: datetime) -> bool:
        return now >= self.deadline

    def days_left(self, now: datetime) -> int:
        return max(0, -(-int((self.deadline - now).total_seconds()) // 86400))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def default_install_command(package: Path, kind: str) -> list[str]:
    """How the verified package is installed on this machine (the installer then replaces the running bundle)."""
    if kind == "deb":
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        return (["dpkg", "-i", str(package)] if as_root else ["pkexec", "dpkg", "-i", str(package)])
    return [str(package), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CLOSEAPPLICATIONS"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Updater:
    """Checks, downloads, verifies and installs; every network and install step can be replaced (tests)."""

    def __init__(self, settings, data_dir: Path, *, current_version: str | None = None,
                 fetch: Callable[[str], bytes] | None = None, download: Callable[[str, Path], None] | None = None,
                 run: Callable[[list[str]], int] | None = None, clock: Callable[[], datetime] = _now,
                 tag: str | None = None):
        from app.version import __version__

        self.settings = settings
        self.dir = data_dir / "updates"
        self.state_file = self.dir / "state.json"
        self.current_version = current_version or __version__
        self._fetch = fetch or self._http_get
        self._download = download or self._http_download
        self._run = run or (lambda cmd: subprocess.run(cmd, check=False).returncode)
        self.clock = clock
        self.tag = tag or platform_tag()

    # -- network (httpx; the manifest is public and signed, so no terminal token is needed) --
    def _tls(self) -> dict:
        """The central server's certificate is checked as for every other call (CA file / pins, issue 11)."""
        from app.security.transport import tls_context

        server = self.settings.server
        verify = tls_context(server.ca_file, server.pin_sha256)
        return {"verify": verify} if verify is not None else {}

    def _http_get(self, url: str) -> bytes:
        import httpx

        resp = httpx.get(url, timeout=self.settings.server.timeout_seconds, **self._tls())
        if resp.status_code == 404:
            return b""
        resp.raise_for_status()
        return resp.content

    def _http_download(self, url: str, dest: Path) -> None:
        import httpx

        with httpx.stream("GET", url, timeout=60, follow_redirects=True, **self._tls()) as resp:
            resp.raise_for_status()
            with dest.open("wb") as fh:
                for chunk in resp.iter_bytes(1 << 20):
                    fh.write(chunk)

    def manifest_url(self) -> str:
        return f"{self.settings.server.url}{MANIFEST_PATH}?channel={self.settings.updates.channel}"

    # -- checks --
    def check(self, envelope: bytes | None = None) -> Offer | None:
        """The update this terminal should install (now or by its deadline), or None when up to date / none
        published. Raises UpdateRefused for a manifest that fails a check, and NetworkUnavailable-like httpx errors."""
        raw = self._fetch(self.manifest_url()) if envelope is None else envelope
        if not raw:
            return None
        manifest = verify_manifest(raw, self.settings.pins.update_keys)
        state = UpdateState.load(self.state_file)
        if manifest.sequence < state.highest_sequence:
            raise _refuse("replayed_manifest", f"收到旧的更新清单（序号 {manifest.sequence}，已见过 {state.highest_sequence}），已拒绝",
                          f"manifest sequence {manifest.sequence} < highest seen {state.highest_sequence}")
        if manifest.channel != self.settings.updates.channel:
            raise _refuse("wrong_channel", f"更新清单属于 {manifest.channel} 通道，本机为 {self.settings.updates.channel}，已拒绝",
                          f"channel {manifest.channel} != {self.settings.updates.channel}")
        running, offered = parse_version(self.current_version), parse_version(manifest.version)
        if offered < running:
            raise _refuse("downgrade", f"更新清单的版本 {manifest.version} 低于本机 {self.current_version}，拒绝降级",
                          f"downgrade {self.current_version} → {manifest.version} refused")
        state.highest_sequence = manifest.sequence
        if offered == running:
            state.save(self.state_file)
            return None
        package = manifest.package_for(self.tag)
        now = self.clock()
        entry = state.offers.setdefault(manifest.version, {"first_offered_at": now.isoformat(), "deferrals": 0})
        state.save(self.state_file)
        first = datetime.fromisoformat(entry["first_offered_at"])
        days = self.settings.updates.max_deferral_days
        if manifest.force_after_days is not None:
            days = min(days, manifest.force_after_days)
        return Offer(manifest, package, first, first + timedelta(days=days), int(entry.get("deferrals", 0)))

    def defer(self, offer: Offer) -> int:
        """Record that the clerk postponed the update; returns the days left. Raises UpdateRefused when forced."""
        now = self.clock()
        if offer.forced(now):
            raise _refuse("deferral_expired", f"版本 {offer.version} 已推迟超过期限，必须立即安装",
                          f"deadline {offer.deadline.isoformat()} passed")
        state = UpdateState.load(self.state_file)
        entry = state.offers.setdefault(offer.version, {"first_offered_at": offer.first_offered_at.isoformat(),
                                                        "deferrals": 0})
        entry["deferrals"] = int(entry.get("deferrals", 0)) + 1
        state.save(self.state_file)
        return offer.days_left(now)

    def download(self, offer: Offer) -> Path:
        """Fetch the package and verify size and SHA-256; a mismatching file is deleted. Returns its path."""
        self.dir.mkdir(parents=True, exist_ok=True)
        suffix = ".deb" if offer.package.kind == "deb" else ".exe"
        dest = self.dir / f"yichuang-{offer.version}-{self.tag}{suffix}"
        part = dest.with_name(dest.name + ".part")
        self._download(offer.package.url, part)
        try:
            self._verify_file(part, offer.package)
        except UpdateRefused:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, dest)
        return dest

    @staticmethod
    def _verify_file(path: Path, ref: PackageRef) -> None:
        size = path.stat().st_size
        digest = sha256_file(path)
        if size != ref.size or digest != ref.sha256:
            raise _refuse("bad_package", "下载的安装包与更新清单不符（可能被篡改或下载不完整），未安装",
                          f"{path.name}: size {size} sha256 {digest}, manifest says {ref.size} {ref.sha256}")

    def install(self, offer: Offer, package: Path) -> None:
        """Verify the file once more (it sat on disk), then run the platform installer. Raises UpdateRefused."""
        self._verify_file(package, offer.package)
        code = self._run(default_install_command(package, offer.package.kind))
        if code != 0:
            raise _refuse("install_failed", f"安装版本 {offer.version} 失败（退出码 {code}），仍使用当前版本",
                          f"installer exit code {code}")
        state = UpdateState.load(self.state_file)
        state.offers.pop(offer.version, None)
        state.save(self.state_file)
