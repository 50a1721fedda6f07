"""The one figure a call-back request leaves behind once its phone number is deleted."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from buurtplatform.callbacks.models import CallbackRequest
from buurtplatform.figures.definitions import By, Counts, count_in_spans, figure, grouped_by
from buurtplatform.figures.periods import Span


@figure(
    "callbacks",
    _l("Call-back requests"),
    _l(
        'Requests to be called back ("Bel mij terug") that came in during this period, '
        'counted by the village the person chose; "somewhere else" counts only in the total. '
        "A request sent twice by accident counts once. Requests that only robots sent are not "
        "kept, and do not count."
    ),
)
def callback_requests(spans: Sequence[Span], by: By) -> Counts:
    return count_in_spans(CallbackRequest.created_at, grouped_by(CallbackRequest, by), spans, by)
