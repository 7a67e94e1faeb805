"""数电 and provincial e-invoice layouts for the invoice reader's tests, rendered with the same
WeasyPrint function and bundled CJK font as tests/extract_docs.py.

Positions are in points (pt) so a value can be set to start inside its label's box, as the
national platform prints them: the font is 9 pt, one CJK character 9 pt wide.
"""

from __future__ import annotations

from extract_docs import render  # noqa: F401  (re-exported for the tests)

CH = 9.0  # pt, width of one CJK character at 9 pt


def pt(items: list[tuple[float, float, str]]) -> str:
    """Absolutely placed text runs (x pt, y pt, text), in the order given."""
    return "".join(f'<div class="a" style="left:{x}pt;top:{y}pt">{t}</div>' for x, y, t in items)


def a5_landscape(body: str) -> str:
    return '<style>@page { size: 210mm 148mm; margin: 0; }</style>' + body


def after(x: float, label: str, overlap: float) -> float:
    """Where a value starts when set `overlap` pt inside the end of a CJK label at x."""
    return x + CH * len(label) - overlap


def vertical(x: float, y: float, text: str, step: float = 10.0) -> list[tuple[float, float, str]]:
    """A block title printed one character a line."""
    return [(x, y + i * step, ch) for i, ch in enumerate(text)]


def shudian_coke_invoice(total: str = "2,910,563.60", capitals: str = "贰佰玖拾壹万零伍佰陆拾叁圆陆角",
                         total_tax: str = "334,843.60", seller_x: float = 301.0,
                         buyer: str = "唐山钢铁集团有限责任公司", number_label: str = "发票号码：",
                         date_label: str = "开票日期：", centred: bool = False,
                         title_gap: float = 7.0, title_top: float = 84.0) -> str:
    """A 数电 fuel invoice for 焦炭 as the national platform prints it: A5 landscape, number and
    date top right in one token with their labels, buyer and seller side by side under vertical
    titles, two goods lines (the second name wrapped over two lines), a discount line, ¥ totals,
    价税合计（大写）/（小写）, 开票人. Values overlap their labels' boxes by 1-3 pt. `seller_x` moves
    the seller block (its vertical title) left, up to the end of a long buyer name; the number
    and date labels may be left out (printed as an image on some layouts); `centred` sets the
    second line's figures halfway between the two lines of its wrapped name; `title_gap` is the
    space between the seller's vertical title and its 名称 label, `title_top` where the titles'
    first characters stand (level with 名称 at 88 and close to it, the two are one word)."""
    goods = [
        # description, spec, unit, qty, price, amount, rate, tax (y)
        (160, "*焦炭*冶金焦炭", "一级", "吨", "1,000.000", "2,200.00", "2,200,000.00", "13%",
         "286,000.00"),
        (184, "*焦炭*准一级冶金焦炭（块", "25-40mm", "吨", "200.000", "1,950.00", "390,000.00",
         "13%", "50,700.00"),
    ]
    items = [(150, 18, "电子发票（增值税专用发票）"),
             (430, 30, f"{number_label}26427000000145891963"), (430, 46, f"{date_label}2025年03月14日")]
    items += vertical(16, title_top, "购买方信息") + vertical(seller_x, title_top, "销售方信息")
    for x0, name, tax_id in ((32, buyer, "91130200MA00000017"),
                             (seller_x + 9 + title_gap, "河北冀东焦化有限公司", "91130200MA0000002A")):
        items += [(x0, 88, "名称："), (after(x0, "名称：", 2.5), 88, name),
                  (x0, 112, "统一社会信用代码/纳税人识别号："),
                  (after(x0, "统一社会信用代码/纳税人识别号：", 3.0), 112, tax_id)]
    items += [(40, 142, "项目名称"), (150, 142, "规格型号"), (200, 142, "单位"), (240, 142, "数量"),
              (300, 142, "单价"), (370, 142, "金额"), (440, 142, "税率/征收率"), (530, 142, "税额")]
    for y, desc, spec, unit, qty, price, amount, rate, tax in goods:
        items += [(12, y, desc), (150, y, spec), (200, y, unit), (240, y, qty), (300, y, price),
                  (360, y, amount), (455, y, rate), (520, y, tax)]
    if centred:  # the numbers centred between the two lines of the wrapped name
        items[-8] = (12, 175, "*焦炭*准一级冶金焦炭（块")
        items += [(12, 193, "状）")]
    else:
        items += [(12, 195, "状）")]  # the wrapped rest of the second goods name
    items += [(12, 212, "*焦炭*冶金焦炭"), (360, 212, "-14,280.00"), (455, 212, "13%"),
              (520, 212, "-1,856.40")]  # 折扣行: a discount on the first line
    items += [(58, 262, "合"), (103, 262, "计"), (356, 262, "¥2,575,720.00"),
              (512, 262, f"¥{total_tax}")]
    items += [(47, 280, "价税合计（大写）"), (178, 280, f"⊗{capitals}"),
              (407, 280, "（小写）"), (after(407, "（小写）", 3.2), 280, f"¥{total}")]
    items += vertical(16, 300, "备注") + [(55, 360, "开票人："), (after(55, "开票人：", 1), 360, "王丽")]
    return a5_landscape(pt(items))


def provincial_e_invoice(order_no: str = "20190520123456", figure_rise: float = 10.0,
                         cipher_x: float = 330.0) -> str:
    """An older provincial 增值税电子普通发票 (2018-2023): 发票代码 + 8-digit 发票号码, 机器编号 and
    校验码, buyer block with 密码区 beside it, goods table, seller block below, and an order number
    printed just under （小写） (which a reader must not take as the total). The total's figure is
    set `figure_rise` pt higher than its label, so it stands on a line of its own; `cipher_x`
    moves the 密码区 (its vertical title) left, up to the end of the buyer's name."""
    items = [(190, 20, "广东增值税电子普通发票"),
             (420, 40, "发票代码："), (after(420, "发票代码：", 1.5), 40, "044001800111"),
             (420, 54, "发票号码："), (after(420, "发票号码：", 1.5), 54, "12345678"),
             (420, 68, "开票日期："), (after(420, "开票日期：", 1.5), 68, "2019年05月20日"),
             (420, 82, "校验码："), (after(420, "校验码：", 1.5), 82, "12345 67890 12345 67890"),
             (20, 54, "机器编号："), (after(20, "机器编号：", 1.5), 54, "499099774311")]
    items += vertical(16, 100, "购买方") + [
        (32, 100, "名称："), (after(32, "名称：", 1.5), 100, "广东韶钢松山股份有限公司"),
        (32, 114, "纳税人识别号："), (after(32, "纳税人识别号：", 1.5), 114, "914402007076838520"),
        (32, 128, "地址、电话："), (32, 142, "开户行及账号：")]
    items += vertical(cipher_x, 100, "密码区") + [(cipher_x + 15, 104, "03*6<1>+/-<59<*0>8+91/"),
                                                 (cipher_x + 15, 118, "<0<5*86+3>>*2/4<7-/1")]
    items += [(20, 164, "货物或应税劳务、服务名称"), (160, 164, "规格型号"), (215, 164, "单位"),
              (250, 164, "数量"), (300, 164, "单价"), (370, 164, "金额"), (440, 164, "税率"),
              (500, 164, "税额")]
    items += [(20, 180, "*燃料*柴油"), (160, 180, "0号"), (215, 180, "升"), (250, 180, "500"),
              (300, 180, "6.9027"), (365, 180, "3451.33"), (445, 180, "13%"), (500, 180, "448.67")]
    items += [(58, 230, "合"), (103, 230, "计"), (360, 230, "¥3451.33"), (495, 230, "¥448.67")]
    items += [(20, 248, "价税合计（大写）"), (160, 248, "⊗叁仟玖佰圆整"),
              (380, 248, "（小写）"), (after(380, "（小写）", 3.4), 248 - figure_rise, "¥3900.00"),
              (380, 262, f"订单号 {order_no}")]
    items += vertical(16, 280, "销售方") + [
        (32, 280, "名称："), (after(32, "名称：", 1.5), 280, "中国石化销售股份有限公司广东韶关石油分公司"),
        (32, 294, "纳税人识别号："), (after(32, "纳税人识别号：", 1.5), 294, "91440200MA4UJ4XX9H")]
    items += [(20, 330, "收款人：李明"), (150, 330, "复核：张强"), (280, 330, "开票人：陈红"),
              (420, 330, "销售方：（章）")]
    return a5_landscape(pt(items))


def shudian_exempt_invoice() -> str:
    """A 数电 普通发票 with a tax-exempt line (税率 免税, 税额 ***) beside a taxed one, the totals
    row and （小写） figure printed with ¥ as separate words set into their labels."""
    items = [(150, 18, "电子发票（普通发票）"),
             (430, 30, "发票号码：25132000000067001234"), (430, 46, "开票日期：2025年06月30日")]
    items += vertical(16, 84, "购买方信息") + vertical(301, 84, "销售方信息")
    for x0, name in ((32, "河北钢铁股份有限公司唐山分公司"), (317, "唐山市丰润区粮油农产品合作社")):
        items += [(x0, 88, "名称："), (after(x0, "名称：", 3.3), 88, name)]
    items += [(40, 142, "项目名称"), (200, 142, "单位"), (240, 142, "数量"), (300, 142, "单价"),
              (370, 142, "金额"), (440, 142, "税率/征收率"), (530, 142, "税额")]
    items += [(12, 160, "*谷物*玉米秸秆"), (200, 160, "吨"), (240, 160, "120"), (300, 160, "350"),
              (360, 160, "42000.00"), (455, 160, "免税"), (530, 160, "***")]
    items += [(12, 176, "*装卸搬运服务*装卸费"), (200, 176, "次"), (240, 176, "1"),
              (300, 176, "1886.79"), (360, 176, "1886.79"), (455, 176, "6%"), (520, 176, "113.21")]
    items += [(58, 262, "合"), (103, 262, "计"), (356, 262, "¥"), (362, 262, "43886.79"),
              (512, 262, "¥"), (518, 262, "113.21")]
    items += [(47, 280, "价税合计（大写）"), (178, 280, "⊗肆万肆仟圆整"),
              (407, 280, "（小写）"), (after(407, "（小写）", 2.0), 280, "¥"),
              (after(407, "（小写）", 2.0) + 6.6, 280, "44000.00")]
    items += [(40, 310, "第1页 共1页")]
    return a5_landscape(pt(items))
