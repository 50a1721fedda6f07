"""`app = create_app()` for gunicorn and `flask --app wsgi`."""

from buurtplatform import create_app

app = create_app()
