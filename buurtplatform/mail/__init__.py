"""Email: recorded in the database with the event that causes it, delivered by a job."""

from flask import Blueprint

bp = Blueprint("mail", __name__)

from buurtplatform.mail import views  # noqa: E402,F401 - registers the routes
