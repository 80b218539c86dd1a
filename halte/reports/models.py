"""What the activity data does not hold and the reports need: money and staff.

A funding line is an amount a funder grants a site for a year (optionally for a plan-crack action);
a staff position is the full-time equivalents of one profession at a site for a year. Both are
aggregates about the organisation, never about a person."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel
from halte.reports.enums import Funder, Profession


class FundingLine(PublicModel):
    audit_type: ClassVar[str] = "reports.FundingLine"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="funding_lines")
    funder = models.CharField(_("financeur"), max_length=20, choices=Funder.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    plan_action = models.PositiveSmallIntegerField(
        _("action du plan crack (1–33)"), null=True, blank=True
    )
    # Where the figure comes from (a public document), or empty for a figure typed by the operator.
    source = models.CharField(_("source"), max_length=300, blank=True)
    approximate = models.BooleanField(_("montant approximatif ou reconstitué"), default=False)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ligne de financement")
        ordering = ["year", "site", "funder"]
        constraints = [
            models.CheckConstraint(
                name="funding_line_amount_positive",
                condition=Q(amount__gt=Decimal("0")),
                violation_error_message=_("Le montant doit être positif."),
            ),
            models.CheckConstraint(
                name="funding_line_year_plausible",
                condition=Q(year__gte=2000, year__lte=2100),
                violation_error_message=_("Année de financement invalide."),
            ),
            models.CheckConstraint(
                name="funding_line_plan_action_range",
                condition=Q(plan_action__isnull=True) | Q(plan_action__gte=1, plan_action__lte=33),
                violation_error_message=_("Le plan crack compte 33 actions (1 à 33)."),
            ),
            models.CheckConstraint(
                name="funding_line_funder_known",
                condition=Q(funder__in=Funder.values),
                violation_error_message=_("Financeur inconnu."),
            ),
            models.UniqueConstraint(
                fields=["site", "funder", "year"],
                condition=Q(plan_action__isnull=True),
                name="funding_line_once_per_site_funder_year",
                violation_error_message=_(
                    "Ce financeur a déjà une ligne pour ce site et cette année."
                ),
            ),
            models.UniqueConstraint(
                fields=["site", "funder", "year", "plan_action"],
                condition=Q(plan_action__isnull=False),
                name="funding_line_once_per_site_funder_year_action",
                violation_error_message=_(
                    "Ce financeur a déjà une ligne pour ce site, cette année et cette action."
                ),
            ),
        ]
        indexes = [models.Index(fields=["year", "site"], name="funding_line_year_site_idx")]

    def __str__(self) -> str:
        return f"{self.site} {self.year} {self.get_funder_display()}"


class StaffPosition(PublicModel):
    audit_type: ClassVar[str] = "reports.StaffPosition"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="staff")
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    fte = models.DecimalField(_("ETP"), max_digits=6, decimal_places=2)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("poste (ETP)")
        ordering = ["year", "site", "profession"]
        constraints = [
            models.CheckConstraint(
                name="staff_position_fte_positive",
                condition=Q(fte__gt=Decimal("0"), fte__lte=Decimal("500")),
                violation_error_message=_("Les ETP doivent être positifs (500 au plus)."),
            ),
            models.CheckConstraint(
                name="staff_position_year_plausible",
                condition=Q(year__gte=2000, year__lte=2100),
                violation_error_message=_("Année invalide."),
            ),
            models.UniqueConstraint(
                fields=["site", "profession", "year"],
                name="staff_position_once_per_site_profession_year",
                violation_error_message=_(
                    "Cette profession a déjà ses ETP pour ce site et cette année."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.year} {self.get_profession_display()} {self.fte}"


# Roll-ups: figures derived from the visits and the material given, so that a year of the whole
# network is read from a few hundred thousand rows instead of millions (halte.reports.rollups,
# docs/reports.md). They hold every visit up to ``RollupState.last_visit_id`` and every
# distribution up to ``RollupState.last_distribution_id``; the reports add the rows recorded since,
# so they are exact whether or not the roll-ups were refreshed. Never edited by hand.


class DailyVisits(models.Model):
    """Visits that began at a site on a day (Paris time), and how many were anonymous contacts."""

    site = models.ForeignKey(
        "network.Site", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    visits = models.PositiveIntegerField()
    anonymous = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("passages du jour (agrégat)")
        constraints = [
            models.UniqueConstraint(fields=["site", "day"], name="daily_visits_one_per_site_day")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}: {self.visits}"


class DailyPurposes(models.Model):
    """Visits that began at a site on a day (Paris time) with one combination of purposes (the
    visit's bit mask): the purposes of a period are read from a few rows per site and day."""

    site = models.ForeignKey(
        "network.Site", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    purposes = models.PositiveIntegerField()
    visits = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("passages du jour par motifs (agrégat)")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "purposes"], name="daily_purposes_one_per_mask"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day} {self.purposes:08b}: {self.visits}"


class MonthsOfYear(models.Model):
    """A person's months of a year at a site, as a bit mask (bit 0 for January): one row per
    (year, site, person), which each roll-up below names."""

    site = models.ForeignKey(
        "network.Site", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    months = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.site_id} {self.client_id} {self.year}: {self.months:012b}"


class YearPresence(MonthsOfYear):
    """The months of a year in which a person came at least once to a site."""

    class Meta:
        verbose_name = _("présence de l'année (agrégat)")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "site", "client"], name="year_presence_one_per_person"
            )
        ]


class FirstVisit(models.Model):
    """When a person first came to a site."""

    site = models.ForeignKey(
        "network.Site", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField()

    class Meta:
        verbose_name = _("première venue (agrégat)")
        constraints = [
            models.UniqueConstraint(fields=["site", "client"], name="first_visit_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.client_id}: {self.first_at:%Y-%m-%d}"


class DailyMaterial(models.Model):
    """Material given (or brought back, ``collected``) at a site on a day (Paris time), per
    catalogue code: units, syringe equivalents, and the equivalents given on identified people's
    visits (the numerator of the syringe coverage)."""

    site = models.ForeignKey(
        "network.Site", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    item = models.CharField(max_length=32)
    collected = models.BooleanField()
    units = models.PositiveBigIntegerField()
    syringes = models.PositiveBigIntegerField()
    known_syringes = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("matériel du jour (agrégat)")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "item", "collected"], name="daily_material_one_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day} {self.item}: {self.units}"


class SyringePresence(MonthsOfYear):
    """The months of a year in which a person was given syringes (loose or in kits) at a site,
    on a visit of theirs."""

    class Meta:
        verbose_name = _("remises de seringues de l'année (agrégat)")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "site", "client"], name="syringe_presence_one_per_person"
            )
        ]


class RollupState(models.Model):
    """One row: the last visit and the last distribution (by id, which only grows) that the
    roll-ups hold."""

    last_visit_id = models.BigIntegerField(default=0)
    last_distribution_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("état des agrégats")

    def __str__(self) -> str:
        return f"visits ≤ {self.last_visit_id}, distributions ≤ {self.last_distribution_id}"
