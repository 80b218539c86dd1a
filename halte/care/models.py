"""Care acts, social acts, referrals with their closed loop, material given or collected, and the
stock of material per site.

The rules that must hold under concurrent requests are database constraints: a stock level never
goes below zero, a referral reaches each stage at most once (so it never goes back), a screening
always carries its result and nothing else does.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from halte.care.enums import (
    CLOSED_STATUSES,
    HBV_DOSES,
    MAX_SYRINGE_EQUIVALENTS,
    SCREENING_KINDS,
    CareKind,
    Channel,
    DestinationKind,
    MaterialCategory,
    MovementKind,
    PsychiatricOutcome,
    ReferralStatus,
    ScreeningResult,
    SocialKind,
    SocialOutcome,
    Vaccine,
)
from halte.core.models import PublicModel, positive

_SCREENINGS = sorted(SCREENING_KINDS)
_CLOSED = sorted(CLOSED_STATUSES)


class CareAct(PublicModel):
    """A nursing act, a consultation, a rapid test, a vaccination, substitution, naloxone training.

    ``result``, ``psychiatric_history`` and ``psychiatric_outcome`` are confidential: only care
    roles read them (``care.permissions.can_see_care_details``); selectors drop them for others."""

    audit_type: ClassVar[str] = "care_act"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="care_acts")
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="care_acts")
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("acte"), max_length=32, choices=CareKind.choices)
    result = models.CharField(
        _("résultat"), max_length=12, choices=ScreeningResult.choices, blank=True
    )
    psychiatric_history = models.BooleanField(_("antécédents psychiatriques"), null=True)
    psychiatric_outcome = models.CharField(
        _("suite de la consultation"), max_length=24, choices=PsychiatricOutcome.choices, blank=True
    )
    naloxone_kit_given = models.BooleanField(_("kit de naloxone remis"), default=False)
    # A vaccination names its vaccine (blank on the vaccinations recorded before it was asked)
    # and, for hepatitis B, the dose of the three.
    vaccine = models.CharField(_("vaccin"), max_length=12, choices=Vaccine.choices, blank=True)
    dose = models.PositiveSmallIntegerField(_("dose"), null=True, blank=True)
    performed_at = models.DateTimeField(_("heure"), db_index=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("acte de soin")
        constraints = [
            models.CheckConstraint(
                name="care_act_kind_known",
                condition=Q(kind__in=CareKind.values),
                violation_error_message=_("Acte de soin inconnu."),
            ),
            models.CheckConstraint(
                name="care_act_result_only_for_screening",
                condition=Q(kind__in=_SCREENINGS, result__in=ScreeningResult.values)
                | (~Q(kind__in=_SCREENINGS) & Q(result="")),
                violation_error_message=_(
                    "Un dépistage demande son résultat ; les autres actes n'en ont pas."
                ),
            ),
            models.CheckConstraint(
                name="care_act_psychiatric_fields_only_for_psychiatry",
                condition=Q(kind=CareKind.PSYCHIATRIC_CONSULTATION)
                | Q(psychiatric_history__isnull=True, psychiatric_outcome=""),
                violation_error_message=_(
                    "Les informations psychiatriques ne vont qu'avec une consultation psychiatrique."
                ),
            ),
            models.CheckConstraint(
                name="care_act_naloxone_kit_only_with_training",
                condition=Q(kind=CareKind.NALOXONE_TRAINING) | Q(naloxone_kit_given=False),
                violation_error_message=_("Un kit de naloxone se remet avec la formation."),
            ),
            models.CheckConstraint(
                name="care_act_vaccine_only_for_vaccination",
                condition=Q(kind=CareKind.VACCINATION, vaccine__in=["", *Vaccine.values])
                | Q(vaccine="", dose=None),
                violation_error_message=_("Un vaccin ne va qu'avec une vaccination."),
            ),
            models.CheckConstraint(
                name="care_act_dose_for_hepatitis_b",
                condition=Q(vaccine=Vaccine.HBV, dose__in=list(HBV_DOSES))
                | (~Q(vaccine=Vaccine.HBV) & Q(dose=None)),
                violation_error_message=_(
                    "Le vaccin de l'hépatite B indique sa dose (1, 2 ou 3) ; les autres non."
                ),
            ),
        ]
        indexes = [models.Index(fields=["site", "performed_at"], name="care_act_site_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.performed_at:%Y-%m-%d}"


class SocialAct(PublicModel):
    """An interview, rights opened, an address, papers, a housing request: coded, no notes."""

    audit_type: ClassVar[str] = "social_act"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="social_acts")
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="social_acts")
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("démarche"), max_length=24, choices=SocialKind.choices)
    outcome = models.CharField(
        _("suite"), max_length=12, choices=SocialOutcome.choices, default=SocialOutcome.DONE
    )
    performed_at = models.DateTimeField(_("heure"), db_index=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("acte social")
        constraints = [
            models.CheckConstraint(
                name="social_act_kind_known",
                condition=Q(kind__in=SocialKind.values, outcome__in=SocialOutcome.values),
                violation_error_message=_("Démarche ou suite inconnue."),
            )
        ]
        indexes = [models.Index(fields=["site", "performed_at"], name="social_act_site_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.performed_at:%Y-%m-%d}"


class Referral(PublicModel):
    """An orientation to another place, followed until the loop is closed: proposed → accepted →
    completed, or no-show / refused. Each step is dated here and kept in ``ReferralStep``. An
    appointment may be dated; ``note`` is confidential, like a care act's result."""

    audit_type: ClassVar[str] = "referral"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="referrals")
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_kind = models.CharField(
        _("destination"), max_length=24, choices=DestinationKind.choices
    )
    destination_site = models.ForeignKey(
        "network.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("site du réseau"),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposée le"), db_index=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("rendez-vous le"), null=True, blank=True)
    # Free text about a person (what to bring, whom to ask for): care roles only
    # (``care.permissions.can_see_referral_note``), never in logs, URLs, audit payloads or exports.
    note = models.CharField(_("note pour l'équipe soignante"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("orientation")
        constraints = [
            models.CheckConstraint(
                name="referral_destination_known",
                condition=Q(destination_kind__in=DestinationKind.values),
                violation_error_message=_("Destination inconnue."),
            ),
            models.CheckConstraint(
                name="referral_dates_match_status",
                condition=Q(status=ReferralStatus.PROPOSED, accepted_at=None, closed_at=None)
                | Q(status=ReferralStatus.ACCEPTED, accepted_at__isnull=False, closed_at=None)
                | Q(status__in=_CLOSED, closed_at__isnull=False),
                violation_error_message=_("Les dates de l'orientation ne suivent pas son statut."),
            ),
            models.CheckConstraint(
                name="referral_steps_in_time_order",
                condition=(Q(accepted_at=None) | Q(accepted_at__gte=F("proposed_at")))
                & (Q(closed_at=None) | Q(closed_at__gte=F("proposed_at"))),
                violation_error_message=_("Une étape précède la proposition."),
            ),
            models.CheckConstraint(
                name="referral_not_to_its_own_site",
                condition=Q(destination_site=None) | ~Q(destination_site=F("site")),
                violation_error_message=_("On n'oriente pas vers le site où l'on est."),
            ),
            models.CheckConstraint(
                name="referral_has_a_person_or_visit",
                condition=Q(visit__isnull=False) | Q(client__isnull=False),
                violation_error_message=_("Une orientation part d'un passage ou d'une personne."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["site", "proposed_at"],
                condition=Q(closed_at=None),
                name="referral_open_by_site_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_destination_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class ReferralStep(models.Model):
    """One dated step of a referral. A stage is reached once: the unique constraint refuses a step
    back (or a second closing step), even from two requests at the same instant."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="steps")
    status = models.CharField(_("statut"), max_length=12, choices=ReferralStatus.choices)
    stage = models.PositiveSmallIntegerField()
    at = models.DateTimeField(_("date"))
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("étape d'orientation")
        ordering = ["referral", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "stage"],
                name="referral_step_stage_once",
                violation_error_message=_("Une orientation ne revient pas en arrière."),
            ),
            models.CheckConstraint(
                name="referral_step_stage_matches_status",
                condition=Q(status=ReferralStatus.PROPOSED, stage=0)
                | Q(status=ReferralStatus.ACCEPTED, stage=1)
                | Q(status__in=_CLOSED, stage=2),
                violation_error_message=_("Étape et statut ne correspondent pas."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.at:%Y-%m-%d}"


class Distribution(PublicModel):
    """Material given (or collected) on a visit, or in bulk at a busy hour (no visit, no person)."""

    audit_type: ClassVar[str] = "distribution"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="distributions")
    visit = models.ForeignKey(
        "visits.Visit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    given_at = models.DateTimeField(_("heure"), db_index=True)
    channel = models.CharField(
        _("canal"), max_length=16, choices=Channel.choices, default=Channel.DESK
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("remise de matériel")
        constraints = [
            models.CheckConstraint(
                name="distribution_channel_known",
                condition=Q(channel__in=Channel.values),
                violation_error_message=_("Canal de remise inconnu."),
            )
        ]
        indexes = [models.Index(fields=["site", "given_at"], name="distribution_site_time_idx")]

    def __str__(self) -> str:
        return f"{self.site} {self.given_at:%Y-%m-%d %H:%M}"


class DistributionLine(models.Model):
    """One item of the catalogue given (or collected) in a distribution. The line points at the
    catalogue version in force that day and keeps the syringe equivalents it counted then, so a
    kit whose content changes later does not rewrite past figures."""

    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="lines")
    # The catalogue code, kept beside the version: the stock and the reports group by it.
    item = models.CharField(_("matériel"), max_length=32)
    catalogue_item = models.ForeignKey(
        "care.CatalogueItem", on_delete=models.PROTECT, related_name="+", null=True
    )
    quantity = models.PositiveIntegerField(_("quantité"))
    syringe_equivalents = models.PositiveIntegerField(_("équivalents seringues"), default=0)
    lot = models.ForeignKey(
        "care.MaterialLot", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("ligne de remise")
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "item"],
                name="distribution_line_item_once",
                violation_error_message=_("Ce matériel figure deux fois dans la remise."),
            ),
            positive("quantity", name="distribution_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class StockLevel(models.Model):
    """What a site holds of one item now, and the level under which it is low. Never negative:
    the database refuses it, whatever the number of concurrent distributions."""

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="stock")
    item = models.CharField(_("matériel"), max_length=32)
    quantity = models.IntegerField(_("en stock"), default=0)
    threshold = models.PositiveIntegerField(_("seuil d'alerte"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("niveau de stock")
        ordering = ["site", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "item"],
                name="stock_level_one_per_site_and_item",
                violation_error_message=_("Ce matériel a déjà un stock sur ce site."),
            ),
            models.CheckConstraint(
                name="stock_level_never_negative",
                condition=Q(quantity__gte=0),
                violation_error_message=_("Le stock ne peut pas devenir négatif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.quantity}"

    @property
    def is_low(self) -> bool:
        """Low once the quantity reaches the alert threshold; no threshold, no alert."""
        return self.threshold > 0 and self.quantity <= self.threshold


class StockMovement(models.Model):
    """A delivery received or an inventory correction. Distributions are their own rows."""

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("matériel"), max_length=32)
    kind = models.CharField(_("mouvement"), max_length=12, choices=MovementKind.choices)
    delta = models.IntegerField(_("variation"))
    quantity_after = models.IntegerField(_("stock après"))
    at = models.DateTimeField(_("date"), db_index=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("mouvement de stock")
        constraints = [
            models.CheckConstraint(
                name="stock_movement_receipt_adds",
                condition=~Q(kind=MovementKind.RECEIPT) | Q(delta__gt=0),
                violation_error_message=_("Une livraison ajoute au stock."),
            ),
            models.CheckConstraint(
                name="stock_movement_leaves_stock_non_negative",
                condition=Q(quantity_after__gte=0),
                violation_error_message=_("Le stock ne peut pas devenir négatif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} {self.delta:+d}"


class CatalogueItem(PublicModel):
    """One version of an item or a kit of the material catalogue, kept by the network coordinator.

    A code ("injection_kit") has one active version at a time; changing what a kit holds or how
    many syringes an item counts makes a new version, and past distributions keep pointing at the
    version they gave. ``syringe_equivalents`` is what one unit counts in syringes (a Stéribox:
    2); a kit's is the sum of its components'. Collected material (used syringes) has no stock."""

    audit_type: ClassVar[str] = "catalogue_item"

    code = models.CharField(_("code"), max_length=32)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    label = models.CharField(_("libellé"), max_length=80)
    category = models.CharField(_("famille"), max_length=16, choices=MaterialCategory.choices)
    is_kit = models.BooleanField(_("kit"), default=False)
    collected = models.BooleanField(_("matériel récupéré"), default=False)
    tracks_lots = models.BooleanField(_("suivi des lots et péremptions"), default=False)
    syringe_equivalents = models.PositiveSmallIntegerField(_("équivalents seringues"), default=0)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("en service"), default=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("article du catalogue")
        ordering = ["position", "code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="catalogue_item_version_once",
                violation_error_message=_("Cette version de l'article existe déjà."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_active=True),
                name="catalogue_item_one_active_version",
                violation_error_message=_("Un article n'a qu'une version en service."),
            ),
            models.CheckConstraint(
                name="catalogue_item_category_known",
                condition=Q(category__in=MaterialCategory.values),
                violation_error_message=_("Famille de matériel inconnue."),
            ),
            models.CheckConstraint(
                name="catalogue_item_collected_is_plain",
                condition=Q(collected=False) | Q(is_kit=False, tracks_lots=False),
                violation_error_message=_("Le matériel récupéré n'est ni un kit ni suivi par lot."),
            ),
            models.CheckConstraint(
                name="catalogue_item_syringe_equivalents_bounded",
                condition=Q(syringe_equivalents__lte=MAX_SYRINGE_EQUIVALENTS),
                violation_error_message=_("Trop d'équivalents seringues pour un article."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (v{self.version})"


class KitComponent(models.Model):
    """What one kit version holds: a Stéribox holds two syringes, two cups, two filters…"""

    kit = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="components")
    component = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantité"))

    class Meta:
        verbose_name = _("contenu d'un kit")
        constraints = [
            models.UniqueConstraint(
                fields=["kit", "component"],
                name="kit_component_once",
                violation_error_message=_("Ce composant figure deux fois dans le kit."),
            ),
            positive("quantity", name="kit_component_quantity_positive"),
            models.CheckConstraint(
                name="kit_component_not_itself",
                condition=~Q(kit=F("component")),
                violation_error_message=_("Un kit ne se contient pas lui-même."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component_id} × {self.quantity}"


class MaterialLot(models.Model):
    """A lot of material received at a site with its expiry date (naloxone): given kits name
    their lot, so a recalled or expired lot can be traced to the day it left."""

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("matériel"), max_length=32)
    lot_number = models.CharField(_("numéro de lot"), max_length=40)
    expires_on = models.DateField(_("date de péremption"))
    received_at = models.DateTimeField(_("reçu le"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lot de matériel")
        ordering = ["site", "item", "expires_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "item", "lot_number"],
                name="material_lot_once_per_site",
                violation_error_message=_("Ce lot est déjà enregistré sur ce site."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.lot_number}"
