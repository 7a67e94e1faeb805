"""The scheduled monthly reconciliation: every facility bundle under a root, last month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow

from flows.verify_bundle import verify_bundle
from verify.pipeline import RunOptions


def last_month(today: dt.date | None = None) -> str:
    """The month before `today`, as YYYY-MM."""
    first = (today or dt.date.today()).replace(day=1)
    prev = first - dt.timedelta(days=1)
    return f"{prev.year:04d}-{prev.month:02d}"


@flow(name="monthly_reconciliation", log_prints=True)
def monthly_reconciliation(root: str, out_root: str, period: str | None = None,
                           db: str | None = None) -> dict[str, str]:
    """Verify `root/<facility>/<period>/` for every facility; returns the opinion per facility."""
    month = period or last_month()
    opinions = {}
    for facility in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        bundle = facility / month
        if not bundle.exists():
            print(f"{facility.name}: no bundle for {month}")
            continue
        options = RunOptions(period=month, out=Path(out_root) / facility.name / month, db=db)
        opinions[facility.name] = verify_bundle(bundle, options).result.opinion.value
    return opinions


def serve_monthly(cron: str, root: str = "bundles", out_root: str = "reports") -> None:
    """Serve the deployment (blocks): runs on the 10th of each month by default."""
    monthly_reconciliation.serve(name="monthly-reconciliation", cron=cron,
                                 parameters={"root": root, "out_root": out_root})
