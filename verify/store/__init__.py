"""Storage of verification runs (SQLModel): an edge beside the domain.

SQLite file by default, PostgreSQL by URL. Nothing in the domain imports this package.
"""

from verify.store.engine import engine_for, upgrade
from verify.store.runs import (
    latest_run,
    list_reviews,
    list_runs,
    load_records,
    load_review,
    load_run,
    mark_complete,
    mark_crashed,
    record_models,
    retire_outputs,
    reviewed_runs,
    runs_with_fingerprint,
    save_failed_run,
    save_review,
    save_run,
)
from verify.store.tables import (
    COMPLETE,
    CRASHED,
    FAILED,
    RUNNING,
    SUPERSEDED,
    DocumentRow,
    FindingRow,
    RecordRow,
    RunRow,
)

__all__ = [
    "engine_for",
    "upgrade",
    "mark_complete",
    "mark_crashed",
    "CRASHED",
    "save_failed_run",
    "latest_run",
    "runs_with_fingerprint",
    "RUNNING",
    "COMPLETE",
    "FAILED",
    "SUPERSEDED",
    "retire_outputs",
    "save_run",
    "load_run",
    "list_runs",
    "load_records",
    "save_review",
    "list_reviews",
    "load_review",
    "reviewed_runs",
    "record_models",
    "RunRow",
    "DocumentRow",
    "RecordRow",
    "FindingRow",
]
