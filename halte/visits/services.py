"""Check-in and check-out."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at, client_site_ids
from halte.audit.models import AuditEvent
from halte.audit.services import audit_event, audit_record
from halte.clients.models import Ban, Client
from halte.clients.selectors import active_bans, get_client_for_user
from halte.core import fastsql
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import local_today, now
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.network.selectors import get_site_for_recording
from halte.visits.admission import Arrival, admission_refusal, admission_sql
from halte.visits.enums import purposes_to_mask
from halte.visits.models import Visit

# Times typed on a tablet may lag a little; a time further ahead is a typing mistake.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
BACKDATE_LIMIT = dt.timedelta(hours=24)


def _check_moment(moment: dt.datetime, *, field: str) -> None:
    current = now()
    if moment > current + FUTURE_TOLERANCE:
        raise DomainError(_("Cette heure est dans le futur."), field=field)
    if moment < current - BACKDATE_LIMIT:
        raise DomainError(
            _("Une saisie de plus de 24 heures en arrière n'est pas acceptée ici."), field=field
        )


def _arrival(purposes: list[str], arrived_at: dt.datetime | None) -> tuple[int, dt.datetime]:
    """The purposes as stored (a bit mask) and the time of arrival, both checked."""
    try:
        mask = purposes_to_mask(purposes)
    except ValueError as exc:
        raise DomainError(_("Motif de passage inconnu."), field="purposes") from exc
    moment = arrived_at or now()
    _check_moment(moment, field="arrived_at")
    return mask, moment


def _new_visit(
    *,
    actor: User,
    site: Site | None,
    client: Client | None,
    anonymous: bool,
    purposes: list[str],
    mask: int,
    moment: dt.datetime,
) -> tuple[Visit, AuditEvent]:
    """A visit not yet saved and its audit event; ``site`` and ``client`` may be left to the
    statement that inserts them (``visit_check_in``)."""
    visit = Visit(site=site, client=client, arrived_at=moment, purposes=mask, opened_by=actor)
    event = audit_event(
        actor=actor,
        action="visit.opened",
        object_type="visit",
        object_id=str(visit.public_id),
        site=site,
        payload={"anonymous": anonymous, "purposes": sorted(purposes)},
    )
    return visit, event


def _already_in() -> ConflictError:
    """What a second open visit of one person at one site (a unique constraint) answers."""
    return ConflictError(_("Cette personne est déjà présente sur ce site."), field="client")


def visit_open(
    *,
    actor: User,
    site: Site,
    client: Client | None,
    purposes: list[str],
    arrived_at: dt.datetime | None = None,
) -> Visit:
    """Check someone in (or count an anonymous contact when ``client`` is None). Refused for a
    person excluded from the site or the network, for someone the site does not admit (a minor
    where adults only, someone not a woman where or when women only: ``visits.admission``), and
    for someone already in.

    The visit and its audit event are written together, all or nothing (``fastsql.insert``: one
    statement on PostgreSQL, the hot path of the front desk); the checks before only read."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if site.status != SiteStatus.OPERATIONAL:
        raise DomainError(_("Ce site n'est pas en activité."))
    mask, moment = _arrival(purposes, arrived_at)
    if client is not None and active_bans(client, site_id=site.pk):
        raise DomainError(_("Cette personne est exclue de ce site à cette date."), field="client")
    refusal = admission_refusal(
        site=site, client=client, when=Arrival(at=moment, today=local_today())
    )
    if refusal is not None:
        raise refusal
    visit, event = _new_visit(
        actor=actor,
        site=site,
        client=client,
        anonymous=client is None,
        purposes=purposes,
        mask=mask,
        moment=moment,
    )
    try:
        fastsql.insert(visit, event)
    except IntegrityError as exc:
        raise _already_in() from exc
    return visit


def visit_check_in(
    *,
    actor: User,
    site_id: uuid.UUID,
    client_id: uuid.UUID | None,
    purposes: list[str],
    arrived_at: dt.datetime | None = None,
) -> Visit:
    """Check someone in at a site given by its public id, the API's check-in: the same rules as
    ``visit_open``, in one statement when they all pass.

    The site (one of the actor's front-line sites, in activity), the person (active, not excluded
    there today, admitted there: ``visits.admission``) and the writes go to the database together
    (``fastsql.insert_if``): a check-in that passes costs one round trip and one commit. When any
    rule refuses, nothing is written and ``visit_open``'s path runs to say which rule, with its
    usual message."""
    mask, moment = _arrival(purposes, arrived_at)
    visit, event = _new_visit(
        actor=actor,
        site=None,
        client=None,
        anonymous=client_id is None,
        purposes=purposes,
        mask=mask,
        moment=moment,
    )
    scope = sorted(client_site_ids(actor))
    if scope:
        guard, params, from_guard = _check_in_guard(scope, site_id, client_id, at=moment)
        try:
            if fastsql.insert_if(guard, params, visit, event, from_guard=from_guard):
                return visit
        except IntegrityError as exc:
            raise _already_in() from exc
    site = get_site_for_recording(actor, site_id)
    client = get_client_for_user(actor, client_id) if client_id is not None else None
    return visit_open(
        actor=actor, site=site, client=client, purposes=purposes, arrived_at=arrived_at
    )


def _check_in_guard(
    scope: list[int],
    site_id: uuid.UUID,
    client_id: uuid.UUID | None,
    *,
    at: dt.datetime | None = None,
) -> tuple[str, list[object], dict[str, str]]:
    """The row ``visit_check_in`` writes from, and which of the visit's fields it fills: the
    site's and the person's primary keys, found only when every rule of ``visit_open`` passes
    (``Ban.applies`` for the exclusions, ``admission_sql`` for who the site admits, judged at the
    arrival ``at``, now by default)."""
    site_table, client_table, ban_table = (
        Site._meta.db_table,
        Client._meta.db_table,
        Ban._meta.db_table,
    )
    marks = ", ".join(["%s"] * len(scope))
    site_value = fastsql.db_value(Site, "public_id", site_id)
    if client_id is None:
        sql = (
            f"SELECT s.id AS site FROM {site_table} s"  # noqa: S608 - model tables
            f" WHERE s.public_id = %s AND s.status = %s AND s.id IN ({marks})"
        )
        return sql, [site_value, SiteStatus.OPERATIONAL.value, *scope], {"site_id": "site"}
    today = local_today()
    admits, admits_params = admission_sql(Arrival(at=at or now(), today=today))
    sql = (
        f"SELECT s.id AS site, c.id AS client FROM {site_table} s, {client_table} c"  # noqa: S608
        f" WHERE s.public_id = %s AND s.status = %s AND s.id IN ({marks})"
        " AND c.public_id = %s AND c.is_active"
        f" AND NOT EXISTS (SELECT 1 FROM {ban_table} b WHERE b.client_id = c.id"
        " AND b.lifted_at IS NULL AND b.starts_on <= %s"
        " AND (b.ends_on IS NULL OR b.ends_on >= %s)"
        " AND (b.site_id IS NULL OR b.site_id = s.id))"
        f" AND {admits}"
    )
    params = [
        site_value,
        SiteStatus.OPERATIONAL.value,
        *scope,
        fastsql.db_value(Client, "public_id", client_id),
        fastsql.db_value(Ban, "starts_on", today),
        fastsql.db_value(Ban, "ends_on", today),
        *admits_params,
    ]
    return sql, params, {"site_id": "site", "client_id": "client"}


@transaction.atomic
def visit_close(*, actor: User, visit: Visit, left_at: dt.datetime | None = None) -> Visit:
    """Check someone out. A supervised session still running ends at the same time."""
    from halte.consumption.services import session_end

    if not can_record_at(actor, visit.site):
        raise Http404(_("Passage introuvable."))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.left_at is not None:
        raise DomainError(_("Ce passage est déjà clos."))
    moment = left_at or now()
    _check_moment(moment, field="left_at")
    if moment < visit.arrived_at:
        raise DomainError(_("Le départ précède l'arrivée."), field="left_at")
    for session in visit.sessions.filter(ended_at__isnull=True):
        session_end(actor=actor, session=session, ended_at=moment)
    visit.left_at = moment
    visit.closed_by = actor
    visit.save(update_fields=["left_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="visit.closed",
        object_type="visit",
        object_id=str(visit.public_id),
        site=visit.site,
    )
    return visit
