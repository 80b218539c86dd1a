"""The plan-crack board.

A ``PlanEdition`` is one plan ("2019–2021", then its second step), its years and where its
figures come from. A ``PlanAction`` is one of its numbered actions with the organisation that
carries it, a due date and a status whose dated changes are kept (``ActionStatusChange``).
``PlanBudgetYear`` is the amount planned for one year of an edition; what was spent is read from
the funding lines that carry a plan action number (halte.reports, read above this app).

An ``Evacuation`` is the clearing of a gathering place on a day, with the count of people present
and the people oriented (``OrientedPerson``: a person by code and a destination). Their follow-up
at 7, 30 and 90 days is computed from visits, bed nights and care (``halte.plan.selectors``),
never typed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel
from halte.core.timeutils import local_today
from halte.plan.enums import CLOSED_STATUSES, ActionStatus, Axis, Destination

SOURCE_MAX = 400
NOTE_MAX = 200


class PlanEdition(PublicModel):
    """One plan and its years, e.g. the 2019–2021 plan signed on 27 May 2019."""

    audit_type: ClassVar[str] = "plan.edition"

    code = models.SlugField(_("identifiant court"), max_length=30, unique=True)
    label = models.CharField(_("plan"), max_length=120)
    first_year = models.PositiveSmallIntegerField(_("première année"))
    last_year = models.PositiveSmallIntegerField(_("dernière année"))
    actions_planned = models.PositiveSmallIntegerField(_("actions prévues"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)

    class Meta:
        verbose_name = _("édition du plan")
        ordering = ["first_year", "code"]
        constraints = [
            models.CheckConstraint(
                name="plan_edition_years_in_order",
                condition=Q(last_year__gte=F("first_year"), first_year__gte=2000),
                violation_error_message=_("La dernière année précède la première."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class PlanAction(PublicModel):
    """A numbered action of an edition. ``owner`` names an organisation or a service, never a
    person. ``status_since`` is the date of the latest change in ``history``."""

    audit_type: ClassVar[str] = "plan.action"

    edition = models.ForeignKey(PlanEdition, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)
    axis = models.CharField(_("axe"), max_length=20, choices=Axis.choices)
    owner = models.CharField(_("pilote (organisation ou service)"), max_length=120)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    status_since = models.DateField(_("statut depuis"))
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)
    invented = models.BooleanField(_("inventée (démonstration)"), default=False)

    class Meta:
        verbose_name = _("action du plan")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"],
                name="plan_action_number_once_per_edition",
                violation_error_message=_("Ce plan a déjà une action de ce numéro."),
            ),
            models.CheckConstraint(
                name="plan_action_number_positive",
                condition=Q(number__gte=1),
                violation_error_message=_("Les actions sont numérotées à partir de 1."),
            ),
            models.CheckConstraint(
                name="plan_action_status_known",
                condition=Q(status__in=ActionStatus.values, axis__in=Axis.values),
                violation_error_message=_("Statut ou axe inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_overdue(self) -> bool:
        """Its due date has passed and it is neither done nor abandoned."""
        return (
            self.due_on is not None
            and self.due_on < local_today()
            and self.status not in CLOSED_STATUSES
        )


class ActionStatusChange(models.Model):
    """One dated change of an action's status, with a short note on what happened (an action,
    never a person)."""

    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(max_length=12, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ActionStatus.choices)
    effective_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changement de statut d'une action")
        ordering = ["action", "effective_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_status_change_known",
                condition=Q(to_status__in=ActionStatus.values),
                violation_error_message=_("Statut inconnu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.to_status} {self.effective_on}"


class PlanBudgetYear(PublicModel):
    """The amount an edition planned for one year, with its source (empty when the coordinator
    typed a figure that is not published)."""

    audit_type: ClassVar[str] = "plan.budget"

    edition = models.ForeignKey(PlanEdition, on_delete=models.PROTECT, related_name="budget")
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant prévu (€)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)
    approximate = models.BooleanField(_("montant approximatif ou reconstitué"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("budget annuel du plan")
        ordering = ["year", "edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "year"],
                name="plan_budget_once_per_edition_year",
                violation_error_message=_("Ce plan a déjà un budget pour cette année."),
            ),
            models.CheckConstraint(
                name="plan_budget_amount_not_negative",
                condition=Q(amount__gte=Decimal("0")),
                violation_error_message=_("Le montant ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.year}"


class Evacuation(PublicModel):
    """The clearing of a gathering place on a day. ``team`` is the outreach team or site of the
    network that was there and oriented people."""

    audit_type: ClassVar[str] = "plan.evacuation"

    place = models.ForeignKey(
        "outreach.GatheringPlace", on_delete=models.PROTECT, related_name="evacuations"
    )
    team = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="evacuations")
    happened_on = models.DateField(_("date"))
    people_present = models.PositiveIntegerField(_("personnes présentes"))
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)
    synthetic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("évacuation")
        ordering = ["-happened_on", "place"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "happened_on"],
                name="evacuation_once_per_place_day",
                violation_error_message=_("Une évacuation de ce lieu est déjà notée ce jour-là."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.happened_on}"


class OrientedPerson(models.Model):
    """A person (by code) oriented at an evacuation, and where to."""

    evacuation = models.ForeignKey(Evacuation, on_delete=models.PROTECT, related_name="oriented")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    destination_kind = models.CharField(
        _("orientation"), max_length=12, choices=Destination.choices
    )
    destination_site = models.ForeignKey(
        "network.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site du réseau"),
    )

    class Meta:
        verbose_name = _("personne orientée")
        constraints = [
            models.UniqueConstraint(
                fields=["evacuation", "client"],
                name="oriented_person_once_per_evacuation",
                violation_error_message=_(
                    "Cette personne est déjà orientée pour cette évacuation."
                ),
            ),
            models.CheckConstraint(
                name="oriented_person_destination_known",
                condition=Q(destination_kind__in=Destination.values),
                violation_error_message=_("Orientation inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evacuation_id} {self.destination_kind}"
