"""Field types shared by the API's schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator

from halte.core.timeutils import PARIS, UTC

FUTURE_LIMIT = dt.timedelta(days=1)


def _in_paris(value: dt.datetime) -> dt.datetime:
    """A date and time as people at a site read it: without an offset it is Paris time, and a time
    that does not exist there (the skipped hour in March) or exists twice (the repeated hour in
    October) is refused rather than guessed."""
    if value.year < 1900:
        raise ValueError(_("date antérieure à 1900"))
    if value.tzinfo is None:
        first = value.replace(tzinfo=PARIS, fold=0)
        if first.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != value:
            raise ValueError(_("cette heure n'existe pas à Paris (passage à l'heure d'été)"))
        if value.replace(tzinfo=PARIS, fold=1).utcoffset() != first.utcoffset():
            raise ValueError(
                _(
                    "cette heure existe deux fois à Paris (passage à l'heure d'hiver) : "
                    "précisez le décalage, +02:00 ou +01:00"
                )
            )
        value = first
    if value > dt.datetime.now(UTC) + FUTURE_LIMIT:
        raise ValueError(_("date dans le futur"))
    return value


ParisDateTime = Annotated[dt.datetime, AfterValidator(_in_paris)]
