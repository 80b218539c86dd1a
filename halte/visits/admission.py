"""Who a site admits at check-in (issue 13): adults only, women only, women-only time slots.

A check-in is judged on two paths. ``visit_open`` reads the site and the person and asks in
Python; the API's ``visit_check_in`` asks the database, in the guard of its one statement, and
runs ``visit_open`` only when the guard finds nothing, to say why. So each rule is written once,
as a class holding its two forms side by side: ``refusal`` (the message, or None) on the objects,
and ``admits`` (an SQL condition on the guard's site ``s`` and person ``c``, true when the person
may come in). Tests generate people and sites and check that the two forms agree
(tests/frontdesk/test_admission.py).

What the rules cannot judge, and so leave alone:
- an anonymous contact (no code) has no recorded age or sex: it is counted wherever it comes in,
  as before; the staff at the door admit by what they see, and a consumption still needs a
  registered person who is not a minor (``consumption.services``);
- an outreach team meets people in the street and admits nobody anywhere: its contacts (visits at
  the team, ``outreach.services.contact_record``) are recorded whoever the person is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from halte.clients.enums import SexGender
from halte.clients.models import Client, youngest_adult_birth_year
from halte.core import fastsql
from halte.core.errors import DomainError
from halte.core.timeutils import PARIS
from halte.network.enums import Admission, SiteKind
from halte.network.models import Site, WeeklyHours
from halte.network.selectors import site_open_state


@dataclass(frozen=True)
class Arrival:
    """When a person is judged: ``today`` (the Paris date) for ages, as a consumption session
    counts them, and the instant of arrival ``at`` for the time slots."""

    at: dt.datetime
    today: dt.date

    @property
    def day(self) -> dt.date:
        return self.at.astimezone(PARIS).date()


SqlCondition = tuple[str, list[object]]


class AdultsOnly:
    """A site for adults only (``Site.adults_only``) refuses someone certainly a minor today
    (``Client.is_minor_in``: turns 17 or less this year), the rule by which a consumption session
    refuses a minor, so the door and the booth never disagree. Someone who turns 18 this year may
    already be 18 (only the year of birth is kept) and comes in: refusing them would turn away
    adults until the next 1 January. Before a consumption, the session asks staff to confirm their
    majority (``adult_confirmed``)."""

    @staticmethod
    def refusal(site: Site, client: Client, when: Arrival) -> str | None:
        if site.adults_only and client.is_minor_in(when.today.year):
            return _(
                "Personne mineure : ce lieu accueille uniquement des personnes majeures. "
                "Orientez-la vers un lieu qui accueille les mineurs."
            )
        return None

    @staticmethod
    def admits(when: Arrival) -> SqlCondition:
        return "(NOT s.adults_only OR c.birth_year <= %s)", [
            youngest_adult_birth_year(when.today.year)
        ]


class WomenOnly:
    """A site for women only (``Admission.WOMEN_ONLY``) refuses whoever is not recorded as a
    woman, a man or someone recorded "autre / non binaire": the rule its beds and the orientation
    apply already (``lodging.services``, ``outreach.orientation``)."""

    @staticmethod
    def refusal(site: Site, client: Client, when: Arrival) -> str | None:
        if site.admission == Admission.WOMEN_ONLY and client.sex_gender != SexGender.WOMAN:
            return _(
                "Ce lieu accueille uniquement des femmes : orientez la personne vers un lieu mixte."
            )
        return None

    @staticmethod
    def admits(when: Arrival) -> SqlCondition:
        return "(s.admission <> %s OR c.sex_gender = %s)", [
            Admission.WOMEN_ONLY.value,
            SexGender.WOMAN.value,
        ]


class WomenSlots:
    """During a time slot reserved to women (``WeeklyHours.women_only``, announced by
    ``Admission.WOMEN_SLOTS``) a site refuses whoever is not a woman, as for a women-only site;
    outside the slot everyone comes in. Whether a slot is running at the arrival is the site's
    open state (``network.hours.open_state``: dated hours, exceptions, spans past midnight, Paris
    time), as the map and the orientation read it.

    That state is too rich to write again in SQL, so the guard only keeps out someone not a woman
    at a site with a women-only span on the weekday of arrival or the day before (a span may run
    past midnight), in force on those days: never letting in anyone the hours refuse, it sends
    those check-ins to ``visit_open``, which decides from the hours and, outside a slot, writes
    the visit. Other days, and for women, the guard decides alone."""

    @staticmethod
    def refusal(site: Site, client: Client, when: Arrival) -> str | None:
        if client.sex_gender == SexGender.WOMAN:
            return None
        if not site_open_state(site, when.at).women_only_now:
            return None
        return _(
            "Créneau réservé aux femmes en ce moment : la personne pourra entrer à la fin du "
            "créneau (voir les horaires du lieu)."
        )

    @staticmethod
    def admits(when: Arrival) -> SqlCondition:
        table = WeeklyHours._meta.db_table
        sql = (
            f"(c.sex_gender = %s OR NOT EXISTS (SELECT 1 FROM {table} h"  # noqa: S608 - model table
            " WHERE h.site_id = s.id AND h.women_only AND h.weekday IN (%s, %s)"
            " AND h.valid_from <= %s AND (h.valid_until IS NULL OR h.valid_until >= %s)))"
        )
        day_before = when.day - dt.timedelta(days=1)
        return sql, [
            SexGender.WOMAN.value,
            when.day.weekday(),
            day_before.weekday(),
            fastsql.db_value(WeeklyHours, "valid_from", when.day),
            fastsql.db_value(WeeklyHours, "valid_until", day_before),
        ]


RULES = (AdultsOnly, WomenOnly, WomenSlots)


def admission_refusal(*, site: Site, client: Client | None, when: Arrival) -> DomainError | None:
    """Why ``site`` does not let ``client`` in at ``when``, or None: the first rule that refuses,
    with a message saying what to do. Nothing to judge for an anonymous contact or at an outreach
    team (see the module's docstring)."""
    if client is None or site.kind == SiteKind.OUTREACH_TEAM:
        return None
    for rule in RULES:
        message = rule.refusal(site, client, when)
        if message is not None:
            return DomainError(message, field="client")
    return None


def admission_sql(when: Arrival) -> SqlCondition:
    """The same rules as one SQL condition on a site ``s`` and a registered person ``c``, true
    when ``admission_refusal`` would let the person in (or, for a time slot, may: see
    ``WomenSlots``), with its parameters in order."""
    parts, params = [], []
    for rule in RULES:
        sql, values = rule.admits(when)
        parts.append(sql)
        params.extend(values)
    return f"(s.kind = %s OR ({' AND '.join(parts)}))", [SiteKind.OUTREACH_TEAM.value, *params]
