"""Every character the Chinese report can print is in the CJK font the report embeds.

The faces are the ones report.css declares (@font-face src), read with fontTools; the text is
every zh string of the report's data files: UI strings and workpaper labels (strings.toml),
stream names, rule names and the methods' titles and sources. A character outside the cmap
would print as a blank box in a signed statement.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from fontTools.ttLib import TTFont

from verify.report.settings import templates_dir

ZH_FILES = ("strings.toml", "stream_names.toml", "rule_names.toml", "methods.toml")


def texts(value) -> list[str]:
    """Every string inside nested tables and lists (keys are not printed)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return [value] if isinstance(value, str) else []


def zh_texts(name: str) -> list[str]:
    """The Chinese strings of one data file: its [zh] table, or each entry's zh table."""
    data = tomllib.loads((templates_dir() / name).read_text("utf-8"))
    if "zh" in data:
        return texts(data["zh"])
    return [t for entry in data.values() if isinstance(entry, dict) for t in texts(entry.get("zh"))]


def report_faces() -> list[str]:
    """The font files report.css embeds."""
    css = (templates_dir() / "report.css").read_text("utf-8")
    return re.findall(r'src:\s*url\("([^"]+)"\)', css)


@pytest.fixture(scope="module")
def cmaps() -> dict[str, set[int]]:
    found = {}
    for face in report_faces():
        font = TTFont(templates_dir() / face)
        found[face] = set(font.getBestCmap())
        font.close()
    return found


def test_the_report_embeds_a_regular_and_a_bold_cjk_face(cmaps):
    assert len(cmaps) == 2
    assert all(ord("核") in cmap and ord("查") in cmap for cmap in cmaps.values())


@pytest.mark.parametrize("name", ZH_FILES)
def test_every_chinese_string_is_in_the_font(name, cmaps):
    chars = {ch for text in zh_texts(name) for ch in text if not ch.isspace()}
    assert len(chars) > 20, "no Chinese strings read"  # the file's zh entries were found
    for face, cmap in cmaps.items():
        missing = sorted(ch for ch in chars if ord(ch) not in cmap)
        assert not missing, (name, face, missing)


def test_a_character_outside_the_subset_is_caught(cmaps):
    """The GB2312 subset lacks rare characters; the check would name one."""
    rare = "\U00020000"  # CJK Extension B, never in a GB2312 subset
    assert all(ord(rare) not in cmap for cmap in cmaps.values())
