"""The same run against PostgreSQL: stored whole, read back equal, on a fresh database."""

from pg_fresh import fresh_pg_url  # noqa: F401  (fixture)

from fixtures import sample_bundle
from verify.pipeline import RunOptions, run_bundle


def test_sample_run_stored_in_postgres(fresh_pg_url):  # noqa: F811
    from verify.store import engine_for, list_runs, load_run

    outcome = run_bundle(sample_bundle(), RunOptions(db=fresh_pg_url, out=None))
    engine = engine_for(fresh_pg_url)
    stored = load_run(engine, outcome.result.run_id)
    assert stored == outcome.result
    [run] = [r for r in list_runs(engine) if r.run_id == outcome.result.run_id]
    assert (run.status, run.run_no) == ("complete", 1)
    engine.dispose()
