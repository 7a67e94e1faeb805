"""Storing the March 2025 run of CN-HB-0001: round trips on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_report import FACILITY_NAME, INV2, SHA_INV, march_records, march_run

from verify.store import (
    engine_for,
    list_runs,
    load_records,
    load_run,
    record_models,
    save_run,
)
from verify.store.engine import DEFAULT_URL, ENV_VAR, database_url


def assert_round_trip(engine) -> None:
    """Save the March run and read back the result, the records and the run list."""
    result, records = march_run(findings=5), march_records()
    run_id = save_run(engine, result, records)
    assert run_id == result.run_id
    assert load_run(engine, run_id) == result
    rows = load_records(engine, run_id)
    assert [r["kind"] for r in rows] == [
        "FuelInvoice",
        "LabReport",
        "ProductionRecord",
        "StockRecord",
    ]
    assert rows[0]["sha256"] == SHA_INV
    assert record_models(rows) == records
    (run,) = list_runs(engine, "CN-HB-0001")
    assert (run.facility_name, run.period, run.opinion) == (
        FACILITY_NAME,
        "2025-03",
        "not_verified",
    )
    assert run.verified_total == 76372.82 and run.started_at is not None
    assert list_runs(engine, "CN-XX-9999") == []


def assert_later_run_keeps_earlier(engine) -> None:
    """The same facility and period saved twice: two runs, the first untouched."""
    first = save_run(engine, march_run(), march_records())
    second = save_run(engine, march_run(findings=3), [])
    assert first != second
    uuid.UUID(second)
    runs = list_runs(engine, "CN-HB-0001")
    assert {r.run_id for r in runs} >= {first, second}
    assert len(load_run(engine, first).findings) == 2
    assert len(load_run(engine, second).findings) == 3
    assert load_run(engine, second).run_id == second
    assert len(load_records(engine, first)) == 4 and load_records(engine, second) == []


def test_march_run_round_trips_on_sqlite_file(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'runs.db'}")
    assert_round_trip(engine)
    assert (tmp_path / "runs.db").stat().st_size > 0


def test_second_run_of_same_month_is_kept_beside_the_first_on_sqlite(tmp_path):
    assert_later_run_keeps_earlier(engine_for(f"sqlite:///{tmp_path / 'runs.db'}"))


def test_finding_rows_carry_evidence(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'runs.db'}")
    run_id = save_run(engine, march_run(), [])
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select finding_id, rule, period, evidence from run_findings "
                "where run_id = :r order by id"
            ),
            {"r": run_id},
        ).all()
    assert [r[0] for r in rows] == ["F-001", "F-002"] and rows[0][1] == "INV-DUPLICATE"
    assert rows[0][2] == "2025-03" and INV2 in rows[0][3]


def test_missing_run_is_a_key_error(tmp_path):
    with pytest.raises(KeyError, match="no stored run"):
        load_run(engine_for(f"sqlite:///{tmp_path / 'runs.db'}"), "nope")


def test_database_url_from_argument_then_environment_then_default(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert database_url() == DEFAULT_URL == "sqlite:///carbon-verify.db"
    monkeypatch.setenv(ENV_VAR, "sqlite:///from-env.db")
    assert database_url() == "sqlite:///from-env.db"
    assert database_url("sqlite:///arg.db") == "sqlite:///arg.db"


def test_default_database_is_a_file_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    save_run(engine_for(), march_run(), [])
    assert (tmp_path / "carbon-verify.db").exists()


@pytest.fixture()
def pg_engine(pg_url) -> Iterator:
    """An engine on a fresh schema of the test database, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f'create schema "{schema}"'))
    url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = engine_for(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'drop schema "{schema}" cascade'))
        admin.dispose()


@pytest.mark.postgres
def test_march_run_round_trips_on_postgresql(pg_engine):
    with pg_engine.connect() as conn:
        assert conn.execute(text("select current_schema()")).scalar().startswith("test_")
    assert_round_trip(pg_engine)


@pytest.mark.postgres
def test_second_run_of_same_month_is_kept_beside_the_first_on_postgresql(pg_engine):
    assert_later_run_keeps_earlier(pg_engine)
