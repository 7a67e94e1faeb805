"""What a supplier template may say, validated so a wrong template is refused with the reason.

A template is data (one YAML file per issuer), never code: it names the words that pick it and,
per record field, a regex or a region that finds the printed value. Every value it finds is
still traced to the words on the page, so a template-read figure carries the same provenance
as one the generic reader found.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from verify.model.records import Basis, FuelInvoice, InvoiceLine, LabReport
from verify.model.vocabulary import vocabulary

FieldType = Literal["text", "number", "date", "percent"]
Kind = Literal["fuel_invoice", "lab_report"]
RECORDS = {"fuel_invoice": FuelInvoice, "lab_report": LabReport}
# Record fields a template does not fill directly: structure, or derived from other fields.
NOT_FILLED = {"source", "sources", "lines", "results", "accreditation", "stream", "template"}
LINE_GROUPS = set(InvoiceLine.model_fields) - {"source", "sources", "stream"}


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Region(Strict):
    """A box on one page (PDF points, top-left origin); the words inside it are the value."""

    page: int = Field(1, ge=1)
    bbox: tuple[float, float, float, float]

    @field_validator("bbox")
    @classmethod
    def _ordered(cls, bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        if bbox[0] >= bbox[2] or bbox[1] >= bbox[3]:
            raise ValueError("bbox is [x0, top, x1, bottom] with x0 < x1 and top < bottom")
        return bbox


class FieldSpec(Strict):
    """Where one field's value is printed: a regex with one group, or a region."""

    regex: str | None = None
    region: Region | None = None
    type: FieldType | None = None  # default: the record field's own type
    unit: str | None = None  # lab results: the unit the value is printed in
    basis: Basis | None = None  # lab results: ar, ad, d, daf

    @model_validator(mode="after")
    def _one_place(self) -> FieldSpec:
        if (self.regex is None) == (self.region is None):
            raise ValueError("give either `regex` or `region`, not both and not neither")
        if self.regex is not None and _compiled(self.regex).groups != 1:
            raise ValueError(f"regex {self.regex!r} must have exactly one group (the value)")
        return self


class Options(Strict):
    """How the issuer prints numbers, dates and money, and its goods lines."""

    decimal_mark: Literal[".", ","] | None = None
    date_format: str | None = None  # strptime format, e.g. "%d.%m.%Y"
    currency: str | None = None
    lines: str | None = None  # regex per goods line, named groups description, quantity, ...

    @field_validator("lines")
    @classmethod
    def _line_groups(cls, pattern: str | None) -> str | None:
        if pattern is None:
            return None
        names = set(_compiled(pattern).groupindex)
        if unknown := names - LINE_GROUPS:
            raise ValueError(f"lines: unknown groups {sorted(unknown)} "
                             f"(known: {', '.join(sorted(LINE_GROUPS))})")
        if "description" not in names or not names & {"quantity", "amount"}:
            raise ValueError("lines: needs a `description` group and `quantity` or `amount`")
        return pattern


class Template(Strict):
    """One issuer's layout: the keywords that pick it, the record kind, fields and options."""

    issuer: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    kind: Kind
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    options: Options = Options()
    file: str = ""  # set by the loader: where the template was read from

    @model_validator(mode="after")
    def _fields_fit_the_record(self) -> Template:
        for name, spec in self.fields.items():
            wanted = field_type(self.kind, name)
            if wanted is None:
                raise ValueError(f"fields.{name}: not a field of a {self.kind} "
                                 f"(known: {', '.join(fillable(self.kind))})")
            if spec.type is not None and spec.type != wanted:
                raise ValueError(f"fields.{name}: type {spec.type} cannot fill a {wanted} field")
        if self.options.lines and self.kind != "fuel_invoice":
            raise ValueError("options.lines: only a fuel_invoice has goods lines")
        if not self.fields and not self.options.lines:
            raise ValueError("fields: name at least one field to read")
        return self

    def type_of(self, name: str) -> str:
        """The type a field's text is read as."""
        return self.fields[name].type or field_type(self.kind, name) or "text"


def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"regex {pattern!r} does not compile: {exc}") from exc


def lab_parameters() -> tuple[str, ...]:
    """Result parameters a lab template may read (the vocabulary's parameters and gases)."""
    return tuple(vocabulary()["lab_parameter"]) + tuple(vocabulary()["lab_gas"])


def fillable(kind: str) -> list[str]:
    """Field names a template of this kind may fill."""
    names = [n for n in RECORDS[kind].model_fields if n not in NOT_FILLED]
    return names + list(lab_parameters()) if kind == "lab_report" else names


def field_type(kind: str, name: str) -> str | None:
    """The template type that fills a record field (a lab parameter is a number), or None."""
    if kind == "lab_report" and name in lab_parameters():
        return "number"
    info = RECORDS[kind].model_fields.get(name)
    if info is None or name in NOT_FILLED:
        return None
    args = set(typing.get_args(info.annotation)) if isinstance(
        info.annotation, types.UnionType) else {info.annotation}
    if float in args:
        return "number"
    return "date" if dt.date in args else "text"
