"""The monthly reconciliation on a generated inbox of 3 facilities x 2 months: everything
verified once; again, nothing to do; one file changed, that bundle alone again; one bundle
broken, stored as failed with its reason while the others finish."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """INBOX/<facility>/<YYYY-MM>/: the generator's bundles, seeded, without their truth."""
    made = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, "-m", "fixtures", "generate", "--seed", "3",
                    "--facilities", "3", "--months", "2", "--defects", "none", "--jobs", "2",
                    str(made)], check=True, capture_output=True)
    inbox = tmp_path_factory.mktemp("inbox")
    for bundle in sorted(made.glob("*/*/bundle")):
        shutil.copytree(bundle, inbox / bundle.parent.parent.name / bundle.parent.name)
    assert len(list(inbox.glob("*/*"))) == 6
    return inbox


def _statuses(portfolio) -> dict[str, str]:
    return {f"{b.facility} {b.period}": b.status for b in portfolio.bundles}


def test_reconciliation_runs_what_changed_and_survives_a_broken_bundle(prefect_harness, inbox,
                                                                       tmp_path):
    from flows.monthly_reconciliation import reconcile
    from verify.store import engine_for, list_runs

    outbox, db = tmp_path / "outbox", f"sqlite:///{tmp_path / 'runs.db'}"

    first = reconcile(inbox, outbox, db=db)
    assert set(_statuses(first).values()) == {"verified"}, first.bundles
    assert len(first.rows) == 3 and {r["period"] for r in first.rows} == {first.rows[0]["period"]}
    assert all(r["change_since_last_month"].startswith("verified ") for r in first.rows)
    for bundle in inbox.glob("*/*"):
        out = outbox / bundle.parent.name / bundle.name
        assert (out / "report.pdf").exists() and (out / "run.json").exists()
    portfolio = json.loads((outbox / "portfolio.json").read_text())
    assert [r["facility"] for r in portfolio["rows"]] == sorted(p.name for p in inbox.iterdir())
    assert (outbox / "portfolio.xlsx").exists()
    engine = engine_for(db)
    assert [r.status for r in list_runs(engine)] == ["complete"] * 6
    stamp = (outbox / "portfolio.json").stat().st_mtime_ns

    again = reconcile(inbox, outbox, db=db)
    assert set(_statuses(again).values()) == {"unchanged"} and again.work_done == 0
    assert again.message.startswith("nothing to do")
    assert len(list_runs(engine)) == 6
    assert (outbox / "portfolio.json").stat().st_mtime_ns == stamp
    assert again.rows == first.rows
    # The CLI tells so without starting a flow run: the portfolio as it stands, exit 0.
    from typer.testing import CliRunner

    from verify.cli import app

    cli = CliRunner().invoke(app, ["reconcile", str(inbox), str(outbox), "--db", db])
    assert cli.exit_code == 0, cli.output
    assert "nothing to do: all 6 bundles unchanged" in cli.output
    assert len(list_runs(engine)) == 6
    assert (outbox / "portfolio.json").stat().st_mtime_ns == stamp

    # One file changed in one bundle; another bundle loses its claim (and runs first).
    facilities = sorted(p.name for p in inbox.iterdir())
    broken, changed = inbox / facilities[0] / "2025-01", inbox / facilities[2] / "2025-02"
    pdf = sorted(changed.rglob("*.pdf"))[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% touched\n")
    for claim in broken.rglob("*.xlsx"):
        claim.unlink()
    third = reconcile(inbox, outbox, db=db, max_concurrent=1)
    statuses = _statuses(third)
    assert statuses.pop(f"{facilities[0]} 2025-01") == "failed"
    assert statuses.pop(f"{facilities[2]} 2025-02") == "verified"
    assert set(statuses.values()) == {"unchanged"}
    [failed] = [b for b in third.bundles if b.status == "failed"]
    assert "claim" in failed.reason
    runs = list_runs(engine)
    assert len(runs) == 8 and sum(r.status == "failed" for r in runs) == 1
    assert [r.error for r in runs if r.status == "failed"] == [failed.reason]
    assert sum(r.status == "complete" for r in runs) == 6  # the changed bundle's old run retired

    # The failed bundle, unchanged, is not run again; the portfolio says since when.
    fourth = reconcile(inbox, outbox, db=db)
    [stale] = [b for b in fourth.bundles if b.status == "failed"]
    assert (stale.facility, stale.period, stale.run_id) == (failed.facility, failed.period,
                                                            failed.run_id)
    assert fourth.work_done == 0 and fourth.message.startswith("nothing to do")
    assert len(list_runs(engine)) == 8
    from flows.inbox import nothing_to_do

    assert nothing_to_do(inbox, outbox, db=db) is not None  # the CLI would start no flow run
    [said] = [b["reason"] for b in json.loads((outbox / "portfolio.json").read_text())["bundles"]
              if b["status"] == "failed"]
    assert said == f"failed, unchanged since {stale.failed_since}: {failed.reason}"
    [failed_row] = [r for r in runs if r.status == "failed"]
    assert stale.failed_since == failed_row.finished_at.date().isoformat()
    engine.dispose()
