"""The release office's side of updates: make a signing key pair, and publish a package with a signed manifest
into the folder the central API serves (server/updates.py, YICHUANG_SERVER_UPDATES_DIR).

    python -m app.fleet.publish keygen --out keys/            # keys/update-signing.key (secret), .pub (pin it)
    python -m app.fleet.publish release --key keys/update-signing.key --updates-dir /srv/yichuang-updates \\
        --version 0.2.0 --package dist/yichuang_0.2.0_amd64.deb --platform linux-x86_64 \\
        --base-url https://si.example.gov.cn/api/v1/updates/files [--channel stable] [--force-after-days 3]

Each release gets the next `sequence`, so a terminal refuses an older manifest replayed later. Packages of other
platforms already published for the same version are kept in the manifest (publish Linux and Windows in turn).
The private key never goes on the central server: sign on the release workstation, copy the folder over.
"""
from __future__ import annotations

import argparse
import base64
import json
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

from app.fleet.updates import FORMAT, PRODUCT, key_id, parse_version, sha256_file


def generate_keypair() -> tuple[bytes, str]:
    """(private key PEM, public key base64 of the 32 raw bytes — the value for pins.update_keys)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pem, base64.b64encode(raw).decode("ascii")


def _load_private(pem: bytes):
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem, password=None)


def public_key_of(pem: bytes) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = _load_private(pem).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign_payload(payload: dict, pem: bytes) -> bytes:
    """The envelope (bytes, as served) for `payload`: the exact JSON text signed is carried as a string."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    signature = _load_private(pem).sign(text.encode("utf-8"))
    envelope = {"format": FORMAT, "key_id": key_id(public_key_of(pem)), "payload": text,
                "signature": base64.b64encode(signature).decode("ascii")}
    return (json.dumps(envelope, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_payload(envelope: bytes) -> dict:
    """The payload of an envelope, unverified (the publisher reading its own previous manifest)."""
    return json.loads(json.loads(envelope)["payload"])


def release(*, key_pem: bytes, updates_dir: Path, version: str, package: Path, platform: str, base_url: str,
            channel: str = "stable", force_after_days: int | None = None, notes: str = "",
            kind: str | None = None) -> Path:
    """Copy `package` into updates_dir/files and write updates_dir/<channel>/manifest.json; returns its path."""
    parse_version(version)
    manifest_file = updates_dir / channel / "manifest.json"
    previous = read_payload(manifest_file.read_bytes()) if manifest_file.exists() else {}
    files = updates_dir / "files"
    files.mkdir(parents=True, exist_ok=True)
    target = files / package.name
    if package.resolve() != target.resolve():
        shutil.copyfile(package, target)
    packages = dict(previous.get("packages", {})) if previous.get("version") == version else {}
    packages[platform] = {"url": f"{base_url.rstrip('/')}/{package.name}", "sha256": sha256_file(target),
                          "size": target.stat().st_size,
                          "kind": kind or ("deb" if package.suffix == ".deb" else "inno")}
    payload = {"product": PRODUCT, "version": version, "sequence": int(previous.get("sequence", 0)) + 1,
               "channel": channel, "published_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
               "force_after_days": force_after_days, "notes": notes, "packages": packages}
    manifest_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = manifest_file.with_suffix(".tmp")
    tmp.write_bytes(sign_payload(payload, key_pem))
    tmp.replace(manifest_file)
    return manifest_file


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.fleet.publish", description="一窗 更新发布（签名清单）")
    sub = p.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keygen", help="生成 Ed25519 签名密钥对")
    k.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("release", help="发布安装包并签名更新清单")
    r.add_argument("--key", type=Path, required=True)
    r.add_argument("--updates-dir", type=Path, required=True)
    r.add_argument("--version", required=True)
    r.add_argument("--package", type=Path, required=True)
    r.add_argument("--platform", required=True, help="如 linux-x86_64、windows-x86_64")
    r.add_argument("--base-url", required=True, help="终端下载安装包的地址前缀")
    r.add_argument("--channel", default="stable")
    r.add_argument("--force-after-days", type=int, default=None)
    r.add_argument("--notes", default="")
    args = p.parse_args(argv)
    if args.command == "keygen":
        args.out.mkdir(parents=True, exist_ok=True)
        pem, public = generate_keypair()
        secret = args.out / "update-signing.key"
        secret.touch(mode=0o600)
        secret.write_bytes(pem)
        (args.out / "update-signing.pub").write_text(public + "\n", encoding="ascii")
        print(f"私钥：{secret}（妥善保管，勿放到中心服务器）\n公钥（写入集中配置文件 [pins] update_keys）：{public}")
        return 0
    path = release(key_pem=args.key.read_bytes(), updates_dir=args.updates_dir, version=args.version,
                   package=args.package, platform=args.platform, base_url=args.base_url, channel=args.channel,
                   force_after_days=args.force_after_days, notes=args.notes)
    print(f"已发布 {args.version}（{args.platform}）：{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
