"""One invoice from what an OFD e-invoice says three ways: the invoice XML it attaches, its
semantic tags (custom tags pointing at the page objects printing each field) and the page read
as printed (labels beside values). Each field is cross-checked between them.

A field's value is the XML's when it states one (exact, unrounded), else the tag's, else the
one read beside its label. Its provenance is the page and box of the printed object when a tag
points at text that states the same value (else the box read beside the label, else the XML
element): a verifier is shown where the value stands on the page. Every disagreement is a note
naming the field and both values: the XML states what the page does not print, or prints
otherwise; a tag points at text that is not a value of the field's kind, or at another value
than the one printed beside the label.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.einvoice_xml import CONVERT
from extractors.invoice_lines import goods_stream
from extractors.ofd.tags import Tagged
from extractors.provenance import Origin
from verify.model.records import FuelInvoice, InvoiceLine, Provenance

HEADER = ("number", "code", "date", "seller", "buyer", "seller_tax_id", "buyer_tax_id",
          "total_amount", "total_tax",
          "total_with_tax", "total_with_tax_words")
LINE = ("description", "spec", "unit", "quantity", "unit_price", "amount", "tax_rate", "tax")
NUMERIC = {"total_amount", "total_tax", "total_with_tax", "quantity", "unit_price", "amount",
           "tax", "tax_rate"}
_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/_.]*$")
KIND = {"number": "an invoice number", "code": "an invoice code", "date": "a date",
        "tax_rate": "a tax rate", "description": "a description"}


@dataclass(frozen=True)
class Said:
    """One source's value of a field: the value, the text it was read from, where it stands."""

    value: object
    text: str
    where: Provenance
    tag: str = ""  # the custom tag pointing at it, when a tag gave it

    @property
    def place(self) -> str:
        w = self.where
        if w.bbox is None:
            return w.cell or ""
        return f"page {w.page} at [" + ", ".join(f"{v:.0f}" for v in w.bbox) + "]"


def tag_value(field: str, text: str) -> object:
    """A field's typed value from the text a tag points at; None when it is not one."""
    text = text.strip()
    if field in ("number", "code"):
        token = text.split()[0] if text.split() else ""
        return token if _CODE.match(token) else None
    if field == "description":
        return text or None
    try:
        return CONVERT.get(field, lambda t: t or None)(text)
    except (ValueError, TypeError):
        return None


def _decimals(text: str) -> int:
    digits = re.sub(r"[^\d.]", "", text)
    return len(digits.split(".")[1]) if "." in digits else 0


def same(field: str, a: Said, b: Said) -> bool:
    """Whether two sources state one value: numbers to the precision printed, text without
    blanks (a wrapped name reads with or without one)."""
    if field in NUMERIC and isinstance(a.value, int | float) and isinstance(b.value, int | float):
        if field == "tax_rate":
            return abs(a.value - b.value) < 1e-9
        half = 0.5 * 10 ** -min(_decimals(a.text), _decimals(b.text))
        return abs(a.value - b.value) <= max(half, 1e-9 * abs(a.value))
    fold = lambda v: re.sub(r"\s+", "", str(v))  # noqa: E731
    return fold(a.value) == fold(b.value)


def _from_record(record, field: str) -> Said | None:
    value = getattr(record, field, None) if record is not None else None
    if value is None or value == "":
        return None
    where = record.where(field)
    return Said(value, where.text, where)


def _from_tag(field: str, tagged: Tagged | None, origin: Origin) -> Said | None:
    """What a tag points at, its value None when the text is not one of the field's kind."""
    if tagged is None:
        return None
    return Said(tag_value(field, tagged.text), tagged.text, origin.at_word(tagged.word),
                tagged.tag)


def _kind(field: str) -> str:
    return KIND.get(field, "a number" if field in NUMERIC else f"a {field}")


def choose(field: str, label: str, xml: Said | None, tag: Said | None, page: Said | None,
           printed: str, notes: list[str]) -> Said | None:
    """The value of one field and its provenance, noting where the sources disagree."""
    value = xml or tag or page
    if value is None:
        return None
    shown = tag or page
    if xml is not None:
        if shown is not None and not same(field, xml, shown):
            how = f"custom tag {shown.tag} points at" if shown.tag else "the page prints"
            notes.append(f"{label}: the XML states {xml.text!r}, {how} {shown.text!r} "
                         f"({shown.place})")
        elif shown is None and not _printed(field, xml, printed):
            notes.append(f"{label}: the XML states {xml.text!r}, which the page does not print")
    elif tag is not None and page is not None and not same(field, tag, page):
        notes.append(f"{label}: custom tag {tag.tag} points at {tag.text!r} "
                     f"({tag.place}), the page read by its labels gives {page.text!r} "
                     f"({page.place})")
    for source in (tag, page):
        if source is not None and same(field, value, source):
            return Said(value.value, value.text, source.where, source.tag)
    return value


def _printed(field: str, said: Said, printed: str) -> bool:
    """Whether the page prints a value anywhere, in any of the ways it is written (a date as
    2022年09月01日 or 2022-09-01, an amount with or without thousands separators)."""
    value = said.value
    ways = {said.text}
    if isinstance(value, dt.date):
        y, m, d = value.year, value.month, value.day
        ways |= {f"{y}年{m:02d}月{d:02d}日", f"{y}年{m}月{d}日", value.isoformat(),
                 f"{y}/{m:02d}/{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{y}{m:02d}{d:02d}"}
    elif field == "tax_rate" and isinstance(value, float):
        ways |= {f"{value * 100:g}%", f"{value * 100:.2f}%"}
    elif isinstance(value, float):
        ways |= {f"{value:.2f}", f"{value:,.2f}", f"{value:g}"}
    return any(_fold(w) in printed for w in ways if _fold(w))


def _fold(text: str) -> str:
    return re.sub(r"[\s¥￥]+", "", text)


def printed_text(pages) -> str:
    """Every page's words run together (where a value the XML states is looked for)."""
    return _fold("".join(w.text for p in pages for w in p.words))


def custom_data(ofd, origin: Origin) -> dict[str, Said]:
    """Field -> what the document's custom data states of it (OFD.xml DocInfo, names per field
    in [ofd_custom_data] of data/einvoice_xml.toml)."""
    from extractors.einvoice_xml import data

    out: dict[str, Said] = {}
    for field, names in data()["ofd_custom_data"].items():
        name = next((n for n in names if ofd.custom_data.get(n)), None)
        if name is None:
            continue
        text = ofd.custom_data[name]
        where = origin.at_path(f"OFD.xml!/OFD/DocBody/DocInfo/CustomDatas/CustomData[@Name="
                               f"'{name}']", text)
        out[field] = Said(tag_value(field, text), text, where, f"custom data {name}")
    return out


class Merger:
    """The fields of one invoice from its XML record, its tags and its printed record, checked
    against the document's custom data."""

    def __init__(self, origin: Origin, printed: str, notes: list[str],
                 meta: dict[str, Said] | None = None) -> None:
        self.origin, self.printed, self.notes = origin, printed, notes
        self.meta = meta or {}

    def _checked(self, field: str, label: str, chosen: Said | None) -> Said | None:
        """The value chosen, checked against the custom data (its value when none was read)."""
        meta = self.meta.get(field)
        if meta is None or meta.value is None:
            return chosen
        if chosen is None:
            return meta
        if not same(field, meta, chosen):
            self.notes.append(f"{label}: the document's {meta.tag} states {meta.text!r}, "
                              f"the invoice read gives {chosen.text!r} ({chosen.place})")
        return chosen

    def fields(self, names: tuple[str, ...], xml, tags: dict[str, Tagged], page,
               prefix: str = "") -> tuple[dict[str, object], dict[str, Provenance]]:
        values: dict[str, object] = {}
        sources: dict[str, Provenance] = {}
        for field in names:
            label = prefix + field
            tag = _from_tag(field, tags.get(field), self.origin)
            if tag is not None and tag.value is None:
                chosen = choose(field, label, _from_record(xml, field), None,
                                _from_record(page, field), self.printed, self.notes)
                read = f"{chosen.text!r} read ({chosen.place})" if chosen else "no value read"
                self.notes.append(f"{label}: custom tag {tag.tag} points at {tag.text!r} "
                                  f"({tag.place}), which is not {_kind(field)}; {read}")
            else:
                chosen = choose(field, label, _from_record(xml, field), tag,
                                _from_record(page, field), self.printed, self.notes)
            if not prefix:
                chosen = self._checked(field, label, chosen)
            if chosen is not None:
                values[field], sources[field] = chosen.value, chosen.where
        return values, sources

    def lines(self, xml: list[InvoiceLine], tags: list[dict[str, Tagged]],
              page: list[InvoiceLine]) -> list[InvoiceLine]:
        """Goods lines in order: the XML's, else the tags', else the page's, each line's fields
        cross-checked with the same line of the other sources."""
        base, said = (xml, "the XML") if xml else (tags, "the custom tags") if tags else \
            (page, "the page")
        count = len(base)
        for other, name in ((tags, "the custom tags"), (page, "the page")):
            if other is not base and other and len(other) != count:
                self.notes.append(f"goods lines: {count} in {said}, {len(other)} in {name}")
        out = []
        for i in range(count):
            x, t, p = _nth(xml, i), _nth(tags, i) or {}, _nth(page, i)
            values, sources = self.fields(LINE, x, t, p, f"lines[{i + 1}].")
            if "description" not in values and "amount" not in values:
                continue
            desc = str(values.pop("description", ""))
            source = (p or x).source if (p or x) is not None else \
                next(iter(sources.values()))
            out.append(InvoiceLine(source=source, sources=sources, description=desc,
                                   stream=goods_stream(desc) if desc else None, **values))
        return out


def _nth(rows: list, i: int):
    return rows[i] if i < len(rows) else None


def merged(origin: Origin, printed: str, xml: FuelInvoice | None, tags: dict[str, Tagged],
           line_tags: list[dict[str, Tagged]], page: FuelInvoice | None,
           notes: list[str], meta: dict[str, Said] | None = None) -> FuelInvoice | None:
    """The one invoice the sources state, or None without an invoice number."""
    m = Merger(origin, printed, notes, meta)
    values, sources = m.fields(HEADER, xml, tags, page)
    if "number" not in values:
        return None
    lines = m.lines(xml.lines if xml else [], line_tags, page.lines if page else [])
    source = page.source if page is not None else origin.at_page(1)
    currency = page.currency if page is not None else "CNY"
    return FuelInvoice(source=source, sources=sources, lines=lines, currency=currency, **values)
