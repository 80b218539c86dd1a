"""Registering people and excluding them. Identity inputs come in, the code goes out; the inputs
are never stored, logged, audited or sent back."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_ban, can_record_at
from halte.audit.services import audit_record
from halte.clients.codes import CodeInputError, derive_code, swapped_day_month
from halte.clients.enums import BanReason, SexGender
from halte.clients.models import Ban, Client
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site

OLDEST_BIRTH_YEAR = 1900


def _secret() -> bytes:
    key: str = settings.HALTE_CLIENT_CODE_KEY
    if len(key) < 32:
        raise DomainError(_("La clé des codes n'est pas configurée sur ce serveur."))
    return key.encode("utf-8")


def client_code(*, family_name: str, given_name: str, birth_date: dt.date, sex: str) -> str:
    """Derive the code for these inputs; stores nothing."""
    if not dt.date(OLDEST_BIRTH_YEAR, 1, 1) <= birth_date <= local_today():
        raise DomainError(_("Date de naissance invalide."), field="birth_date")
    if sex not in SexGender.values:
        raise DomainError(_("Sexe ou genre inconnu."), field="sex")
    try:
        return derive_code(
            family_name=family_name,
            given_name=given_name,
            birth_date=birth_date,
            sex=sex,
            secret=_secret(),
        )
    except CodeInputError as exc:
        raise DomainError(str(exc), field=exc.field) from exc


def client_swapped_code(
    *, family_name: str, given_name: str, birth_date: dt.date, sex: str
) -> str | None:
    """The code these inputs would make with the day and month of birth swapped (12 April for
    4 December), or None when the swap is no valid date; stores nothing."""
    swapped = swapped_day_month(birth_date)
    if swapped is None:
        return None
    try:
        return client_code(
            family_name=family_name, given_name=given_name, birth_date=swapped, sex=sex
        )
    except DomainError:
        return None


def client_register(
    *,
    actor: User,
    site: Site,
    family_name: str,
    given_name: str,
    birth_date: dt.date,
    sex: str,
    nickname: str = "",
) -> tuple[Client, bool]:
    """Register a person at a site, or find them if their code exists (registered anywhere in the
    network). Returns the client and whether it was created."""
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    code = client_code(
        family_name=family_name, given_name=given_name, birth_date=birth_date, sex=sex
    )
    nickname = nickname.strip()[:40]
    existing = Client.objects.filter(code=code).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            client = Client.objects.create(
                code=code,
                birth_year=birth_date.year,
                sex_gender=sex,
                nickname=nickname,
                registered_at_site=site,
                registered_by=actor,
            )
            audit_record(actor=actor, action="client.registered", subject=client, site=site)
    except IntegrityError:
        # Registered at the same moment from another tablet: that registration stands.
        return Client.objects.get(code=code), False
    return client, True


@transaction.atomic
def ban_create(
    *,
    actor: User,
    client: Client,
    site: Site | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
    reason: str,
) -> Ban:
    """Exclude someone from a site, or from the whole network (site None), over dated days."""
    if not can_ban(actor, site):
        raise PermissionDenied(_("Vous ne pouvez pas prononcer cette exclusion."))
    if reason not in BanReason.values:
        raise DomainError(_("Motif inconnu."), field="reason")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("La fin de l'exclusion précède son début."), field="ends_on")
    ban = Ban.objects.create(
        client=client,
        site=site,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="ban.created",
        subject=client,
        site=site,
        payload={
            "scope": "site" if site else "network",
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "reason": reason,
        },
    )
    return ban


@transaction.atomic
def ban_lift(*, actor: User, ban: Ban) -> Ban:
    """End an exclusion now."""
    if not can_ban(actor, ban.site):
        raise PermissionDenied(_("Vous ne pouvez pas lever cette exclusion."))
    if ban.lifted_at is not None:
        raise DomainError(_("Cette exclusion est déjà levée."))
    ban.lifted_at = timezone.now()
    ban.lifted_by = actor
    ban.save(update_fields=["lifted_at", "lifted_by"])
    audit_record(actor=actor, action="ban.lifted", subject=ban.client, site=ban.site)
    return ban


def client_read_record(*, actor: User, client: Client, what: str, site: Site | None = None) -> None:
    """Leave a trace of a read of someone's record (page, card, lookup by code): who read whose
    record, when. The trace names the record, never its content."""
    audit_record(actor=actor, action=f"client.{what}_read", subject=client, site=site)
