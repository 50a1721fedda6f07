"""The partners' page and the Atom feeds."""

from __future__ import annotations
