"""European fuel invoices for the extractor tests (HTML rendered to PDF with WeasyPrint): German,
French, Dutch and Polish, each in its language's labels, number and date conventions.

Each builder returns (html, expected): `expected` holds every value the page prints, as the
reader should return it (header fields, totals, currency, and the goods lines in page order).
"""

from __future__ import annotations

import datetime as dt

from extract_docs import render  # noqa: F401  (re-exported for the tests)

_TABLE = "margin-top:5mm;width:180mm"
_RIGHT = "text-align:right"


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(
        f'<td style="{_RIGHT if i > 0 else ""}">{c}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows)
    return f'<table style="{_TABLE}"><tr>{head}</tr>{body}</table>'


def _block(lines: list[str], style: str = "") -> str:
    return f'<p style="{style}">' + "<br>".join(lines) + "</p>"


def german_coal_invoice() -> tuple[str, dict]:
    """A German steam-coal invoice: seller in the letterhead, '14. März 2025', 1.250,500 t."""
    html = (
        '<div style="padding:12mm">'
        + _block(["Rheinische Kohlenhandel GmbH", "Hafenstraße 12, 47119 Duisburg",
                  "USt-IdNr.: DE812345678"])
        + "<h2>RECHNUNG</h2>"
        + _block(["Rechnungsnummer: RE-2025-0412", "Rechnungsdatum: 14. März 2025",
                  "Kunde: Hüttenwerke Krupp Mannesmann GmbH"])
        + _table(["Bezeichnung", "Menge", "Einheit", "Einzelpreis", "Betrag"], [
            ["Steinkohle (Kesselkohle)", "1.250,500", "t", "142,80", "178.571,40"],
            ["Bahnfracht Duisburg", "1.250,500", "t", "18,50", "23.134,25"],
        ])
        + _block(["Nettobetrag: 201.705,65 EUR", "MwSt.-Satz: 19 %",
                  "MwSt.-Betrag: 38.324,07 EUR", "Gesamtbetrag: 240.029,72 EUR"],
                 "margin-top:5mm")
        + "</div>")
    expected = {
        "number": "RE-2025-0412", "date": dt.date(2025, 3, 14),
        "seller": "Rheinische Kohlenhandel GmbH", "buyer": "Hüttenwerke Krupp Mannesmann GmbH",
        "currency": "EUR", "total_amount": 201705.65, "total_tax": 38324.07,
        "total_with_tax": 240029.72,
        "lines": [
            {"description": "Steinkohle (Kesselkohle)", "quantity": 1250.5, "unit": "t",
             "unit_price": 142.80, "amount": 178571.40},
            {"description": "Bahnfracht Duisburg", "quantity": 1250.5, "unit": "t",
             "unit_price": 18.50, "amount": 23134.25},
        ],
    }
    return html, expected


def french_coke_invoice() -> tuple[str, dict]:
    """A French coke invoice: 'Facture n°', '14 mars 2025', spaces as thousands (265 625,00 €)."""
    html = (
        '<div style="padding:12mm">'
        + "<h2>FACTURE</h2>"
        + _block(["Facture n° FC-25-00318", "Date de facture : 14 mars 2025",
                  "Fournisseur : Cokeries de Lorraine SAS",
                  "Client : Aciéries de Dunkerque SA"])
        + _table(["Désignation", "Quantité", "Unité", "Prix unitaire", "Montant HT"], [
            ["Coke métallurgique 40/80", "850,000", "t", "312,50 €", "265 625,00 €"],
            ["Transport routier", "850,000", "t", "14,20 €", "12 070,00 €"],
        ])
        + _block(["Total HT : 277 695,00 €", "Taux de TVA : 20 %", "Montant TVA : 55 539,00 €",
                  "Total TTC : 333 234,00 €"], "margin-top:5mm")
        + "</div>")
    expected = {
        "number": "FC-25-00318", "date": dt.date(2025, 3, 14),
        "seller": "Cokeries de Lorraine SAS", "buyer": "Aciéries de Dunkerque SA",
        "currency": "EUR", "total_amount": 277695.00, "total_tax": 55539.00,
        "total_with_tax": 333234.00,
        "lines": [
            {"description": "Coke métallurgique 40/80", "quantity": 850.0, "unit": "t",
             "unit_price": 312.50, "amount": 265625.00},
            {"description": "Transport routier", "quantity": 850.0, "unit": "t",
             "unit_price": 14.20, "amount": 12070.00},
        ],
    }
    return html, expected


def dutch_gas_invoice() -> tuple[str, dict]:
    """A Dutch natural-gas invoice: 'Factuurnummer', '14 maart 2025', € before the amount."""
    html = (
        '<div style="padding:12mm">'
        + "<h2>FACTUUR</h2>"
        + _block(["Factuurnummer: NLG-2025-03-0077", "Factuurdatum: 14 maart 2025",
                  "Leverancier: Gasunie Levering B.V.", "Klant: Tata Steel IJmuiden B.V.",
                  "BTW-nummer: NL812345678B01"])
        + _table(["Omschrijving", "Aantal", "Eenheid", "Prijs", "Bedrag"], [
            ["Aardgas levering maart 2025", "4.125,750", "MWh", "€ 38,40", "€ 158.428,80"],
            ["Transportkosten", "4.125,750", "MWh", "€ 2,15", "€ 8.870,36"],
        ])
        + _block(["Totaal excl. BTW: € 167.299,16", "BTW-tarief: 21%", "BTW-bedrag: € 35.132,82",
                  "Te betalen: € 202.431,98"], "margin-top:5mm")
        + "</div>")
    expected = {
        "number": "NLG-2025-03-0077", "date": dt.date(2025, 3, 14),
        "seller": "Gasunie Levering B.V.", "buyer": "Tata Steel IJmuiden B.V.",
        "currency": "EUR", "total_amount": 167299.16, "total_tax": 35132.82,
        "total_with_tax": 202431.98,
        "lines": [
            {"description": "Aardgas levering maart 2025", "quantity": 4125.75, "unit": "MWh",
             "unit_price": 38.40, "amount": 158428.80},
            {"description": "Transportkosten", "quantity": 4125.75, "unit": "MWh",
             "unit_price": 2.15, "amount": 8870.36},
        ],
    }
    return html, expected


def polish_diesel_invoice() -> tuple[str, dict]:
    """A Polish diesel invoice: 'Faktura VAT nr', '14 marca 2025' (genitive), 163 840,00 zł."""
    html = (
        '<div style="padding:12mm">'
        + "<h2>FAKTURA VAT</h2>"
        + _block(["Numer faktury: FV/2025/03/0141", "Data wystawienia: 14 marca 2025",
                  "Sprzedawca: Orlen Paliwa Sp. z o.o.", "Nabywca: Huta Częstochowa S.A.",
                  "NIP: 7741008815"])
        + _table(["Nazwa towaru", "Ilość", "J.m.", "Cena netto", "Wartość netto"], [
            ["Olej napędowy ON", "32 000,00", "l", "5,12 zł", "163 840,00 zł"],
            ["Opłata transportowa", "1,00", "usł.", "850,00 zł", "850,00 zł"],
        ])
        + _block(["Razem netto: 164 690,00 zł", "Stawka VAT: 23%", "Kwota VAT: 37 878,70 zł",
                  "Do zapłaty: 202 568,70 zł"], "margin-top:5mm")
        + "</div>")
    expected = {
        "number": "FV/2025/03/0141", "date": dt.date(2025, 3, 14),
        "seller": "Orlen Paliwa Sp. z o.o.", "buyer": "Huta Częstochowa S.A.",
        "currency": "PLN", "total_amount": 164690.00, "total_tax": 37878.70,
        "total_with_tax": 202568.70,
        "lines": [
            {"description": "Olej napędowy ON", "quantity": 32000.0, "unit": "l",
             "unit_price": 5.12, "amount": 163840.00},
            {"description": "Opłata transportowa", "quantity": 1.0, "unit": "usł.",
             "unit_price": 850.00, "amount": 850.00},
        ],
    }
    return html, expected


FUEL_INVOICES = {
    "de": german_coal_invoice, "fr": french_coke_invoice, "nl": dutch_gas_invoice,
    "pl": polish_diesel_invoice,
}
