"""Real evidence documents for the extractor tests, made with WeasyPrint and openpyxl."""

from __future__ import annotations

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
        (28, 42, buyer), (75, 50, "91130200MA0000001X"),
        (123, 42, seller), (170, 50, "91130200MA0000002Y"),
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


def cn_old_vat_invoice(number: str = "04512345", code: str = "013002500111") -> str:
    """An older national VAT invoice: 发票代码 + 8-digit number, buyer block above seller."""
    return f"""
    <h3 style="text-align:center">河北增值税专用发票</h3>
    <p>发票代码：{code}　　发票号码：{number}　　开票日期：2025年03月09日</p>
    <table style="width:180mm"><tr><td style="width:10mm">购买方</td>
      <td>名称：唐山钢铁集团有限公司<br>纳税人识别号：91130200MA0000001X</td></tr></table>
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
      <td>名称：山西焦煤集团有限公司<br>纳税人识别号：91140000MA0000009Z</td></tr></table>
    """


def lab_report() -> str:
    """A coal test report with CMA/CNAS marks and a ruled results table."""
    rows = [("全水分", "Mt", "%", "8.6", "GB/T 211-2017"),
            ("空气干燥基水分", "Mad", "%", "1.12", "GB/T 212-2008"),
            ("空气干燥基灰分", "Aad", "%", "11.35", "GB/T 212-2008"),
            ("空气干燥基挥发分", "Vad", "%", "1.42", "GB/T 212-2008"),
            ("收到基碳", "Car", "%", "78.45", "GB/T 31391-2015"),
            ("收到基低位发热量", "Qnet,ar", "MJ/kg", "28.35", "GB/T 213-2008")]
    body = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td><td>{e}</td></tr>"
                   for a, b, c, d, e in rows)
    return f"""
    <p>河北省煤炭质量检测中心</p>
    <h2 style="text-align:center">检测报告</h2>
    <p>CMA 资质认定证书编号：191312340567　CNAS L1234</p>
    <p>报告编号：HBJC-2025-0318<br>样品编号：S250302-01<br>样品名称：冶金焦炭<br>
       采样日期：2025-03-02<br>报告日期：2025年03月08日</p>
    <table><tr><th>检测项目</th><th>符号</th><th>单位</th><th>检测结果</th><th>检测方法</th></tr>
    {body}</table>"""


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


def production_xlsx(out: Path, days: int = 31, total_delta: float = 0.0) -> Path:
    """A daily production sheet: title rows, a header, one row a day, a total row."""
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
    ws.append(["合计", steel + total_delta, iron, 15000 * days])
    ws.cell(row=5000, column=30, value=None).number_format = "0.00"  # inflated used range
    wb.save(out)
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
