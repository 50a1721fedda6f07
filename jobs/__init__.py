"""Background work on RQ, through Flask-RQ so that every job runs in an app context.

With `REDIS_URL` set, `enqueue` puts a job on the queue, with retries and backoff, for the worker
(`flask rq worker --with-scheduler`). Without it (a laptop, the demo), the job runs at once
in-process, in an app context of its own, so that every flow still works.

RQ does not merge two jobs with the same id: enqueueing an id again pushes a second copy. So a
job with an id is enqueued with RQ's atomic `unique` check, and while a job of that id is
queued, running or waiting for its retry, enqueueing it again adds nothing.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_rq._job_wrapper import JobWrapper
from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

# Backoff between attempts: 30 s, 2 min, 10 min, 1 h.
RETRY = Retry(max=4, interval=[30, 120, 600, 3600])
# A job in one of these states will still run: enqueueing its id again adds nothing.
LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
AFTER_COMMIT = "jobs_after_commit"


def enqueue(job: JobWrapper, *args: object, job_id: str | None = None) -> bool:
    """Run `job` in the background. True when it was added to the queue (or ran in-process);
    False when a job of the same id is still to run, Redis could not be reached, or the job
    failed in-process. Callers keep their own record (e.g. an email row) so that a sweep can
    retry."""
    if current_app.config["REDIS_URL"]:
        try:
            return _enqueue_once(job, args, job_id)
        except RedisError:
            log.warning("Redis unreachable: %s%r left for the sweep", job.func.__name__, args)
            return False
    try:
        with current_app.app_context():
            job(*args)
    except Exception:
        log.exception("In-process job %s%r failed", job.func.__name__, args)
        return False
    return True


def _enqueue_once(job: JobWrapper, args: tuple, job_id: str | None) -> bool:
    if job_id is None:
        job.enqueue(*args, retry=RETRY)
        return True
    for _ in range(3):
        try:
            job.enqueue(*args, retry=RETRY, job_id=job_id, unique=True)
            return True
        except DuplicateJobError:
            queue = job.rq.queues[job.queue]
            try:
                existing = Job.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue  # it expired a moment ago
            if existing.get_status(refresh=False) in LIVE:
                return False
            # A finished or failed run of the same id: a new run may start.
            existing.delete()
    return False


def enqueue_after_commit(job: JobWrapper, *args: object, job_id: str | None = None) -> None:
    """Enqueue `job` once the current transaction commits, so that the worker finds what the
    transaction wrote; nothing is enqueued if it rolls back. Call it after any savepoint
    that holds the job's rows was released."""
    from buurtplatform.extensions import db

    db.session.info.setdefault(AFTER_COMMIT, []).append((job, args, job_id))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: its rows are not committed yet
    for job, args, job_id in session.info.pop(AFTER_COMMIT, []):
        enqueue(job, *args, job_id=job_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(AFTER_COMMIT, None)
