"""Storing the March 2025 run of CN-HB-0001: round trips on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pg_fresh import fresh_pg_url  # noqa: F401  (fixture)
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


# --- migrations, status, run numbers, concurrent starts -------------------------------------


def test_migrations_make_exactly_the_models_schema(tmp_path):
    """`alembic upgrade head` and the SQLModel tables agree: no drift left for autogenerate."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = engine_for(f"sqlite:///{tmp_path / 'runs.db'}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                SQLModel.metadata)
    assert diff == []


def test_database_made_before_migrations_is_stamped_and_upgraded(tmp_path):
    """A file made by the old create_all (the first migration's schema) keeps its runs."""
    from verify.store.engine import HEAD, _alembic_config, current_revision, upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    legacy = create_engine(url)
    with legacy.connect() as conn:
        from alembic import command

        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(text("drop table alembic_version"))
        conn.execute(text(
            "insert into runs values ('r1', 'CN-HB-0001', '', '2025-03', 'cn-steel-2025', "
            "'satisfactory', 1.0, 1.0, null, '2025-04-01 00:00:00', '', '{}')"))
        conn.commit()
    assert upgrade(legacy) == HEAD == current_revision(legacy)
    (run,) = list_runs(legacy, "CN-HB-0001")
    assert (run.run_id, run.run_no, run.status) == ("r1", 1, "complete")


def assert_status_and_numbers(engine) -> None:
    from verify.store import latest_run, mark_complete, save_failed_run

    first = save_run(engine, march_run(), march_records(), status="running", fingerprint="fp1")
    assert latest_run(engine, "CN-HB-0001", "2025-03").status == "running"
    assert latest_run(engine, "CN-HB-0001", "2025-03", status="complete") is None
    mark_complete(engine, first)
    failed = save_failed_run(engine, "CN-HB-0001", "2025-03", "the bundle holds no claim")
    runs = {r.run_id: r for r in list_runs(engine, "CN-HB-0001")}
    assert (runs[first].run_no, runs[first].status, runs[first].fingerprint) == (1, "complete", "fp1")
    assert (runs[failed].run_no, runs[failed].status) == (2, "failed")
    assert runs[failed].error == "the bundle holds no claim"
    assert latest_run(engine, "CN-HB-0001", "2025-03", status="complete").run_id == first
    with pytest.raises(KeyError, match="has no result"):
        load_run(engine, failed)


def test_status_and_run_numbers_on_sqlite(tmp_path):
    assert_status_and_numbers(engine_for(f"sqlite:///{tmp_path / 'runs.db'}"))


def test_run_number_is_unique_within_facility_and_period(tmp_path):
    from sqlalchemy.exc import IntegrityError

    engine = engine_for(f"sqlite:///{tmp_path / 'runs.db'}")
    save_run(engine, march_run(), [])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("update runs set run_no = 1"))  # only one run: a no-op
        conn.execute(text(
            "insert into runs (run_id, facility_id, facility_name, period, run_no, status, "
            "method, opinion, bundle) values ('x', 'CN-HB-0001', '', '2025-03', 1, "
            "'failed', '', '', '')"))


def _start_and_save(url: str, barrier, n: int) -> None:
    barrier.wait()
    from test_report import march_records, march_run

    from verify.store import engine_for, save_run

    engine = engine_for(url)
    for _ in range(n):
        save_run(engine, march_run(), march_records())
    engine.dispose()


def two_processes_on_a_fresh_database(url: str) -> None:
    """Two processes start at once on a database with no schema: both store their runs."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_start_and_save, args=(url, barrier, 3)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    engine = engine_for(url)
    runs = list_runs(engine, "CN-HB-0001")
    assert sorted(r.run_no for r in runs) == [1, 2, 3, 4, 5, 6]
    engine.dispose()


def test_two_processes_start_at_once_on_a_fresh_sqlite_file(tmp_path):
    two_processes_on_a_fresh_database(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_two_processes_start_at_once_on_a_fresh_postgresql(fresh_pg_url):  # noqa: F811
    two_processes_on_a_fresh_database(fresh_pg_url)
    with create_engine(fresh_pg_url).connect() as conn:
        kinds = conn.execute(text(
            "select data_type from information_schema.columns where column_name in "
            "('result_json', 'payload', 'evidence') order by column_name")).scalars().all()
    assert kinds == ["jsonb", "jsonb", "jsonb"]


@pytest.mark.postgres
def test_status_and_run_numbers_on_postgresql(pg_engine):
    assert_status_and_numbers(pg_engine)


def test_a_relative_sqlite_file_gets_its_schema_in_every_directory(tmp_path, monkeypatch):
    """The default database is a file in the current directory; a process that moves to another
    directory and runs again gets a schema in the file there too (the schema is made once per
    file, not once per URL text)."""
    from sqlalchemy import inspect

    from verify.store.engine import engine_for

    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        engine = engine_for("sqlite:///carbon-verify.db")
        try:
            assert "runs" in inspect(engine).get_table_names()
            assert str(engine.url).endswith(f"{name}/carbon-verify.db")
        finally:
            engine.dispose()
