"""Visits ("passages"): one person, one site, time in and out. A site's occupancy is its open visits."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel, not_before
from halte.visits.enums import PURPOSE_BITS, Purpose, mask_to_purposes


class Visit(PublicModel):
    audit_type: ClassVar[str] = "visit"

    # No single-column index on site or client: the composite indexes below start with them and
    # serve the same lookups, and every check-in pays for each index it updates.
    site = models.ForeignKey(
        "network.Site", on_delete=models.PROTECT, related_name="visits", db_index=False
    )
    # Empty for an anonymous contact: counted, never linked.
    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
    )
    arrived_at = models.DateTimeField(_("arrivée"), db_index=True)
    left_at = models.DateTimeField(_("départ"), null=True, blank=True)
    purposes = models.PositiveIntegerField(_("motifs"), default=0)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("passage")
        indexes = [
            # Covering on PostgreSQL: the reports count people and purposes from the index alone
            # (a site-year of visits without reading the table); SQLite builds the plain index.
            models.Index(
                fields=["site", "arrived_at"],
                include=["client", "purposes"],
                name="visit_site_arrived_cover_idx",
            ),
            models.Index(fields=["client", "arrived_at"], name="visit_client_arrived_idx"),
            models.Index(
                fields=["site"], condition=Q(left_at__isnull=True), name="visit_open_by_site_idx"
            ),
        ]
        constraints = [
            not_before(
                "left_at",
                "arrived_at",
                name="visit_leaves_after_it_arrives",
                message=_("Le départ précède l'arrivée."),
            ),
            models.UniqueConstraint(
                fields=["client", "site"],
                condition=Q(left_at__isnull=True, client__isnull=False),
                name="visit_one_open_per_client_and_site",
                violation_error_message=_("Cette personne est déjà présente sur ce site."),
            ),
            models.CheckConstraint(
                name="visit_purposes_known",
                condition=Q(purposes__gte=0, purposes__lt=1 << len(PURPOSE_BITS)),
                violation_error_message=_("Motif de passage inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.arrived_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.left_at is None

    @property
    def purpose_list(self) -> list[str]:
        return mask_to_purposes(self.purposes)

    @property
    def purpose_labels(self) -> list[str]:
        return [str(Purpose(p).label) for p in self.purpose_list]
