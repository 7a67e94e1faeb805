"""Every file of the bundle could be read.

Why: a verifier can only rely on what was read; a corrupt, encrypted, empty, image-only or
oversized file is a limitation of scope, never a silent gap (docs/domain.md s5); the opinion
is then not verified until the plant sends it readable (verify.domain.materiality).
Fails: a document with status *unreadable*, or one read only in part because a reader's cap
was reached (rows or columns of a sheet); the finding carries the reason and what was not read.
Passes: every file read whole.
"""

from __future__ import annotations

from collections.abc import Iterator

from verify.domain.rules.base import RuleContext, message
from verify.model.records import DocumentStatus, Finding, Provenance, Severity

ID = "DOC-UNREADABLE"
NAME = "every file readable"
SEVERITY = Severity.NON_CONFORMITY
PARAMETERS: tuple[str, ...] = ()


def check(ctx: RuleContext) -> Iterator[Finding]:
    for doc in ctx.documents:
        if doc.status == DocumentStatus.UNREADABLE:
            reason = doc.error or "unknown reason"
        elif doc.unread:
            reason = f"read only in part, not read: {doc.unread}"
        else:
            continue
        yield Finding(
            rule=ID, severity=SEVERITY, threshold="readable",
            evidence=[Provenance(file=doc.file, sha256=doc.sha256, text=reason)],
            message=message(ID, ctx.lang, documents=doc.file, reason=reason),
        )
