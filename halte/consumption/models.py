"""The consumption room: booths, supervised sessions, incidents. The rules that must hold under
concurrent requests (one open session per booth, one session per visit) are database constraints."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from halte.consumption.enums import (
    PRODUCT_BITS,
    IncidentKind,
    Outcome,
    Product,
    RefusalReason,
    RefusalStage,
    SessionRoute,
    WaitOutcome,
)
from halte.core.models import PublicModel, not_before, service_period_checks
from halte.network.enums import Route

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _one_open_per(owner: str, prefix: str, message: StrOrPromise) -> list[models.BaseConstraint]:
    """What a session (one open per booth) and a wait (one open per visit) both keep: one of them
    still running per ``owner``, and an end, when there is one, not before the start."""
    return [
        models.UniqueConstraint(
            fields=[owner],
            condition=Q(ended_at__isnull=True),
            name=f"{prefix}_one_open_per_{owner}",
            violation_error_message=message,
        ),
        not_before(
            "ended_at",
            "started_at",
            name=f"{prefix}_ends_after_it_starts",
            message=_("La fin précède le début."),
        ),
    ]


class Booth(models.Model):
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="booths")
    route = models.CharField(_("voie"), max_length=12, choices=Route.choices)
    number = models.PositiveSmallIntegerField(_("numéro"))
    label = models.CharField(_("poste"), max_length=8)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("poste de consommation")
        ordering = ["site", "route", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "route", "number"],
                name="booth_unique_number_per_route",
                violation_error_message=_("Ce poste existe déjà."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class BoothServicePeriod(models.Model):
    """Days a booth was in service: from ``start`` (included) to ``end`` (excluded), open while it
    still is. Kept by ``services.booths_sync`` as the site's booth counts change; the reports count
    the booths of each day from them (booth occupancy), not today's."""

    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="service_periods")
    start = models.DateField(_("en service depuis le"))
    end = models.DateField(_("hors service depuis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("période de service d'un poste")
        ordering = ["booth", "start"]
        constraints = service_period_checks(
            "booth", open_message=_("Ce poste est déjà en service.")
        )

    def __str__(self) -> str:
        return f"{self.booth} {self.start}–{self.end or ''}"


class Session(PublicModel):
    audit_type: ClassVar[str] = "session"

    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="sessions")
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="sessions")
    route = models.CharField(_("voie"), max_length=12, choices=SessionRoute.choices)
    product = models.CharField(_("produit déclaré"), max_length=20, choices=Product.choices)
    # The other products declared for the same session, as bits (``enums.PRODUCT_BITS``).
    other_products = models.PositiveIntegerField(_("autres produits"), default=0)
    started_at = models.DateTimeField(_("début"), db_index=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # Supervised by a peer worker: whether ``started_by`` held the peer role at the site when the
    # session began (kept, since roles change).
    led_by_peer = models.BooleanField(_("menée par un·e pair·e"), default=False)
    # The watch in the rest area after the session (post-consumption watch), when there is one.
    watch_started_at = models.DateTimeField(_("début de la surveillance"), null=True, blank=True)
    watch_ended_at = models.DateTimeField(_("fin de la surveillance"), null=True, blank=True)

    class Meta:
        verbose_name = _("consommation supervisée")
        indexes = [
            # The reports read a site's sessions by booth and time, with what they need, from the
            # index alone on PostgreSQL.
            models.Index(
                fields=["booth", "started_at"],
                # Every column the reports' session figures read: index-only scans.
                include=[
                    "ended_at",
                    "route",
                    "product",
                    "other_products",
                    "led_by_peer",
                    "watch_started_at",
                    "watch_ended_at",
                ],
                name="session_booth_start_cover_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                name="session_one_per_visit",
                violation_error_message=_("Une seule consommation par passage."),
            ),
            *_one_open_per("booth", "session", _("Ce poste est occupé.")),
            models.CheckConstraint(
                name="session_other_products_known",
                condition=Q(other_products__gte=0, other_products__lt=1 << len(PRODUCT_BITS)),
                violation_error_message=_("Produit inconnu."),
            ),
            models.CheckConstraint(
                name="session_watch_after_the_session",
                condition=Q(watch_started_at__isnull=True)
                | Q(ended_at__isnull=False, watch_started_at__gte=F("ended_at")),
                violation_error_message=_(
                    "La surveillance en espace de repos commence après la consommation."
                ),
            ),
            models.CheckConstraint(
                name="session_watch_ends_after_it_starts",
                condition=Q(watch_ended_at__isnull=True)
                | Q(watch_started_at__isnull=False, watch_ended_at__gte=F("watch_started_at")),
                violation_error_message=_("La fin de la surveillance précède son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booth} {self.started_at:%H:%M}"


class Incident(PublicModel):
    audit_type: ClassVar[str] = "incident"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="incidents")
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("type"), max_length=24, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("heure"), db_index=True)
    oxygen = models.BooleanField(_("oxygène"), default=False)
    naloxone_doses = models.PositiveSmallIntegerField(_("doses de naloxone"), default=0)
    resuscitation = models.BooleanField(_("réanimation"), default=False)
    emergency_call = models.BooleanField(_("appel au 15 / SAMU"), default=False)
    hospital_transfer = models.BooleanField(_("transfert à l'hôpital"), default=False)
    outcome = models.CharField(_("issue"), max_length=24, choices=Outcome.choices)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("incident")
        constraints = [
            models.CheckConstraint(
                name="incident_naloxone_doses_plausible",
                condition=Q(naloxone_doses__lte=20),
                violation_error_message=_("Plus de 20 doses de naloxone : vérifiez la saisie."),
            ),
            models.CheckConstraint(
                name="incident_transfer_outcome_consistent",
                condition=~Q(outcome=Outcome.TRANSFERRED, hospital_transfer=False),
                violation_error_message=_(
                    "Une issue « transféré » suppose un transfert à l'hôpital."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class Refusal(PublicModel):
    """Someone turned away, at the door or at the room: counted, never linked. No person, no visit,
    no free text: a site, a moment, where, why, and the route asked when the route was why."""

    audit_type: ClassVar[str] = "refusal"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="refusals")
    at = models.DateTimeField(_("heure"))
    stage = models.CharField(_("où"), max_length=8, choices=RefusalStage.choices)
    reason = models.CharField(_("motif"), max_length=20, choices=RefusalReason.choices)
    route = models.CharField(_("voie demandée"), max_length=12, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("refus")
        indexes = [models.Index(fields=["site", "at"], name="refusal_site_at_idx")]
        constraints = [
            models.CheckConstraint(
                name="refusal_reason_and_stage_known",
                condition=Q(reason__in=RefusalReason.values, stage__in=RefusalStage.values),
                violation_error_message=_("Motif ou lieu de refus inconnu."),
            ),
            models.CheckConstraint(
                name="refusal_route_known",
                condition=Q(route="") | Q(route__in=SessionRoute.values),
                violation_error_message=_("Voie inconnue."),
            ),
            models.CheckConstraint(
                name="refusal_for_the_route_names_it",
                condition=~Q(reason=RefusalReason.ROUTE_NOT_ALLOWED, route=""),
                violation_error_message=_("Indiquez la voie demandée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.at:%Y-%m-%d %H:%M}"


class Wait(PublicModel):
    """Someone present kept waiting for a booth: from when, until when, and how it ended (they got
    a booth, or left without one)."""

    audit_type: ClassVar[str] = "wait"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="waits")
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="waits")
    route = models.CharField(_("voie"), max_length=12, choices=SessionRoute.choices)
    started_at = models.DateTimeField(_("début de l'attente"))
    ended_at = models.DateTimeField(_("fin de l'attente"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=8, choices=WaitOutcome.choices, blank=True)
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attente d'un poste")
        indexes = [models.Index(fields=["site", "started_at"], name="wait_site_start_idx")]
        constraints = [
            *_one_open_per("visit", "wait", _("Cette personne attend déjà un poste.")),
            models.CheckConstraint(
                name="wait_outcome_when_ended",
                condition=Q(ended_at__isnull=True, outcome="")
                | Q(ended_at__isnull=False, outcome__in=WaitOutcome.values),
                violation_error_message=_("Une attente terminée dit comment elle s'est terminée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} {self.started_at:%Y-%m-%d %H:%M}"
