"""The e-invoice in its native XML: one FuelInvoice, every field stamped with its element.

The XML states each value exactly, so nothing is inferred from layout: fields are read by element
name (data/einvoice_xml.toml, one table per schema: the national 数电 XML, the 2019 provincial
eInvoice, the MOF XBRL invoice), a missing element is named in the notes, and a value's provenance
is its XPath-like locator (`cell="/EInvoice/EInvoiceData/BasicInformation/TotalTaxAm"`), prefixed
by the attachment's path when the XML was carried inside an OFD package.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from xml.etree.ElementTree import Element

from extractors.invoice_lines import goods_stream
from extractors.provenance import Origin
from extractors.tax_id import kind_of
from extractors.values.cnamount import find_capitals, parse_capitals
from extractors.values.dates import parse_date
from extractors.values.numbers import parse_number, parse_rate
from extractors.xmlsafe import find, local, read_xml, text_of, walk
from verify.model.records import FuelInvoice, InvoiceLine, Provenance

LINE_NUMBERS = ("quantity", "unit_price", "amount", "tax")


@lru_cache(maxsize=1)
def data() -> dict:
    """data/einvoice_xml.toml: the XML schemas and the OFD custom tags."""
    text = resources.files("extractors").joinpath("data", "einvoice_xml.toml").read_text("utf-8")
    return tomllib.loads(text)


def schemas() -> dict[str, dict]:
    """Every invoice XML schema by name (roots, marks, invoice fields, goods lines)."""
    return data()["xml"]


def schema() -> dict:
    """The national 数电 XML's schema."""
    return schemas()["shudian"]


def schema_of(root: Element | str) -> dict | None:
    """The schema an XML document is written in, by its root element (and the elements a root
    as general as XBRL's must hold); None when it is no invoice we know. A root's name alone
    names only the schemas that need no marks."""
    name = root if isinstance(root, str) else local(root.tag)
    for spec in schemas().values():
        if name not in spec["roots"]:
            continue
        marks = set(spec.get("marks", ()))
        if not marks:
            return spec
        if not isinstance(root, str) and any(local(e.tag) in marks for e in root.iter()):
            return spec
    return None


def is_einvoice(root: Element | str) -> bool:
    """Whether an XML document is an e-invoice (by its root element or the root's name)."""
    return schema_of(root) is not None


def load(path: Path) -> Element:
    """The root of an XML file, parsed safely (raises Unreadable with the reason)."""
    return read_xml(path, "the XML file")


def _anywhere(root: Element, name: str, at: str, skip: str) -> tuple[Element, str] | None:
    """The first element with a local name anywhere under root, outside the goods lines."""
    for element, where in walk(root, at):
        inside = any(s.split("[")[0] == skip for s in where.split("/"))
        if local(element.tag) == name and not inside:
            return element, where
    return None


def locate(root: Element, paths: list[str], at: str,
           spec: dict | None = None) -> tuple[Element, str] | None:
    """The element of the first path found, else the first element named like a path's end."""
    for path in paths:
        if (found := find(root, path, at)) is not None:
            return found
    skip = (spec or schema())["line"]["each"].rsplit("/", 1)[-1]
    for path in paths:
        if (found := _anywhere(root, path.rsplit("/", 1)[-1], at, skip)) is not None:
            return found
    return None


CONVERT: dict[str, Callable[[str], object]] = {
    "date": parse_date, "code": lambda t: t.strip() or None, "total_amount": parse_number, "total_tax": parse_number,
    "total_with_tax": parse_number, "total_with_tax_words": lambda t: find_capitals(t) or None,
    "quantity": parse_number, "unit_price": parse_number, "amount": parse_number,
    "tax": parse_number, "tax_rate": parse_rate,  # '0.13', '0.130000' or '13%'
    "seller_tax_id": lambda t: t.strip() or None, "buyer_tax_id": lambda t: t.strip() or None,
}


def _value(field: str, text: str) -> object:
    """A field's typed value from its element's text (None when empty or unreadable)."""
    if not text:
        return None
    return CONVERT.get(field, lambda t: t)(text)


def _line(item: Element, at: str, origin: Origin, prefix: str, n: int,
          notes: list[str], spec: dict) -> InvoiceLine | None:
    """One goods line from its element (IssuItemInformation, GoodsInfo ...)."""
    values: dict[str, object] = {}
    sources: dict[str, Provenance] = {}
    missing = []
    for field, name in spec["line"].items():
        if field == "each":
            continue
        found = find(item, name, at)
        if found is None:
            missing.append(name)
            continue
        text = text_of(found[0])
        if (value := _value(field, text)) is not None:
            values[field] = value
            sources[field] = origin.at_path(prefix + found[1], text)
    if missing:
        notes.append(f"goods line {n}: not in the XML: {', '.join(missing)}")
    if "description" not in values and "amount" not in values:
        return None
    desc = str(values.pop("description", ""))
    return InvoiceLine(source=origin.at_path(prefix + at, ""), sources=sources, description=desc,
                       stream=goods_stream(desc) if desc else None, **values)


def _lines(root: Element, at: str, origin: Origin, prefix: str,
           notes: list[str], spec: dict) -> list[InvoiceLine]:
    """Every goods line, in document order."""
    parent_path, _, name = spec["line"]["each"].rpartition("/")
    parent = find(root, parent_path, at) if parent_path else (root, at)
    if parent is None:
        return []
    items = [(c, w) for c, w in walk(parent[0], parent[1]) if local(c.tag) == name]
    lines = [_line(c, w, origin, prefix, i, notes, spec) for i, (c, w) in enumerate(items, 1)]
    return [ln for ln in lines if ln is not None]


def _check_words(values: dict, notes: list[str]) -> None:
    """Note when the total in capitals does not state the total in figures (figure kept)."""
    stated = parse_capitals(values.get("total_with_tax_words"))
    figure = values.get("total_with_tax")
    if stated is not None and figure is not None and abs(stated - figure) > 0.005:
        notes.append(f"价税合计: capitals state {stated:.2f}, figures state {figure:.2f}")


def read_einvoice(root: Element, origin: Origin, prefix: str = ""
                  ) -> tuple[list[FuelInvoice], list[str]]:
    """The invoice an e-invoice XML states, with notes on what the XML does not hold."""
    spec = schema_of(root) or schema()
    at = "/" + local(root.tag)
    values: dict[str, object] = {}
    sources: dict[str, Provenance] = {}
    notes: list[str] = []
    for field, paths in spec["invoice"].items():
        found = locate(root, paths, at, spec)
        if found is None:
            notes.append(f"{field}: not in the XML ({', '.join(paths)})")
            continue
        text = text_of(found[0])
        if (value := _value(field, text)) is not None:
            values[field] = value
            sources[field] = origin.at_path(prefix + found[1], text)
    if "number" not in values:
        return [], [*notes, "no invoice number: the XML cannot be told apart from others"]
    notes += [f"{field}: {values[field]!r} is not a tax identifier of a known shape"
              for field in ("seller_tax_id", "buyer_tax_id")
              if field in values and kind_of(str(values[field])) is None]
    lines = _lines(root, at, origin, prefix, notes, spec)
    _check_words(values, notes)
    return [FuelInvoice(source=origin.at_path(prefix + at, ""), sources=sources, lines=lines,
                        **values)], notes


def parse(path: Path, origin: Origin) -> tuple[list[FuelInvoice], list[str]]:
    """The invoice of a 数电 XML file, with notes on what could not be read."""
    return read_einvoice(load(path), origin)
