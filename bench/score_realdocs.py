"""Score the readers on real documents nobody here made: per document and field, found / wrong /
missing against the `<name>.expected.json` beside each file.

    python bench/score_realdocs.py [DIR] [--verbose] [--min-found PCT]

DIR defaults to ../shared/realdocs beside the repository (tests/realdocs holds the copies the
tests use). Two kinds of expectation are read:
- e-invoices (`invoice_number`, `issue_date`, `seller_name`, `seller_tax_id`, `total_incl_tax`,
  `lines` with `amount`, `tax_rate`, ...: read by eye or from the file's own embedded XML),
  every field;
- invoice2data's expected JSON (`invoice_number`, `date`, `amount`, `amount_untaxed`,
  `currency`, ...): what its templates extract. Its lines are template quirks (a `price_unit` that
  is the line's amount, lines moved out of page order), so only `qty` and `price_subtotal` of its
  lines are scored, each against the read line of the same amount, and the seller is right when
  the page's name and the template's issuer name contain one another.
A wrong value is marked `!` when the record's own arithmetic (net + tax = total, Σ lines = net)
fails, so the reader could have known; `?` when the record is consistent and still wrong.
Lab certificates and spreadsheets have no fuel-record expectations yet and are listed, not scored.
The last line is `realdocs: P passed, F failed` (P fields found right; F wrong or missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from extractors.read import document_for, extract_file  # the installed package, or PYTHONPATH

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "realdocs"

SUFFIXES = (".pdf", ".ofd", ".xml", ".xlsx", ".xls", ".csv", ".jpg", ".jpeg", ".png", ".tif",
            ".tiff", ".heic")
CENT = 0.005


@dataclass
class Score:
    """Field outcomes of one document."""

    file: str
    found: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> int:
        return len(self.found) + len(self.wrong) + len(self.missing)


def _text_key(value: object) -> str:
    """Text compared without case, width, spaces or punctuation (OCR and layout noise)."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return re.sub(r"[\W_]+", "", text)


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().rstrip("%")
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _rate(value: object) -> float | None:
    """A tax rate as a fraction: '6%' and 6 and 0.06 are the same."""
    number = _number(value)
    if number is None:
        return None
    return number / 100 if (isinstance(value, str) and "%" in value) or number > 1 else number


def _same_number(expected: object, got: object, tolerance: float = CENT) -> bool:
    e, g = _number(expected), _number(got)
    if e is None or g is None:
        return False
    # a unit price printed to many decimals is right when it agrees to the printed precision
    decimals = len(str(expected).split(".")[1]) if "." in str(expected) else 0
    return abs(e - g) <= max(tolerance, 0.5 * 10 ** -decimals) or abs(e - g) <= 1e-9 * abs(e)


def _same_date(expected: object, got: object) -> bool:
    try:
        return dt.date.fromisoformat(str(expected)[:10]) == dt.date.fromisoformat(str(got)[:10])
    except ValueError:
        return False


def _same_text(expected: object, got: object, contain: bool = False) -> bool:
    e, g = _text_key(expected), _text_key(got)
    if not e or not g:
        return False
    return e == g or (contain and (e in g or g in e))


def _same_number_text(expected: object, got: object) -> bool:
    """An invoice number: the same characters, a leading '#' or 'No.' aside."""
    return _text_key(str(expected).lstrip("#")) == _text_key(str(got).lstrip("#"))


def _header_fields(expected: dict) -> list[tuple[str, str, object, callable]]:
    """(field shown, record attribute, expected value, comparison) for one expectation."""
    invoice2data = "issuer" in expected and "gt_source" not in expected
    seller = expected.get("partner_name") or expected.get("issuer") if invoice2data \
        else expected.get("seller_name")
    pairs = [
        ("number", "number", expected.get("invoice_number"), _same_number_text),
        ("code", "code", expected.get("invoice_code"), _same_number_text),
        ("date", "date", expected.get("issue_date") or expected.get("date"), _same_date),
        ("seller", "seller", seller, lambda e, g: _same_text(e, g, contain=invoice2data)),
        ("buyer", "buyer", expected.get("buyer_name"), _same_text),
        ("seller_tax_id", "seller_tax_id", expected.get("seller_tax_id"), _same_text),
        ("buyer_tax_id", "buyer_tax_id", expected.get("buyer_tax_id"), _same_text),
        ("currency", "currency", expected.get("currency") or (None if invoice2data else "CNY"),
         lambda e, g: str(e).upper() == str(g).upper()),
        ("total_amount", "total_amount",
         expected.get("total_amount_excl_tax", expected.get("amount_untaxed")), _same_number),
        ("total_tax", "total_tax", expected.get("total_tax", expected.get("amount_tax")),
         _same_number),
        ("total_with_tax", "total_with_tax", expected.get("total_incl_tax", expected.get("amount")),
         _same_number),
        ("total_with_tax_words", "total_with_tax_words", expected.get("total_in_words"), _same_text),
    ]
    return [p for p in pairs if p[2] not in (None, "")]


def _line_fields(expected: dict) -> list[list[tuple[str, str, object, callable]]]:
    """Per expected goods line, its scored fields (section headers and notes are not lines)."""
    invoice2data = "gt_source" not in expected
    out = []
    for line in expected.get("lines") or []:
        if invoice2data:
            if "price_subtotal" not in line and "qty" not in line:
                continue
            pairs = [("quantity", "quantity", line.get("qty"), _same_number),
                     ("amount", "amount", line.get("price_subtotal"), _same_number)]
        else:
            pairs = [("description", "description", line.get("item"), _same_text),
                     ("quantity", "quantity", line.get("quantity"), _same_number),
                     ("unit_price", "unit_price", line.get("unit_price"), _same_number),
                     ("amount", "amount", line.get("amount"), _same_number),
                     ("tax_rate", "tax_rate", _rate(line.get("tax_rate")),
                      lambda e, g: _same_number(e, g, 1e-6)),
                     ("tax", "tax", line.get("tax"), _same_number)]
        out.append([p for p in pairs if p[2] not in (None, "")])
    return out


def _arithmetic_holds(record: dict) -> bool:
    """Net + tax = total and Σ line amounts = net, as far as the record states them."""
    net, tax, total = record.get("total_amount"), record.get("total_tax"), record.get("total_with_tax")
    if None not in (net, tax, total) and abs(net + tax - total) > 0.011:
        return False
    amounts = [ln.get("amount") for ln in record.get("lines") or []]
    return not (net is not None and amounts and None not in amounts
                and abs(sum(amounts) - net) > 0.011 * len(amounts))


def _judge(score: Score, name: str, expected: object, got: object, same, consistent: bool) -> None:
    if got in (None, "", []):
        score.missing.append(name)
    elif same(expected, got):
        score.found.append(name)
    else:
        mark = "?" if consistent else "!"
        score.wrong.append(f"{name}{mark} {got!r} (expected {expected!r})")


def score_invoice(path: Path, expected: dict) -> Score:
    """Field outcomes of one invoice: the first invoice record the file yields."""
    result = extract_file(path, document_for(path))
    doc = result.document
    score = Score(str(path))
    records = [r.model_dump(mode="json") for r in result.records if type(r).__name__ == "FuelInvoice"]
    record = records[0] if records else {}
    if not record:
        score.note = f"{doc.kind.value} {doc.status.value}: {doc.error or '; '.join(result.notes)}"
    consistent = _arithmetic_holds(record) if record else True
    for name, attr, value, same in _header_fields(expected):
        _judge(score, name, value, record.get(attr), same, consistent)
    got_lines = record.get("lines") or []
    expected_lines = _line_fields(expected)
    for i, (fields, got) in enumerate(zip(expected_lines, _aligned(expected_lines, got_lines),
                                          strict=True)):
        for name, attr, value, same in fields:
            _judge(score, f"lines[{i}].{name}", value, got.get(attr), same, consistent)
    return score


def _aligned(expected: list[list[tuple]], got: list[dict]) -> list[dict]:
    """The read line for each expected one: the unused line of the same amount (an
    expectation may list lines in another order than the page prints them), else the line at
    the same place."""
    free = list(range(len(got)))
    out: list[dict] = []
    for i, fields in enumerate(expected):
        amount = next((value for name, _, value, _ in fields if name == "amount"), None)
        match = next((j for j in free if amount is not None
                      and _same_number(amount, got[j].get("amount"))), None)
        if match is None:
            match = i if i in free else None
        if match is not None:
            free.remove(match)
        out.append(got[match] if match is not None else {})
    return out


def _expectation(path: Path) -> dict | None:
    """The expected values beside a file, as one dict (invoice2data wraps them in a list)."""
    candidate = path.with_name(path.stem + ".expected.json")
    if not candidate.exists():
        return None
    data = json.loads(candidate.read_text("utf-8"))
    data = data[0] if isinstance(data, list) and data else data
    return data if isinstance(data, dict) and ("invoice_number" in data or "lines" in data) else None


def documents(root: Path) -> list[Path]:
    """Evidence files under root (expected values and companions of an OFD aside)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and ".expected" not in p.name and not _is_companion(p))


def _is_companion(path: Path) -> bool:
    """An OFD's attached XML copied out beside it for reference (not a document of its own)."""
    stem = path.name.split(".")[0]
    return path.suffix.lower() == ".xml" and any(path.parent.glob(f"{stem}.ofd"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--verbose", action="store_true", help="list the fields found too")
    parser.add_argument("--min-found", type=float, default=None,
                        help="exit 1 when fewer than this % of expected values are found")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(f"no such folder: {args.dir}", file=sys.stderr)
        return 2
    scores, unscored = [], []
    for path in documents(args.dir):
        expected = _expectation(path)
        if expected is None:
            unscored.append(path)
            continue
        score = score_invoice(path, expected)
        scores.append(score)
        rel = path.relative_to(args.dir)
        print(f"{rel}: {len(score.found)}/{score.total} found, {len(score.wrong)} wrong, "
              f"{len(score.missing)} missing" + (f"  [{score.note}]" if score.note else ""))
        for w in score.wrong:
            print(f"    wrong    {w}")
        if score.missing:
            print(f"    missing  {', '.join(score.missing)}")
        if args.verbose and score.found:
            print(f"    found    {', '.join(score.found)}")
    for path in unscored:
        print(f"{path.relative_to(args.dir)}: not scored (no invoice expectation beside it)")
    found = sum(len(s.found) for s in scores)
    total = sum(s.total for s in scores)
    wrong = sum(len(s.wrong) for s in scores)
    silent = sum(1 for s in scores for w in s.wrong if "? " in w)
    pct = 100 * found / total if total else 0.0
    print(f"found {found}/{total} = {pct:.1f} %; wrong {wrong} ({silent} where the record's own "
          f"arithmetic holds); documents {len(scores)} scored, {len(unscored)} not scored")
    print(f"realdocs: {found} passed, {total - found} failed")
    return 1 if args.min_found is not None and pct < args.min_found else 0


if __name__ == "__main__":
    sys.exit(main())
