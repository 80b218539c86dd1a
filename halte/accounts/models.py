"""Staff accounts, their memberships and API tokens. Clients are not users and never log in."""

from __future__ import annotations

import hashlib
import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.accounts.enums import NETWORK_ROLES, Role


class User(AbstractUser):
    """A member of staff. Names here are staff names, never clients'."""

    audit_type: ClassVar[str] = "user"

    # The staff screens name an account by this, never by its integer key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Set when an administrator or a manager hands out a temporary password: the next login asks
    # for a new one before anything else.
    must_change_password = models.BooleanField(_("mot de passe à changer"), default=False)

    class Meta:
        verbose_name = _("utilisateur·rice")

    @property
    def audit_id(self) -> str:
        """Accounts have always been audited by their integer key."""
        return str(self.pk)


class Membership(models.Model):
    """A role held by a user on one site, on every site of an operator, or on the whole network."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    site = models.ForeignKey(
        "network.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    operator = models.ForeignKey(
        "network.Operator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_is_site_or_operator_or_network",
                condition=~(Q(site__isnull=False) & Q(operator__isnull=False)),
                violation_error_message=_(
                    "Un rattachement vise un site ou un opérateur, pas les deux."
                ),
            ),
            models.CheckConstraint(
                name="membership_site_role_has_a_scope",
                condition=Q(role__in=sorted(r.value for r in NETWORK_ROLES))
                | Q(site__isnull=False)
                | Q(operator__isnull=False),
                violation_error_message=_("Ce rôle s'exerce sur un site ou un opérateur."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.site or self.operator or _("réseau")
        return f"{self.user} · {self.get_role_display()} · {scope}"


def hash_token(raw: str) -> str:
    """Tokens are stored hashed: a copy of the database does not hand out API access."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    audit_type: ClassVar[str] = "api_token"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def audit_id(self) -> str:
        """A token has no public id: the audit trail names it by its key."""
        return str(self.pk)


class LoginFailure(models.Model):
    """A failed login, kept for the lockout window only (see accounts.security)."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("échec de connexion")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A member of staff's authenticator (second factor). The last accepted step is kept so a
    code cannot be used twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("second facteur")

    def __str__(self) -> str:
        return f"TOTP {self.user}"
