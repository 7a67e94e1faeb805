"""Which database a run is stored in, and the schema in it.

SQLite file by default (one machine), PostgreSQL by URL (many facilities and months). The URL
comes from the argument, else `CARBON_VERIFY_DB`, else `sqlite:///carbon-verify.db` in the
current directory.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine
from sqlmodel import SQLModel, create_engine

from verify.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

ENV_VAR = "CARBON_VERIFY_DB"
DEFAULT_URL = "sqlite:///carbon-verify.db"


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else $CARBON_VERIFY_DB, else the SQLite file default."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def ensure_schema(engine: Engine) -> None:
    """Create missing tables.

    The migration seam: when Alembic lands, this becomes `alembic upgrade head` against the
    engine; callers keep calling `engine_for` and never create tables themselves.
    """
    SQLModel.metadata.create_all(engine)


def engine_for(url: str | None = None) -> Engine:
    """An engine for any SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...), schema ready."""
    engine = create_engine(database_url(url))
    ensure_schema(engine)
    return engine
