"""The figures pages."""

from buurtplatform.figures import bp  # noqa: F401
