"""Health, login and the error envelope on a live server."""
from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from tests.server.conftest import assert_envelope, login


pytestmark = pytest.mark.integration


def test_health_reports_versions_without_auth(client: httpx.Client) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["server_version"] == "0.1.0"
    assert body["api_version"] == "1"
    assert body["catalog_version"] == "2024.1"
    t = datetime.fromisoformat(body["time"])
    assert t.utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - t).total_seconds()) < 60


def test_login_ok(client: httpx.Client) -> None:
    r = login(client)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert len(body["access_token"]) >= 32
    assert body["operator"] == {"operator_id": "demo", "name": "演示柜员", "roles": ["受理员"], "agency_code": "150102"}
    assert datetime.fromisoformat(body["expires_at"]) > datetime.now(timezone.utc)
    r2 = client.get("/api/v1/catalog/version", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert r2.status_code == 200
    assert r2.json() == {"catalog_version": "2024.1", "item_count": 156}


def test_login_roles_of_other_demo_operators(client: httpx.Client) -> None:
    assert login(client, "audit1").json()["operator"]["roles"] == ["审核员"]
    assert login(client, "admin").json()["operator"]["roles"] == ["管理员"]


def test_login_bad_password_and_unknown_operator_look_the_same(client: httpx.Client) -> None:
    bad = assert_envelope(login(client, "demo", "wrong-password"), 401, "invalid_credentials")
    unknown = assert_envelope(login(client, "nobody", "demo1234"), 401, "invalid_credentials")
    assert bad["message"] == unknown["message"] == "账号或密码错误"
    assert bad["detail"] == unknown["detail"]


def test_login_disabled_operator_is_refused(client: httpx.Client) -> None:
    assert_envelope(login(client, "disabled1"), 403, "operator_disabled")


def test_missing_token_gives_401_with_chinese_envelope(client: httpx.Client) -> None:
    for method, path in [("GET", "/api/v1/catalog/version"), ("GET", "/api/v1/persons/150102199001011234"),
                         ("POST", "/api/v1/cases"), ("GET", "/api/v1/cases/00000000-0000-0000-0000-000000000000")]:
        r = client.request(method, path, json={} if method == "POST" else None)
        err = assert_envelope(r, 401, "unauthorized")
        assert "登录" in err["message"]
        assert r.headers["www-authenticate"] == "Bearer"


def test_invalid_and_expired_tokens_are_refused(client: httpx.Client, live_server) -> None:
    assert_envelope(client.get("/api/v1/catalog/version", headers={"Authorization": "Bearer not-a-token"}), 401, "unauthorized")
    assert_envelope(client.get("/api/v1/catalog/version", headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    token = login(client).json()["access_token"]
    from sqlalchemy import update

    from server.models import Token
    from server.security import sha256_hex

    with live_server.engine.begin() as conn:
        conn.execute(update(Token).where(Token.token_hash == sha256_hex(token))
                     .values(expires_at=datetime(2020, 1, 1, tzinfo=timezone.utc)))
    assert_envelope(client.get("/api/v1/catalog/version", headers={"Authorization": f"Bearer {token}"}), 401, "unauthorized")


def test_validation_errors_and_unknown_routes_use_the_envelope(client: httpx.Client) -> None:
    err = assert_envelope(client.post("/api/v1/auth/login", json={"operator_id": "demo"}), 422, "validation_error")
    assert "password" in err["detail"]
    assert_envelope(client.post("/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}),
                    422, "validation_error")
    assert_envelope(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_envelope(client.delete("/api/v1/health"), 405, "method_not_allowed")
