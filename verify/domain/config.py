"""bundle.toml: what the bundle says of itself (facility, period, method, plan, thresholds).

Read from text (the pipeline does the file I/O) into a validated, frozen object; a wrong key is a
ConfigError that names it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from verify.model.errors import ConfigError


class StreamPlan(BaseModel):
    """One stream of the monitoring plan."""

    model_config = ConfigDict(frozen=True, extra="allow")

    measured: bool = True
    sampling: str | None = None


class BundleConfig(BaseModel):
    """The optional bundle.toml at the root of a bundle."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    facility_id: str | None = None
    facility_name: str | None = None
    period: str | None = None
    method: str | None = None
    materiality_pct: float | None = None
    route: str = "bf-bof"
    lang: str | None = None
    streams: dict[str, StreamPlan] = Field(default_factory=dict)
    thresholds: dict[str, float] = Field(default_factory=dict)
    templates: str | None = None  # a folder of supplier templates, relative to the bundle root
    caps: dict[str, float] = Field(default_factory=dict)  # reader caps (extractors/data/caps.toml)
    # who the statement is for and by whom: the report's cover and signature block; an absent
    # one is printed as "not stated", never guessed
    installation_id: str | None = Field(None, min_length=1, max_length=80)
    client: str | None = Field(None, min_length=1, max_length=200)
    verifier: str | None = Field(None, min_length=1, max_length=200)
    lead_verifier: str | None = Field(None, min_length=1, max_length=200)
    statement_date: dt.date | None = None
    report_id: str | None = Field(None, min_length=1, max_length=80)
    assurance: Literal["reasonable", "limited"] | None = None


def parse_bundle_config(text: str | None) -> BundleConfig:
    """bundle.toml's text as a BundleConfig (an absent file is an empty config)."""
    if not text:
        return BundleConfig()
    try:
        return BundleConfig(**tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"bundle.toml is not valid TOML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))} = {e.get('input')!r}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigError(f"bundle.toml: {problems}") from exc
