"""The rules engine: parameters as effective-dated, region-scoped data (resources/parameters), and calculators that
return a result AND an explanation (rule, citation, inputs, intermediate values, formula) for the clerk.

    from app.rules import run_calculator
    calc = run_calculator("retirement_age", {"birth_date": "1965-03-10", "group": "male"}, region="150102")
    calc.summary(); calc.explanation.steps; calc.to_json()
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.clock import local_today
from app.rules import age_gates, contribution, injury, pension, recovery, resident, retirement, transfer, unemployment  # noqa: F401,E501  (register)
from app.rules.base import REGISTRY, Calculation, CalculatorSpec, Context, Field
from app.rules.errors import InvalidInput, MissingParameter, ParameterFileError, RulesError
from app.rules.explain import Explanation, ParamUse, Step
from app.rules.params import ParameterSet, import_parameter_file, load_parameters

# Catalog items whose screens offer a calculator (the counter window opens them from the item and the finder).
ITEM_CALCULATORS: dict[str, tuple[str, ...]] = {
    "employee_pension_normal_retirement": ("enterprise_pension", "retirement_age", "extension_options"),
    "employee_pension_early_retirement": ("retirement_age", "enterprise_pension"),
    "employee_pension_early_retirement_benefit": ("retirement_age", "enterprise_pension"),
    "employee_pension_benefit_claim": ("enterprise_pension", "retirement_age"),
    "employee_pension_account_lump_sum": ("account_drawdown",),
    "employee_pension_duplicate_account_refund": ("duplicate_refund",),
    "employee_pension_benefit_resumption": ("back_pay", "recovery_offset"),
    "employee_pension_benefit_suspension": ("back_pay", "recovery_offset"),
    "employee_pension_transfer_in_from_employee": ("transfer_fund",),
    "employee_pension_transfer_in_from_public": ("transfer_fund",),
    "public_pension_transfer_in_from_employee": ("transfer_fund",),
    "public_pension_transfer_in_in_region": ("transfer_fund",),
    "public_pension_transfer_out_in_region": ("transfer_fund",),
    "public_pension_deemed_contribution_years": ("deemed_months",),
    "public_pension_benefit_claim": ("deemed_months", "retirement_age"),
    "public_pension_early_retirement_claim": ("deemed_months", "retirement_age"),
    "resident_pension_enrolment": ("age_gates", "resident_pension", "resident_interest"),
    "rural_urban_resident_pension_back_payment": ("resident_interest", "resident_subsidy_cap"),
    "resident_pension_benefit_resumption": ("back_pay", "recovery_offset"),
    "resident_pension_benefit_suspension": ("back_pay",),
    "resident_pension_funeral_grant": ("resident_deregistration", "recovery_offset"),
    "rural_urban_resident_pension_deregistration": ("resident_deregistration", "back_pay", "recovery_offset"),
    "resident_pension_account_lump_sum": ("resident_deregistration",),
    "resident_pension_transfer": ("resident_transfer",),
    "ent_annual_wage_declaration": ("contribution_base", "average_wage", "unit_base"),
    "gov_inst_pension_annual_wage_declaration": ("average_wage", "contribution_base"),
    "unemployment_benefit_claim": ("unemployment_benefit",),
    "unemployment_registration": ("age_gates",),
    "injury_disability_benefits": ("injury_disability", "injury_pension_topup"),
    "work_death_lump_sum_and_funeral_grant": ("injury_death",),
    "work_death_dependent_pension": ("injury_death",),
    "minor_worker_registration": ("age_gates",),
    "sscard_application": ("age_gates",),
    "sscard_replacement": ("age_gates",),
}


def calculators() -> list[CalculatorSpec]:
    return list(REGISTRY.values())


def get_calculator(name: str) -> CalculatorSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        raise InvalidInput(f"没有名为“{name}”的计算器。可用：{'、'.join(REGISTRY)}", f"unknown calculator {name}",
                           field="calculator") from None


def calculators_for_item(item_code: str) -> list[CalculatorSpec]:
    return [REGISTRY[n] for n in ITEM_CALCULATORS.get(item_code, ())]


def run_calculator(name: str, raw: Mapping[str, Any], *, region: str = "150000", today: date | None = None,
                   params: ParameterSet | None = None, data_dir: Path | None = None) -> Calculation:
    """Parse the inputs, compute, and return the Calculation (result + explanation). Raise InvalidInput,
    MissingParameter or another RulesError (all with Chinese user messages)."""
    ps = params or load_parameters(data_dir)
    try:
        from app.rules.params import region_chain
        region_chain(region)
    except ValueError:
        raise InvalidInput(f"地区代码应为6位行政区划代码：{region}", f"bad region {region}", field="region") from None
    return get_calculator(name).run(raw, Context(ps, region, today or local_today()))


__all__ = ["Calculation", "CalculatorSpec", "Context", "Explanation", "Field", "ITEM_CALCULATORS", "InvalidInput",
           "MissingParameter", "ParamUse", "ParameterFileError", "ParameterSet", "RulesError", "Step",
           "calculators", "calculators_for_item", "get_calculator", "import_parameter_file", "load_parameters",
           "run_calculator"]
