"""Flow runs whose process was killed (kill -9, a lost machine) do not stay running for ever.

A flow run says which process runs it: its Prefect `infrastructure_pid` is `host:pid` (as a
Prefect process worker writes it), and each stored run keeps its host and pid. Before a
reconciliation or a bundle's run, the runs of this host whose process is gone are marked:
`crashed` in our store (`verify.store.mark_crashed`) and Crashed in Prefect (forced, since no
engine is left to report it). Runs of other hosts are left to their own next start.
"""

from __future__ import annotations

import logging
import os
import socket

from verify.pipeline import RunOptions, mark_crashed_runs, process_alive

FLOWS = ("verify_bundle", "monthly_reconciliation")
log = logging.getLogger(__name__)


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_gone(infrastructure_pid: str | None) -> bool:
    """Whether `host:pid` names a process of this host that no longer runs."""
    host, _, pid = (infrastructure_pid or "").rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


def claim_flow_run() -> None:
    """Inside a flow run: record this process as the one running it."""
    from prefect import get_client
    from prefect.runtime import flow_run

    if not flow_run.id:
        return
    try:
        with get_client(sync_client=True) as client:
            client.update_flow_run(flow_run.id, infrastructure_pid=owner())
    except Exception as exc:  # the run goes on; only its crash could not be told later
        log.warning("could not record the process of flow run %s: %s", flow_run.id, exc)


def crashed_flow_runs() -> list[str]:
    """Our flows' runs left Running by a process of this host that is gone, set Crashed."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    marked = []
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=list(FLOWS))),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.RUNNING]))))
        for run in runs:
            if owner_gone(run.infrastructure_pid):
                client.set_flow_run_state(run.id, Crashed(
                    message=f"its process ({run.infrastructure_pid}) is gone: killed or "
                            "crashed before the run finished"), force=True)
                marked.append(str(run.id))
    return marked


def reap(options: RunOptions) -> tuple[list[str], list[str]]:
    """Before a run: (stored runs marked crashed, Prefect flow runs set Crashed). A store or
    API that cannot be reached does not stop the run that is starting."""
    stored: list[str] = []
    flow_runs: list[str] = []
    try:
        stored = mark_crashed_runs(options)
    except Exception as exc:
        log.warning("could not look for crashed runs in the store: %s", exc)
    try:
        flow_runs = crashed_flow_runs()
    except Exception as exc:
        log.warning("could not look for crashed flow runs: %s", exc)
    for run_id in stored:
        print(f"run {run_id}: its process is gone, marked crashed")
    for run_id in flow_runs:
        print(f"flow run {run_id}: its process is gone, set Crashed")
    return stored, flow_runs
