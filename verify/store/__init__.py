"""Storage of verification runs (SQLModel): an edge beside the domain.

SQLite file by default, PostgreSQL by URL. Nothing in the domain imports this package.
"""

from verify.store.engine import engine_for
from verify.store.runs import list_runs, load_records, load_run, record_models, save_run
from verify.store.tables import DocumentRow, FindingRow, RecordRow, RunRow

__all__ = [
    "engine_for",
    "save_run",
    "load_run",
    "list_runs",
    "load_records",
    "record_models",
    "RunRow",
    "DocumentRow",
    "RecordRow",
    "FindingRow",
]
