"""`app = create_app()` for gunicorn and `flask --app wsgi`."""

import sys

from buurtplatform import create_app
from config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"Buurtplatform cannot start: {error}")
