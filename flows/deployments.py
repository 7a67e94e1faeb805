"""The monthly reconciliation deployment: served from this machine, or run by a work pool.

`carbon-verify serve --inbox DIR --outbox DIR` registers `monthly_reconciliation` with a cron
schedule in a time zone (by default the 5th of each month at 06:00 Asia/Shanghai, for the month
before) and absolute paths, then runs its flow runs in this process until stopped. For workers
on other machines, `prefect.yaml` at the repository root declares the same deployment for a
work pool (`prefect deploy --all`, then `prefect worker start --pool carbon-verify`).
"""

from __future__ import annotations

from pathlib import Path

from flows.monthly_reconciliation import last_month, monthly_reconciliation

DEFAULT_CRON = "0 6 5 * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT = "monthly-reconciliation"

__all__ = ["last_month", "monthly_reconciliation", "deployment_parameters", "serve_monthly"]


def deployment_parameters(inbox: Path, outbox: Path, db: str | None = None,
                          workers: int = 2) -> dict:
    """The flow's parameters, paths made absolute so they do not depend on where serve runs.
    The month is left out: each run takes every new or changed bundle in the inbox."""
    params: dict = {"inbox": str(Path(inbox).resolve()), "outbox": str(Path(outbox).resolve()),
                    "workers": workers}
    if db:
        params["db"] = db
    return params


def schedule(cron: str = DEFAULT_CRON, timezone: str = DEFAULT_TIMEZONE):
    from prefect.schedules import Cron

    return Cron(cron, timezone=timezone)


def serve_monthly(inbox: Path, outbox: Path, cron: str = DEFAULT_CRON,
                  timezone: str = DEFAULT_TIMEZONE, db: str | None = None,
                  workers: int = 2) -> None:
    """Serve the deployment (blocks until stopped)."""
    from prefect.deployments.runner import EntrypointType

    monthly_reconciliation.serve(
        name=DEPLOYMENT, entrypoint_type=EntrypointType.MODULE_PATH,  # not relative to the cwd schedules=[schedule(cron, timezone)],
        parameters=deployment_parameters(inbox, outbox, db, workers),
        tags=["carbon-verify", "monthly"],
        description="Verify every new or changed INBOX/<facility>/<YYYY-MM>/ bundle")
