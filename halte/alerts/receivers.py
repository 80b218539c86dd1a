"""Right after an incident is committed, read the network's last hours for a signal: a few
counting queries, after the commit, so that the incident's own request never waits on them
failing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from halte.consumption.models import Incident


def _check() -> None:
    from halte.alerts.services import signal_check

    signal_check()


@receiver(post_save, sender=Incident, dispatch_uid="alerts_signal_after_incident")
def incident_recorded(sender: type[Incident], instance: Incident, created: bool, **_: Any) -> None:
    if created:
        transaction.on_commit(_check, robust=True)
