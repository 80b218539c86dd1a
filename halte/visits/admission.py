"""Who a site admits at check-in (issue 13): adults only, women only, women-only time slots.

Each rule is a class whose ``refusal`` says, on the site and the person, why the person may not
come in (a message saying what to do), or None, and its ``reason`` is the refusal counted;
``admission_refusal`` asks them in order and ``visits.services.visit_open``, the one path of
every check-in, asks it and counts the refusal (``visits.services.turn_away``, no person). The front desk's
registration asks ``AdultsOnly`` the same question before a minor is registered.

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
from halte.clients.models import Client
from halte.network.enums import Admission, SiteKind
from halte.network.models import Site
from halte.network.selectors import site_open_state
from halte.visits.enums import RefusalReason


@dataclass(frozen=True)
class Arrival:
    """When a person is judged: ``today`` (the Paris date) for ages, as a consumption session
    counts them, and the instant of arrival ``at`` for the time slots."""

    at: dt.datetime
    today: dt.date


class AdultsOnly:
    """A site for adults only (``Site.adults_only``) refuses someone certainly a minor today
    (``Client.is_minor_in``: turns 17 or less this year), the rule by which a consumption session
    refuses a minor, so the door and the booth never disagree. Someone who turns 18 this year may
    already be 18 (only the year of birth is kept) and comes in: refusing them would turn away
    adults until the next 1 January. Before a consumption, the session asks staff to confirm their
    majority (``adult_confirmed``)."""

    reason = RefusalReason.MINOR

    @staticmethod
    def refusal(site: Site, client: Client, when: Arrival) -> str | None:
        if site.adults_only and client.is_minor_in(when.today.year):
            return _(
                "Personne mineure : ce lieu accueille uniquement des personnes majeures. "
                "Orientez-la vers un lieu qui accueille les mineurs."
            )
        return None


class WomenOnly:
    """A site for women only (``Admission.WOMEN_ONLY``) refuses whoever is not recorded as a
    woman, a man or someone recorded "autre / non binaire": the rule its beds and the orientation
    apply already (``lodging.services``, ``outreach.orientation``)."""

    reason = RefusalReason.WOMEN_ONLY

    @staticmethod
    def refusal(site: Site, client: Client, when: Arrival) -> str | None:
        if site.admission == Admission.WOMEN_ONLY and client.sex_gender != SexGender.WOMAN:
            return _(
                "Ce lieu accueille uniquement des femmes : orientez la personne vers un lieu mixte."
            )
        return None


class WomenSlots:
    """During a time slot reserved to women (``WeeklyHours.women_only``, announced by
    ``Admission.WOMEN_SLOTS``) a site refuses whoever is not a woman, as for a women-only site;
    outside the slot everyone comes in. Whether a slot is running at the arrival is the site's
    open state (``network.hours.open_state``: dated hours, exceptions, spans past midnight, Paris
    time), as the map and the orientation read it."""

    reason = RefusalReason.WOMEN_ONLY

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


RULES = (AdultsOnly, WomenOnly, WomenSlots)


@dataclass(frozen=True)
class Refused:
    """A rule's refusal: the reason counted (``visits.enums.RefusalReason``) and the message."""

    reason: str
    message: str


def admission_refusal(*, site: Site, client: Client | None, when: Arrival) -> Refused | None:
    """Why ``site`` does not let ``client`` in at ``when``, or None: the first rule that refuses,
    with its reason and a message saying what to do. Nothing to judge for an anonymous contact
    or at an outreach team (see the module's docstring)."""
    if client is None or site.kind == SiteKind.OUTREACH_TEAM:
        return None
    for rule in RULES:
        message = rule.refusal(site, client, when)
        if message is not None:
            return Refused(rule.reason, message)
    return None
