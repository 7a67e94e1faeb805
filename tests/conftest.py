"""Session fixtures: one Prefect test harness, one PostgreSQL URL, test helpers on the path."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# Kept extractions of this session go to a folder of its own, not the user's cache.
if "CARBON_VERIFY_CACHE" not in os.environ:
    import tempfile

    os.environ["CARBON_VERIFY_CACHE"] = tempfile.mkdtemp(prefix="carbon-verify-test-cache-")

PG_URL_ENV = "CARBON_VERIFY_PG_URL"


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect API for the whole session (started once: it costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def pg_url() -> str:
    """PostgreSQL from $CARBON_VERIFY_PG_URL; skipped with a reason where there is none, and a
    failure where CARBON_VERIFY_REQUIRE_PG is set (as in CI)."""
    url = os.environ.get(PG_URL_ENV)
    reason = ""
    if not url:
        reason = (
            f"PostgreSQL not available: set {PG_URL_ENV}, e.g. "
            "postgresql+psycopg://carbon:carbon@localhost:5432/carbon_verify"
        )
    else:
        try:
            import sqlalchemy

            with sqlalchemy.create_engine(url).connect() as conn:
                conn.execute(sqlalchemy.text("SELECT 1"))
        except Exception as exc:  # any failure to connect means no usable server here
            reason = f"PostgreSQL at {PG_URL_ENV} not reachable: {exc}"
    if reason:
        if os.environ.get("CARBON_VERIFY_REQUIRE_PG"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url
