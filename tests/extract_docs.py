"""Real evidence documents for the extractor tests, made with WeasyPrint, openpyxl and xlwt."""

from __future__ import annotations

import codecs
from pathlib import Path

FONT = Path(__file__).resolve().parents[1] / "report_templates" / "fonts" / "NotoSansSC-GB2312-Regular.otf"

STYLE = f"""
@font-face {{ font-family: "Noto SC"; src: url("{FONT.as_uri()}"); }}
@page {{ size: A4; margin: 0; }}
body {{ font-family: "Noto SC"; font-size: 9pt; margin: 0; }}
.a {{ position: absolute; white-space: nowrap; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 0.6pt solid #333; padding: 2pt 4pt; }}
"""


def render(html: str, out: Path) -> Path:
    """A PDF rendered from an HTML body with the CJK font."""
    from weasyprint import HTML

    HTML(string=f"<html><head><style>{STYLE}</style></head><body>{html}</body></html>").write_pdf(out)
    return out


def placed(items: list[tuple[float, float, str]]) -> str:
    """Absolutely placed text runs (x mm, y mm, text), in the order given."""
    return "".join(f'<div class="a" style="left:{x}mm;top:{y}mm">{t}</div>' for x, y, t in items)


def cn_vat_invoice(number: str = "25442000000123456789", seller: str = "河北冀东焦化有限公司",
                   buyer: str = "唐山钢铁集团有限公司", qty: str = "1,200.500",
                   price: str = "2,150.00", amount: str = "2,581,075.00",
                   tax: str = "335,539.75", total: str = "2,916,614.75",
                   capitals: str = "贰佰玖拾壹万陆仟陆佰壹拾肆圆柒角伍分",
                   date: str = "2025年03月14日") -> str:
    """A 数电 VAT e-invoice: every label drawn first, every value after (as real ones are)."""
    labels = [
        (70, 10, "电子发票（增值税专用发票）"), (140, 22, "发票号码："), (140, 28, "开票日期："),
        (10, 40, "购"), (10, 44, "买"), (10, 48, "方"), (10, 52, "信"), (10, 56, "息"),
        (18, 42, "名称："), (18, 50, "统一社会信用代码/纳税人识别号："),
        (105, 40, "销"), (105, 44, "售"), (105, 48, "方"), (105, 52, "信"), (105, 56, "息"),
        (113, 42, "名称："), (113, 50, "统一社会信用代码/纳税人识别号："),
        (14, 66, "项目名称"), (60, 66, "规格型号"), (82, 66, "单位"), (96, 66, "数量"),
        (118, 66, "单价"), (140, 66, "金额"), (164, 66, "税率/征收率"), (186, 66, "税额"),
        (14, 90, "合计"), (14, 98, "价税合计（大写）"), (140, 98, "（小写）"),
        (14, 108, "备注"), (14, 120, "开票人："),
    ]
    values = [
        (156, 22, number), (156, 28, date),
        (28, 42, buyer), (75, 50, "91130200MA00000017"),
        (123, 42, seller), (170, 50, "91130200MA0000002A"),
        (14, 74, "*煤炭*冶金焦炭"), (60, 74, "一级"), (82, 74, "吨"), (96, 74, qty),
        (118, 74, price), (140, 74, amount), (164, 74, "13%"), (186, 74, tax),
        (140, 90, f"¥{amount}"), (186, 90, f"¥{tax}"),
        (50, 98, f"⊗{capitals}"), (152, 98, f"¥{total}"), (28, 120, "张三"),
    ]
    return placed(labels) + placed(values)


def en_invoice(number: str = "INV-2025-00042") -> str:
    """An English commercial invoice with a ruled goods table and key-value header."""
    return f"""
    <h2>COMMERCIAL INVOICE</h2>
    <p>Invoice No.: {number}<br>Invoice Date: 14/03/2025</p>
    <table style="border:none"><tr>
      <td style="border:none;width:90mm">Seller: Northern Coal Trading Ltd.</td>
      <td style="border:none">Buyer: Hebei Steel Works Co., Ltd.</td></tr></table>
    <table style="margin-top:6mm">
      <tr><th>Description</th><th>Unit</th><th>Quantity</th><th>Unit price</th><th>Amount</th>
          <th>VAT rate</th><th>VAT</th></tr>
      <tr><td>Washed coking coal</td><td>t</td><td>2,000.00</td><td>1,520.00</td>
          <td>3,040,000.00</td><td>13%</td><td>395,200.00</td></tr>
      <tr><td>Road freight service</td><td>t</td><td>2,000.00</td><td>60.00</td>
          <td>120,000.00</td><td>9%</td><td>10,800.00</td></tr>
    </table>
    <p>Subtotal: 3,160,000.00<br>Total tax: 406,000.00<br>Grand total: 3,566,000.00 USD</p>
    """


def spilled_amounts_invoice() -> str:
    """An invoice on a fixed-width ruled form: each amount prints past its column's rule into
    the VAT-rate box (as on pre-printed forms), and two headers wrap onto a second line."""
    widths = (52, 24, 10, 24, 14, 20, 24)  # mm; the Amount box is narrower than its amounts
    cols = "".join(f'<col style="width:{w}mm">' for w in widths)
    right = 'style="text-align:right"'
    rows = [("Washed coking coal", "2,000.00", "1,520.00", "3,040,000.00", "13%", "395,200.00"),
            ("Road freight service", "2,000.00", "60.00", "120,000.00", "9%", "10,800.00")]
    body = "".join(f"<tr><td>{d}</td><td {right}>{q}</td><td>t</td><td {right}>{p}</td><td>{a}</td>"
                   f"<td {right}>{r}</td><td {right}>{t}</td></tr>" for d, q, p, a, r, t in rows)
    return f"""
    <div style="padding:15mm">
    <h2>COMMERCIAL INVOICE</h2>
    <p>Invoice No.: INV-2025-00077<br>Invoice Date: 14/03/2025</p>
    <p>Seller: Northern Coal Trading Ltd.<br>Buyer: Hebei Steel Works Co., Ltd.</p>
    <table style="table-layout:fixed; width:{sum(widths)}mm; margin-top:6mm; white-space:nowrap">
    <colgroup>{cols}</colgroup>
    <tr><th>Description</th><th>Quantity</th><th>Unit</th><th>Unit<br>price</th><th>Amount</th>
        <th>VAT<br>rate</th><th>VAT</th></tr>{body}</table>
    <p>Subtotal: 3,160,000.00<br>Total tax: 406,000.00<br>Grand total: 3,566,000.00</p>
    </div>"""


def cn_old_vat_invoice(number: str = "04512345", code: str = "013002500111") -> str:
    """An older national VAT invoice: 发票代码 + 8-digit number, buyer block above seller."""
    return f"""
    <h3 style="text-align:center">河北增值税专用发票</h3>
    <p>发票代码：{code}　　发票号码：{number}　　开票日期：2025年03月09日</p>
    <table style="width:180mm"><tr><td style="width:10mm">购买方</td>
      <td>名称：唐山钢铁集团有限公司<br>纳税人识别号：91130200MA00000017</td></tr></table>
    <table style="width:180mm">
      <tr><th>货物或应税劳务名称</th><th>规格型号</th><th>单位</th><th>数量</th><th>单价</th>
          <th>金额</th><th>税率</th><th>税额</th></tr>
      <tr><td>*煤炭*洗精煤</td><td>主焦煤</td><td>吨</td><td>800.00</td><td>1,600.00</td>
          <td>1,280,000.00</td><td>13%</td><td>166,400.00</td></tr>
      <tr><td>合计</td><td></td><td></td><td></td><td></td><td>¥1,280,000.00</td><td></td>
          <td>¥166,400.00</td></tr>
      <tr><td colspan="4">价税合计（大写）壹佰肆拾肆万陆仟肆佰圆整</td>
          <td colspan="4">（小写）¥1,446,400.00</td></tr>
    </table>
    <table style="width:180mm"><tr><td style="width:10mm">销售方</td>
      <td>名称：山西焦煤集团有限公司<br>纳税人识别号：91140000MA0000009R</td></tr></table>
    """


def lab_report(report_no: str = "HBJC-2025-0318", sample_id: str = "S250302-01",
               sample: str = "冶金焦炭", ncv: str = "28.35", break_after: int | None = None) -> str:
    """A coal test report with CMA/CNAS marks and a ruled results table; with `break_after`,
    the rows after that many run onto the next page (a report longer than one page)."""
    rows = [("全水分", "Mt", "%", "8.6", "GB/T 211-2017"),
            ("空气干燥基水分", "Mad", "%", "1.12", "GB/T 212-2008"),
            ("空气干燥基灰分", "Aad", "%", "11.35", "GB/T 212-2008"),
            ("空气干燥基挥发分", "Vad", "%", "1.42", "GB/T 212-2008"),
            ("收到基碳", "Car", "%", "78.45", "GB/T 31391-2015"),
            ("收到基低位发热量", "Qnet,ar", "MJ/kg", ncv, "GB/T 213-2008")]
    cells = [f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td><td>{e}</td></tr>"
             for a, b, c, d, e in rows]
    if break_after is not None:
        cells.insert(break_after, f"</table>{PAGE_BREAK}<table>")
    return f"""
    <p>河北省煤炭质量检测中心</p>
    <h2 style="text-align:center">检测报告</h2>
    <p>CMA 资质认定证书编号：191312340567　CNAS L1234</p>
    <p>报告编号：{report_no}<br>样品编号：{sample_id}<br>样品名称：{sample}<br>
       采样日期：2025-03-02<br>报告日期：2025年03月08日</p>
    <table><tr><th>检测项目</th><th>符号</th><th>单位</th><th>检测结果</th><th>检测方法</th></tr>
    {"".join(cells)}</table>"""


PAGE_BREAK = '<div style="break-before: page"></div>'


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    """A small grey PNG image (for a scanned, image-only page)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([128]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def image_only(out: Path) -> Path:
    """A PDF whose only page is an image (a scan without a text layer)."""
    import base64

    data = base64.b64encode(png_bytes()).decode()
    return render(f'<img src="data:image/png;base64,{data}" style="width:150mm">', out)


def encrypted_pdf(out: Path) -> Path:
    """A PDF with a standard-security /Encrypt dictionary whose user password is not empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
            + b"> /P -44 >>"]
    body, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(body))
        body += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Encrypt 4 0 R "
             f"/ID [<{'ab' * 16}> <{'ab' * 16}>] >>\nstartxref\n{xref}\n%%EOF\n").encode()
    out.write_bytes(body)
    return out


def production_xlsx(out: Path, days: int = 31, total_delta: float = 0.0, stray_row: int = 5000,
                    formulas: bool = False) -> Path:
    """A daily production sheet: title rows, a header, one row a day, a total row (SUM formulas
    with their cached results, when `formulas`); a formatted empty cell far below inflates the
    used range to `stray_row`."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "3月产量"
    ws.append(["唐山钢铁 2025年3月 生产日报"])
    ws.append([])
    ws.append(["日期", "粗钢产量(t)", "生铁(t)", "烧结矿(t)", "备注"])
    for d in range(1, days + 1):
        ws.append([dt.date(2025, 3, d), 10000 + d, 9000.5 + d, 15000, None])
    steel = sum(10000 + d for d in range(1, days + 1))
    iron = sum(9000.5 + d for d in range(1, days + 1))
    totals = [steel + total_delta, iron, 15000 * days]
    ws.append(["合计", *([f"=SUM({c}4:{c}{3 + days})" for c in "BCD"] if formulas else totals)])
    ws.cell(row=stray_row, column=30, value=None).number_format = "0.00"  # inflated used range
    wb.save(out)
    if formulas:
        with_cached_values(out, {f"{c}{4 + days}": v for c, v in zip("BCD", totals, strict=True)})
    return out


def stock_xlsx(out: Path) -> Path:
    """A month's fuel stock ledger (进销存) with one row per fuel."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "进销存"
    ws.append(["燃料进销存台账 2025年03月"])
    ws.append(["燃料品种", "单位", "期初库存", "购入量", "消耗量", "外销量", "期末库存"])
    ws.append(["焦炭", "吨", 12000, 45000.5, 50100, 0, 6900.5])
    ws.append(["洗精煤", "吨", "8,000.00", "30,000.00", "31,000.00", "0", "7,000.00"])
    ws.append(["合计", None, 20000, 75000.5, 81100, 0, 13900.5])
    wb.save(out)
    return out


def production_xls(out: Path) -> Path:
    """A legacy .xls production report (BIFF8, by xlwt): two title rows, a two-row header with
    merged cells (日期 and 备注 over both rows, 产量（吨） over the product columns), day rows of
    plain numbers and a total row."""
    import datetime as dt

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("生产日报")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write_merge(0, 0, 0, 4, "唐山钢铁有限公司 生产日报")
    ws.write(1, 0, "统计期间：2025年3月")
    ws.write_merge(2, 3, 0, 0, "日期")
    ws.write_merge(2, 2, 1, 3, "产量（t）")
    ws.write_merge(2, 3, 4, 4, "备注")
    for c, name in enumerate(["粗钢", "生铁", "烧结矿"], start=1):
        ws.write(3, c, name)
    for d in range(1, 32):
        ws.write(3 + d, 0, dt.date(2025, 3, d), day)
        ws.write(3 + d, 1, 10000 + d)
        ws.write(3 + d, 2, 9000.5 + d)
        ws.write(3 + d, 3, 15000)
    ws.write(35, 0, "合计")
    ws.write(35, 1, sum(10000 + d for d in range(1, 32)))
    ws.write(35, 2, sum(9000.5 + d for d in range(1, 32)))
    ws.write(35, 3, 15000 * 31)
    wb.save(str(out))
    return out


def stock_xls(out: Path) -> Path:
    """A legacy .xls stock ledger: a title row, a two-row header (品种, 单位, 期初 and 期末
    merged down, 本月发生 merged over 购入量 / 消耗量 / 外销量), one row per fuel, a total row."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("进销存")
    ws.write_merge(0, 0, 0, 6, "燃料进销存台账 2025年03月")
    for c, name in ((0, "燃料品种"), (1, "单位"), (2, "期初库存"), (6, "期末库存")):
        ws.write_merge(1, 2, c, c, name)
    ws.write_merge(1, 1, 3, 5, "本月发生")
    for c, name in ((3, "购入量"), (4, "消耗量"), (5, "外销量")):
        ws.write(2, c, name)
    rows = [("焦炭", "吨", 12000, 45000.5, 50100, 0, 6900.5),
            ("洗精煤", "吨", 8000, 30000, 31000, 0, 7000),
            ("合计", "", 20000, 75000.5, 81100, 0, 13900.5)]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.save(str(out))
    return out


def stock_text_xls(out: Path, form: str) -> Path:
    """A stock ledger an ERP saved under an .xls name that is really text: "csv" (GBK, commas),
    "tsv" (Excel's "Unicode text": UTF-16 with BOM, tabs) or "html" (a GBK page whose table
    spans its header cells over two rows, as ERP "Excel" exports do)."""
    rows = [["燃料进销存台账 2025年03月"],
            ["燃料品种", "单位", "期初库存", "购入量", "消耗量", "外销量", "期末库存"],
            ["焦炭", "吨", "12,000", "45,000.5", "50,100", "0", "6,900.5"],
            ["洗精煤", "吨", "8,000", "30,000", "31,000", "0", "7,000"]]
    if form == "csv":
        text = "\r\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows)
        out.write_bytes(text.encode("gbk"))
    elif form == "tsv":
        out.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join("\t".join(r) for r in rows).encode("utf-16-le"))
    else:
        def tds(r: list[str]) -> str:
            return "".join(f'<td x:num="{c.replace(",", "")}">{c}</td>' if c[:1].isdigit()
                           else f"<td>{c}</td>" for c in r)
        head = ('<tr><td rowspan="2">燃料品种</td><td rowspan="2">单位</td><td rowspan="2">期初库存</td>'
                '<td colspan="3">本月发生</td><td rowspan="2">期末库存</td></tr>'
                "<tr><td>购入量</td><td>消耗量</td><td>外销量</td></tr>")
        body = "".join(f"<tr>{tds(r)}</tr>" for r in rows[2:])
        page = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>'
                '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
                "<style>td { mso-number-format:General; }</style></head><body>"
                f'<table border="1"><tr><td colspan="7">{rows[0][0]}&nbsp;</td></tr>{head}{body}'
                "</table></body></html>")
        out.write_bytes(page.encode("gbk"))
    return out


def with_cached_values(path: Path, cached: dict[str, float]) -> Path:
    """An XLSX whose formula cells carry cached results, as a spreadsheet program saves them
    (openpyxl writes formulas with empty results)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        sheet = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v ?/>', rf"\g<1><v>{value}</v>", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def meter_csv(out: Path, encoding: str = "gbk") -> Path:
    """Daily gas meter readings as a GBK-encoded CSV."""
    lines = ["煤气计量日报 2025年3月", "单位：万Nm3", "日期,高炉煤气,转炉煤气,焦炉煤气"]
    lines += [f"2025-03-{d:02d},{100 + d}.5,{20 + d},{30}" for d in range(1, 31)]
    lines.append(f"合计,{sum(100.5 + d for d in range(1, 31))},{sum(20 + d for d in range(1, 31))},900")
    out.write_bytes("\n".join(lines).encode(encoding))
    return out


def claim_xlsx(out: Path, chinese: bool = False) -> Path:
    """A workbook shaped like the claim template (sheet names only matter here)."""
    from openpyxl import Workbook

    names = ["汇总", "燃料", "过程排放", "产品固碳"] if chinese else ["Summary", "Fuels", "Process", "Products"]
    wb = Workbook()
    wb.active.title = names[0]
    wb.active.append(["Facility ID", "CN-HB-0001"])
    for name in names[1:]:
        wb.create_sheet(name).append(["Stream", "Opening stock", "Closing stock", "Consumed"])
    wb.save(out)
    return out


def bulk_fuels_bill(ref: str = "YBF/25/0317", title: str = "DELIVERY BILL") -> str:
    """A supplier's own delivery bill: labels no vocabulary knows (Bill ref, Tonnage, Sum due),
    comma decimals, values beside their labels without colons. Read by the shipped template."""
    big = '<span style="font-size:15pt">YANSHAN BULK FUELS</span>'
    return placed([
        (12, 10, big), (150, 12, title), (12, 19, "Qinhuangdao Port, Berth 7"),
        (12, 34, "Bill ref"), (45, 34, ref), (12, 40, "Billed on"), (45, 40, "14.03.2025"),
        (12, 46, "Consignee"), (45, 46, "Tangshan Steel Works"),
        (12, 60, "Material"), (75, 60, "Tonnage"), (110, 60, "Rate per t"), (150, 60, "Value"),
        (12, 67, "Metallurgical coke"), (75, 67, "1.200,500 t"), (110, 67, "2.150,00"),
        (150, 67, "2.581.075,00"),
        (12, 73, "Road haulage"), (75, 73, "1.200,500 t"), (110, 73, "12,00"),
        (150, 73, "14.406,00"),
        (110, 86, "Net value"), (150, 86, "2.595.481,00"),
        (110, 92, "VAT 13 %"), (150, 92, "337.412,53"),
        (110, 98, "Sum due EUR"), (150, 98, "2.932.893,53"),
    ])


def coal_assay_sheet() -> str:
    """A coal assay sheet without any title or label the lab vocabulary knows."""
    return placed([
        (12, 10, "QINHUANGDAO COAL ASSAY STATION"), (150, 10, "ASSAY SHEET"),
        (12, 24, "Sheet"), (40, 24, "QCA-25-0311"), (12, 30, "Coal"), (40, 30, "Metallurgical coke"),
        (12, 36, "Drawn"), (40, 36, "2025-03-02"), (100, 36, "Issued"), (125, 36, "2025-03-08"),
        (12, 50, "Heat value (ar)"), (60, 50, "28,35 MJ/kg"),
        (12, 56, "C (ar)"), (60, 56, "78,45 %"),
    ])


def _object_text(obj, textpage) -> str:
    """The text a PDF text object draws (pdfium's FPDFTextObj_GetText, UTF-16)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    n = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = ctypes.create_string_buffer(n * 2)
    pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw,
                                 ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), n)
    return buffer.raw.decode("utf-16-le").rstrip("\x00").strip()


def erase_text(src: Path, out: Path, texts: tuple[str, ...], page: int = 1) -> Path:
    """A copy of a PDF without the text objects that draw exactly the given texts: a generated
    document with a value (or a label) left unprinted."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(src))
    pg = pdf[page - 1]
    textpage = pg.get_textpage()
    doomed = [o for o in pg.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])
              if _object_text(o, textpage) in texts]
    assert len(doomed) == len(texts), [_object_text(o, textpage) for o in doomed]
    textpage.close()
    for obj in doomed:
        pg.remove_obj(obj)
    pg.gen_content()
    pdf.save(str(out))
    pdf.close()
    return out
