"""One row per piece of background work: what the coordinator's page lists, and what makes a job
run once however often the queue delivers it (halte.jobs.runner)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel
from halte.jobs.enums import OPEN_STATUSES, JobStatus


class Job(PublicModel):
    """A solve, an export, a roll-up refresh… Parameters are ids and options, never text about a
    person; ``failure`` is a sentence for the coordinator, never a stack trace."""

    kind = models.CharField(_("nature"), max_length=60)
    status = models.CharField(
        _("état"), max_length=12, choices=JobStatus.choices, default=JobStatus.WAITING
    )
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("essais au plus"), default=3)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    cancel_requested = models.BooleanField(_("annulation demandée"), default=False)
    failure = models.CharField(_("motif de l'échec"), max_length=300, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    # Periodic jobs carry their kind here: a second run is not queued while one is open.
    dedupe_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]
        constraints = [
            models.CheckConstraint(
                name="job_progress_range", condition=Q(progress__gte=0, progress__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def duration(self) -> dt.timedelta | None:
        """How long the last attempt ran (to now while it runs)."""
        if self.started_at is None:
            return None
        if self.finished_at is None:
            return timezone.now() - self.started_at
        return self.finished_at - self.started_at
