"""Background work on RQ, through Flask-RQ so that every job runs in an app context.

With `REDIS_URL` set, `enqueue` puts a job on the queue, with retries and backoff, for the worker
(`flask rq worker --with-scheduler`). Without it (a laptop, the demo), the job runs at once
in-process, in an app context of its own, so that every flow still works.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_rq._job_wrapper import JobWrapper
from redis.exceptions import RedisError
from rq import Retry

log = logging.getLogger(__name__)

# Backoff between attempts: 30 s, 2 min, 10 min, 1 h.
RETRY = Retry(max=4, interval=[30, 120, 600, 3600])


def enqueue(job: JobWrapper, *args: object, job_id: str | None = None) -> bool:
    """Run `job` in the background; False when Redis could not be reached or the job failed
    in-process. Callers keep their own record (e.g. an email row) so that a sweep can retry.
    """
    if current_app.config["REDIS_URL"]:
        try:
            job.enqueue(*args, retry=RETRY, job_id=job_id)
        except RedisError:
            log.warning("Redis unreachable: %s%r left for the sweep", job.func.__name__, args)
            return False
        return True
    try:
        with current_app.app_context():
            job(*args)
    except Exception:
        log.exception("In-process job %s%r failed", job.func.__name__, args)
        return False
    return True
