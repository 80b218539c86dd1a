"""Writing audit events. Called by every service, inside its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from halte.audit.models import AuditEvent

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str,
    site: Site | None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. The payload must hold codes and field names, not personal text."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        site=site,
        payload=payload or {},
    )
