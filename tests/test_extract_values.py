"""Printed numbers, dates and Chinese capital amounts as the documents print them."""

import datetime as dt

import pytest

from extractors.values.cnamount import parse_capitals
from extractors.values.dates import parse_date, parse_period
from extractors.values.numbers import first_number, parse_number, parse_rate


@pytest.mark.parametrize("text, value", [
    ("1,234.56", 1234.56), ("1 234.56", 1234.56), ("1.234,56", 1234.56), ("¥1,234.56", 1234.56),
    ("（小写）¥2,916,614.75", 2916614.75), ("1,234", 1234.0), ("-12.5", -12.5), ("0.0001", 0.0001),
    ("2025-03-14", None), ("GB/T", None), ("", None), ("***", None),
])
def test_printed_numbers(text, value):
    assert parse_number(text) == value


def test_rates_and_first_number():
    assert parse_rate("13%") == pytest.approx(0.13)
    assert parse_rate("9") == pytest.approx(0.09)
    assert first_number("3,566,000.00 USD") == 3566000.0


@pytest.mark.parametrize("text", ["2025-03-14", "14/03/2025", "2025年03月14日", "20250314",
                                  "14.03.2025", "2025/3/14", "14 Mar 2025", "March 14, 2025"])
def test_printed_dates(text):
    assert parse_date(text) == dt.date(2025, 3, 14)


def test_period_from_a_title():
    assert parse_period("唐山钢铁 2025年3月 生产日报") == "2025-03"
    assert parse_period("Production 2025-03") == "2025-03"


@pytest.mark.parametrize("text, value", [
    ("壹佰贰拾叁万肆仟伍佰陆拾柒圆捌角玖分", 1234567.89),
    ("ⓧ贰佰玖拾壹万陆仟陆佰壹拾肆圆柒角伍分", 2916614.75),
    ("壹佰肆拾肆万陆仟肆佰圆整", 1446400.0),
    ("贰亿零叁万圆整", 200030000.0),
    ("壹仟零伍圆零伍分", 1005.05),
])
def test_capital_amounts(text, value):
    assert parse_capitals(text) == pytest.approx(value)
