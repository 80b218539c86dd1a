"""Setting up and checking the second factor."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from halte.accounts import totp
from halte.accounts.models import TotpDevice, User
from halte.audit.services import audit_record


@transaction.atomic
def totp_start(*, user: User) -> TotpDevice:
    """A new, unconfirmed secret for this user (replacing an unconfirmed one)."""
    device, _created = TotpDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"secret": totp.new_secret()}
    )
    if device.confirmed_at is None:
        device.secret = totp.new_secret()
        device.save(update_fields=["secret"])
    return device


@transaction.atomic
def totp_check(*, user: User, code: str) -> bool:
    """True if the code is right and not used before; confirms a new device on first success."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return False
    step = totp.matching_step(device.secret, code)
    if step is None or step <= device.last_step:
        audit_record(
            actor=user,
            action="login.second_factor_refused",
            subject=user,
            site=None,
        )
        return False
    device.last_step = step
    fields = ["last_step"]
    if device.confirmed_at is None:
        device.confirmed_at = timezone.now()
        fields.append("confirmed_at")
        audit_record(
            actor=user,
            action="login.second_factor_enrolled",
            subject=user,
            site=None,
        )
    device.save(update_fields=fields)
    return True
