"""NCV and carbon content from a lab report, as the steps a verifier recalculates.

A lab report prints NCV in its own unit (MJ/kg, kcal/kg, MJ/Nm3) and element carbon on some
basis, or a gas composition; the equation needs GJ per activity unit and tC/GJ. The steps are
those of docs/domain.md section 2 (basis conversion of GB/T 483, CC = C_ar / 100 / NCV, a gas's
carbon from its composition). They are kept only when they give back, to the printed decimals,
the NCV and CC the verification used; otherwise those stand as inputs (None here).
"""

from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources

from verify.model import units
from verify.model.records import Basis, LabReport, LabResult
from verify.model.result import StreamResult
from verify.report.workpapers_cells import conventions
from verify.report.workpapers_model import FactorInput


def _half_up(value: float, places: int) -> float:
    """Rounded as the template's spreadsheets and Excel's ROUND do (half away from zero)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1)
def carbon_atoms() -> dict[str, int]:
    text = resources.files("verify").joinpath("data", "gas_components.toml").read_text("utf-8")
    return tomllib.loads(text)["carbon_atoms"]


def _printed(res: LabResult, step: str, args: dict, label: str | None = None) -> FactorInput:
    return FactorInput(label or step, res.value, res.unit, "general", "lab", args,
                       res.where("value"), step=step, label_args={"parameter": res.parameter})


def _ncv(rep: LabReport, unit: str, args: dict) -> tuple[list[FactorInput], float] | None:
    res = rep.result("ncv", Basis.AS_RECEIVED) or rep.result("ncv")
    if res is None or not units.is_known(res.unit):
        return None
    try:
        factor = units.ncv_to_standard(1.0, res.unit, unit)
    except (ValueError, TypeError):
        return None
    ncv = _half_up(res.value * factor, 3)
    steps = [_printed(res, "ncv_printed", args),
             FactorInput("ncv_factor", factor, f"{res.unit} → {units.NCV_UNITS[unit]}",
                         "general", "unit", {}, step="ncv_factor"),
             FactorInput("ncv", ncv, units.NCV_UNITS[unit], "ncv", "lab", args,
                         expression="ncv_standard",
                         operands={"value": "ncv_printed", "factor": "ncv_factor"})]
    return steps, ncv


def _solid_carbon(rep: LabReport, args: dict) -> tuple[list[FactorInput], float] | None:
    car = rep.result("carbon", Basis.AS_RECEIVED)
    if car is not None:
        return [_printed(car, "carbon_ar", args)], car.value
    cad, mt, mad = (rep.result("carbon", Basis.AIR_DRIED), rep.result("moisture_total"),
                    rep.result("moisture_ad"))
    if cad is None or mt is None or mad is None:
        return None
    value = cad.value * (100 - mt.value) / (100 - mad.value)
    return [_printed(cad, "carbon_ad", args), _printed(mt, "moisture_total", args),
            _printed(mad, "moisture_ad", args),
            FactorInput("carbon_ar", value, "%", "general", "lab", args, step="carbon_ar",
                        expression="carbon_as_received",
                        operands={"carbon_ad": "carbon_ad", "moisture_total": "moisture_total",
                                  "moisture_ad": "moisture_ad"})], value


def _gas_carbon(rep: LabReport, args: dict) -> tuple[list[FactorInput], float] | None:
    atoms = carbon_atoms()
    parts = [r for r in rep.results if r.parameter in atoms]
    if not parts:
        return None
    steps, terms = [], []
    for i, r in enumerate(parts):
        share, count = f"share{i}", f"atoms{i}"
        steps += [_printed(r, share, args, "component"),
                  FactorInput("carbon_atoms", float(atoms[r.parameter]), "", "general",
                              "data", {}, step=count, label_args={"parameter": r.parameter})]
        terms.append((share, count))
    k = conventions()["constants"]
    carbon = (sum(r.value / 100 * atoms[r.parameter] for r in parts)
              / k["molar_volume"] * k["carbon_mass"] / 1000 * 10_000)
    steps.append(FactorInput("gas_carbon", carbon, "tC/10^4 Nm3", "general", "lab", args,
                             step="gas_carbon", expression="gas_carbon", terms=tuple(terms)))
    return steps, carbon


def lab_steps(rep: LabReport, s: StreamResult) -> list[FactorInput] | None:
    """The steps from a lab report's printed values to the NCV and CC of `s`, or None when
    they do not give back the figures the verification used."""
    unit = s.activity.unit
    args = {"report_no": rep.report_no}
    ncv = _ncv(rep, unit, args)
    if ncv is None:
        return None
    ncv_steps, ncv_value = ncv
    gas = unit != "t"
    carbon = _gas_carbon(rep, args) if gas else _solid_carbon(rep, args)
    if carbon is None or not ncv_value:
        return None
    carbon_steps, carbon_value = carbon
    cc = _half_up(carbon_value / ncv_value if gas else carbon_value / 100 / ncv_value, 5)
    used_ncv = s.ncv.evidenced if s.ncv else None
    used_cc = s.carbon_content.evidenced if s.carbon_content else None
    if used_ncv is None or used_cc is None or abs(ncv_value - used_ncv) > 5e-7 \
            or abs(cc - used_cc) > 5e-9:
        return None
    cc_step = FactorInput("cc", cc, "tC/GJ", "carbon_content", "lab", args,
                          expression="cc_gas" if gas else "cc_solid",
                          operands={"carbon": "gas_carbon" if gas else "carbon_ar",
                                    "ncv": "ncv"})
    return [*ncv_steps, *carbon_steps, cc_step]
