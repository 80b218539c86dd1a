"""Reads of samples, alerts and signals, always through what the user may see."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import Membership, User
from halte.accounts.permissions import FRONT_LINE_ROLES, client_site_ids
from halte.alerts.models import Acknowledgement, Alert, Sample, Signal
from halte.alerts.permissions import is_coordination
from halte.consumption.models import Incident
from halte.core.timeutils import now
from halte.network.models import Site


def _front_line(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True, role__in=FRONT_LINE_ROLES)


def _user_sites(user: User) -> QuerySet[Site]:
    """The sites where the user works at the front line, as a subquery (no query of its own)."""
    held = _front_line(user)
    return Site.objects.filter(
        Q(pk__in=held.filter(site__isnull=False).values("site_id"))
        | Q(operator_id__in=held.filter(operator__isnull=False).values("operator_id"))
    )


def live(queryset: QuerySet[Alert], at: dt.datetime | None = None) -> QuerySet[Alert]:
    """Alerts in force at ``at``: issued, not expired, not withdrawn."""
    moment = at or now()
    return queryset.filter(issued_at__lte=moment, valid_until__gt=moment, withdrawn_at__isnull=True)


def targeting(user: User) -> QuerySet[Alert]:
    """Alerts addressed to this member of staff: to the whole network (any front-line role) or to
    a site or team where they work. Subqueries only: the caller's query is the one query."""
    through = Alert.sites.through
    to_my_sites = Exists(
        through.objects.filter(alert_id=OuterRef("pk"), site_id__in=_user_sites(user).values("pk"))
    )
    network_wide = Q(all_sites=True) & Exists(_front_line(user))
    return Alert.objects.filter(network_wide | to_my_sites)


def unacknowledged_for(user: User | AnonymousUser, *, limit: int = 5) -> list[Alert]:
    """The alerts in force for this user that they have not acknowledged yet: one query."""
    if not isinstance(user, User):
        return []
    seen = Acknowledgement.objects.filter(alert_id=OuterRef("pk"), user=user)
    rows = live(targeting(user)).exclude(Exists(seen)).order_by("-issued_at")
    return list(rows[:limit])


def alerts_for_user(user: User | AnonymousUser) -> QuerySet[Alert]:
    """Every alert the coordination issued for the coordination; those addressed to them for
    front-line staff; none for anyone else."""
    if not isinstance(user, User):
        return Alert.objects.none()
    if is_coordination(user):
        return Alert.objects.all()
    if not client_site_ids(user):
        return Alert.objects.none()
    return targeting(user)


def get_alert_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Alert:
    try:
        return alerts_for_user(user).select_related("sample", "issued_by").get(public_id=public_id)
    except (Alert.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404(_("Alerte introuvable.")) from exc


def is_addressed_to(user: User, alert: Alert) -> bool:
    return targeting(user).filter(pk=alert.pk).exists()


def audience(alert: Alert) -> QuerySet[User]:
    """The staff an alert is for: front-line members of its sites (directly or through their
    operator), or of every site for a network-wide alert."""
    members = Membership.objects.filter(is_active=True, role__in=FRONT_LINE_ROLES)
    if not alert.all_sites:
        targets = Site.objects.filter(
            pk__in=alert.sites.through.objects.filter(alert=alert).values("site_id")
        )
        members = members.filter(
            Q(site__in=targets) | Q(operator_id__in=targets.values("operator_id"))
        )
    else:
        members = members.filter(Q(site__isnull=False) | Q(operator__isnull=False))
    return User.objects.filter(is_active=True, pk__in=members.values("user_id")).order_by(
        "username"
    )


@dataclass(frozen=True)
class Follow:
    """Who has seen an alert and who has not."""

    seen: list[Acknowledgement]
    not_seen: list[User]


def alert_follow(alert: Alert) -> Follow:
    """Who has seen the alert and who has not, each with their roles in force (``staff_label``)."""
    roles = Membership.objects.filter(is_active=True)
    seen = list(
        alert.acknowledgements.select_related("user")
        .prefetch_related(Prefetch("user__memberships", roles, to_attr="roles"))
        .order_by("at")
    )
    seen_ids = {a.user_id for a in seen}
    audience_roles = Prefetch("memberships", roles, to_attr="roles")
    not_seen = audience(alert).exclude(pk__in=seen_ids).prefetch_related(audience_roles)
    return Follow(seen=seen, not_seen=list(not_seen))


def staff_label(user: User) -> str:
    """A member of staff as the screens name them: their name (their account's when they gave
    none) and their roles in force, as in the header (``alert_follow`` reads the roles)."""
    roles = sorted({str(m.get_role_display()) for m in getattr(user, "roles", [])})
    return " · ".join(
        [user.get_full_name() or user.username, *([", ".join(roles)] if roles else [])]
    )


def alerts_board(at: dt.datetime | None = None) -> QuerySet[Alert]:
    """The coordination's list: alerts in force first, with their acknowledgement counts."""
    return (
        Alert.objects.annotate(acks=Count("acknowledgements"))
        .prefetch_related("sites")
        .order_by("-issued_at")
    )


def public_alerts(at: dt.datetime | None = None) -> QuerySet[Alert]:
    """Alerts in force and published for partners: products and areas, nothing else."""
    return live(Alert.objects.filter(is_public=True), at).order_by("-issued_at")


def samples_for_user(user: User | AnonymousUser) -> QuerySet[Sample]:
    """The coordination sees every sample; front-line staff those of their sites."""
    base = Sample.objects.select_related("site").prefetch_related("substances")
    if not isinstance(user, User):
        return base.none()
    if is_coordination(user):
        return base
    return base.filter(site_id__in=client_site_ids(user))


def get_sample_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Sample:
    try:
        return samples_for_user(user).select_related("incident").get(public_id=public_id)
    except (Sample.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404(_("Échantillon introuvable.")) from exc


def get_sample_by_reference(user: User, reference: str) -> Sample | None:
    return samples_for_user(user).filter(reference=reference.strip().upper()).first()


def recent_incidents(site: Site, *, days: int = 7) -> QuerySet[Incident]:
    """Incidents of the site in the last days, to link a sample to (kind and time only)."""
    return Incident.objects.filter(
        site=site, occurred_at__gte=now() - dt.timedelta(days=days)
    ).order_by("-occurred_at")[:30]


def get_incident_at(site: Site, public_id: uuid.UUID | str) -> Incident:
    try:
        return Incident.objects.get(site=site, public_id=public_id)
    except (Incident.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404(_("Incident introuvable.")) from exc


def open_signals() -> QuerySet[Signal]:
    return Signal.objects.filter(closed_at__isnull=True).order_by("-window_end")


def get_signal(public_id: uuid.UUID | str) -> Signal:
    try:
        return Signal.objects.get(public_id=public_id)
    except (Signal.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404(_("Signal introuvable.")) from exc


@dataclass(frozen=True)
class SignalIncident:
    """An incident of a signal's window, as the coordination sees it: never a person."""

    occurred_at: dt.datetime
    kind: str
    kind_label: str
    area: str
    site: str
    declared: str
    naloxone_doses: int
    outcome_label: str


def signal_incidents(start: dt.datetime, end: dt.datetime) -> list[SignalIncident]:
    """The incidents of the window and what was declared in their session (one query)."""
    from halte.alerts.detection import SIGNAL_KINDS

    rows = (
        Incident.objects.filter(
            occurred_at__gte=start, occurred_at__lt=end, kind__in=[k.value for k in SIGNAL_KINDS]
        )
        .select_related("site", "session")
        .order_by("occurred_at")
    )
    return [
        SignalIncident(
            occurred_at=i.occurred_at,
            kind=i.kind,
            kind_label=str(i.get_kind_display()),
            area=i.site.area_name,
            site=i.site.name,
            declared=str(i.session.get_product_display()) if i.session else "",
            naloxone_doses=i.naloxone_doses,
            outcome_label=str(i.get_outcome_display()),
        )
        for i in rows
    ]
