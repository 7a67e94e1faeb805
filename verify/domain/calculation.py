"""Emission arithmetic of the China steel template and the EU form, as pure functions.

Each row is rounded to 0.01 tCO2 before summing, as the template does (docs/domain.md section 2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CO2_PER_C = 44 / 12
MOLAR_VOLUME_NM3_PER_KMOL = 22.414
CARBON_KG_PER_KMOL = 12.0
KCAL_TO_GJ_PER_T = 0.0041868


def round_half_up(value: float, places: int = 2) -> float:
    """Round like the template's spreadsheets (half away from zero), not banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def fuel_emissions(ad: float, ncv: float, cc: float, oxidation: float = 1.0) -> float:
    """AD x NCV x CC x OF x 44/12, rounded to 0.01 t (AD in t or 10^4 Nm3, NCV per that unit)."""
    return round_half_up(ad * ncv * cc * oxidation * CO2_PER_C)


def fuel_emissions_eu(ad: float, ncv: float, ef_tj: float, oxidation: float = 1.0) -> float:
    """EU form: AD x NCV (GJ per unit) x EF (tCO2/TJ) / 1000 x OF."""
    return round_half_up(ad * ncv * ef_tj / 1000 * oxidation)


def material_emissions(mass_t: float, ef: float) -> float:
    """Process emissions or product deduction: mass x EF, rounded to 0.01 t."""
    return round_half_up(mass_t * ef)


def total_emissions(fuels: list[float], process: list[float], products: list[float]) -> float:
    """E_total = E_fuel + E_process - E_products, from already rounded rows."""
    return round_half_up(sum(fuels) + sum(process) - sum(products))


def intensity(total_tco2: float, crude_steel_t: float) -> float:
    """tCO2 per t crude steel, to 4 decimals as the template prints it."""
    return round_half_up(total_tco2 / crude_steel_t, 4)


def consumed(purchased: float, opening: float, closing: float, outbound: float) -> float:
    """AD = purchased + opening stock - closing stock - outbound (sold or transferred)."""
    return purchased + opening - closing - outbound


def carbon_as_received(c_ad: float, m_ar: float, m_ad: float) -> float:
    """Element carbon from the air-dried to the as-received basis (GB/T 483)."""
    return c_ad * (100 - m_ar) / (100 - m_ad)


def carbon_content(carbon_pct_ar: float, ncv_gj_per_t: float) -> float:
    """CC (tC/GJ) from element carbon (mass %, as received) and NCV (GJ/t), to 5 decimals."""
    return round_half_up(carbon_pct_ar / 100 / ncv_gj_per_t, 5)


def gas_carbon_t_per_10k_nm3(composition_mol_pct: dict[str, float], carbon_atoms: dict[str, int]) -> float:
    """Carbon in t per 10^4 Nm3 of a gas, from its composition in mol % (CO2 counts too)."""
    atoms = sum(pct / 100 * carbon_atoms.get(c, 0) for c, pct in composition_mol_pct.items())
    return atoms / MOLAR_VOLUME_NM3_PER_KMOL * CARBON_KG_PER_KMOL / 1000 * 10_000


def gas_carbon_content(composition_mol_pct: dict[str, float], carbon_atoms: dict[str, int], ncv_gj_per_10k_nm3: float) -> float:
    """CC (tC/GJ) of a gas from its composition and NCV, to 5 decimals."""
    return round_half_up(gas_carbon_t_per_10k_nm3(composition_mol_pct, carbon_atoms) / ncv_gj_per_10k_nm3, 5)
