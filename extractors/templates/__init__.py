"""Supplier templates: load the YAML files, and pick the one whose keywords a document prints.

The escape hatch for an issuer whose layout the generic readers cannot read. Shipped templates
live beside this module; a user adds a folder (`--templates DIR`, or `templates` in
bundle.toml), whose templates are tried first. A template that cannot be read is reported with
its file and the reason and left out, never a failed run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from extractors.labels import key
from extractors.templates.model import Template
from verify.model.errors import TemplateError

SHIPPED = Path(__file__).parent
SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Loaded:
    """The templates that can be used, in the order they are tried, and the ones refused."""

    templates: tuple[Template, ...] = ()
    problems: tuple[str, ...] = ()


def _reason(exc: ValidationError) -> str:
    """Pydantic's errors as one line: 'fields.date.regex: ...; kind: ...'."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'template'}: {e['msg']}"
                     for e in exc.errors())


def load_file(path: Path) -> Template:
    """One template from its YAML file; raises TemplateError saying what is wrong."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(path, f"not readable YAML: {exc}".replace("\n", " ")) from exc
    if not isinstance(data, dict):
        raise TemplateError(path, "expected a mapping of issuer, keywords, kind, fields, options")
    try:
        return Template(**{**data, "file": path.name})
    except ValidationError as exc:
        raise TemplateError(path, _reason(exc)) from exc
    except TypeError as exc:  # a non-string key at the top level
        raise TemplateError(path, str(exc)) from exc


def template_files(dirs: Iterable[Path]) -> list[Path]:
    """The YAML files of the user's folders (in the order given), then the shipped ones."""
    files: list[Path] = []
    for folder in [*map(Path, dirs), SHIPPED]:
        files += sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()) \
            if folder.is_dir() else []
    return files


def load_templates(dirs: Iterable[Path] = ()) -> Loaded:
    """Every usable template, the user's first; a missing folder or a bad file is a problem."""
    dirs = [Path(d) for d in dirs]
    problems = [f"template folder {d}: not a folder" for d in dirs if not d.is_dir()]
    templates = []
    for path in template_files(dirs):
        try:
            templates.append(load_file(path))
        except TemplateError as exc:
            problems.append(str(exc))
    return Loaded(tuple(templates), tuple(problems))


def digest(dirs: Iterable[Path]) -> str:
    """A digest of the user's template files: a changed template re-reads cached documents."""
    h = hashlib.sha256()
    for path in template_files(dirs):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def missing_keywords(template: Template, text: str) -> list[str]:
    """The template's keywords the text does not print (case, spaces and colons ignored)."""
    folded = key(text)
    return [k for k in template.keywords if key(k) not in folded]


def fits(template: Template, kind: str) -> bool:
    """Whether a template may read a document of this kind (any kind, when unclassified)."""
    return kind in ("unknown", template.kind)


def select(templates: Iterable[Template], text: str, kind: str) -> Template | None:
    """The first template of a fitting kind whose keywords all appear in the text."""
    return next((t for t in templates if fits(t, kind) and not missing_keywords(t, text)), None)


__all__ = ["Loaded", "Template", "TemplateError", "digest", "fits", "load_file",
           "load_templates", "missing_keywords", "select"]
