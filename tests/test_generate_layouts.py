"""The generator's re-printed invoice layouts (fixtures/generate/render_west.py,
render_cn_digital.py): each rendered to a real PDF with WeasyPrint, read back by the invoice
reader and compared with the truth record the generator writes for it, field by field."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from extractors.read import document_for, extract_file
from fixtures.generate import render_cn_digital, render_west
from fixtures.generate.invoices import build_invoice
from fixtures.generate.plan import make_profile
from fixtures.generate.records import invoice as invoice_record
from fixtures.generate.records import strip_sources
from fixtures.generate.render_pdf import html_to_pdf


def _record(stream: str, lang: str, layout: str, seed: int, n_lines: int) -> dict:
    """A generated invoice's truth record, as `generate` writes it."""
    rng = random.Random(seed)
    prof = make_profile(rng, 0, lang)
    qty = Decimal("38.5123") if stream == "natural_gas" else Decimal("2345.67")
    inv = build_invoice(rng, stream, qty, dt.date(2025, 3, 14), prof, lang, layout, n_lines)
    return strip_sources(invoice_record(inv, layout).model_dump(mode="json"))


def _diffs(want, got, path=""):
    """Leaf fields of the truth record the reader got otherwise."""
    if isinstance(want, dict):
        for k, v in want.items():
            yield from _diffs(v, got.get(k) if isinstance(got, dict) else None, f"{path}.{k}")
    elif isinstance(want, list):
        for i, v in enumerate(want):
            yield from _diffs(v, got[i] if isinstance(got, list) and i < len(got) else None,
                              f"{path}[{i}]")
    elif want != got and not (isinstance(want, float) and isinstance(got, float)
                              and abs(want - got) < 1e-6):
        yield path, want, got


def _read(tmp_path, html: str) -> dict:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(html_to_pdf(html))
    result = extract_file(path, document_for(path))
    records = [r for r in result.records if type(r).__name__ == "FuelInvoice"]
    assert len(records) == 1, (result.document.kind, result.notes)
    return strip_sources(records[0].model_dump(mode="json"))


@pytest.mark.parametrize("lang", render_west.LANGS)
@pytest.mark.parametrize("stream", ["bituminous_coal", "coke", "diesel", "natural_gas"])
def test_european_fuel_invoice_reads_as_its_truth(tmp_path, lang, stream):
    record = _record(stream, "en", "en_ruled", seed=len(lang) * 31 + len(stream), n_lines=2)
    truth = render_west.record_for(record, lang)
    got = _read(tmp_path, render_west.html(record, lang))
    assert list(_diffs(truth, got)) == []
    assert truth["currency"] == ("PLN" if lang == "pl" else "EUR")
    assert all(ln["stream"] == stream for ln in got["lines"])  # the fuel named in the language


def test_shudian_invoice_reads_as_its_truth(tmp_path):
    record = _record("coke", "zh", "cn_digital", seed=5, n_lines=3)
    assert render_cn_digital.fits(record)
    truth = render_cn_digital.record_for(record)
    got = _read(tmp_path, render_cn_digital.html(truth))
    assert list(_diffs(truth, got)) == []
    assert truth["total_with_tax_words"]  # the capitals are printed and read


def test_shudian_layout_takes_only_20_digit_numbers():
    record = _record("coke", "zh", "cn_vat", seed=5, n_lines=1)
    assert not render_cn_digital.fits(record)
