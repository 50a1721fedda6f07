"""A real RQ worker in a process of its own, for the tests that run two at once:
`python -m tests.worker_process '<settings as JSON>'` works in burst mode and exits."""

from __future__ import annotations

import json
import sys

from flask_rq._job_class import FlaskJob
from rq import SimpleWorker

from buurtplatform import create_app
from buurtplatform.extensions import rq
from config import TestingConfig


def main(settings: dict[str, object]) -> None:
    app = create_app(TestingConfig(), settings)
    with app.app_context():
        queues = list(rq.queues.values())
        worker = SimpleWorker(queues, connection=queues[0].connection, job_class=FlaskJob)
        worker.work(burst=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
