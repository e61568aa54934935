"""Shared test builders (not fixtures): a valid applicant form and an actor."""
from datetime import date

from app.cases.service import Actor
from app.ids import make_id_number

ACTOR = Actor("demo", "演示柜员", "受理员", "T01", "150102")


def applicant_form(ssn: str | None = None, **over) -> dict:
    form = {"ssn": ssn or make_id_number("150102", date(1980, 5, 17), 23, True), "name": "乌兰",
            "phone": "13904711234", "nation": "蒙古族", "enrolment_date": "2026-11-25"}
    form.update(over)
    return form


ALL_MATERIALS = {"id_document": True, "hukou_book": True, "enrolment_form": True}
