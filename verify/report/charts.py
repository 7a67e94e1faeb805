"""The charts of a year's report, drawn with matplotlib as SVG data: URIs.

Text is drawn as outlines (svg.fonttype "path") in the bundled Noto face, so a chart looks the
same on every machine and needs no font of its own in the PDF.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from verify.report.settings import layout, templates_dir

FONT = "fonts/NotoSansSC-GB2312-Regular.otf"
CM = 1 / 2.54


@lru_cache(maxsize=1)
def _font():
    from matplotlib import font_manager

    path = templates_dir() / FONT
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _figure():
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    s = layout()["charts"]
    fig = Figure(figsize=(s["width_cm"] * CM, s["height_cm"] * CM))
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color="#e3e7ec", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _svg_uri(fig) -> str:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "font.family": _font(),
                                "svg.hashsalt": "carbon-verify"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _month_labels(months: list[str]) -> list[str]:
    return [m[5:] if len(m) == 7 else m for m in months]


def emissions_chart(months: list[str], claimed: list[float], verified: list[float],
                    labels: dict[str, str]) -> str:
    """Claimed beside verified tCO2, month by month."""
    import matplotlib

    s = layout()["charts"]
    with matplotlib.rc_context({"font.family": _font()}):
        fig, ax = _figure()
        xs = range(len(months))
        ax.bar([x - 0.2 for x in xs], claimed, width=0.4, color=s["claimed_rgb"],
               label=labels["claimed"])
        ax.bar([x + 0.2 for x in xs], verified, width=0.4, color=s["verified_rgb"],
               label=labels["verified"])
        ax.set_xticks(list(xs), _month_labels(months))
        ax.set_ylabel(labels["unit"], fontsize=7)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        ax.legend(fontsize=7, frameon=False, ncols=2, loc="lower right", bbox_to_anchor=(1.0, 1.0))  # above the bars
        return _svg_uri(fig)


def intensity_chart(months: list[str], intensity: list[float | None],
                    labels: dict[str, str]) -> str:
    """Verified tCO2 per t of crude steel, month by month (gaps where output is unknown)."""
    import matplotlib

    s = layout()["charts"]
    with matplotlib.rc_context({"font.family": _font()}):
        fig, ax = _figure()
        xs = list(range(len(months)))
        ys = [float("nan") if v is None else v for v in intensity]
        ax.plot(xs, ys, marker="o", markersize=3, linewidth=1.2, color=s["intensity_rgb"])
        ax.set_xticks(xs, _month_labels(months))
        ax.set_ylabel(labels["unit"], fontsize=7)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.2f}"))
        return _svg_uri(fig)
