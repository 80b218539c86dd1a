"""Reading the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from halte.accounts.enums import Role
from halte.accounts.models import User
from halte.accounts.permissions import network_roles
from halte.audit.models import AuditEvent


def can_read_audit(user: User | AnonymousUser) -> bool:
    """The network coordinator and admins read the trail of any record. The trail names records
    and actions, never a person's data, so reading it exposes nobody."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.ADMIN})


def trail_for(
    user: User | AnonymousUser, *, object_type: str, object_id: str
) -> QuerySet[AuditEvent]:
    if not can_read_audit(user):
        raise Http404("Introuvable.")
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor", "site"
    )
