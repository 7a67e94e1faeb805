"""The thresholds a run applied, named in the workpapers' language (no raw keys).

The run's thresholds are the catalogue's own (verify/data/rules.toml through load_thresholds),
so every key a real run records is checked, in English and in Chinese.
"""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from test_report import march_run

from verify.domain.thresholds import load_thresholds
from verify.report import write_workpapers
from verify.report.settings import strings
from verify.report.threshold_names import threshold_label, threshold_value


@pytest.fixture(scope="module")
def applied() -> dict:
    return load_thresholds().as_report() | {"materiality_override_pct": 1.0}


@pytest.fixture(scope="module", params=["en", "zh"])
def block(request, applied, tmp_path_factory):
    """(lang, [(label, value)]) of the Summary sheet's thresholds block."""
    lang = request.param
    t = strings(lang)
    run = march_run().model_copy(update={"thresholds": applied})
    path = write_workpapers(run, [], tmp_path_factory.mktemp(f"wp-{lang}") / "w.xlsx", lang)
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == t["thresholds_used"])
    return lang, [(row[0], row[1]) for row in rows[start + 1:start + 1 + len(applied)]]


def test_every_threshold_has_a_row_and_its_value(block, applied):
    _, rows = block
    assert len(rows) == len(applied)
    numbers = [v for v in applied.values() if isinstance(v, int | float)]
    assert [v for _, v in rows if isinstance(v, int | float)] == pytest.approx(numbers)


def test_no_raw_key_is_left_in_the_block(block, applied):
    lang, rows = block
    for label, value in rows:
        assert not re.search(r"[a-z]+_[a-z_]+", label), label  # no snake_case key
        if isinstance(value, str):
            assert not re.search(r"[a-z]+_[a-z_]+", value), (label, value)
    if lang == "zh":  # the Chinese block is Chinese: no English word in a label
        words = {w for label, _ in rows for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", label)
                 if not any(c.isdigit() for c in w)}  # tCO2 is a unit
        assert not words, words


def test_a_dotted_key_names_its_stream_and_parameter():
    t = strings("en")
    assert threshold_label("lab_range.coke.ncv", t, lambda s: {"coke": "Coke"}.get(s, s)) == (
        "Plausible lab value: Coke, NCV")
    assert threshold_value("lab_required.coke", "ncv, carbon, moisture_total|moisture_ad", t) == (
        "NCV, Carbon, Total moisture or Air-dried moisture")
    assert threshold_label("a_new_key", t, str) == "a new key"  # unknown: its own words
