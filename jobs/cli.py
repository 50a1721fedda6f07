"""`flask jobs …`: background work by hand, for operators and the demo."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from jobs.mail import sweep_unsent_emails

jobs_cli = AppGroup("jobs", help="Run background work by hand.")


@jobs_cli.command("sweep-mail")
def sweep_mail_command() -> None:
    """Hand emails that never reached the worker to the queue again."""
    count = sweep_unsent_emails()
    click.echo(f"Handed {count} unsent email(s) to the queue.")
