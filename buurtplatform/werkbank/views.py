"""The werkbank's open asks, staff notes and the people a coordinator acts for."""

from buurtplatform.werkbank import bp  # noqa: F401
