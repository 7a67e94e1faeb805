"""The generator's native exports of 数电 invoices: which documents become XML or OFD, and the
OFD package's parts."""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import replace

from test_extract_einvoice_native import NUMBER, coke_invoice

from extractors.ofd.package import open_ofd
from fixtures.generate import exports, ofd_layout
from fixtures.generate.model import Doc


def digital(**changes) -> Doc:
    return replace(Doc("fuel_invoice", "cn_digital", "zh", [coke_invoice()], "2025-03"), **changes)


def test_only_clean_single_cn_digital_invoices_are_exported():
    assert exports.eligible(digital())
    for changed in (digital(rotated=True), digital(scanned=True), digital(transform="corrupt"),
                    digital(layout="cn_vat"), digital(payload=[coke_invoice()] * 2),
                    digital(readable=False)):
        assert not exports.eligible(changed)


def numbered(n: int) -> Doc:
    """A cn_digital document whose invoice has a given number (the draw is seeded by it)."""
    return digital(payload=[replace(coke_invoice(), number=f"{n:020d}")])


def test_a_copy_keeps_its_originals_format():
    original = next(d for d in map(numbered, range(100)) if exports.draw(d) == "ofd")
    docs = [original, replace(original, copy_of=0)]
    exports.choose(docs)
    assert [d.export for d in docs] == ["ofd", "ofd"]


def test_every_format_is_drawn_and_long_invoices_stay_off_the_ofd_page():
    drawn = Counter(exports.draw(numbered(n)) for n in range(400))
    assert set(drawn) == {"", "xml", "ofd", "ofd_bare"} and drawn[""] > drawn["xml"]
    long = replace(coke_invoice(), lines=coke_invoice().lines * 5)
    assert not ofd_layout.fits(long)
    assert {exports.draw(digital(payload=[replace(long, number=f"{n:020d}")]))
            for n in range(50)} <= {"", "xml"}


def test_ofd_package_parts_and_tags(tmp_path):
    path = tmp_path / "a.ofd"
    path.write_bytes(exports.render(digital(export="ofd")))
    with zipfile.ZipFile(path) as zf:
        assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml",
                "Doc_0/Tpls/Tpl_0/Content.xml", "Doc_0/Tags/CustomTag.xml",
                f"Doc_0/Attachs/{NUMBER}.xml"} <= set(zf.namelist())
    ofd = open_ofd(path)
    assert [len(p.layers) for p in ofd.pages] == [2]  # the template page, then the page
    assert {"InvoiceNo", "Buyer/BuyerName", "Seller/SellerTaxID", "TaxInclusiveTotalAmount"} \
        <= set(ofd.tags)
    assert [a.path for a in ofd.attachments] == [f"Doc_0/Attachs/{NUMBER}.xml"]
    path.write_bytes(exports.render(digital(export="ofd_bare")))
    assert open_ofd(path).attachments == []
