"""tCO2 effect of a wrong input, computed through the same equation as the verified figure."""

from __future__ import annotations

from verify.domain.assess import FuelAssessment
from verify.domain.calculation import fuel_emissions, material_emissions, round_half_up
from verify.domain.factors import FactorTable


def activity_effect(f: FuelAssessment, delta_ad: float) -> float:
    """Effect of `delta_ad` (activity units) at the stream's verified NCV, CC and OF."""
    return fuel_emissions(delta_ad, f.ncv, f.cc, f.oxidation)


def ncv_effect(f: FuelAssessment, ncv_claimed: float, ncv_evidenced: float) -> float:
    """Effect of the NCV difference at the verified AD, CC and OF."""
    return round_half_up(fuel_emissions(f.ad, ncv_claimed, f.cc, f.oxidation)
                         - fuel_emissions(f.ad, ncv_evidenced, f.cc, f.oxidation))


def cc_effect(f: FuelAssessment, cc_claimed: float, cc_evidenced: float) -> float:
    """Effect of the carbon-content difference at the verified AD, NCV and OF."""
    return round_half_up(fuel_emissions(f.ad, f.ncv, cc_claimed, f.oxidation)
                         - fuel_emissions(f.ad, f.ncv, cc_evidenced, f.oxidation))


def default_effect(f: FuelAssessment, factors: FactorTable) -> float | None:
    """Effect of using the stream's NCV and CC instead of the method's defaults (the conservative
    value an invalid measurement falls back to), at the verified AD and OF."""
    ncv, cc = factors.get(f.row.stream, "ncv"), factors.default_carbon_content(f.row.stream)
    if ncv is None or cc is None:
        return None
    return round_half_up(fuel_emissions(f.ad, f.ncv, f.cc, f.oxidation)
                         - fuel_emissions(f.ad, ncv.value, cc.value, f.oxidation))


def fuel_at_defaults(quantity: float, stream: str, factors: FactorTable) -> float | None:
    """tCO2 of a fuel quantity at the method's default NCV, CC and OF."""
    ncv, cc = factors.get(stream, "ncv"), factors.default_carbon_content(stream)
    of_factor = factors.get(stream, "oxidation")
    if ncv is None or cc is None:
        return None
    return fuel_emissions(quantity, ncv.value, cc.value, of_factor.value if of_factor else 1.0)


def material_effect(delta_mass: float, ef: float) -> float:
    """Effect of `delta_mass` t of a process material (or, negated, a product) at its EF."""
    return material_emissions(delta_mass, ef)
