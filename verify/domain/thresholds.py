"""Rule thresholds: defaults from `data/rules.toml`, overridden by bundle.toml or the CLI."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from verify.model.errors import ConfigError


class Thresholds(BaseModel):
    """Every threshold a rule reads, validated and frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    recompute_t: float
    tieout_t: float
    ad_tolerance_pct: float
    stock_balance_t: float
    stock_continuity_t: float
    lab_tolerance_pct: float
    lab_report_days: int
    invoice_arithmetic: float
    production_tolerance_pct: float
    trend_consumption_pct: float
    trend_ncv_pct: float
    trend_intensity_pct: float
    trend_production_pct: float
    meter_tolerance_pct: float
    unit_suspect_pct: float
    annual_tieout_t: float
    ocr_min_confidence: float
    accreditation_min_digits: int
    accreditation_marks: tuple[str, ...]
    materiality_pct: float
    materiality_pct_large: float
    large_installation_t: float
    intensity_range: dict[str, tuple[float, float]]
    lab_range: dict[str, dict[str, tuple[float, float]]]
    lab_required: dict[str, tuple[str, ...]]
    unit_pairs: dict[str, tuple[tuple[str, str], ...]]
    materiality_override_pct: float | None = None

    def as_report(self) -> dict[str, float | str]:
        """Flat view for the report's 'thresholds used' table."""
        flat: dict[str, float | str] = {}
        for key, value in self.model_dump().items():
            if value is not None:
                _flatten(key, value, flat)
        return flat


def _flatten(key: str, value: Any, out: dict[str, float | str]) -> None:
    """Tables become dotted keys; a [low, high] pair reads low-high; other lists comma-joined."""
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{key}.{k}", v, out)
    elif isinstance(value, tuple | list) and len(value) == 2 and all(
            isinstance(v, int | float) for v in value):
        out[key] = f"{value[0]}-{value[1]}"
    elif isinstance(value, tuple | list):
        out[key] = ", ".join(" vs ".join(v) if isinstance(v, tuple | list) else str(v) for v in value)
    else:
        out[key] = value


@lru_cache(maxsize=1)
def _rules_toml() -> dict[str, Any]:
    text = resources.files("verify").joinpath("data", "rules.toml").read_text("utf-8")
    return tomllib.loads(text)


def _defaults() -> dict[str, Any]:
    data = _rules_toml()
    tables = {key: value for key, value in data.items() if key not in ("thresholds", "ranges")}
    return {**data["thresholds"], **tables}


def ranges() -> dict[str, tuple[float, float]]:
    """The sensible [low, high] of each numeric threshold (rules.toml [ranges])."""
    return {k: (float(v[0]), float(v[1])) for k, v in _rules_toml().get("ranges", {}).items()}


def _out_of_range(values: dict[str, Any]) -> list[str]:
    """'key = value: ...' for each threshold outside its sensible range."""
    out = []
    for key, (low, high) in ranges().items():
        value = values.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and not low <= value <= high:
            out.append(f"{key} = {value:g}: outside its sensible range {low:g}-{high:g} "
                       "(verify/data/rules.toml [ranges])")
    return out


def load_thresholds(overrides: dict[str, Any] | None = None) -> Thresholds:
    """Defaults with overrides applied; an unknown or ill-typed key, a NaN or an infinity, or a
    value outside its sensible range (rules.toml [ranges]) is a ConfigError naming the key."""
    merged = {**_defaults(), **(overrides or {})}
    try:
        thresholds = Thresholds(**merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))} = {e.get('input')!r}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigError(f"invalid threshold setting: {problems}") from exc
    bad = _out_of_range(thresholds.model_dump())
    if bad:
        raise ConfigError(f"invalid threshold setting: {'; '.join(bad)}")
    return thresholds
