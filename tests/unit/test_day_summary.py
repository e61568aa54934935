"""The clerk's day summary on a real SQLite store: today's intakes by outcome, open and overdue cases, prints."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from app.cases.day_summary import day_summary, local_day_bounds
from app.cases.journal import record_print
from app.cases.service import CaseService
from app.catalog import load_catalog
from app.clock import local_today
from app.ids import make_id_number
from app.store import open_store
from app.store.models import Case
from tests.helpers import ACTOR, ALL_MATERIALS, applicant_form

ITEM = "resident_pension_enrolment"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def service(tmp_path, catalog):
    return CaseService(open_store(tmp_path / "data"), catalog)


def _ssn(n: int) -> str:
    return make_id_number("150102", date(1980, 5, 17), n, True)


def test_counts_today_by_outcome_open_overdue_and_prints(service):
    store = service.store
    done = service.accept(ITEM, applicant_form(_ssn(1)), ALL_MATERIALS, ACTOR)  # 即时办结
    told = service.intake(ITEM, applicant_form(_ssn(2)), {"id_document": "present", "hukou_book": "missing",
                                                          "enrolment_form": "present"}, ACTOR,
                          confirmed={0: True, 1: True, 2: True, 3: True}, online=False).case
    other = service.accept(ITEM, applicant_form(_ssn(3)), ALL_MATERIALS, replace(ACTOR, operator_id="zhang"))
    old = service.accept(ITEM, applicant_form(_ssn(4)), ALL_MATERIALS, ACTOR)
    late = service.accept(ITEM, applicant_form(_ssn(5)), ALL_MATERIALS, ACTOR)
    yesterday = local_today() - timedelta(days=1)
    with store.session() as s:
        # an open case of an earlier day, and one whose promised limit passed yesterday
        s.execute(update(Case).where(Case.case_id == old.case_id).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=3), status="review", promised_due=None))
        s.execute(update(Case).where(Case.case_id == late.case_id).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=9), status="review",
            promised_due=yesterday.isoformat()))
    record_print(store, case_id=done.case_id, document="受理回执", path="/x/a.pdf", operator_id="demo",
                 terminal_id="T01", copies=2)
    record_print(store, case_id=done.case_id, document="受理回执", path="/x/a.pdf", operator_id="zhang",
                 terminal_id="T01")

    summary = day_summary(store, "demo")
    assert told.status == "correction"
    assert summary.taken_in == 2  # done + told; `other` is zhang's, `old`/`late` were taken in earlier
    assert summary.completed == 1 and summary.told == 1 and summary.refused == 0
    assert summary.accepted == 1
    assert summary.pending == 3  # told (补正) + old + late: not final
    assert summary.overdue == 1  # late only (补正 time does not count; old has no limit)
    assert (summary.printed, summary.printed_copies) == (1, 2)
    assert summary.upload_pending >= 5
    assert dict(summary.lines())["已超期"] == "1"
    assert day_summary(store, "zhang").taken_in == 1 and other.operator_id == "zhang"


def test_another_day_is_empty_and_bounds_are_local_midnight(service):
    service.accept(ITEM, applicant_form(_ssn(6)), ALL_MATERIALS, ACTOR)
    tomorrow = local_today() + timedelta(days=1)
    summary = day_summary(service.store, "demo", tomorrow)
    assert summary.taken_in == 0 and summary.printed == 0
    assert summary.pending == 0  # the one case was 即时办结
    start, end = local_day_bounds(date(2025, 3, 3))
    assert start.astimezone(timezone.utc) == datetime(2025, 3, 2, 16, 0, tzinfo=timezone.utc)
    assert end - start == timedelta(days=1)
