"""Writes on staff accounts: creation with a role, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from halte.accounts.enums import Role
from halte.accounts.models import ApiToken, Membership, User, hash_token
from halte.accounts.permissions import front_line_sites_sql
from halte.audit.services import audit_record
from halte.core import fastsql
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
    """The active user behind a token, or None for an unknown, expired or revoked one.

    One hand-written statement: this runs on every API request, where building the ORM's query
    (token joined to its user) cost several times more than running it."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    ops = connection.ops
    key_hash = hash_token(raw)
    token = ApiToken._meta.db_table
    # The user's front-line sites come in the same statement (one row per site, or one row with
    # NULL), since nearly every request with a token asks for them next.
    scope, scope_params = front_line_sites_sql(
        f"(SELECT t2.user_id FROM {token} t2 WHERE t2.key_hash = %s)",  # noqa: S608 - model table
        [key_hash],
    )
    rows = fastsql.fetch(
        User,
        _USER_BY_KEY_SQL.format(token=token, scope=scope),
        [
            ops.adapt_datetimefield_value(now - TOKEN_TOUCH_EVERY),
            *scope_params,
            key_hash,
            ops.adapt_datetimefield_value(now),
            True,
        ],
        extra=("token_pk", "token_stale", "scope_site"),
    )
    if not rows:
        return None
    user = rows[0]
    scope_ids = {getattr(row, "scope_site") for row in rows} - {None}  # noqa: B009
    setattr(user, "_client_site_ids", scope_ids)  # noqa: B010 - the per-request cache of permissions
    # Touch at most once a minute: a busy tablet should not write on every read.
    if getattr(user, "token_stale"):  # noqa: B009 - extra columns of fastsql.fetch
        ApiToken.objects.filter(pk=getattr(user, "token_pk")).update(last_used_at=now)  # noqa: B009
    return user


TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)
_USER_BY_KEY_SQL = (
    "SELECT {{columns}}, t.id,"
    " CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END, scope.site_id"
    " FROM {token} t JOIN {{table}} ON {{table}}.id = t.user_id"
    " LEFT JOIN ({scope}) scope ON 1 = 1"
    " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
    " AND {{table}}.is_active = %s"
)
