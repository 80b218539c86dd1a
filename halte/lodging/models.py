"""Accommodation: beds, stays, the nights they materialise, and the waiting list.

The rule "a bed holds one person a night" is a unique constraint on ``BedNight(bed, night)``: each
night of a stay is one row, so two concurrent stays for the same bed and night cannot both be
written, on SQLite and PostgreSQL alike (no exclusion constraint needed). A night is named by the
date of its evening: the night of 3 March runs from the evening of 3 March to the morning of 4.

An open-ended stay holds its bed every night from its entry on, but writes its nights one by one:
its later nights are not rows yet. Two of them on one bed always overlap, so a partial unique index
allows one per bed (``stay_one_open_ended_per_bed``); a dated stay reaching into one is refused by
``services.stay_create`` under the bed's lock.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel, not_before, service_period_checks
from halte.lodging.enums import (
    PRIORITY_BITS,
    ExitReason,
    Priority,
    WaitingStatus,
    mask_to_priorities,
)


class Bed(PublicModel):
    """A bed or a room of a site; deactivated when the site's bed count shrinks, never deleted."""

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="lodging_beds")
    number = models.PositiveSmallIntegerField(_("numéro"))
    label = models.CharField(_("lit"), max_length=12)
    women_only = models.BooleanField(_("réservé aux femmes"), default=False)
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        verbose_name = _("lit")
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "number"],
                name="bed_unique_number_per_site",
                violation_error_message=_("Ce lit existe déjà."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class BedServicePeriod(models.Model):
    """Nights a bed was in service: from the night of ``start`` (included) to the night of ``end``
    (excluded), open while it still is. Kept by ``services.beds_sync`` as the site's bed count
    changes; the reports count the beds of each night from them (bed occupancy), not today's."""

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="service_periods")
    start = models.DateField(_("en service depuis la nuit du"))
    end = models.DateField(_("hors service depuis la nuit du"), null=True, blank=True)

    class Meta:
        verbose_name = _("période de service d'un lit")
        ordering = ["bed", "start"]
        constraints = service_period_checks("bed", open_message=_("Ce lit est déjà en service."))

    def __str__(self) -> str:
        return f"{self.bed} {self.start}–{self.end or ''}"


class Stay(PublicModel):
    """One person in one bed from an entry date to an exit date (the morning they leave: the last
    night is the one before). Open while ``exit_date`` is empty."""

    audit_type: ClassVar[str] = "stay"

    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="stays")
    entry_date = models.DateField(_("entrée"))
    planned_exit_date = models.DateField(_("sortie prévue"), null=True, blank=True)
    exit_date = models.DateField(_("sortie"), null=True, blank=True)
    exit_reason = models.CharField(
        _("motif de sortie"), max_length=24, choices=ExitReason.choices, blank=True
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("séjour")
        ordering = ["-entry_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(exit_date__isnull=True),
                name="stay_one_open_per_client",
                violation_error_message=_("Cette personne a déjà un séjour en cours."),
            ),
            # An open-ended stay runs to infinity: two on one bed overlap, whatever their entries.
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(exit_date__isnull=True, planned_exit_date__isnull=True),
                name="stay_one_open_ended_per_bed",
                violation_error_message=_("Ce lit est occupé par un séjour en cours."),
            ),
            not_before(
                "exit_date",
                "entry_date",
                name="stay_exit_after_entry",
                message=_("La sortie précède l'entrée."),
            ),
            models.CheckConstraint(
                name="stay_planned_exit_after_entry",
                condition=Q(planned_exit_date__isnull=True)
                | Q(planned_exit_date__gt=F("entry_date")),
                violation_error_message=_("La sortie prévue doit suivre l'entrée."),
            ),
            models.CheckConstraint(
                name="stay_exit_has_reason",
                condition=Q(exit_date__isnull=True, exit_reason="")
                | (Q(exit_date__isnull=False) & ~Q(exit_reason="")),
                violation_error_message=_("Une sortie a un motif, et un motif une sortie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed} {self.entry_date}"

    @property
    def is_open(self) -> bool:
        return self.exit_date is None


class BedNight(models.Model):
    """One night of one stay in one bed: the nightly occupancy, and the lock on the bed."""

    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="nights")
    night = models.DateField(_("nuit du"))
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="nights")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("nuitée")
        ordering = ["night", "bed"]
        indexes = [
            # The reports' nights and people housed per bed and period: index-only scans (on
            # PostgreSQL; a unique constraint cannot carry the column on every database).
            models.Index(
                fields=["bed", "night"], include=["client"], name="bed_night_bed_cover_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["bed", "night"],
                name="bed_night_one_person",
                violation_error_message=_("Ce lit est déjà occupé cette nuit-là."),
            ),
            models.UniqueConstraint(
                fields=["client", "night"],
                name="bed_night_one_bed_per_person",
                violation_error_message=_("Cette personne a déjà un lit cette nuit-là."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed} {self.night}"


class WaitingEntry(PublicModel):
    """Someone waiting for a bed at a site, with coded priorities; served highest mask first, then
    first come."""

    audit_type: ClassVar[str] = "waiting_entry"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="waiting")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="waiting")
    requested_at = models.DateTimeField(_("inscription"))
    priorities = models.PositiveSmallIntegerField(_("priorités"), default=0)
    status = models.CharField(
        _("statut"), max_length=12, choices=WaitingStatus.choices, default=WaitingStatus.WAITING
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    stay = models.OneToOneField(
        Stay, null=True, blank=True, on_delete=models.PROTECT, related_name="waiting_entry"
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("demande en attente")
        ordering = ["-priorities", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "client"],
                condition=Q(status=WaitingStatus.WAITING),
                name="waiting_one_per_client_and_site",
                violation_error_message=_("Cette personne est déjà sur la liste d'attente."),
            ),
            models.CheckConstraint(
                name="waiting_priorities_known",
                condition=Q(priorities__gte=0, priorities__lt=1 << len(PRIORITY_BITS)),
                violation_error_message=_("Priorité inconnue."),
            ),
            models.CheckConstraint(
                name="waiting_closed_when_not_waiting",
                condition=Q(status=WaitingStatus.WAITING, closed_at__isnull=True)
                | (~Q(status=WaitingStatus.WAITING) & Q(closed_at__isnull=False)),
                violation_error_message=_("Une demande close a une date de clôture."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.requested_at:%Y-%m-%d}"

    @property
    def priority_list(self) -> list[str]:
        return mask_to_priorities(self.priorities)

    @property
    def priority_labels(self) -> list[str]:
        return [str(Priority(p).label) for p in self.priority_list]
