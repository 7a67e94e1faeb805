"""The rule catalogue keeps its promises: every registered rule has a docs/domain.md id, a documented
reason, messages in English and Chinese, its thresholds as data, and a case file."""

from __future__ import annotations

import re
import string
import tomllib
from importlib import resources
from pathlib import Path

import pytest
import yaml

from verify.domain.rules import REGISTRY, catalogue
from verify.domain.thresholds import Thresholds, load_thresholds
from verify.model.records import Severity

# docs/domain.md section 5, in its order (stable ids; MATERIALITY is judged, not a rule module).
DOMAIN_IDS = (
    "CALC-RECOMPUTE", "CALC-TIEOUT", "AD-INVOICE", "AD-STOCK-BALANCE", "AD-STOCK-CONTINUITY",
    "AD-METER", "LAB-MATCH", "LAB-RANGE", "LAB-MISSING", "LAB-ACCREDITATION", "LAB-TIMING",
    "LAB-COMPLETENESS", "INV-DUPLICATE", "INV-PERIOD", "INV-ARITHMETIC", "UNIT-SUSPECT",
    "PROD-MATCH", "INTENSITY-RANGE", "TREND-BREAK", "ANNUAL-TIEOUT", "STREAM-COMPLETENESS",
    "DOC-UNREADABLE", "DOC-UNCLASSIFIED", "MATERIALITY",
)
JUDGED = ("MATERIALITY",)
# Rules beyond docs/domain.md's catalogue, each documented in docs/verification.md, after it.
EXTENSION_IDS = ("DOC-OCR-CONFIDENCE", "EVIDENCE-MISSING", "CLAIM-VALUES", "CLAIM-PERIOD")
MATERIALITY_SETTINGS = {"materiality_pct", "materiality_pct_large", "large_installation_t",
                        "materiality_override_pct"}
CASES_DIR = Path(__file__).parent / "rules"
DOMAIN_MD = Path(__file__).parents[1] / "docs" / "domain.md"
IDS = [r.ID for r in REGISTRY]


def _messages() -> dict:
    text = resources.files("verify").joinpath("data", "messages.toml").read_text("utf-8")
    return tomllib.loads(text)


def _family(rule_id: str) -> dict[str, dict]:
    """A rule's message templates: its id and ids it prefixes (LAB-TIMING-REPORT)."""
    return {k: v for k, v in _messages().items() if k == rule_id or k.startswith(f"{rule_id}-")}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_registry_is_domain_catalogue_in_order():
    assert len(set(IDS)) == len(IDS)
    assert tuple(IDS) == tuple(i for i in DOMAIN_IDS if i not in JUDGED) + EXTENSION_IDS


def test_extensions_are_documented():
    text = (Path(__file__).parents[1] / "docs" / "verification.md").read_text("utf-8")
    for rule_id in EXTENSION_IDS:
        assert rule_id in text


def test_domain_ids_match_domain_md():
    section = DOMAIN_MD.read_text("utf-8").split("## 5.")[1].split("## 6.")[0]
    assert tuple(re.findall(r"^\| ([A-Z]+(?:-[A-Z]+)*) \|", section, re.M)) == DOMAIN_IDS


@pytest.mark.parametrize("rule", REGISTRY, ids=IDS)
def test_rule_module_declares_itself(rule):
    assert isinstance(rule.SEVERITY, Severity)
    assert rule.NAME and rule.NAME.lower() == rule.NAME
    assert callable(rule.check)
    assert rule.__name__.rsplit(".", 1)[1] == rule.ID.lower().replace("-", "_")


@pytest.mark.parametrize("rule", REGISTRY, ids=IDS)
def test_docstring_is_the_verifiers_reason(rule):
    doc = rule.__doc__ or ""
    first = doc.strip().splitlines()[0]
    assert first.endswith(".") and len(first) <= 100, first
    for section in ("Why:", "Fails:", "Passes:"):
        assert section in doc, f"{rule.ID} docstring lacks {section!r}"
    assert "docs/domain.md" in doc or "verification.md" in doc, "say where the rule comes from"


@pytest.mark.parametrize("rule", REGISTRY, ids=IDS)
def test_messages_in_english_and_chinese(rule):
    family = _family(rule.ID)
    assert family, f"no message for {rule.ID} in messages.toml"
    for key, templates in family.items():
        assert set(templates) >= {"en", "zh"}, key
        assert _fields(templates["en"]) == _fields(templates["zh"]), key


@pytest.mark.parametrize("rule", REGISTRY, ids=IDS)
def test_parameters_are_thresholds_with_defaults(rule):
    defaults = load_thresholds()
    for name in rule.PARAMETERS:
        assert name in Thresholds.model_fields, f"{rule.ID}: {name} is not a threshold"
        assert getattr(defaults, name) is not None, f"{rule.ID}: {name} has no default"


def test_every_threshold_is_read_by_a_rule_or_materiality():
    used = {p for r in REGISTRY for p in r.PARAMETERS} | MATERIALITY_SETTINGS
    assert set(Thresholds.model_fields) - used == set()


@pytest.mark.parametrize("rule", REGISTRY, ids=IDS)
def test_case_file_with_passing_and_failing_cases(rule):
    path = CASES_DIR / f"{rule.ID}.yml"
    assert path.exists(), f"add {path.relative_to(Path.cwd()) if path.is_absolute() else path}"
    spec = yaml.safe_load(path.read_text("utf-8"))
    assert spec["rule"] == rule.ID
    names = [c["name"] for c in spec["cases"]]
    assert len(set(names)) == len(names)
    assert any(c.get("pass") for c in spec["cases"]), "a case where the rule stays silent"
    assert any(c.get("expect") for c in spec["cases"]), "a case where the rule fires"


def test_no_orphan_messages():
    known = set(IDS) | set(JUDGED) | {"terms"}
    orphans = [k for k in _messages() if not any(k == i or k.startswith(f"{i}-") for i in known)]
    assert orphans == []


def test_catalogue_lists_every_rule():
    rows = catalogue()
    assert [r["id"] for r in rows] == IDS
    assert all(r["doc"] and r["severity"] in {s.value for s in Severity} for r in rows)
