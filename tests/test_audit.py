"""The store's append-only chain (issue 16): every stored run, review and evidence hash is a
link holding the hash of the one before; `carbon-verify audit` recomputes them and names the
first broken link when a stored row is altered with SQL. Writers at once never fork it."""

from __future__ import annotations

import pytest
from pg_fresh import fresh_pg_url  # noqa: F401  (fixture)
from sqlalchemy import text
from sqlmodel import Session, select
from test_report import march_records, march_run
from typer.testing import CliRunner

from verify.cli import app
from verify.domain.review import apply_review
from verify.model.review import Decision, FindingDecision
from verify.store import engine_for, save_failed_run, save_review, save_run
from verify.store.chain import GENESIS, audit
from verify.store.tables import ChainLink


def _stored(url: str) -> tuple[list[str], str]:
    """Two runs (with their documents), a failed run and a review of the first."""
    engine = engine_for(url)
    runs = [save_run(engine, march_run(), march_records()) for _ in range(2)]
    runs.append(save_failed_run(engine, "CN-HB-0001", "2025-04", "the claim cannot be read"))
    first = march_run().model_copy(update={"run_id": runs[0]})
    decision = FindingDecision(finding_id="F-001", decision=Decision.REJECT, reviewer="Li Wei")
    review = save_review(engine, apply_review(first, [decision], "rev-1", "2026-01-05T09:00:00"))
    engine.dispose()
    return runs, review


def _links(url: str) -> list[ChainLink]:
    engine = engine_for(url)
    with Session(engine) as session:
        links = list(session.exec(select(ChainLink).order_by(ChainLink.seq)).all())
    engine.dispose()
    return links


def _audit(url: str):
    return CliRunner().invoke(app, ["audit", "--db", url])


def test_every_record_is_a_link_of_one_chain(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    runs, review = _stored(url)
    links = _links(url)
    docs = len(march_run().documents)
    assert [link.kind for link in links] == (["run"] + ["evidence"] * docs) * 2 + ["run", "review"]
    assert [link.ref for link in links if link.kind != "evidence"] == [*runs, review]
    assert links[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.link_hash for a, b in zip(links, links[1:], strict=False))
    result = _audit(url)
    assert result.exit_code == 0 and f"{len(links)} link(s)" in result.output, result.output


@pytest.mark.parametrize("sql, kind", [
    ("UPDATE runs SET opinion = 'satisfactory' WHERE run_id = :run", "run"),
    ("UPDATE runs SET result_json = json_set(result_json, '$.verified_total_tco2', 1.0) "
     "WHERE run_id = :run", "run"),
    ("UPDATE run_documents SET sha256 = 'f00d' WHERE id = (SELECT min(id) FROM run_documents "
     "WHERE run_id = :run)", "evidence"),
    ("UPDATE run_reviews SET opinion = 'satisfactory'", "review"),
])
def test_an_altered_row_breaks_the_audit_at_that_row(tmp_path, sql, kind):
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    runs, review = _stored(url)
    target = runs[1] if kind != "review" else review
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(text(sql), {"run": runs[1]})
    with Session(engine) as session:
        found = audit(session)
    engine.dispose()
    assert not found.ok and found.broken_kind == kind
    assert found.broken_ref.split("/")[0] == target
    [link] = [link for link in _links(url) if link.seq == found.broken_seq]
    assert (link.kind, link.ref) == (found.broken_kind, found.broken_ref)
    assert found.links == found.broken_seq - 1  # every link before it holds
    result = _audit(url)
    assert result.exit_code == 1, result.output
    assert f"link {found.broken_seq} ({kind} {found.broken_ref})" in result.output


def test_an_altered_or_removed_link_breaks_the_audit(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    _stored(url)
    links = _links(url)
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE chain_links SET content_hash = 'x' WHERE seq = 3"))
    with Session(engine) as session:
        assert (audit(session).broken_seq, audit(session).reason) == (3, "the link itself was altered")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM chain_links WHERE seq = 3"))
    with Session(engine) as session:
        found = audit(session)
    assert found.broken_seq == 4 and "link 3 is missing" in found.reason
    engine.dispose()
    assert len(links) > 4


def _save_runs(url: str, barrier, n: int) -> None:
    barrier.wait()
    from test_report import march_records, march_run

    from verify.store import engine_for, save_run

    engine = engine_for(url)
    for _ in range(n):
        save_run(engine, march_run(), march_records())
    engine.dispose()


@pytest.mark.postgres
def test_runs_saved_at_once_on_postgresql_do_not_fork_the_chain(fresh_pg_url):  # noqa: F811
    import multiprocessing as mp

    engine_for(fresh_pg_url).dispose()  # the schema, before the writers race
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=_save_runs, args=(fresh_pg_url, barrier, 3)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    links = _links(fresh_pg_url)
    assert sum(link.kind == "run" for link in links) == 9
    assert [link.seq for link in links] == list(range(1, len(links) + 1))
    assert all(b.prev_hash == a.link_hash for a, b in zip(links, links[1:], strict=False))
    result = _audit(fresh_pg_url)
    assert result.exit_code == 0, result.output
    engine = engine_for(fresh_pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE runs SET verified_total = verified_total + 1 WHERE run_id = "
                          "(SELECT ref FROM chain_links WHERE kind = 'run' ORDER BY seq "
                          "OFFSET 4 LIMIT 1)"))
    with Session(engine) as session:
        found = audit(session)
    engine.dispose()
    fifth = [link for link in links if link.kind == "run"][4]
    assert (found.broken_seq, found.broken_ref) == (fifth.seq, fifth.ref)
