"""Verification codes of certificates (社会保险个人权益记录单, 单位社会保险参保缴费证明, 个人参保证明), shared by the client that
prints them and the reference server that issues and verifies them (server/verify.py).

What is certified is a plain JSON object (the “content”): kind, subject, period, the summary a verifier is shown and
the detail rows. Its SHA-256 over a canonical encoding (sorted keys, no spaces, UTF-8, Decimals as strings) is the
content hash. The server issues a code

    <prefix>-<serial: 8 chars>-<tag: 12 chars>     e.g. QY-7K2M-9XQ4-TRDF-3HN2-PWA8-K5E1

where the serial is random (codes cannot be enumerated) and the tag is HMAC-SHA256(server key, version|kind|serial|
content hash) cut to 60 bits. So a code is bound to exactly one content: a code typed wrong, made up, or a stored
record whose content was altered all fail the HMAC check. Codes use Crockford's base32 (no I, L, O, U), so a code
read aloud or typed from paper normalises back (O→0, I/L→1, case and hyphens ignored).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

CODE_VERSION = "1"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
SERIAL_LEN = 8   # 40 random bits
TAG_LEN = 12     # 60 bits of HMAC

# 权益 / 参保 / 个人: a 个人参保证明 (personal_certificate) is what a person prints at a kiosk or a counter to show
# which insurances they are in — its own kind, so a verifier sees what kind of paper the code belongs to.
KIND_PREFIX = {"rights_record": "QY", "unit_certificate": "CB", "personal_certificate": "GR"}
KIND_TITLES = {"rights_record": "社会保险个人权益记录单", "unit_certificate": "单位社会保险参保缴费证明",
               "personal_certificate": "个人参保证明"}
PREFIX_KIND = {v: k for k, v in KIND_PREFIX.items()}
VERIFY_PATH = "/api/v1/certificates/"

_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def canonical_json(content: Any) -> str:
    """One encoding for one content, whoever computes it: sorted keys, no spaces, non-ASCII kept, Decimals and dates
    as strings. Floats are refused: money in a certificate is exact (Decimal) or it is not certified."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain,
                      allow_nan=False)


def _plain(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not certifiable: {type(value).__name__} {value!r}")


def _check_no_floats(content: Any) -> None:
    if isinstance(content, float):
        raise TypeError(f"floats are not certifiable (use Decimal or str): {content!r}")
    if isinstance(content, dict):
        for v in content.values():
            _check_no_floats(v)
    elif isinstance(content, (list, tuple)):
        for v in content:
            _check_no_floats(v)


def content_hash(content: Any) -> str:
    """SHA-256 (hex) of the canonical encoding of `content`."""
    _check_no_floats(content)
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def plain_content(content: Any) -> Any:
    """The content as JSON-ready data (what travels to the server): Decimals and dates become strings."""
    return json.loads(canonical_json(content))


def _b32(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    bits = len(data) * 8
    out = []
    for i in range(length):
        shift = bits - 5 * (i + 1)
        out.append(ALPHABET[(number >> shift) & 31] if shift >= 0 else ALPHABET[(number << -shift) & 31])
    return "".join(out)


def new_serial() -> str:
    return _b32(secrets.token_bytes(5), SERIAL_LEN)


def code_tag(key: bytes, kind: str, serial: str, digest: str) -> str:
    mac = hmac.new(key, f"{CODE_VERSION}|{kind}|{serial}|{digest}".encode("ascii"), hashlib.sha256).digest()
    return _b32(mac[:8], TAG_LEN)


def format_code(kind: str, serial: str, tag: str) -> str:
    body = serial + tag
    return KIND_PREFIX[kind] + "-" + "-".join(body[i:i + 4] for i in range(0, len(body), 4))


@dataclass(frozen=True)
class ParsedCode:
    kind: str
    serial: str
    tag: str

    @property
    def code(self) -> str:
        return format_code(self.kind, self.serial, self.tag)


def parse_code(raw: str) -> ParsedCode | None:
    """A code as typed or scanned (any case, hyphens/spaces, O/I/L look-alikes) → its parts; None if malformed."""
    text = re.sub(r"[\s\-–—_]", "", raw or "").upper()
    prefix, body = text[:2], text[2:].translate(_TRANSLATE)
    kind = PREFIX_KIND.get(prefix)
    if kind is None or len(body) != SERIAL_LEN + TAG_LEN or any(c not in ALPHABET for c in body):
        return None
    return ParsedCode(kind, body[:SERIAL_LEN], body[SERIAL_LEN:])


def tags_match(key: bytes, parsed: ParsedCode, digest: str) -> bool:
    return hmac.compare_digest(code_tag(key, parsed.kind, parsed.serial, digest), parsed.tag)


def verify_url(base_url: str, code: str) -> str:
    """What the QR code on the certificate carries: the public verification address of this code."""
    return base_url.rstrip("/") + VERIFY_PATH + code


@dataclass(frozen=True)
class IssuedCode:
    code: str
    content_hash: str
    verify_url: str


class CertificateIssueError(RuntimeError):
    pass


def issue_code(http: Any, kind: str, content: dict, verify_base_url: str | None = None, *,
               operator_id: str | None = None) -> IssuedCode:
    """Ask the central server for a code (POST /api/v1/certificates) with an authenticated httpx-like client.
    `operator_id`: the clerk who prints — the centre checks that operator's 打印 permission (issue 11); without it a
    terminal prints with its mode's role (the kiosk).

    The server computes the hash itself from the content it receives; the answer is checked against ours, so a
    certificate is never printed with a code bound to something else."""
    if kind not in KIND_PREFIX:
        raise ValueError(f"unknown certificate kind {kind!r}")
    digest = content_hash(content)
    body = {"kind": kind, "content": plain_content(content)}
    if operator_id:
        body["operator_id"] = operator_id
    response = http.post("/api/v1/certificates", json=body)
    if response.status_code not in (200, 201):
        raise CertificateIssueError(f"certificate issue refused: HTTP {response.status_code} {response.text[:300]}")
    body = response.json()
    if body.get("content_hash") != digest:
        raise CertificateIssueError(f"server hashed the content to {body.get('content_hash')}, we to {digest}")
    base = verify_base_url or str(http.base_url)
    return IssuedCode(body["code"], digest, verify_url(base, body["code"]))
