"""The append-only chain over stored runs, reviews and evidence hashes, and its audit.

Each stored run, each review and each document hash of a run gets one link, written in the same
transaction as the record: the SHA-256 of the record's canonical content (sorted-key JSON of the
fields that never change once stored; a run's status, which moves on, is not among them) and
the hash of the link before. `audit` recomputes every hash in order and names the first link
that no longer holds: a record altered or removed, or a link altered.

Writers never fork the chain: on PostgreSQL the head is read under a transaction-level advisory
lock, SQLite serialises writers itself, and `prev_hash` is unique in the table either way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from verify.store.tables import ChainLink, DocumentRow, ReviewRow, RunRow

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 0x63766368  # "cvch": one advisory lock for extending the chain
RUN, REVIEW, EVIDENCE = "run", "review", "evidence"
RUN_FIELDS = ("run_id", "facility_id", "facility_name", "period", "run_no", "error", "method",
              "opinion", "claimed_total", "verified_total", "bundle", "fingerprint",
              "result_json")
REVIEW_FIELDS = ("review_id", "run_id", "reviewers", "opinion", "misstatement_tco2",
                 "verified_total", "decisions", "reissued_json")
EVIDENCE_FIELDS = ("run_id", "file", "sha256", "kind")


def canonical(value: object) -> bytes:
    """One byte string per content: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=str).encode("utf-8")


def sha256(value: object) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def _content(row: object, fields: tuple[str, ...]) -> dict:
    return {name: getattr(row, name) for name in fields}


def content_hash(kind: str, row: object) -> str:
    """The hash of a run, review or document row's unchanging content."""
    fields = {RUN: RUN_FIELDS, REVIEW: REVIEW_FIELDS, EVIDENCE: EVIDENCE_FIELDS}[kind]
    return sha256(_content(row, fields))


def link_hash(seq: int, kind: str, ref: str, content: str, prev: str) -> str:
    return sha256({"seq": seq, "kind": kind, "ref": ref, "content_hash": content, "prev": prev})


def lock_chain(session: Session) -> None:
    """Take the chain's lock for the rest of the transaction (PostgreSQL; SQLite serialises
    writers already). A run saver takes it first, so writers at once neither fork the chain nor
    race for the same run number while one of them holds the lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})


def _head(session: Session) -> ChainLink | None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK_KEY})
    return session.exec(select(ChainLink).order_by(col(ChainLink.seq).desc())).first()


def _append(session: Session, kind: str, ref: str, content: str) -> ChainLink:
    head = _head(session)
    seq = (head.seq if head else 0) + 1
    prev = head.link_hash if head else GENESIS
    link = ChainLink(seq=seq, kind=kind, ref=ref, content_hash=content, prev_hash=prev,
                     link_hash=link_hash(seq, kind, ref, content, prev))
    session.add(link)
    session.flush()
    return link


def link_run(session: Session, run_id: str) -> None:
    """Chain a run just stored (flushed in `session`) and the hash of each of its documents."""
    run = session.get(RunRow, run_id)
    if run is None:
        raise KeyError(f"no stored run {run_id!r} to chain")
    _append(session, RUN, run_id, content_hash(RUN, run))
    docs = session.exec(select(DocumentRow).where(DocumentRow.run_id == run_id)
                        .order_by(col(DocumentRow.id))).all()
    for doc in docs:
        _append(session, EVIDENCE, f"{run_id}/{doc.id}", content_hash(EVIDENCE, doc))


def link_review(session: Session, review_id: str) -> None:
    review = session.get(ReviewRow, review_id)
    if review is None:
        raise KeyError(f"no stored review {review_id!r} to chain")
    _append(session, REVIEW, review_id, content_hash(REVIEW, review))


@dataclass(frozen=True)
class Audit:
    """What the audit found: how many links hold, and the first that does not (None: none)."""

    links: int
    broken_seq: int | None = None
    broken_kind: str | None = None
    broken_ref: str | None = None
    reason: str = ""
    unchained_runs: int = 0  # runs stored before the chain existed

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _record(session: Session, link: ChainLink) -> object | None:
    if link.kind == RUN:
        return session.get(RunRow, link.ref)
    if link.kind == REVIEW:
        return session.get(ReviewRow, link.ref)
    _run_id, _, doc_id = link.ref.rpartition("/")
    return session.get(DocumentRow, int(doc_id)) if doc_id.isdigit() else None


def _check(session: Session, link: ChainLink, expected_seq: int, prev: str) -> str:
    """Why a link does not hold ("" when it does)."""
    if link.seq != expected_seq:
        return f"link {expected_seq} is missing (the next link is {link.seq})"
    if link.prev_hash != prev:
        return "its previous hash is not the hash of the link before"
    if link.link_hash != link_hash(link.seq, link.kind, link.ref, link.content_hash, link.prev_hash):
        return "the link itself was altered"
    record = _record(session, link)
    if record is None:
        return f"the {link.kind} record {link.ref} is gone"
    if content_hash(link.kind, record) != link.content_hash:
        return f"the {link.kind} record {link.ref} was altered after it was stored"
    return ""


def audit(session: Session) -> Audit:
    """Recompute the chain from its first link; the first link that does not hold is named."""
    prev, n = GENESIS, 0
    chained: set[str] = set()
    for n, link in enumerate(session.exec(select(ChainLink).order_by(col(ChainLink.seq))),
                             start=1):
        reason = _check(session, link, n, prev)
        if reason:
            return Audit(n - 1, link.seq, link.kind, link.ref, reason)
        if link.kind == RUN:
            chained.add(link.ref)
        prev = link.link_hash
    runs = set(session.exec(select(RunRow.run_id)).all())
    return Audit(n, unchained_runs=len(runs - chained))
