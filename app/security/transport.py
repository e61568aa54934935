"""Transport security of the central API client: the TLS context that verifies the server against the configured CA
bundle and/or SHA-256 pins of its public key or certificate, checked inside the handshake so that no byte of a request
reaches a server that fails them, and the mapping of a refused handshake to a Chinese error and a precise log line."""
from __future__ import annotations

import base64
import functools
import hashlib
import logging
import os
import re
import ssl
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.errors import NetworkUnavailable

log = logging.getLogger(__name__)

TLS_REFUSED_MESSAGE = ("中心系统的安全证书与本终端配置的不符，连接已被拒绝（可能存在网络劫持）。"
                       "业务已保存在本机，请联系管理员核对证书配置。")


class TlsRefused(NetworkUnavailable):
    """The server's certificate failed verification or pinning: the request was never sent. A NetworkUnavailable, so
    the outbox keeps its work and the relay keeps probing, but with its own message and code."""

    code = "tls_refused"


class PinMismatch(ssl.SSLCertVerificationError):
    """Raised inside the handshake (an OSError, so httpcore reports it as a connect error)."""


def parse_pin(text: str) -> bytes:
    """A pin as the 32 bytes of its SHA-256: "sha256/<base64>", bare base64 (44 characters) or hex (colons allowed).
    Raises ValueError naming the pin."""
    raw = text.strip()
    body = raw[len("sha256/"):] if raw.lower().startswith("sha256/") else raw
    hexed = body.replace(":", "")
    if re.fullmatch(r"[0-9A-Fa-f]{64}", hexed):
        return bytes.fromhex(hexed)
    try:
        digest = base64.b64decode(body, validate=True)
    except ValueError:
        digest = b""
    if len(digest) != 32:
        raise ValueError(f"{text!r} 不是 SHA-256 证书指纹（sha256/<base64> 或 64 位十六进制）")
    return digest


def spki_sha256(der_cert: bytes) -> bytes:
    """SHA-256 of the certificate's SubjectPublicKeyInfo (survives a renewal that keeps the key)."""
    cert = x509.load_der_x509_certificate(der_cert)
    return hashlib.sha256(cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).digest()


def pin_text(digest: bytes) -> str:
    return "sha256/" + base64.b64encode(digest).decode("ascii")


def pin_of_pem(cert_pem: bytes | str) -> str:
    """The public-key pin of a PEM certificate, as an administrator writes it into server.pin_sha256."""
    data = cert_pem.encode("ascii") if isinstance(cert_pem, str) else cert_pem
    cert = x509.load_pem_x509_certificate(data)
    return pin_text(spki_sha256(cert.public_bytes(Encoding.DER)))


class PinningSSLContext(ssl.SSLContext):
    """An SSLContext whose handshakes also require the peer's public key (or certificate) to match one pin."""

    pins: frozenset[bytes] = frozenset()

    def wrap_socket(self, *args, **kwargs):  # type: ignore[override]
        sock = super().wrap_socket(*args, **kwargs)
        if self.pins:
            der = sock.getpeercert(binary_form=True) or b""
            seen = {spki_sha256(der), hashlib.sha256(der).digest()} if der else set()
            if not seen & self.pins:
                host = kwargs.get("server_hostname") or "?"
                sock.close()
                got = pin_text(spki_sha256(der)) if der else "no certificate"
                raise PinMismatch(f"certificate of {host} does not match the configured pin "
                                  f"(server key {got}, {len(self.pins)} pin(s) configured)")
        return sock


def tls_context(ca_file: str = "", pins: Iterable[str] = ()) -> ssl.SSLContext:
    """The verify context for httpx, one per configuration for the whole process: loading a CA store costs ~0.1 s,
    and a terminal builds several clients at start (relay, login, devices' security module, updates).

    With neither CA file nor pins: httpx's own default (SSL_CERT_FILE/SSL_CERT_DIR, else certifi; hostname checked).
    With a CA file the chain must lead to it; with pins a certificate must match one; with pins and no CA file the
    pins alone are the anchor (chain and hostname are then not checked: the pinned key proves the server)."""
    return _tls_context(str(ca_file or ""), frozenset(parse_pin(p) for p in pins))


@functools.lru_cache(maxsize=8)
def _tls_context(ca_file: str, digests: frozenset[bytes]) -> ssl.SSLContext:
    if not ca_file and not digests:
        if os.environ.get("SSL_CERT_FILE"):
            return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
        if os.environ.get("SSL_CERT_DIR"):
            return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    ctx = PinningSSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_file:
        path = Path(ca_file).expanduser()
        try:
            ctx.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            from app.errors import ConfigError

            raise ConfigError(f"配置项 server.ca_file 指向的 CA 证书文件 {path} 无法读取，请检查该文件。",
                              f"server.ca_file {path}: {exc!r}") from None
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.check_hostname = True
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    ctx.pins = digests
    return ctx


def tls_failure(exc: BaseException) -> ssl.SSLError | None:
    """The certificate failure behind an httpx/httpcore connect error, if that is what it is."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError):
            return cur
        cur = cur.__cause__ or cur.__context__
    return None


def refused(method: str, url: str, failure: ssl.SSLError) -> TlsRefused:
    """The error raised and the line logged when a handshake was refused (no personal data: only host and reason)."""
    reason = getattr(failure, "verify_message", "") or str(failure)
    log.error("TLS refused for %s %s: %s: %s", method, url, type(failure).__name__, reason)
    return TlsRefused(TLS_REFUSED_MESSAGE, f"{method} {url}: TLS refused: {type(failure).__name__}: {reason}")
