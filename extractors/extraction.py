"""What reading one file yields: the document as read, its records and notes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from verify.model.records import (
    Claim,
    Document,
    DocumentStatus,
    FuelInvoice,
    LabReport,
    MeterRecord,
    ProductionRecord,
    StockRecord,
)

AnyRecord = FuelInvoice | LabReport | ProductionRecord | StockRecord | MeterRecord | Claim


class Extraction(BaseModel):
    """The document (kind, pages, status, error filled), its records, and why fields are missing."""

    document: Document
    records: list[AnyRecord] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def unreadable(document: Document, reason: str, **changes: object) -> Extraction:
    """An extraction for a file that could not be read, with the reason."""
    doc = document.model_copy(update={"status": DocumentStatus.UNREADABLE, "error": reason,
                                       **changes})
    return Extraction(document=doc)
