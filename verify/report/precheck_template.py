"""The bundle template a plant fills (`carbon-verify template bundle`): folders by document
kind, each with a README.txt in the plant's language, and a commented bundle.toml.

Wording and layout come from verify/data/bundle_template.toml; the claim workbook is written
beside them by the claim template's own writer (see `verify.pipeline.write_bundle_template`).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

README = "README.txt"
CLAIM_FOLDER = "claim"


def _layout() -> dict:
    return tomllib.loads(resources.files("verify").joinpath("data", "bundle_template.toml")
                         .read_text("utf-8"))


def write_layout(root: Path, lang: str = "en") -> list[Path]:
    """The folders with their README.txt and bundle.toml; files already there are kept."""
    layout = _layout()
    root = Path(root)
    written = []
    for folder, says in layout["folders"].items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        readme = root / folder / README
        if not readme.exists():
            note = layout["note"].get(lang, layout["note"]["en"])
            readme.write_text(says.get(lang, says["en"]) + "\n\n" + note + "\n", "utf-8")
            written.append(readme)
    config = root / "bundle.toml"
    if not config.exists():
        config.write_text(layout["bundle_toml"].get(lang, layout["bundle_toml"]["en"]), "utf-8")
        written.append(config)
    return written
