"""Encryption at rest: SQLCipher database under an envelope of keys unlocked only by operator credentials
(issue: security). The stolen-laptop test copies the data dir and looks for personal data in plain bytes."""
import shutil
from datetime import date

import pytest
from sqlalchemy.exc import DatabaseError

from app.cases.service import Actor, CaseService, MaterialState
from app.catalog import load_catalog
from app.errors import AuthError
from app.ids import make_id_number
from app.security.keystore import KeyStore
from app.store import open_store
from app.store.database import rekey

A = Actor("demo", "演示柜员", "受理员", "T01", "150102", ("受理员",))
SSN = make_id_number("150102", date(1968, 4, 2), 57, False)
NAME = "其其格玛"


def _accept(store):
    svc = CaseService(store, load_catalog())
    item = svc.catalog.get("resident_pension_enrolment")
    form = {"ssn": SSN, "name": NAME, "phone": "13904719876", "enrolment_date": "2026-11-25",
            "residence_address": "锡林浩特市宝力根苏木"}
    svc.intake(item.code, form, {m.code: MaterialState.present.value for m in item.materials}, A,
               confirmed={i: True for i in range(len(item.conditions))})


def _plain_hits(root, needles):
    hits = []
    for f in root.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            hits += [(f.name, n) for n in needles if n in data]
    return hits


def test_stolen_data_dir_reveals_nothing(tmp_path):
    data = tmp_path / "data"
    ks = KeyStore(data / "keystore.json")
    keys = ks.create("demo", "demo1234")
    store = open_store(data, key=keys.dek)
    _accept(store)
    store.close()
    stolen = tmp_path / "stolen"
    shutil.copytree(data, stolen)
    needles = [SSN.encode(), NAME.encode("utf-8"), NAME.encode("utf-16-le"), "宝力根苏木".encode("utf-8"),
               b"13904719876", keys.dek, keys.tmk, keys.dek.hex().encode()]
    assert _plain_hits(stolen, needles) == []
    with pytest.raises(AuthError):
        KeyStore(stolen / "keystore.json").unlock("demo", "guess")
    with pytest.raises(AuthError):
        KeyStore(stolen / "keystore.json").unlock("thief", "demo1234")
    unlocked = KeyStore(stolen / "keystore.json").unlock("demo", "demo1234")
    reopened = open_store(stolen, key=unlocked.dek)
    svc = CaseService(reopened, load_catalog())
    assert svc.recent()[0].applicant_name == NAME


def test_wrong_key_cannot_open_the_database(tmp_path):
    ks = KeyStore(tmp_path / "d" / "keystore.json")
    keys = ks.create("demo", "demo1234")
    open_store(tmp_path / "d", key=keys.dek).close()
    from app.errors import StoreError
    with pytest.raises((StoreError, DatabaseError)):
        open_store(tmp_path / "d", key=b"\x00" * 32).schema_revision()


def test_second_operator_and_key_rotation(tmp_path):
    data = tmp_path / "d"
    ks = KeyStore(data / "keystore.json")
    keys = ks.create("demo", "demo1234")
    ks.add_operator(keys, "field2", "pw-2")
    store = open_store(data, key=keys.dek)
    _accept(store)
    new = ks.rotate_dek(keys)
    rekey(store, new.dek)
    ks.finish_rotation()
    store.close()
    assert ks.unlock("field2", "pw-2").dek == new.dek != keys.dek
    reopened = open_store(data, key=ks.unlock("demo", "demo1234").dek)
    assert CaseService(reopened, load_catalog()).recent()[0].applicant_ssn == SSN
    reopened.close()
    from app.errors import StoreError
    with pytest.raises((StoreError, DatabaseError)):
        open_store(data, key=keys.dek).schema_revision()
