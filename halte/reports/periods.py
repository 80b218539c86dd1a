"""The periods a masked audience may ask for: a whole calendar month, quarter or year, over.

Small counts are masked and the others rounded (``halte.reports.suppression``); both protect
nobody if the same person may ask for 1–15 March and then 1–16 March and subtract. So whoever
reads masked figures (``halte.reports.permissions.must_suppress``) chooses among a fixed, small
set of periods: 12 months, 4 quarters and the year, each once it is over (a month still running
would be a new period every day). Anything else is refused, with the allowed periods named, rather
than quietly changed into one: nobody should read a figure for a period they did not ask for.
Exact figures (site staff, coordination) keep any period. docs/reports.md explains the choice."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from halte.core.errors import DomainError

QUARTER_STARTS = (1, 4, 7, 10)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    first_of_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)


def calendar_unit(start: dt.date, end: dt.date) -> str | None:
    """``"month"``, ``"quarter"`` or ``"year"`` when ``start``–``end`` is exactly one of them."""
    if start.day != 1 or end != month_end(end):
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 1:
        return "month"
    if months == 3 and start.month in QUARTER_STARTS:
        return "quarter"
    if months == 12 and start.month == 1:
        return "year"
    return None


def check_masked_period(start: dt.date, end: dt.date, *, today: dt.date) -> None:
    """Refuse a period a masked audience may not ask for: not a whole month, quarter or year, or
    not over yet (``today`` is still in it, or before it)."""
    if calendar_unit(start, end) is None:
        raise DomainError(
            _(
                "Chiffres masqués : la période doit être un mois, un trimestre ou une année "
                "entiers, du premier au dernier jour (par exemple du 01/01/2025 au 31/03/2025). "
                "Les périodes libres sont réservées aux chiffres exacts."
            ),
            field="start",
        )
    if end >= today:
        raise DomainError(
            _(
                "Chiffres masqués : la période doit être terminée. Choisissez un mois, un "
                "trimestre ou une année déjà écoulés (dernier jour avant le %(today)s)."
            )
            % {"today": today.strftime("%d/%m/%Y")},
            field="end",
        )


def last_closed_month(today: dt.date) -> dt.date:
    """The first day of the last month that is over."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def last_closed_year(today: dt.date) -> int:
    return today.year - 1
