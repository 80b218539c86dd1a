"""Writes to the registry. Each takes the acting user, checks the rule, runs in a transaction and
leaves an audit event; views, the API and commands call these and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import (
    can_change_site_status,
    can_edit_site,
    can_manage_registry,
    can_see_site,
)
from halte.audit.services import audit_record
from halte.core.errors import DomainError
from halte.core.models import validate_model
from halte.core.timeutils import local_today
from halte.network.enums import STATUS_TRANSITIONS, Service, SiteStatus
from halte.network.models import (
    Authorisation,
    HoursException,
    Operator,
    Site,
    SiteService,
    StatusChange,
    WeeklyHours,
)
from halte.network.selectors import site_opened_on
from halte.network.signals import capacities_changed

CAPACITY_FIELDS = (
    "booths_injection",
    "booths_inhalation",
    "booths_nasal",
    "rest_places",
    "beds",
    "reception_capacity",
    "session_time_limit_minutes",
    "admission",
    "adults_only",
    "dogs_accepted",
    "authorisation_act",
    "authorisation_end",
)
LOCATION_FIELDS = (
    "address",
    "postcode",
    "city",
    "code_insee",
    "area_name",
    "lon",
    "lat",
    "location_approximate",
)


def _require_edit(actor: User, site: Site) -> None:
    # Someone who cannot even see the site learns nothing from the refusal.
    if not can_see_site(actor, site):
        raise Http404(_("Site introuvable."))
    if not can_edit_site(actor, site):
        raise PermissionDenied(_("Seul·e la ou le responsable du site peut modifier ce site."))


@transaction.atomic
def operator_create(
    *, actor: User, name: str, kind: str, finess: str = "", website: str = ""
) -> Operator:
    """Register an operator (coordinators and admins)."""
    if not can_manage_registry(actor):
        raise PermissionDenied(_("Seule la coordination du réseau enregistre un opérateur."))
    operator = Operator(name=name, kind=kind, finess=finess, website=website)
    validate_model(operator)
    operator.save()
    audit_record(
        actor=actor, action="operator.created", subject=operator, site=None, payload={"kind": kind}
    )
    return operator


@transaction.atomic
def site_create(
    *,
    actor: User,
    operator: Operator,
    slug: str,
    name: str,
    kind: str,
    status: str,
    status_since: dt.date,
    status_note: str = "",
    **fields: Any,
) -> Site:
    """Register a site in a first status, dated; the first step of its history."""
    if not can_manage_registry(actor):
        raise PermissionDenied(_("Seule la coordination du réseau enregistre un site."))
    unknown = (
        set(fields)
        - set(CAPACITY_FIELDS)
        - set(LOCATION_FIELDS)
        - {
            "facts_verified",
            "data_note",
        }
    )
    if unknown:
        raise DomainError(
            _("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    site = Site(operator=operator, slug=slug, name=name, kind=kind, status=status, **fields)
    validate_model(site)
    site.save()
    StatusChange.objects.create(
        site=site,
        from_status="",
        to_status=status,
        effective_on=status_since,
        actor=actor,
        note=status_note,
    )
    # The first booths and beds enter service on the day the site opened.
    capacities_changed.send(sender=Site, site=site, effective_on=capacities_since(site))
    audit_record(
        actor=actor,
        action="site.created",
        subject=site,
        site=site,
        payload={"kind": kind, "status": status, "status_since": status_since.isoformat()},
    )
    return site


def _apply_changes(
    site: Site, changes: dict[str, Any], *, allowed: Iterable[str]
) -> tuple[Site, dict[str, list[Any]]]:
    """Lock the site, set the fields of ``allowed`` that change and save them, validated; return
    the site and field → [old, new] for the audit trail (empty: nothing changed, nothing saved)."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise DomainError(
            _("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    site = Site.objects.select_for_update().get(pk=site.pk)
    diff: dict[str, list[Any]] = {}
    for field, value in changes.items():
        old = getattr(site, field)
        if old != value:
            diff[field] = [_jsonable(old), _jsonable(value)]
            setattr(site, field, value)
    if diff:
        validate_model(site)
        site.save(update_fields=[*diff, "updated_at"])
    return site, diff


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


# A change of booths or beds recorded late may take effect this many days back (a quarter: the
# reports already sent for earlier periods do not move).
CAPACITY_BACKDATE_DAYS = 90


def _not_in_future(effective_on: dt.date) -> None:
    """A registry change (a status, the booths and beds) takes effect today or on a past day."""
    if effective_on > local_today():
        raise DomainError(
            _("La date d'effet ne peut pas être dans le futur."), field="effective_on"
        )


def capacities_since(site: Site) -> dt.date:
    """The day a site's first booths and beds entered service: the day it first became
    operational, else its first status date (a site registered before it opens), else today.
    Later changes of its counts take effect on the day they are made."""
    opened = site_opened_on(site)
    if opened is not None:
        return opened
    first = StatusChange.objects.filter(site=site).order_by("effective_on", "pk").first()
    return first.effective_on if first is not None else local_today()


@transaction.atomic
def site_update_capacities(
    *, actor: User, site: Site, effective_on: dt.date | None = None, **changes: Any
) -> Site:
    """Change booths, places, beds, admission and authorisation (the site's manager). The booths
    and beds change from ``effective_on``: today by default, or a past day when the change is
    recorded late (``CAPACITY_BACKDATE_DAYS`` at most, not before the site's first booths and
    beds served), so the occupancy reports count them from the day they really changed."""
    _require_edit(actor, site)
    today = local_today()
    on = effective_on or today
    _not_in_future(on)
    if on < today - dt.timedelta(days=CAPACITY_BACKDATE_DAYS):
        raise DomainError(
            _("Une date d'effet de plus de %(n)s jours en arrière n'est pas acceptée.")
            % {"n": CAPACITY_BACKDATE_DAYS},
            field="effective_on",
        )
    since = capacities_since(site)
    if on < since:
        raise DomainError(
            _("La date d'effet précède la mise en service du site (%(d)s).")
            % {"d": since.strftime("%d/%m/%Y")},
            field="effective_on",
        )
    site, diff = _apply_changes(site, changes, allowed=CAPACITY_FIELDS)
    if not diff and on == today:
        return site
    # A past day with the counts unchanged still says since when they hold (a change saved
    # today, then dated right): the booths and beds are restated from that day.
    capacities_changed.send(sender=Site, site=site, effective_on=on)
    audit_record(
        actor=actor,
        action="site.capacities_updated",
        subject=site,
        site=site,
        payload={"changes": diff, "effective_on": on.isoformat()},
    )
    return site


@transaction.atomic
def site_update_location(*, actor: User, site: Site, **changes: Any) -> Site:
    """Move a site (address, point, derived area). Coordinators and the site's manager."""
    if not (can_edit_site(actor, site) or can_change_site_status(actor, site)):
        _require_edit(actor, site)
    site, diff = _apply_changes(site, changes, allowed=LOCATION_FIELDS)
    if not diff:
        return site
    # The address of a project can be sensitive: the trail keeps which fields moved, not where to.
    audit_record(
        actor=actor,
        action="site.location_updated",
        subject=site,
        site=site,
        payload={"fields": sorted(diff)},
    )
    return site


@transaction.atomic
def site_set_services(*, actor: User, site: Site, services: Iterable[str]) -> Site:
    """Replace the list of services the site offers."""
    _require_edit(actor, site)
    wanted = set(services)
    invalid = wanted - set(Service.values)
    if invalid:
        raise DomainError(_("Service inconnu : %(s)s.") % {"s": ", ".join(sorted(invalid))})
    current = set(site.services.values_list("service", flat=True))
    if wanted == current:
        return site
    site.services.filter(service__in=current - wanted).delete()
    SiteService.objects.bulk_create([SiteService(site=site, service=s) for s in wanted - current])
    audit_record(
        actor=actor,
        action="site.services_updated",
        subject=site,
        site=site,
        payload={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )
    return site


@dataclass(frozen=True)
class HoursInput:
    weekday: int
    opens: dt.time
    closes: dt.time
    women_only: bool = False


def _check_no_overlap(spans: list[HoursInput]) -> None:
    """Two spans of one week may not overlap (minutes of the week, past-midnight spans wrap)."""
    week = 7 * 24 * 60
    taken: list[tuple[int, int, HoursInput]] = []
    for span in spans:
        start = span.weekday * 1440 + span.opens.hour * 60 + span.opens.minute
        length = (span.closes.hour * 60 + span.closes.minute) - (
            span.opens.hour * 60 + span.opens.minute
        )
        length = length if length > 0 else length + 1440
        for other_start, other_length, other in taken:
            for shift in (-week, 0, week):
                if (
                    start < other_start + shift + other_length
                    and other_start + shift < start + length
                ):
                    raise DomainError(
                        _("Les horaires du %(a)s et du %(b)s se chevauchent.")
                        % {"a": _weekday_name(other.weekday), "b": _weekday_name(span.weekday)}
                    )
        taken.append((start, length, span))


def _weekday_name(weekday: int) -> str:
    from halte.network.enums import Weekday

    return str(Weekday(weekday).label)


@transaction.atomic
def site_set_weekly_hours(
    *, actor: User, site: Site, spans: list[HoursInput], valid_from: dt.date
) -> Site:
    """Set the week's hours from a date on. The hours in force before that date are kept, ended the
    day before, so the history of opening hours stays readable (and reports can compare)."""
    _require_edit(actor, site)
    for span in spans:
        if not 0 <= span.weekday <= 6:
            raise DomainError(_("Le jour doit être entre lundi et dimanche."))
    _check_no_overlap(spans)
    site = Site.objects.select_for_update().get(pk=site.pk)
    # Rows starting on or after the date are replaced outright; rows running over it are cut.
    site.weekly_hours.filter(valid_from__gte=valid_from).delete()
    site.weekly_hours.filter(valid_from__lt=valid_from).exclude(valid_until__lt=valid_from).update(
        valid_until=valid_from - dt.timedelta(days=1)
    )
    WeeklyHours.objects.bulk_create(
        [
            WeeklyHours(
                site=site,
                weekday=s.weekday,
                opens=s.opens,
                closes=s.closes,
                women_only=s.women_only,
                valid_from=valid_from,
            )
            for s in spans
        ]
    )
    audit_record(
        actor=actor,
        action="site.hours_updated",
        subject=site,
        site=site,
        payload={
            "valid_from": valid_from.isoformat(),
            "spans": [
                [s.weekday, s.opens.strftime("%H:%M"), s.closes.strftime("%H:%M"), s.women_only]
                for s in spans
            ],
        },
    )
    return site


@transaction.atomic
def site_add_hours_exception(
    *,
    actor: User,
    site: Site,
    date: dt.date,
    closed: bool,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
    label: str = "",
) -> HoursException:
    """Close the site on a date, or open it on other hours that day."""
    _require_edit(actor, site)
    if site.hours_exceptions.filter(date=date).exists():
        raise DomainError(_("Il y a déjà une exception ce jour-là pour ce site."), field="date")
    if not closed and (opens is None or closes is None):
        raise DomainError(_("Indiquez l'heure d'ouverture et de fermeture, ou cochez « fermé »."))
    exception = HoursException(
        site=site,
        date=date,
        closed=closed,
        opens=None if closed else opens,
        closes=None if closed else closes,
        label=label,
    )
    validate_model(exception)
    exception.save()
    audit_record(
        actor=actor,
        action="site.hours_exception_added",
        subject=site,
        site=site,
        payload={"date": date.isoformat(), "closed": closed},
    )
    return exception


@transaction.atomic
def site_remove_hours_exception(*, actor: User, site: Site, exception_id: int) -> None:
    """Withdraw a dated exception."""
    _require_edit(actor, site)
    exception = site.hours_exceptions.filter(pk=exception_id).first()
    if exception is None:
        raise Http404(_("Exception introuvable."))
    day = exception.date
    exception.delete()
    audit_record(
        actor=actor,
        action="site.hours_exception_removed",
        subject=site,
        site=site,
        payload={"date": day.isoformat()},
    )


@transaction.atomic
def site_change_status(
    *, actor: User, site: Site, to_status: str, effective_on: dt.date, note: str = ""
) -> StatusChange:
    """Move a site to its next status, dated. Only legal moves pass (see ``STATUS_TRANSITIONS``);
    a date may not precede the last step nor lie in the future."""
    if not can_see_site(actor, site):
        raise Http404(_("Site introuvable."))
    if not can_change_site_status(actor, site):
        raise PermissionDenied(_("Seule la coordination du réseau change le statut d'un site."))
    # Lock the row: two coordinators moving one site at once must not both succeed.
    site = Site.objects.select_for_update().get(pk=site.pk)
    if to_status not in SiteStatus.values:
        raise DomainError(_("Statut inconnu : %(s)s.") % {"s": to_status}, field="to_status")
    if to_status not in STATUS_TRANSITIONS[site.status]:
        raise DomainError(
            _("Un site « %(current)s » ne peut pas passer à « %(target)s ».")
            % {
                "current": SiteStatus(site.status).label,
                "target": SiteStatus(to_status).label,
            },
            field="to_status",
        )
    last = site.status_changes.order_by("-effective_on").first()
    if last is not None and effective_on < last.effective_on:
        raise DomainError(
            _("La date d'effet ne peut pas précéder la dernière étape (%(d)s).")
            % {"d": last.effective_on.strftime("%d/%m/%Y")},
            field="effective_on",
        )
    _not_in_future(effective_on)
    change = StatusChange.objects.create(
        site=site,
        from_status=site.status,
        to_status=to_status,
        effective_on=effective_on,
        actor=actor,
        note=note,
    )
    site.status = to_status
    site.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="site.status_changed",
        subject=site,
        site=site,
        payload={
            "from": change.from_status,
            "to": to_status,
            "effective_on": effective_on.isoformat(),
        },
    )
    return change


AUTHORISATION_FIELDS = ("finess", "kind", "label", "note", "valid_from", "valid_until")


def _require_registry(actor: User) -> None:
    if not can_manage_registry(actor):
        raise PermissionDenied(_("Seule la coordination du réseau enregistre les autorisations."))


def _check_sites(authorisation: Authorisation, sites: Iterable[Site]) -> list[Site]:
    """The places an authorisation covers are its operator's."""
    chosen = list(sites)
    foreign = sorted(s.name for s in chosen if s.operator_id != authorisation.operator_id)
    if foreign:
        raise DomainError(
            _("Ces lieux ne relèvent pas de l'opérateur de l'autorisation : %(sites)s.")
            % {"sites": ", ".join(foreign)},
            field="sites",
        )
    return chosen


def _authorisation_payload(authorisation: Authorisation) -> dict[str, Any]:
    return {
        "finess": authorisation.finess,
        "kind": authorisation.kind,
        "sites": sorted(authorisation.sites.values_list("slug", flat=True)),
        "valid_from": _jsonable(authorisation.valid_from),
        "valid_until": _jsonable(authorisation.valid_until),
    }


@transaction.atomic
def authorisation_create(
    *,
    actor: User,
    operator: Operator,
    finess: str,
    kind: str,
    label: str,
    sites: Iterable[Site] = (),
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    note: str = "",
) -> Authorisation:
    """Register an establishment's authorisation (its FINESS number) and the operator's places it
    covers (coordinators and admins)."""
    _require_registry(actor)
    authorisation = Authorisation(
        operator=operator,
        finess=finess.strip().upper(),
        kind=kind,
        label=label.strip(),
        note=note,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    chosen = _check_sites(authorisation, sites)
    validate_model(authorisation)
    authorisation.save()
    authorisation.sites.set(chosen)
    audit_record(
        actor=actor,
        action="authorisation.created",
        subject=authorisation,
        site=None,
        payload=_authorisation_payload(authorisation),
    )
    return authorisation


@transaction.atomic
def authorisation_update(
    *,
    actor: User,
    authorisation: Authorisation,
    sites: Iterable[Site] | None = None,
    **changes: Any,
) -> Authorisation:
    """Change an authorisation's number, kind, label, dates or note, and (``sites``) the places it
    covers (coordinators and admins). The operator does not change: another holder is another
    authorisation."""
    _require_registry(actor)
    unknown = set(changes) - set(AUTHORISATION_FIELDS)
    if unknown:
        raise DomainError(
            _("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    before = _authorisation_payload(authorisation)
    if "finess" in changes:
        changes["finess"] = str(changes["finess"]).strip().upper()
    for field, value in changes.items():
        setattr(authorisation, field, value)
    chosen = None if sites is None else _check_sites(authorisation, sites)
    validate_model(authorisation)
    authorisation.save()
    if chosen is not None:
        authorisation.sites.set(chosen)
    after = _authorisation_payload(authorisation)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if diff:
        audit_record(
            actor=actor,
            action="authorisation.updated",
            subject=authorisation,
            site=None,
            payload={"changes": diff},
        )
    return authorisation
