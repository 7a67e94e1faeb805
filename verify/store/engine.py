"""Which database a run is stored in, and the schema in it.

SQLite file by default (one machine), PostgreSQL by URL (many facilities and months). The URL
comes from the argument, else `CARBON_VERIFY_DB`, else `sqlite:///carbon-verify.db` in the
current directory.

The schema is made and kept by the Alembic migrations in `verify/store/migrations/`
(`carbon-verify db upgrade`, or the first `engine_for` of a process). Two processes that start
at once on a fresh database take turns: on PostgreSQL under a transaction-level advisory lock,
on SQLite under an exclusive lock on a file beside the database, so neither sees the other's
half-made schema.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import create_engine

from verify.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

ENV_VAR = "CARBON_VERIFY_DB"
DEFAULT_URL = "sqlite:///carbon-verify.db"
MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0004"
BASE = "0001"  # the schema `create_all` made before migrations existed
PG_LOCK_KEY = 0x63766462  # "cvdb": one advisory lock for schema changes

_ready: set[str] = set()
_ready_lock = threading.Lock()


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else $CARBON_VERIFY_DB, else the SQLite file default."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        yield
        return
    lock = Path(f"{database}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_revision(engine: Engine) -> str | None:
    """The migration the database stands at (None: not made yet)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to `revision` (the latest by default); returns where it stands.

    A database made before migrations (tables, no alembic_version) is stamped at the first
    migration, which is that schema, and upgraded from there.
    """
    from alembic import command

    postgres = engine.dialect.name == "postgresql"
    with contextlib.ExitStack() as stack:
        if not postgres:
            stack.enter_context(_sqlite_file_lock(engine))
        conn = stack.enter_context(engine.connect())
        if postgres:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
        names = set(inspect(conn).get_table_names())
        config = _alembic_config(conn)
        if "runs" in names and "alembic_version" not in names:
            command.stamp(config, BASE)
        command.upgrade(config, revision)
        conn.commit()  # the advisory lock is released with this transaction
    return current_revision(engine)


def ensure_schema(engine: Engine) -> None:
    """Migrate the database to the latest schema once per process and URL."""
    key = engine.url.render_as_string(hide_password=False)
    with _ready_lock:
        if key in _ready:
            return
        if current_revision(engine) != HEAD:
            upgrade(engine)
        _ready.add(key)


def absolute_sqlite(url: str) -> str:
    """A SQLite URL with a relative file made absolute against the current directory, so the
    schema made once per process is made for the file meant (a later change of directory
    would otherwise point the same URL at another, empty file); other URLs as given."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:") or Path(database).is_absolute():
        return url
    return parsed.set(database=str(Path(database).resolve())).render_as_string(
        hide_password=False)


def engine_for(url: str | None = None) -> Engine:
    """An engine for any SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...), schema ready."""
    engine = create_engine(absolute_sqlite(database_url(url)))
    ensure_schema(engine)
    return engine
