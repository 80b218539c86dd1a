"""Writing audit events. Called by every service, inside its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from halte.audit.models import AuditEvent
from halte.core import fastsql

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
    # Through fastsql: every write of every service ends here, so it is one prepared insert, with
    # no savepoint of its own (it runs inside the service's transaction; a failure is a bug).
    event = audit_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        site=site,
        payload=payload,
    )
    fastsql.insert(event, savepoint=False)
    return event


def audit_event(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str,
    site: Site | None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """An audit event not yet saved, for a hot path that inserts it in the same statement as the
    row it records (``fastsql.insert(row, event)``)."""
    return AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        site=site,
        payload=payload or {},
    )
