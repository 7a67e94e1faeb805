"""Every file is a known kind of evidence.

Why: a document that is none of the known kinds was not used; the verifier should look at it,
it may be evidence in an unexpected form (docs/domain.md s5).
Fails: a document with status *unclassified*. Passes: every file classified.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, message
from verify.model.records import DocumentStatus, Finding, Provenance, Severity

ID = "DOC-UNCLASSIFIED"
NAME = "every file a known kind"
SEVERITY = Severity.OBSERVATION
PARAMETERS: tuple[str, ...] = ()


def check(ctx: RuleContext) -> Iterator[Finding]:
    for doc in ctx.documents:
        if doc.status == DocumentStatus.UNCLASSIFIED:
            yield Finding(
                rule=ID, severity=SEVERITY, threshold="known kind",
                evidence=[Provenance(file=doc.file, sha256=doc.sha256)],
                message=message(ID, ctx.lang, documents=doc.file),
            )
