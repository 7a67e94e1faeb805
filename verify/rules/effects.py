"""tCO2 effect of a wrong input, computed through the same equation as the verified figure."""

from __future__ import annotations

from verify.assess import FuelAssessment
from verify.calculation import fuel_emissions, round_half_up


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
