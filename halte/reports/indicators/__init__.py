"""Every indicator, defined once. ``REGISTRY`` maps a code to its :class:`Indicator`."""

from halte.reports.indicators import (
    alerts,
    care,
    consumption,
    means,
    neighbourhood,
    pathway,
    people,
    plan,
    room,
)
from halte.reports.indicators.base import (
    REGISTRY,
    Area,
    Cell,
    Fraction,
    Indicator,
    Number,
    Result,
    Scope,
    register,
)

register(people.INDICATORS)
register(consumption.INDICATORS)
register(care.INDICATORS)
register(means.INDICATORS)
register(room.INDICATORS)
register(pathway.INDICATORS)
register(neighbourhood.INDICATORS)
register(alerts.INDICATORS)
register(plan.INDICATORS)

__all__ = ["REGISTRY", "Area", "Cell", "Fraction", "Indicator", "Number", "Result", "Scope"]
