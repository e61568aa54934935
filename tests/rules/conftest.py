"""Shared helpers for the rules-engine tests: the shipped parameters, an official-values fixture folder, and a
one-call way to run a calculator."""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from app.rules import load_parameters, run_calculator

# No example database in the work tree, and no deadline: CI machines vary in speed.
# Hypothesis also caches constants under its home directory: keep it out of the work tree.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "yichuang-hypothesis"))
settings.register_profile("yichuang", database=None, deadline=None)
settings.load_profile("yichuang")

TODAY = date(2025, 6, 1)

# Official-looking fixture values (not policy): used where a test needs exact numbers free of sample parameters.
FIXTURE_PARAMS = dedent("""\
    defaults: {region: "150000", sample: false, source: "测试夹具（非政策）"}
    parameters:
      - {key: pension_calc_base_monthly, year: 2024, value: 8000}
      - {key: pension_calc_base_monthly, year: 2025, value: 8400}
      - {key: transitional_pension_method, from: 2006-01-01, value: none}
      - {key: payout_months_interpolation, from: 2006-01-01, value: whole_years}
      - {key: fen_rounding, from: 2021-01-01, value: HALF_UP}
      - {key: avg_wage_monthly, year: 2024, value: 5000}
      - {key: contribution_rates, from: 2019-05-01, value: {unit: 0.16, person: 0.08, flexible: 0.20}}
      - {key: employee_base_bounds, from: 2021-01-01, value: {lower: 0.6, upper: 3.0}}
      - {key: injury_avg_wage_monthly, year: 2024, value: 6000}
      - {key: minimum_wage_monthly, from: 2018-01-01, value: 1980}
    """)


@pytest.fixture(scope="session")
def shipped():
    return load_parameters()


@pytest.fixture
def fixture_dir(tmp_path) -> Path:
    folder = tmp_path / "official"
    folder.mkdir()
    (folder / "official.yaml").write_text(FIXTURE_PARAMS, encoding="utf-8")
    return folder


@pytest.fixture
def official(fixture_dir):
    return load_parameters(extra_dirs=[fixture_dir])


@pytest.fixture
def calc(shipped):
    """calc(name, today=…, region=…, params=…, **inputs) → Calculation."""
    def run(name: str, *, today: date = TODAY, region: str = "150102", params=None, **inputs):
        return run_calculator(name, inputs, region=region, today=today, params=params or shipped)
    return run
