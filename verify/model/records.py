"""Typed records read from evidence, and the findings a verification produces.

Every value a verifier may question carries its `Provenance`, stamped where the value was read
(as pdfplumber stamps its chars): a record keeps one `Provenance` per field name in `sources`.
Records are frozen: a value read from a document is never edited, only compared.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base of every record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(Frozen):
    """Where a value stands: file, hash, page and box (PDF points, top-left origin) or cell."""

    file: str
    sha256: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    cell: str | None = None  # "Sheet!B7"
    text: str = ""
    ocr: bool = False
    confidence: float | None = None


class DocumentKind(StrEnum):
    FUEL_INVOICE = "fuel_invoice"
    LAB_REPORT = "lab_report"
    PRODUCTION_RECORD = "production_record"
    STOCK_RECORD = "stock_record"
    METER_RECORD = "meter_record"
    CLAIM = "claim"
    UNKNOWN = "unknown"


class DocumentStatus(StrEnum):
    PARSED = "parsed"
    UNREADABLE = "unreadable"
    UNCLASSIFIED = "unclassified"


class Document(Frozen):
    """One file of the bundle, as discovered and read."""

    file: str  # path relative to the bundle root, "/" separated
    sha256: str
    size: int = 0
    kind: DocumentKind = DocumentKind.UNKNOWN
    pages: int | None = None
    status: DocumentStatus = DocumentStatus.PARSED
    error: str | None = None
    confidence: float | None = None
    unread: str | None = None  # what a reader's cap left unread: the file was read in part


class Sourced(Frozen):
    """A record whose fields each carry a provenance (key: field name)."""

    source: Provenance  # the document (first page or sheet) the record came from
    sources: dict[str, Provenance] = Field(default_factory=dict)

    def where(self, field: str) -> Provenance:
        """Provenance of one field, falling back to the record's own source."""
        return self.sources.get(field, self.source)


# --- fuel invoices --------------------------------------------------------------------------


class InvoiceLine(Sourced):
    description: str
    stream: str | None = None  # canonical stream id when the goods are a known fuel/material
    spec: str | None = None
    unit: str | None = None  # as printed: t, 吨, kg, Nm3, 万Nm3, m3 ...
    quantity: float | None = None
    unit_price: float | None = None
    amount: float | None = None  # net of tax
    tax_rate: float | None = None  # fraction, 0.13
    tax: float | None = None


class FuelInvoice(Sourced):
    """An invoice of any goods; the rules decide whether its lines are fuels."""

    number: str
    code: str | None = None  # 发票代码 of the older national VAT invoice
    date: dt.date | None = None
    seller: str | None = None
    buyer: str | None = None
    seller_tax_id: str | None = None  # 纳税人识别号 / 统一社会信用代码, VAT number
    buyer_tax_id: str | None = None
    currency: str = "CNY"
    lines: list[InvoiceLine] = Field(default_factory=list)
    total_amount: float | None = None
    total_tax: float | None = None
    total_with_tax: float | None = None
    total_with_tax_words: str | None = None  # 价税合计 (大写)
    template: str | None = None  # the supplier template that filled fields the reader missed


# --- lab reports ----------------------------------------------------------------------------


class Basis(StrEnum):
    AS_RECEIVED = "ar"
    AIR_DRIED = "ad"
    DRY = "d"
    DRY_ASH_FREE = "daf"


class LabResult(Sourced):
    """One determined parameter: `ncv`, `carbon`, `moisture_total`, `moisture_ad`, `ash`,
    `volatiles`, `fixed_carbon`, `sulphur`, `hydrogen`, or a gas component `ch4`, `c2h6` ..."""

    parameter: str
    value: float
    unit: str  # "%", "MJ/kg", "kcal/kg", "GJ/t", "MJ/Nm3", "kJ/m3", "mol%"
    basis: Basis | None = None
    method: str | None = None  # "GB/T 213-2008"


class LabReport(Sourced):
    report_no: str
    lab_name: str | None = None
    accreditation: list[str] = Field(default_factory=list)  # ["CMA 191234567890", "CNAS L1234"]
    sample_id: str | None = None
    stream: str | None = None
    sample_description: str | None = None
    sampling_date: dt.date | None = None
    report_date: dt.date | None = None
    results: list[LabResult] = Field(default_factory=list)
    template: str | None = None  # the lab template that filled fields the reader missed

    def result(self, parameter: str, basis: Basis | None = None) -> LabResult | None:
        """The first result for a parameter (and basis, when given)."""
        for r in self.results:
            if r.parameter == parameter and (basis is None or r.basis == basis):
                return r
        return None


# --- production, stock, meters --------------------------------------------------------------


class ProductionRecord(Sourced):
    """Monthly output of one product, as the plant's production record states it."""

    period: str  # YYYY-MM
    product: str  # canonical id: crude_steel, pig_iron, sinter, coke ...
    quantity: float
    unit: str = "t"
    daily_rows: int | None = None  # number of daily rows summed, when read from a daily sheet


class StockRecord(Sourced):
    """Monthly stock movement of one fuel or material."""

    period: str
    stream: str
    unit: str = "t"
    opening: float | None = None
    received: float | None = None
    consumed: float | None = None
    outbound: float | None = None
    closing: float | None = None


class MeterRecord(Sourced):
    """Monthly metered volume of one gas (or electricity)."""

    period: str
    stream: str
    unit: str
    total: float
    daily_rows: int | None = None


# --- the enterprise's claim -----------------------------------------------------------------


class DataSource(StrEnum):
    MEASURED = "measured"
    DEFAULT = "default"


class ClaimFuelRow(Sourced):
    period: str | None = None
    stream: str
    label: str = ""  # as written in the claim
    unit: str = "t"  # activity unit: t or 10^4 Nm3
    opening: float | None = None
    purchased: float | None = None
    closing: float | None = None
    outbound: float | None = None
    consumed: float
    ncv: float
    ncv_unit: str = "GJ/t"
    carbon_content: float  # tC/GJ
    oxidation: float = 1.0
    emissions: float
    data_source: DataSource = DataSource.MEASURED


class ClaimProcessRow(Sourced):
    period: str | None = None
    material: str
    label: str = ""
    consumed: float
    ef: float
    emissions: float


class ClaimProductRow(Sourced):
    period: str | None = None
    product: str
    label: str = ""
    output: float
    ef: float
    deduction: float


class Claim(Sourced):
    """What the enterprise says it emitted: one month or several (rows carry their period)."""

    facility_id: str
    facility_name: str = ""
    period: str  # "2025-03" or "2025-01..2025-12"
    method: str = "cn-steel-2025"
    crude_steel_t: float | None = None
    total_tco2: float
    fuels: list[ClaimFuelRow] = Field(default_factory=list)
    process: list[ClaimProcessRow] = Field(default_factory=list)
    products: list[ClaimProductRow] = Field(default_factory=list)


# --- findings -------------------------------------------------------------------------------


class Severity(StrEnum):
    MISSTATEMENT = "misstatement"
    NON_CONFORMITY = "non_conformity"
    OBSERVATION = "observation"


class Finding(Frozen):
    """One thing a verifier would write down, with the numbers that prove it."""

    rule: str
    severity: Severity
    message: str
    stream: str | None = None
    period: str | None = None
    impact_tco2: float | None = None  # signed: claimed minus verified effect
    claimed: float | None = None
    evidenced: float | None = None
    difference: float | None = None
    threshold: str | None = None
    evidence: list[Provenance] = Field(default_factory=list)
    scope_limitation: bool = False
    quantity: str | None = None  # the figure it is about, when a rule sees several (ncv, cc)


Record = FuelInvoice | LabReport | ProductionRecord | StockRecord | MeterRecord | Claim
