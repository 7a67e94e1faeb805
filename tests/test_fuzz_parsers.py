"""Property tests over the parsers every document passes through: whatever text a page or cell
holds, a parser returns a value of its kind or None and never raises; the claim reader turns any
cell it cannot use into a ClaimError naming the cell; zip discovery turns any bytes into
Documents or a BundleError. Each crash hypothesis finds becomes an example here."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors.claim_template import write_claim_workbook
from extractors.discover import discover
from extractors.names import decode_name, shown_name
from extractors.read import document_for
from extractors.values.cnamount import find_capitals, parse_capitals
from extractors.values.dates import parse_date, parse_period
from extractors.values.numbers import first_number, is_number, parse_number, parse_rate
from extractors.zipsafe import entry_name
from verify.model.errors import BundleError, ClaimError
from verify.model.units import is_known
from verify.model.vocabulary import normalise_label, stream_for

# text as documents print it: digits, separators, currency and unit marks, CJK numerals
PRINTED = st.text(alphabet=st.sampled_from(list("0123456789.,'  -+()%¥$€£/:年月日元角分整"
                                                 "壹贰叁肆伍陆柒捌玖拾佰仟万亿零tkgNm³吨万立方米"
                                                 "eE\u00a0\u3000")), max_size=40)
ANY_TEXT = st.one_of(PRINTED, st.text(max_size=60))
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ANY_TEXT)
@example("1.234.567,89")
@example("1e308" * 3)
@example("-0")
@example("９９９")
def test_numbers_are_finite_floats_or_none(text):
    for value in (parse_number(text), parse_number(text, ","), parse_number(text, "."),
                  first_number(text), parse_rate(text)):
        assert value is None or (isinstance(value, float) and math.isfinite(value))
    assert isinstance(is_number(text), bool)


@FAST
@given(ANY_TEXT)
@example("2025年13月45日")
@example("0000-00-00")
@example("31.02.2025")
def test_dates_are_real_dates_or_none(text):
    value = parse_date(text)
    assert value is None or isinstance(value, dt.date)
    period = parse_period(text)
    assert period is None or (len(period) == 7 and period[4] == "-")


@FAST
@given(ANY_TEXT)
@example("壹亿亿亿元整")
@example("零元零角零分")
def test_chinese_capital_amounts_are_numbers_or_none(text):
    found = find_capitals(text)
    assert found is None or isinstance(found, str)
    value = parse_capitals(text)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


@FAST
@given(ANY_TEXT)
def test_labels_units_and_streams_never_raise(text):
    assert isinstance(normalise_label(text), str)
    assert isinstance(is_known(text), bool)
    found = stream_for(text)
    assert found is None or isinstance(found, str)


@FAST
@given(st.binary(max_size=80))
def test_any_name_bytes_become_storable_text(raw):
    for name in (decode_name(raw), shown_name(raw.decode("utf-8", "surrogateescape"))):
        name.encode("utf-8")
    info = zipfile.ZipInfo(raw.decode("cp437"))
    entry_name(info).encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=0, max_size=2048), st.integers(min_value=0, max_value=2047))
@example(noise=b"@", at=128)  # a directory naming zip version 6.4: zipfile cannot read it
def test_any_bytes_as_a_zip_bundle_are_documents_or_a_bundle_error(tmp_path_factory, noise, at):
    """A real small zip with a stretch of its bytes overwritten, or bytes that are no zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/invoice.csv", "Invoice No,Quantity\nINV-1,10\n")
        zf.writestr("b/notes.txt", "x" * 300)
    data = bytearray(buffer.getvalue())
    data[at:at + len(noise)] = noise
    archive = Path(tmp_path_factory.mktemp("fz")) / "bundle.zip"
    archive.write_bytes(bytes(data))
    try:
        bundle = discover(archive)
    except BundleError:
        return
    try:
        for doc, _ in bundle.entries:
            doc.file.encode("utf-8")
            assert doc.error is None or isinstance(doc.error, str)
    finally:
        bundle.cleanup()


CELL = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(),
                 st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20), st.sampled_from(["=1/0", "#DIV/0!", "", "N/A", "-", "∞"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({"consumed": CELL, "ncv": CELL, "purchased": CELL}))
def test_any_cells_in_a_claim_are_read_or_named(tmp_path_factory, cells):
    """A claim whose fuel cells hold anything: a Claim, or a ClaimError naming sheet and cell."""
    from test_claim_reader import FUELS, PROCESS, PRODUCTS, SUMMARY

    from extractors.claim import read_claim

    row = dict(FUELS[0], **cells)
    path = Path(tmp_path_factory.mktemp("claim")) / "claim.xlsx"
    write_claim_workbook(path, "en", SUMMARY, [row], PROCESS, PRODUCTS)
    doc = document_for(path)
    try:
        claim = read_claim([path], [(doc.file, doc.sha256)])
    except ClaimError as exc:
        assert "Fuels!" in str(exc)
        return
    assert claim.fuels[0].stream == "coke"
