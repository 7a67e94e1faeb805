"""Every default factor names the primary document it comes from (guideline, annex, table),
so a verifier can open the source, and nothing cites a file outside the repository."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from verify.domain.factors import METHODS, factor_table

PRIMARY = ("NDRC 2013", "MEE 2025", "IPCC 2006 Guidelines", "MRR 2018/2066", "GB/T 32151")


def _rows(method: str) -> list[dict[str, str]]:
    text = resources.files("verify").joinpath("data", "factors", f"{method}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("method", METHODS)
def test_every_factor_cites_a_primary_source(method):
    for row in _rows(method):
        source = row["source"]
        assert any(doc in source for doc in PRIMARY), (method, row["stream"], source)
        assert ".md" not in source, (method, row["stream"], source)


@pytest.mark.parametrize("method", METHODS)
def test_the_table_carries_the_sources_the_file_gives(method):
    table = factor_table(method)
    for row in _rows(method):
        factor = table.get(row["stream"], row["parameter"])
        assert factor is not None and factor.source == row["source"]
