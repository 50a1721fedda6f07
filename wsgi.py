"""`app = create_app()` for gunicorn and `flask --app wsgi`."""

import gc
import sys

from buurtplatform import create_app
from config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"Buurtplatform cannot start: {error}")

# What the app is made of (modules, models, routes: some 170,000 objects) lives as long as the
# process. Frozen, the garbage collector no longer walks it in every full collection, which
# otherwise held up each gunicorn worker for about 90 ms, several times a minute under load.
gc.freeze()
