"""Demo data: valid numbers, the promised mix of persons, and idempotent seeding."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy.orm import Session

from app.ids import is_valid_uscc, parse_id_number
from server.db import create_schema, make_engine
from server.demo_data import (

    PERSON_KINDS,
    REFERENCE_DATE,
    demo_counts,
    demo_person_ssns,
    generate_demo_data,
    seed_demo,
)


pytestmark = pytest.mark.integration


def test_all_id_numbers_and_usccs_are_valid() -> None:
    data = generate_demo_data()
    assert len(data.persons) == sum(PERSON_KINDS.values()) == 300
    for p in data.persons:
        facts = parse_id_number(p.ssn)
        assert facts.gender == p.gender and facts.birth_date == p.birth_date
        assert len(p.phone) == 11 and p.phone.startswith("1")
    assert len({p.ssn for p in data.persons}) == len(data.persons)
    assert len(data.units) == 20
    assert all(is_valid_uscc(u.uscc) for u in data.units)
    assert len({u.uscc for u in data.units}) == 20


def test_the_mix_of_persons() -> None:
    data = generate_demo_data()
    kinds = Counter(p.kind for p in data.persons)
    assert kinds == Counter(PERSON_KINDS)
    assert all(not p.insurances for p in data.persons if p.kind == "uninsured")
    assert len(demo_person_ssns("uninsured")) == 40
    for ssn in demo_person_ssns("uninsured"):  # old enough for 城乡居民养老保险参保登记 and below pension age
        assert 16 <= parse_id_number(ssn).age_on(REFERENCE_DATE) < 60
    employee_units = {i.unit_uscc for p in data.persons if p.kind == "employee" for i in p.insurances}
    assert None not in employee_units and employee_units <= {u.uscc for u in data.units}
    nations = {p.nation for p in data.persons}
    assert {"汉族", "蒙古族", "回族", "满族", "达斡尔族", "鄂温克族"} <= nations
    villages = " ".join(p.hukou_address for p in data.persons)
    assert "嘎查" in villages and "村" in villages and "社区" in villages


def test_generation_is_deterministic() -> None:
    first = generate_demo_data()
    generate_demo_data.cache_clear()
    assert generate_demo_data() == first


def test_seeding_twice_gives_the_same_counts(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'seed.db'}")
    create_schema(engine)
    first = seed_demo(engine)
    second = seed_demo(engine)
    assert first == second
    assert first["persons"] == 300 and first["units"] == 20 and first["operators"] == 7
    with Session(engine) as s:
        assert demo_counts(s) == first
    engine.dispose()
