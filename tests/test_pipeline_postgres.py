"""The same run against PostgreSQL: stored whole, read back equal."""

from fixtures import sample_bundle
from verify.pipeline import RunOptions, run_bundle


def test_sample_run_stored_in_postgres(pg_url):
    from verify.store import engine_for, list_runs, load_run

    outcome = run_bundle(sample_bundle(), RunOptions(db=pg_url, out=None))
    engine = engine_for(pg_url)
    stored = load_run(engine, outcome.result.run_id)
    assert stored == outcome.result
    assert outcome.result.run_id in {r.run_id for r in list_runs(engine)}
