"""The bare Flask route that bench/pages.py measures beside the app: what this machine serves
at most through gunicorn and Flask, with nothing of the platform in the way.

    gunicorn -w 2 --chdir bench bare:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hallo"
