"""The week on screen: the coordinators' digest for any past week."""

from buurtplatform.werkbank import bp  # noqa: F401
