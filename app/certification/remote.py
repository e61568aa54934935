"""Direct calls to the certification routes of the central API (downloads and look-ups; uploads go through the outbox).
They use the operator's bearer token: `CentralApi(url, timeout, token=session.token)`."""
from __future__ import annotations

from typing import Any

from app.certification.messages import BASE
from app.sync.client import CentralApi


def download_visits(api: CentralApi, operator_id: str) -> dict[str, Any]:
    """The visits assigned to `operator_id`, with what is needed offline (person, address, reference photo, last
    certification, benefit state)."""
    return api._request("GET", f"{BASE}/visits", params={"operator_id": operator_id}, timeout=60).json()


def visit_receipt(api: CentralApi, visit_id: str) -> dict[str, Any]:
    return api._request("GET", f"{BASE}/visits/{visit_id}/receipt").json()


def person_status(api: CentralApi, ssn: str, *, include_photo: bool = False) -> dict[str, Any]:
    """Certification standing of one pensioner (due date, suspension, last certification, reference photo)."""
    params = {"include_photo": "true"} if include_photo else None
    return api._request("GET", f"{BASE}/persons/{ssn}", params=params).json()


def result_lists(api: CentralApi, year: int, region: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"year": year}
    if region:
        params["region"] = region
    return api._request("GET", f"{BASE}/results", params=params).json()


def yearly_report(api: CentralApi, year: int, region: str) -> dict[str, Any]:
    return api._request("GET", f"{BASE}/reports/yearly", params={"year": year, "region": region}).json()


def monthly_report(api: CentralApi, month: str, region: str | None = None) -> dict[str, Any]:
    params = {"month": month}
    if region:
        params["region"] = region
    return api._request("GET", f"{BASE}/reports/monthly", params=params).json()
