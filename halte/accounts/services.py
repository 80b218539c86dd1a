"""Writes on staff accounts: creation with a role, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from halte.accounts.enums import Role
from halte.accounts.models import ApiToken, Membership, User, hash_token
from halte.audit.services import audit_record
from halte.network.models import Operator, Site


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    site: Site | None = None,
    operator: Operator | None = None,
    first_name: str = "",
) -> User:
    """Create a member of staff holding one role on a site, an operator or the network.

    ``actor`` is None only for the demo loader and first set-up, run from the command line."""
    user = User(username=username, first_name=first_name, is_staff=role == Role.ADMIN)
    user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(user=user, role=role, site=site, operator=operator)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=str(user.pk),
        site=site,
        payload={"role": role},
    )
    return user


@transaction.atomic
def api_token_issue(*, user: User, days: int | None = None) -> str:
    """Issue an API token for ``user`` and return it; only its hash is kept."""
    raw = "halte_" + secrets.token_urlsafe(32)
    lifetime = dt.timedelta(days=days or settings.HALTE_API_TOKEN_DAYS)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        prefix=raw[6:14],
        expires_at=timezone.now() + lifetime,
    )
    audit_record(
        actor=user,
        action="api_token.issued",
        object_type="api_token",
        object_id=str(token.pk),
        site=None,
        payload={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return raw


def api_token_user(raw: str) -> User | None:
    """The active user behind a token, or None for an unknown, expired or revoked one."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Touch at most once a minute: a busy tablet should not write on every read.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
