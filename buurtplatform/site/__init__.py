"""The municipality's home page, the portal on the bare domain, and what every page shares:
theme, language switch, larger text, privacy statement."""

from flask import Blueprint

bp = Blueprint("site", __name__)

from buurtplatform.site import views  # noqa: E402,F401 - registers the routes
