"""Prefect flow `verify_bundle`: the pipeline's steps as tasks, extraction mapped over documents.

Holds no domain logic: each task is one call into `extractors` or `verify`.

- One flow run per (facility, period), named so ("CN-HB-0001 2025-03") and tagged
  `facility:<id>` and `period:<YYYY-MM>`.
- Extraction is mapped over batches of documents through the flow's task runner (a thread
  per worker, `options.workers` of them) into the same number of warm worker processes
  (`flows.workers`); on Dask, over its workers (`flows.reading`).
- An extraction is kept under file SHA-256 + reader digest + templates digest + caps, never the
  path (a renamed file is not read again; its values are stamped with its new name), in the
  local engine's extraction cache. Only a read that succeeded is kept: a time-out, crash or
  size limit is reported in the run but not kept, so the next run reads the file again.
  `refresh=True` (`--refresh`) reads every file again and overwrites what was kept.
- Big payloads (extractions, the result and its records) are handed to tasks quoted, so Prefect
  does not walk them, and nothing is persisted by Prefect between tasks.
- Storing and writing the report retry with backoff on errors that can recover (a dropped
  database connection, a lock, a full or busy disk); reading a document never retries.
- Every run leaves artifacts: a progress bar while documents are read, a markdown summary
  (opinion, totals, materiality), a table of findings and a link to the report.
"""

from __future__ import annotations

import re
from pathlib import Path

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from extractors.cache import ExtractionCache
from flows.inbox import PERIOD, bundle_fingerprint  # noqa: F401  (for its callers)
from flows.reading import BATCHES_PER_WORKER, Kept, plan_batches, read_batch
from verify.pipeline import (
    RunError,
    RunOptions,
    RunOutcome,
    caps_for,
    conclude_extractions,
    discover_bundle,
    mark_run_complete,
    publish_outputs,
    retire_earlier_outputs,
    started,
    store_result,
    template_setup,
    with_statement,
)


def bundle_identity(bundle: Path, options: RunOptions) -> tuple[str, str]:
    """(facility, period) for naming and tagging a run before anything is read: bundle.toml's,
    else the folders INBOX/<facility>/<YYYY-MM>/, else the bundle's name and --period."""
    facility = period = None
    toml = Path(bundle) / "bundle.toml"
    if toml.is_file():
        import tomllib

        try:
            data = tomllib.loads(toml.read_text("utf-8"))
            facility, period = data.get("facility_id"), data.get("period")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            pass
    bundle = Path(bundle).resolve()
    if PERIOD.match(bundle.name):
        facility, period = facility or bundle.parent.name, period or bundle.name
    period = options.period or period or "unknown-period"
    return str(facility or bundle.stem), str(period)


def run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    facility, period = params.get("facility"), params.get("period")
    if not (facility and period):
        facility, period = bundle_identity(Path(params["bundle"]), params["options"])
    return f"{facility} {period}"


# --- retries: only on I/O that can recover ------------------------------------------------


def recoverable(exc: BaseException) -> bool:
    """A dropped connection, a lock or a busy disk: worth another try. A constraint, a bad
    value or a parsing error is not."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated)
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError)


def retry_if_recoverable(task, task_run, state) -> bool:
    try:
        state.result()
    except Exception as exc:
        return recoverable(exc)
    return False


IO_RETRIES = dict(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2),
                  retry_jitter_factor=0.5, retry_condition_fn=retry_if_recoverable)


# --- tasks ----------------------------------------------------------------------------------


@task(cache_policy=NO_CACHE)
def discover_task(bundle: Path, options: RunOptions):
    return discover_bundle(bundle, options)


@task(cache_policy=NO_CACHE)
def conclude_run(extractions: list, paths: dict, config, options: RunOptions, bundle: Path):
    return conclude_extractions(extractions, paths, config, options, bundle)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def store_task(result, records: list, options: RunOptions) -> str | None:
    return store_result(result, records, options)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def publish_task(result, records: list, options: RunOptions,
                 run_id: str | None) -> dict[str, Path]:
    """Write the report files, move them in, mark the run complete (all idempotent: a retry
    writes the same files again and completes the same run)."""
    outputs = publish_outputs(result, records, options.out, run_id,
                              before_swap=lambda: retire_earlier_outputs(options, run_id),
                              statement=options.statement)
    mark_run_complete(options, run_id)
    return outputs


def artifact_key(*parts: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")[:120]


def summary_markdown(result) -> str:
    m = result.materiality
    lines = [
        f"# {result.facility.id} {result.facility.name} {result.period}",
        "",
        f"**Opinion:** {result.opinion.value} ({result.opinion_reason})",
        "",
        "| | tCO2 |",
        "|---|---:|",
        f"| claimed | {result.claimed_total_tco2:,.2f} |",
        f"| verified | {result.verified_total_tco2:,.2f} |",
        f"| misstatement | {m.misstatement_tco2:,.2f} ({m.misstatement_pct:.2f} % against "
        f"{m.threshold_pct} %: {'material' if m.material else 'not material'}) |",
        "",
        f"Method {result.method}; {len(result.documents)} documents, "
        f"{len(result.findings)} findings.",
    ]
    return "\n".join(lines)


def publish_artifacts(result, outputs: dict[str, Path]) -> None:
    from prefect.artifacts import (
        create_link_artifact,
        create_markdown_artifact,
        create_table_artifact,
    )

    key = artifact_key("verify", result.facility.id, result.period)
    create_markdown_artifact(summary_markdown(result), key=f"{key}-summary",
                             description="Opinion, totals and materiality")
    rows = [{"id": result.finding_id(i), "rule": f.rule, "severity": f.severity.value,
             "stream": f.stream or "", "impact_tco2": f.impact_tco2, "message": f.message}
            for i, f in enumerate(result.findings)]
    create_table_artifact(rows or [{"id": "", "rule": "no findings", "severity": "",
                                    "stream": "", "impact_tco2": None, "message": ""}],
                          key=f"{key}-findings", description="Findings")
    report = outputs.get("pdf") or outputs.get("html")
    if report is not None:
        create_link_artifact(Path(report).resolve().as_uri(), link_text=Path(report).name,
                             key=f"{key}-report", description="The verification report")


def read_documents(items: list, kept: Kept, options: RunOptions, templates: tuple[Path, ...],
                   caps, progress_key: str) -> list:
    """Every (path, document) as an extraction, in order: kept ones as they were, the rest read
    in batches mapped over the task runner (at most `options.workers` at once), a progress
    artifact moving as batches finish."""
    from prefect.artifacts import create_progress_artifact, update_progress_artifact

    found = kept.lookup(items)
    todo = [i for i in range(len(items)) if i not in found]
    progress = create_progress_artifact(
        100.0 * len(found) / max(1, len(items)), key=progress_key,
        description=f"Documents read of {len(items)}")
    batches = plan_batches([items[i] for i in todo], BATCHES_PER_WORKER * options.workers)
    if batches:
        futures = read_batch.map(
            [f"{k} of {len(batches)} ({len(b)} files)" for k, b in enumerate(batches, start=1)],
            [[items[todo[j]] for j in b] for b in batches], timeout_s=options.timeout_s,
            workers=options.workers, templates=unmapped(templates), caps=unmapped(caps))
        done = len(found)
        for future in as_completed(futures):
            read = future.result()
            kept.keep(read)
            done += len(read)
            update_progress_artifact(progress, 100.0 * done / max(1, len(items)))
        for batch, future in zip(batches, futures, strict=True):
            found.update({todo[j]: e for j, e in zip(batch, future.result(), strict=True)})
    return [found[i] for i in range(len(items))]


# --- the flow -------------------------------------------------------------------------------


@flow(name="verify_bundle", log_prints=True, flow_run_name=run_name,
      task_runner=ThreadPoolTaskRunner(max_workers=2))
def verify_bundle(bundle: Path, options: RunOptions, refresh: bool = False,
                  facility: str | None = None, period: str | None = None) -> quote[RunOutcome]:
    """1 discover  2 extract (mapped)  3 conclude  4 store (running), report, complete.
    Returns the RunOutcome quoted: `outcome_of(verify_bundle(...))`."""
    from flows.crashed import claim_flow_run

    claim_flow_run()
    options = started(options)
    found, config = discover_task(bundle, options)
    options = with_statement(options, config)
    try:
        entries, templates, warnings = template_setup(found, config, options)
        items = [(path, doc) for doc, path in entries]
        caps = caps_for(options, config)
        kept = Kept(ExtractionCache(options.cache, templates, caps=caps) if options.reuse
                    else None, refresh or options.refresh)
        extractions = read_documents(items, kept, options, templates, caps,
                                     artifact_key("reading", facility or "", period or ""))
        result, records = conclude_run(quote(extractions), {d.file: p for d, p in entries},
                                       config, options, bundle)
    finally:
        found.cleanup()
    # quoted: Prefect need not walk every record of the result to find futures in it
    run_id = store_task(quote(result), quote(records), options)
    outputs: dict[str, Path] = {}
    if options.out is not None:  # else the run was stored complete
        outputs = publish_task(quote(result), quote(records), options, run_id)
    publish_artifacts(result, outputs)
    # quoted: Prefect would otherwise walk every record of the outcome looking for futures
    # (3 s for a year bundle); callers take it out with `outcome_of`
    return quote(RunOutcome(result, records, outputs, warnings))


def outcome_of(returned) -> RunOutcome:
    """The RunOutcome a verify_bundle flow run returned (quoted, see the flow's end)."""
    return returned.unwrap() if isinstance(returned, quote) else returned


def flow_for(options: RunOptions, dask: str | None = None):
    """verify_bundle with a task runner for this run: threads, one per worker, or a Dask
    cluster (an address, or "local" for a LocalCluster of `workers` processes)."""
    return verify_bundle.with_options(task_runner=task_runner(options.workers, dask))


def task_runner(workers: int, dask: str | None = None):
    if not dask:
        return ThreadPoolTaskRunner(max_workers=max(1, workers))
    from prefect_dask import DaskTaskRunner

    if dask == "local":
        allow_worker_processes()
        return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers),
                                              "threads_per_worker": 1,
                                              "processes": True})
    return DaskTaskRunner(address=dask)


def allow_worker_processes() -> None:
    """The workers of a cluster started here are not daemonic, so each keeps warm reading
    processes (`flows.workers`) with the local engine's time limit and crash isolation. A
    daemonic worker (a cluster started elsewhere, by default) reads each file in a child
    process of its own instead (`flows.isolated`)."""
    import dask

    dask.config.set({"distributed.worker.daemon": False})


def run_with_prefect(bundle: Path, options: RunOptions, refresh: bool = False,
                     dask: str | None = None) -> RunOutcome:
    """The CLI's `--engine prefect`: a missing bundle is said before any flow run starts."""
    from prefect import tags

    from flows.crashed import reap

    if not bundle.exists():
        raise RunError(f"bundle {bundle} does not exist: give a folder or a .zip of evidence")
    reap(options)
    facility, period = bundle_identity(bundle, options)
    with tags(f"facility:{facility}", f"period:{period}"):
        return outcome_of(flow_for(options, dask)(bundle, options, refresh=refresh,
                                                  facility=facility, period=period))
