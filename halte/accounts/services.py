"""Writes on staff accounts: creation with a role, roles given and ended, passwords and second
factors reset, API tokens. No password, temporary or not, ever reaches an audit payload or a log."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from halte.accounts.enums import NETWORK_ROLES, Role
from halte.accounts.models import ApiToken, Membership, TotpDevice, User, hash_token
from halte.accounts.permissions import (
    can_manage_account,
    grantable_roles,
    staff_site_ids,
)
from halte.audit.services import audit_record
from halte.core.errors import DomainError
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
    must_change_password: bool = False,
) -> User:
    """Create a member of staff holding one role on a site, an operator or the network.

    ``actor`` is None only for the demo loader and first set-up, run from the command line; any
    other actor must be allowed to give this role on this site (see ``membership_grant``)."""
    username = username.strip()
    if actor is not None:
        _check_grant(actor=actor, role=role, site=site, operator=operator)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("Cet identifiant est déjà pris : choisissez-en un autre."), field="username"
        )
    user = User(username=username, first_name=first_name, is_staff=role == Role.ADMIN)
    user.is_superuser = role == Role.ADMIN
    user.must_change_password = must_change_password
    user.set_password(password)
    try:
        user.full_clean(exclude=["password", "public_id"])
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="username") from exc
    user.save()
    membership = Membership(user=user, role=role, site=site, operator=operator)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="user.created",
        subject=user,
        site=site,
        payload={"role": role},
    )
    return user


def _check_grant(*, actor: User, role: str, site: Site | None, operator: Operator | None) -> None:
    """The rules for giving a role: refuse before writing anything."""
    if role not in grantable_roles(actor):
        raise DomainError(_("Vous ne pouvez pas donner ce rôle."), field="role")
    if role in NETWORK_ROLES:
        if site is not None or operator is not None:
            raise DomainError(
                _("Ce rôle s'exerce sur tout le réseau : ne choisissez pas de site."), field="site"
            )
        return
    if site is None and operator is None:
        raise DomainError(_("Choisissez le site où ce rôle s'exerce."), field="site")
    scope = staff_site_ids(actor)
    if scope is not None and (site is None or site.pk not in scope):
        raise DomainError(_("Vous ne gérez que l'équipe de vos propres sites."), field="site")


def temporary_password() -> str:
    """A password to give by hand, once: 16 letters and digits without look-alikes, in groups."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def staff_invite(*, actor: User, username: str, role: str, site: Site | None) -> tuple[User, str]:
    """Create an account from the staff screens: a temporary password, shown once to the actor,
    to be changed at the first login."""
    password = temporary_password()
    user = staff_create(
        actor=actor,
        username=username,
        password=password,
        role=role,
        site=site,
        must_change_password=True,
    )
    return user, password


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, role: str, site: Site | None) -> Membership:
    """Give ``user`` a role on a site (or on the network, for the administrator's roles)."""
    if actor is not None:
        _check_grant(actor=actor, role=role, site=site, operator=None)
    if Membership.objects.filter(
        user=user, role=role, site=site, operator=None, is_active=True
    ).exists():
        raise DomainError(_("Ce compte a déjà ce rôle sur ce site."), field="role")
    membership = Membership(user=user, role=role, site=site)
    membership.full_clean()
    membership.save()
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action="membership.granted",
        subject=user,
        site=site,
        payload={"role": role, "membership": membership.pk},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> Membership:
    """End a role (kept, inactive, for the trail). A manager ends only roles on their own sites,
    never their own; the administrator's access ends with the last administrator role."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    scope = staff_site_ids(actor)
    if scope is not None and membership.site_id not in scope:
        raise DomainError(_("Vous ne gérez que l'équipe de vos propres sites."))
    if membership.user_id == actor.pk:
        raise DomainError(
            _("Vous ne pouvez pas mettre fin à votre propre rôle : demandez à l'administration.")
        )
    if not membership.is_active:
        raise DomainError(_("Ce rôle a déjà pris fin."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    if (
        membership.role == Role.ADMIN
        and not user.memberships.filter(role=Role.ADMIN, is_active=True).exists()
    ):
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action="membership.ended",
        subject=user,
        site=membership.site,
        payload={"role": membership.role, "membership": membership.pk},
    )
    return membership


def _check_account(*, actor: User, user: User) -> None:
    if not can_manage_account(actor, user):
        raise DomainError(
            _("Ce compte a aussi des rôles hors de vos sites : demandez à l'administration.")
        )


@transaction.atomic
def staff_password_reset(*, actor: User, user: User) -> str:
    """Give ``user`` a temporary password, returned once to be handed over, and to be changed at
    the next login. Sessions open with the old password end (their hash no longer matches)."""
    _check_account(actor=actor, user=user)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action="user.password_reset",
        subject=user,
        site=None,
    )
    return password


@transaction.atomic
def staff_second_factor_reset(*, actor: User, user: User) -> None:
    """Drop ``user``'s authenticator: they enrol a new one at their next login."""
    _check_account(actor=actor, user=user)
    deleted, _rows = TotpDevice.objects.filter(user=user).delete()
    if not deleted:
        raise DomainError(_("Ce compte n'a pas de second facteur enregistré."))
    audit_record(
        actor=actor,
        action="user.second_factor_reset",
        subject=user,
        site=None,
    )


@transaction.atomic
def staff_password_set(*, user: User, password: str) -> None:
    """The user chooses their own password (after a temporary one, or at any time); the
    project's password rules apply."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=user,
        action="user.password_changed",
        subject=user,
        site=None,
    )


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
        subject=token,
        site=None,
        payload={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return raw


def api_token_user(raw: str) -> User | None:
    """The active user behind a token, or None for an unknown, expired or revoked one."""
    if not raw or len(raw) > 200:
        return None
    current = timezone.now()
    try:
        token = ApiToken.objects.select_related("user").get(
            key_hash=hash_token(raw),
            revoked_at__isnull=True,
            expires_at__gt=current,
            user__is_active=True,
        )
    except ApiToken.DoesNotExist:
        return None
    # Touch at most once a minute: a busy tablet should not write on every read.
    if token.last_used_at is None or token.last_used_at < current - TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=current)
    return token.user


TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)
