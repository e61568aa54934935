"""The committed OpenAPI document is the one the app serves."""
from __future__ import annotations

import json

import httpx
import pytest

from server.export_openapi import OPENAPI_PATH, render_openapi


pytestmark = pytest.mark.integration


def test_committed_openapi_matches_the_app() -> None:
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == render_openapi(), "server/openapi.json is stale: run `python -m server.export_openapi`"


def test_served_openapi_matches_the_committed_file(client: httpx.Client) -> None:
    served = client.get("/openapi.json").json()
    assert served == json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def test_contract_names_every_v1_route() -> None:
    paths = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))["paths"]
    assert set(paths) == {
        "/api/v1/health", "/api/v1/terminals/register", "/api/v1/auth/login", "/api/v1/persons/{ssn}",
        "/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/events", "/api/v1/catalog/version",
        "/api/v1/cases/{case_id}/rating", "/api/v1/audit",
        "/api/v1/certificates", "/api/v1/certificates/{code}", "/api/v1/updates/manifest",
        "/api/v1/updates/files/{name}",
        # offline-first sync (issue 5): server/sync_cases.py, sync_persons.py, attachments.py, refdata.py
        "/api/v1/cases/batch", "/api/v1/cases/{case_id}/decision", "/api/v1/cases/{case_id}/resubmission",
        "/api/v1/sync/statuses", "/api/v1/sync/persons/{ssn}", "/api/v1/attachments/{attachment_id}",
        "/api/v1/attachments/{attachment_id}/chunks/{index}", "/api/v1/attachments/{attachment_id}/complete",
        "/api/v1/attachments/{attachment_id}/content", "/api/v1/refdata/delta", "/api/v1/refdata/{kind}/{key}",
        "/api/v1/field-assignments/{operator_id}/{ssn}",
        # 资格认证 (issue 9): server/certification.py
        "/api/v1/certification/terminal-keys/{terminal_id}", "/api/v1/certification/visit-assignments",
        "/api/v1/certification/visits", "/api/v1/certification/visits/{visit_id}/bundle",
        "/api/v1/certification/visits/{visit_id}/receipt", "/api/v1/certification/records",
        "/api/v1/certification/records/{record_id}/review", "/api/v1/certification/loss-events",
        "/api/v1/certification/persons/{ssn}", "/api/v1/certification/results",
        "/api/v1/certification/status-changes/run", "/api/v1/certification/reports/yearly",
        "/api/v1/certification/reports/monthly",
        # third-generation 社保卡 security step (issue 6): server/sscard.py
        "/api/v1/sscard/authenticate",
        # operator authentication (issue 11): server/operators_auth.py
        "/api/v1/auth/password", "/api/v1/auth/policy", "/api/v1/auth/policies/{agency_code}",
        "/api/v1/operators/{operator_id}/totp",
        # hall queue 叫号 (issue 13): server/queue.py
        "/api/v1/queue/tickets", "/api/v1/queue/next", "/api/v1/queue/tickets/{ticket_id}/recall",
        "/api/v1/queue/tickets/{ticket_id}/finish", "/api/v1/queue/tickets/{ticket_id}/skip", "/api/v1/queue/waiting",
        # 自助终端 items (issue 10): server/sscard_status.py, server/contributions.py
        "/api/v1/sscard/status/{ssn}", "/api/v1/sscard/loss-reports", "/api/v1/sscard/loss-releases",
        "/api/v1/contributions/resident/{ssn}",
        # issue 10: 个人权益记录 (server/rights.py), 好差评 of visits without a case (server/service_ratings.py)
        "/api/v1/rights-records/{ssn}", "/api/v1/service-ratings",
    }
    post_cases = paths["/api/v1/cases"]["post"]
    assert post_cases["parameters"][0]["name"] == "Idempotency-Key" and post_cases["parameters"][0]["required"]
