"""Alembic environment: run on the connection `verify.store.engine.upgrade` hands over."""

from alembic import context
from sqlmodel import SQLModel

from verify.store import tables  # noqa: F401  (the models the migrations must reach)

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata,
                  render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
