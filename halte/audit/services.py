"""Writing audit events. Called by every service, inside its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from halte.audit.models import AuditEvent

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.network.models import Site


class Audited(Protocol):
    """What an audit event is about. An audited model names its kind in a class attribute
    `audit_type` (the string the audit trail has always stored for it) and answers `audit_id`:
    its public id, unless the model says otherwise."""

    @property
    def audit_type(self) -> str: ...

    @property
    def audit_id(self) -> str: ...


@dataclass(frozen=True)
class AuditSubject:
    """Something audited that is not one row, such as a night of the lodging ledger."""

    audit_type: str
    audit_id: str


def audit_record(
    *,
    actor: User | None,
    action: str,
    subject: Audited,
    site: Site | None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event about `subject`, its type and id taken from the subject itself.
    The payload must hold codes and field names, not personal text."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=subject.audit_type,
        object_id=str(subject.audit_id),
        site=site,
        payload=payload or {},
    )
