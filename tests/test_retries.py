"""Retries only on I/O that can recover (the database, the disk), never on reading a document."""

import sqlite3

from sqlalchemy.exc import IntegrityError, OperationalError


def test_only_recoverable_io_errors_are_retried():
    from flows.verify_bundle import recoverable

    assert recoverable(OperationalError("insert", {}, sqlite3.OperationalError("locked")))
    assert recoverable(OSError(28, "No space left on device"))
    assert not recoverable(IntegrityError("insert", {}, sqlite3.IntegrityError("unique")))
    assert not recoverable(FileNotFoundError("gone"))
    assert not recoverable(ValueError("not a number"))


def test_reading_never_retries_storing_and_publishing_do():
    from flows.monthly_reconciliation import check_bundle, verify_one
    from flows.reading import read_batch
    from flows.verify_bundle import conclude_run, publish_task, store_task

    assert read_batch.retries == 0 and conclude_run.retries == 0
    assert verify_one.retries == 0
    for io in (store_task, publish_task, check_bundle):
        assert io.retries == 3 and io.retry_condition_fn is not None
