"""The national CAARUD survey week (ENa-CAARUD): a week opened for a site, one anonymous
questionnaire per person who agrees, and the count of those who did not answer.

A questionnaire may point to the person it was filled with (so that they are asked once), but what
leaves the site never carries the person: a sequence number in the week stands for them. The
non-respondents are counters per day and reason, never linked to anyone.

The rules that must hold under two requests at once are database constraints: one open week per
site, one week per site and national edition, a person answering once per week, sequence numbers
unique in the week, one counter per day and reason."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel, not_before
from halte.surveys.enums import (
    FIRST_EDITION,
    WEEK_DAYS,
    ListAnswer,
    MainProduct,
    NonResponseReason,
    Sex,
    Substitution,
    SurveyCoverage,
    SurveyHousing,
    SurveyResources,
    YesNo,
)


def _known(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class SurveyWeek(PublicModel):
    """Seven days of collection at one site for one national edition, opened by its manager or
    the network coordination and closed when the week's questionnaires are all in."""

    audit_type: ClassVar[str] = "survey_week"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="survey_weeks")
    edition_year = models.PositiveSmallIntegerField(_("édition nationale"))
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    synthetic = models.BooleanField(_("exemple inventé"), default=False)

    class Meta:
        verbose_name = _("semaine d'enquête ENa-CAARUD")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(closed_at__isnull=True),
                name="survey_week_one_open_per_site",
                violation_error_message=_("Une semaine d'enquête est déjà ouverte sur ce site."),
            ),
            models.UniqueConstraint(
                fields=["site", "edition_year"],
                name="survey_week_one_per_site_and_edition",
                violation_error_message=_(
                    "Ce site a déjà sa semaine d'enquête pour cette édition nationale."
                ),
            ),
            # Seven days exactly is set by the service (date arithmetic in a check differs
            # between SQLite and PostgreSQL); the order of the two days is checked here.
            not_before(
                "ends_on",
                "starts_on",
                name="survey_week_ends_after_start",
                message=_("Le dernier jour suit le premier."),
            ),
            models.CheckConstraint(
                name="survey_week_edition_known",
                condition=Q(edition_year__gte=FIRST_EDITION),
                violation_error_message=_("La première édition nationale date de 2006."),
            ),
            models.CheckConstraint(
                name="survey_week_closed_by_someone",
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                violation_error_message=_("Une clôture a une date et un auteur."),
            ),
        ]

    def __str__(self) -> str:
        return f"ENa-CAARUD {self.edition_year} {self.starts_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def days(self) -> list[dt.date]:
        return [self.starts_on + dt.timedelta(days=n) for n in range(WEEK_DAYS)]

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Questionnaire(PublicModel):
    """One person's answers, in the survey's codes. ``client`` is set when the person has a code,
    so that they answer once in the week; it never leaves the site (exports number the rows)."""

    audit_type: ClassVar[str] = "survey_questionnaire"

    week = models.ForeignKey(SurveyWeek, on_delete=models.PROTECT, related_name="questionnaires")
    number = models.PositiveSmallIntegerField(_("numéro"))
    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_questionnaires",
    )
    answered_on = models.DateField(_("jour"))
    sex = models.CharField(_("sexe"), max_length=10, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    housing = models.CharField(_("logement"), max_length=20, choices=SurveyHousing.choices)
    resources = models.CharField(_("ressources"), max_length=20, choices=SurveyResources.choices)
    coverage = models.CharField(
        _("couverture santé"), max_length=20, choices=SurveyCoverage.choices
    )
    products_given = models.CharField(
        _("produits (30 derniers jours)"), max_length=10, choices=ListAnswer.choices
    )
    products = models.JSONField(_("produits consommés (30 derniers jours)"), default=list)
    main_product = models.CharField(
        _("produit principal"), max_length=20, choices=MainProduct.choices
    )
    routes_given = models.CharField(
        _("voies (30 derniers jours)"), max_length=10, choices=ListAnswer.choices
    )
    routes = models.JSONField(_("voies d'administration (30 derniers jours)"), default=list)
    injected_30d = models.CharField(
        _("injection dans les 30 derniers jours"), max_length=10, choices=YesNo.choices
    )
    shared_material = models.CharField(
        _("partage de matériel (30 derniers jours)"), max_length=10, choices=YesNo.choices
    )
    hiv_tested_12m = models.CharField(
        _("dépistage VIH dans les 12 derniers mois"), max_length=10, choices=YesNo.choices
    )
    hiv_result_known = models.CharField(
        _("résultat VIH connu"), max_length=10, choices=YesNo.choices
    )
    hcv_tested_12m = models.CharField(
        _("dépistage VHC dans les 12 derniers mois"), max_length=10, choices=YesNo.choices
    )
    hcv_result_known = models.CharField(
        _("résultat VHC connu"), max_length=10, choices=YesNo.choices
    )
    substitution = models.CharField(
        _("traitement de substitution en cours"), max_length=16, choices=Substitution.choices
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("questionnaire ENa-CAARUD")
        ordering = ["week", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "client"],
                condition=Q(client__isnull=False),
                name="questionnaire_once_per_person_and_week",
                violation_error_message=_("Cette personne a déjà répondu cette semaine."),
            ),
            models.UniqueConstraint(
                fields=["week", "number"],
                name="questionnaire_number_unique_in_week",
                violation_error_message=_("Ce numéro de questionnaire est déjà pris."),
            ),
            models.CheckConstraint(
                name="questionnaire_answers_known",
                condition=_known("sex", Sex)
                & _known("housing", SurveyHousing)
                & _known("resources", SurveyResources)
                & _known("coverage", SurveyCoverage)
                & _known("products_given", ListAnswer)
                & _known("main_product", MainProduct)
                & _known("routes_given", ListAnswer)
                & _known("injected_30d", YesNo)
                & _known("shared_material", YesNo)
                & _known("hiv_tested_12m", YesNo)
                & _known("hiv_result_known", YesNo)
                & _known("hcv_tested_12m", YesNo)
                & _known("hcv_result_known", YesNo)
                & _known("substitution", Substitution),
                violation_error_message=_("Réponse inconnue."),
            ),
            models.CheckConstraint(
                name="questionnaire_result_only_after_test",
                condition=(Q(hiv_tested_12m=YesNo.YES) | Q(hiv_result_known=YesNo.NOT_GIVEN))
                & (Q(hcv_tested_12m=YesNo.YES) | Q(hcv_result_known=YesNo.NOT_GIVEN)),
                violation_error_message=_(
                    "Un résultat connu suppose un dépistage dans les 12 derniers mois."
                ),
            ),
            models.CheckConstraint(
                name="questionnaire_number_positive",
                condition=Q(number__gt=0),
                violation_error_message=_("Le numéro commence à 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} n° {self.number}"

    @property
    def age(self) -> int | None:
        """The age in the year of the answer, from the year of birth."""
        return None if self.birth_year is None else self.answered_on.year - self.birth_year


class NonResponse(models.Model):
    """How many people came on a day and did not answer, for one reason: a counter, no link."""

    week = models.ForeignKey(SurveyWeek, on_delete=models.PROTECT, related_name="non_responses")
    day = models.DateField(_("jour"))
    reason = models.CharField(_("motif"), max_length=20, choices=NonResponseReason.choices)
    count = models.PositiveSmallIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("non-répondants")
        ordering = ["week", "day", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "day", "reason"],
                name="non_response_one_counter_per_day_and_reason",
                violation_error_message=_("Ce compteur existe déjà."),
            ),
            models.CheckConstraint(
                name="non_response_reason_known",
                condition=_known("reason", NonResponseReason),
                violation_error_message=_("Motif inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason} {self.count}"
