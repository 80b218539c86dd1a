"""Reads of the care part, through the site gate. Confidential fields of care acts (test results,
psychiatric details) are dropped here for anyone who is not a care role at the site, so screens
and the API cannot show what they never receive."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.care.catalogue import active_items
from halte.care.enums import CLOSED_STATUSES, PsychiatricOutcome, ScreeningResult
from halte.care.models import CareAct, Distribution, Referral, SocialAct, StockLevel
from halte.care.permissions import can_see_care_details, can_see_referral_note, can_see_stock
from halte.core.timeutils import now
from halte.network.models import Site
from halte.visits.models import Visit

# A referral still open after this many days is flagged for follow-up.
REFERRAL_OVERDUE_DAYS = 7


@dataclass(frozen=True)
class Confidential:
    """What only care roles read. ``None`` values mean "not filled"."""

    result: str | None
    result_label: str | None
    psychiatric_history: bool | None
    psychiatric_outcome: str | None
    psychiatric_outcome_label: str | None


@dataclass(frozen=True)
class CareActView:
    public_id: uuid.UUID
    visit_id: uuid.UUID
    kind: str
    kind_label: str
    performed_at: dt.datetime
    naloxone_kit_given: bool
    # The vaccine and its dose are not confidential: a vaccination says nothing of a diagnosis.
    vaccine: str | None
    vaccine_label: str | None
    dose: int | None
    # None for whoever may not read it: the value never leaves this module for them.
    confidential: Confidential | None


def care_act_view(act: CareAct, *, details: bool) -> CareActView:
    """One care act as a given reader may see it (``details``: ``can_see_care_details``)."""
    confidential = None
    if details:
        confidential = Confidential(
            result=act.result or None,
            result_label=str(ScreeningResult(act.result).label) if act.result else None,
            psychiatric_history=act.psychiatric_history,
            psychiatric_outcome=act.psychiatric_outcome or None,
            psychiatric_outcome_label=(
                str(PsychiatricOutcome(act.psychiatric_outcome).label)
                if act.psychiatric_outcome
                else None
            ),
        )
    return CareActView(
        public_id=act.public_id,
        visit_id=act.visit.public_id,
        kind=act.kind,
        kind_label=str(act.get_kind_display()),
        performed_at=act.performed_at,
        naloxone_kit_given=act.naloxone_kit_given,
        vaccine=act.vaccine or None,
        vaccine_label=str(act.get_vaccine_display()) if act.vaccine else None,
        dose=act.dose,
        confidential=confidential,
    )


def care_acts_for_visit(user: User | AnonymousUser, visit: Visit) -> list[CareActView]:
    """The care acts of a visit the user may see (the caller got the visit through the gate)."""
    if visit.site_id not in client_site_ids(user):
        raise Http404("Introuvable.")
    details = can_see_care_details(user, visit.site)
    acts = CareAct.objects.filter(visit=visit).select_related("visit").order_by("performed_at")
    return [care_act_view(a, details=details) for a in acts]


def social_acts_for_visit(visit: Visit) -> QuerySet[SocialAct]:
    return SocialAct.objects.filter(visit=visit).order_by("performed_at")


def _notes_for(user: User | AnonymousUser, site: Site, referrals: list[Referral]) -> list[Referral]:
    """Blank the notes of these referrals (of ``site``) for whoever may not read them, so that no
    screen or answer can show what it never receives. The rows are for reading, never saved."""
    if not can_see_referral_note(user, site):
        for referral in referrals:
            referral.note = ""
    return referrals


def referrals_for_visit(user: User | AnonymousUser, visit: Visit) -> list[Referral]:
    """The referrals of a visit, notes for care roles only (the caller got the visit through the
    gate)."""
    rows = (
        Referral.objects.filter(visit=visit)
        .select_related("site", "destination_site")
        .order_by("proposed_at")
    )
    return _notes_for(user, visit.site, list(rows))


def distributions_for_visit(visit: Visit) -> QuerySet[Distribution]:
    return (
        Distribution.objects.filter(visit=visit)
        .prefetch_related("lines__catalogue_item")
        .order_by("given_at")
    )


def referrals_visible_to(user: User | AnonymousUser) -> QuerySet[Referral]:
    """Referrals made from the sites where the user works with people."""
    return Referral.objects.filter(site_id__in=client_site_ids(user)).select_related(
        "site", "destination_site", "client", "visit"
    )


def get_referral_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Referral:
    """A referral of one of the user's sites; 404 otherwise."""
    try:
        return referrals_visible_to(user).get(public_id=public_id)
    except (Referral.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable.") from exc


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    days_open: int
    overdue: bool


def open_referrals(
    user: User | AnonymousUser, site: Site, *, at: dt.datetime | None = None
) -> list[ReferralRow]:
    """The site's referrals still waiting for an outcome, oldest first; those open for more than
    REFERRAL_OVERDUE_DAYS days are flagged; notes for care roles only. Callers have checked the
    user records at the site."""
    moment = at or now()
    rows = (
        Referral.objects.filter(site=site)
        .exclude(status__in=sorted(CLOSED_STATUSES))
        .select_related("client", "destination_site", "visit")
        .order_by("proposed_at", "pk")
    )
    result = []
    for referral in _notes_for(user, site, list(rows)):
        days = (moment - referral.proposed_at).days
        result.append(ReferralRow(referral, days, days > REFERRAL_OVERDUE_DAYS))
    return result


@dataclass(frozen=True)
class StockRow:
    item: str
    label: str
    quantity: int
    threshold: int
    low: bool


def stock_levels(site: Site) -> list[StockRow]:
    """Every item of the catalogue a site may give, with its level and alert threshold (0 for an
    item never received). Low: a threshold is set and the level has reached it."""
    levels = {lv.item: lv for lv in StockLevel.objects.filter(site=site)}
    rows = []
    for entry in active_items():
        if entry.collected:
            continue
        item = entry.code
        level = levels.get(item)
        quantity = level.quantity if level else 0
        threshold = level.threshold if level else 0
        rows.append(
            StockRow(
                item=item,
                label=entry.label,
                quantity=quantity,
                threshold=threshold,
                low=level.is_low if level else False,
            )
        )
    return rows


def get_site_stock_for_user(user: User | AnonymousUser, site: Site) -> list[StockRow]:
    """The site's stock if the user may see it (``can_see_stock``); 404 otherwise."""
    if not can_see_stock(user, site):
        raise Http404("Introuvable.")
    return stock_levels(site)
