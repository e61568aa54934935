"""Verification codes and content hashes (app.docs.certify): the format, forgiving parsing, HMAC binding."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.docs.certify import (ALPHABET, SERIAL_LEN, TAG_LEN, code_tag, content_hash, format_code, new_serial,
                              parse_code, plain_content, tags_match, verify_url)

KEY = b"test-key"
CONTENT = {"kind": "unit_certificate", "subject": {"id": "91150102176749365Q", "name": "甲公司"},
           "rows": [["2024-01", Decimal("1234.50")]], "issued_on": date(2025, 1, 6)}


def test_code_round_trip() -> None:
    digest = content_hash(CONTENT)
    serial = new_serial()
    assert len(serial) == SERIAL_LEN and set(serial) <= set(ALPHABET)
    tag = code_tag(KEY, "unit_certificate", serial, digest)
    assert len(tag) == TAG_LEN
    code = format_code("unit_certificate", serial, tag)
    assert code.startswith("CB-") and len(code.replace("-", "")) == 2 + SERIAL_LEN + TAG_LEN
    parsed = parse_code(code)
    assert (parsed.kind, parsed.serial, parsed.tag, parsed.code) == ("unit_certificate", serial, tag, code)
    assert tags_match(KEY, parsed, digest)
    assert not tags_match(b"other-key", parsed, digest)
    assert not tags_match(KEY, parsed, content_hash({**CONTENT, "subject": {"id": "x", "name": "乙公司"}}))


def test_typed_codes_normalise() -> None:
    parsed = parse_code("QY-0011-ABCD-EFGH-JKMN-PQRS")
    assert parse_code("qy 0o1i abcd efgh jkmn pqrs") == parsed
    assert parse_code("QY0O1LABCDEFGHJKMNPQRS") == parsed


@pytest.mark.parametrize("raw", ["", "QY-123", "ZZ-0011-ABCD-EFGH-JKMN-PQRS", "QY-0011-ABCD-EFGH-JKMN-PQR!",
                                 "QY-0011-ABCD-EFGH-JKMN-PQRSU"])
def test_malformed_codes(raw: str) -> None:
    assert parse_code(raw) is None


def test_hash_is_canonical() -> None:
    reordered = {"rows": [["2024-01", "1234.50"]], "issued_on": "2025-01-06",
                 "subject": {"name": "甲公司", "id": "91150102176749365Q"}, "kind": "unit_certificate"}
    assert content_hash(CONTENT) == content_hash(reordered) == content_hash(plain_content(CONTENT))
    assert content_hash(CONTENT) != content_hash({**CONTENT, "rows": [["2024-01", Decimal("1234.51")]]})
    with pytest.raises(TypeError):
        content_hash({"amount": 1234.5})


def test_verify_url() -> None:
    assert verify_url("https://verify.example/", "QY-1") == "https://verify.example/api/v1/certificates/QY-1"
