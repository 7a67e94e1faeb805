"""Units of activity data and calorific values, defined once with pint.

Documents print quantities in t, kg, Nm3, m3, 万Nm3 (10^4 Nm3) and calorific values in MJ/kg,
kcal/kg, GJ/t, MJ/Nm3, kJ/m3. The equations want AD in t or 10^4 Nm3 and NCV in GJ/t or
GJ/10^4 Nm3; these functions are the only place that converts between them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

# Gas volumes at normal conditions are treated as plain volumes: a verifier compares Nm3 with Nm3
# (and the plant's "m3" on a gas invoice means Nm3 unless stated otherwise).
_DEFINITIONS = """
Nm3 = meter ** 3
wan_Nm3 = 10000 * Nm3
tce = 29.3076 * gigajoule
"""

_ALIASES: dict[str, str] = {
    "t": "tonne",
    "吨": "tonne",
    "tonne": "tonne",
    "tonnes": "tonne",
    "ton": "tonne",
    "tons": "tonne",
    "mt": "tonne",
    "kg": "kilogram",
    "千克": "kilogram",
    "公斤": "kilogram",
    "nm3": "Nm3",
    "nm³": "Nm3",
    "m3": "Nm3",
    "m³": "Nm3",
    "立方米": "Nm3",
    "标立方米": "Nm3",
    "标方": "Nm3",
    "万nm3": "wan_Nm3",
    "万m3": "wan_Nm3",
    "万立方米": "wan_Nm3",
    "万标立方米": "wan_Nm3",
    "万标方": "wan_Nm3",
    "10^4nm3": "wan_Nm3",
    "10^4m3": "wan_Nm3",
    "10⁴nm3": "wan_Nm3",
    "10000nm3": "wan_Nm3",
    "gj": "gigajoule",
    "mj": "megajoule",
    "kj": "kilojoule",
    "tj": "terajoule",
    "kwh": "kilowatt_hour",
    "mwh": "megawatt_hour",
    "万kwh": "10000 * kilowatt_hour",
    "kcal": "kilocalorie_IT",
    "%": "percent",
}

ACTIVITY_UNITS = {"t": "tonne", "10^4 Nm3": "wan_Nm3"}
NCV_UNITS = {"t": "GJ/t", "10^4 Nm3": "GJ/10^4 Nm3"}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The project's unit registry (kcal is the international-table kilocalorie, 4.1868 kJ)."""
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("kilocalorie_IT = 4.1868 * kilojoule")
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


def _normalise(unit: str) -> str:
    return re.sub(r"[\s()（）\[\]]", "", unit).replace("³", "3").lower()


def pint_unit(unit: str) -> str:
    """A printed unit ("吨", "万Nm3", "kcal/kg") as a pint expression."""
    key = _normalise(unit)
    if key in _ALIASES:
        return _ALIASES[key]
    if "/" in key:
        num, den = key.split("/", 1)
        return f"({pint_unit(num)}) / ({pint_unit(den)})"
    raise ValueError(f"unknown unit {unit!r}")


def is_known(unit: str | None) -> bool:
    """Whether a printed unit is one this project converts."""
    if not unit:
        return False
    try:
        pint_unit(unit)
    except ValueError:
        return False
    return True


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a value between printed units (kg -> t, Nm3 -> 10^4 Nm3, kcal/kg -> GJ/t)."""
    ureg = registry()
    src = ureg.Quantity(value, pint_unit(from_unit))
    return float(src.to(pint_unit(to_unit)).magnitude)


def to_activity(value: float, unit: str, activity_unit: str) -> float:
    """A printed quantity in the equation's activity unit ("t" or "10^4 Nm3")."""
    return convert(value, unit, activity_unit)


def ncv_to_standard(value: float, unit: str, activity_unit: str) -> float:
    """A calorific value (MJ/kg, kcal/kg, GJ/t, MJ/Nm3, kJ/m3 ...) in GJ/t or GJ/10^4 Nm3."""
    return convert(value, unit, NCV_UNITS[activity_unit])
