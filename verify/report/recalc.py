"""The recalculation of a stream row written out: the equation with the verified inputs in their
units, so a reader can redo the multiplication by hand (the workbook does it with formulas).
"""

from __future__ import annotations

from verify.model.result import Compared, StreamResult
from verify.report.formatting import Formatter


def verified(c: Compared | None) -> float | None:
    """The figure the verification used: the evidenced one, else the claimed one carried."""
    if c is None:
        return None
    return c.evidenced if c.evidenced is not None else c.claimed


def _term(fmt: Formatter, value: float | None, kind: str, unit: str) -> str:
    text = fmt.num(value, kind)
    return f"{text} {fmt.unit(unit)}".strip()


def equation_form(s: StreamResult, t: dict) -> str:
    """The equation in symbols, in the report's language."""
    if s.kind != "fuel":
        return t["equation"]["material"]
    if s.carbon_content is None and s.ef is not None:
        return t["equation"]["fuel_ef"]
    return t["equation"]["fuel"]


def equation(s: StreamResult, fmt: Formatter) -> str:
    """"23,109.56 tCO2 = 7,471.920 t × 28.420 GJ/t × 0.02968 tC/GJ × 1 × 44/12"."""
    result = f"{fmt.tco2(s.verified_tco2)} tCO2"
    ad = _term(fmt, verified(s.activity), "activity", s.activity.unit)
    if s.kind != "fuel":
        ef = _term(fmt, verified(s.ef), "factor", s.ef.unit if s.ef else "tCO2/t")
        return f"{result} = {ad} × {ef}"
    ncv = _term(fmt, verified(s.ncv), "ncv", s.ncv.unit if s.ncv else "")
    of = fmt.num(s.oxidation if s.oxidation is not None else 1.0)
    if s.carbon_content is None and s.ef is not None:
        ef = _term(fmt, verified(s.ef), "factor", s.ef.unit)
        return f"{result} = {ad} × {ncv} × {ef} × {of} / 1000"
    cc = _term(fmt, verified(s.carbon_content), "carbon_content", "tC/GJ")
    return f"{result} = {ad} × {ncv} × {cc} × {of} × 44/12"
