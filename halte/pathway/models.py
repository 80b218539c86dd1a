"""The person's dated situation, the pathway of care after a positive test, accompaniments and
interpreting. Every row is tied to the anonymous client (its code), never to a name.

The rules that must survive two requests at once are database constraints: one situation per
person and day, a stage of a pathway reached once, a test opening one pathway at most, an age at
first use kept only when answered."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel
from halte.pathway.enums import (
    AccompanimentOutcome,
    AccompanimentPlace,
    Asked,
    Coverage,
    Housing,
    Infection,
    InterpretingMode,
    Language,
    Method,
    Place,
    Resources,
    SocialFilePurpose,
    Stage,
    StepOutcome,
    TeamRole,
    YesNo,
)

MIN_AGE_FIRST_USE = 5
MAX_AGE_FIRST_USE = 90


def _known(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class Situation(PublicModel):
    """What the person said of their situation on a day, each answer optional: "not asked" and
    "declined" are kept apart. Pregnancy, prison release and resources are read by care roles only
    (``pathway.permissions.can_see_sensitive_situation``); selectors drop them for others."""

    audit_type: ClassVar[str] = "situation"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="situations"
    )
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField(_("date"))
    housing = models.CharField(
        _("logement"), max_length=20, choices=Housing.choices, default=Housing.NOT_ASKED
    )
    coverage = models.CharField(
        _("couverture santé"), max_length=20, choices=Coverage.choices, default=Coverage.NOT_ASKED
    )
    resources = models.CharField(
        _("ressources"), max_length=20, choices=Resources.choices, default=Resources.NOT_ASKED
    )
    products_asked = models.CharField(
        _("produits (30 derniers jours)"),
        max_length=10,
        choices=Asked.choices,
        default=Asked.NOT_ASKED,
    )
    products = models.JSONField(_("produits consommés (30 derniers jours)"), default=list)
    routes_asked = models.CharField(
        _("voies (30 derniers jours)"),
        max_length=10,
        choices=Asked.choices,
        default=Asked.NOT_ASKED,
    )
    routes = models.JSONField(_("voies d'administration (30 derniers jours)"), default=list)
    age_first_use_asked = models.CharField(
        _("âge à la première consommation"),
        max_length=10,
        choices=Asked.choices,
        default=Asked.NOT_ASKED,
    )
    age_first_use = models.PositiveSmallIntegerField(_("âge"), null=True, blank=True)
    languages_asked = models.CharField(
        _("langues parlées"), max_length=10, choices=Asked.choices, default=Asked.NOT_ASKED
    )
    languages = models.JSONField(_("langues"), default=list)
    interpreter_needed = models.CharField(
        _("besoin d'un interprète"), max_length=10, choices=YesNo.choices, default=YesNo.NOT_ASKED
    )
    prison_release = models.CharField(
        _("sortie de prison dans les 12 derniers mois"),
        max_length=10,
        choices=YesNo.choices,
        default=YesNo.NOT_ASKED,
    )
    pregnancy = models.CharField(
        _("grossesse en cours"), max_length=10, choices=YesNo.choices, default=YesNo.NOT_ASKED
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("situation de la personne")
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "asked_on"],
                name="situation_one_per_person_and_day",
                violation_error_message=_("La situation de ce jour est déjà enregistrée."),
            ),
            models.CheckConstraint(
                name="situation_answers_known",
                condition=_known("housing", Housing)
                & _known("coverage", Coverage)
                & _known("resources", Resources)
                & _known("products_asked", Asked)
                & _known("routes_asked", Asked)
                & _known("age_first_use_asked", Asked)
                & _known("languages_asked", Asked)
                & _known("interpreter_needed", YesNo)
                & _known("prison_release", YesNo)
                & _known("pregnancy", YesNo),
                violation_error_message=_("Réponse inconnue."),
            ),
            models.CheckConstraint(
                name="situation_age_only_when_answered",
                condition=Q(
                    age_first_use_asked=Asked.ANSWERED,
                    age_first_use__gte=MIN_AGE_FIRST_USE,
                    age_first_use__lte=MAX_AGE_FIRST_USE,
                )
                | (~Q(age_first_use_asked=Asked.ANSWERED) & Q(age_first_use=None)),
                violation_error_message=_(
                    "L'âge à la première consommation va de 5 à 90 ans, et seulement s'il a été "
                    "donné."
                ),
            ),
        ]
        indexes = [models.Index(fields=["site", "asked_on"], name="situation_site_day_idx")]

    def __str__(self) -> str:
        return f"{self.client} {self.asked_on}"


class Pathway(PublicModel):
    """The care that follows a test for one infection: tested → confirmed → assessed → treatment
    started → ended → cure checked. Opened from the positive rapid test recorded here when there
    is one (a test done elsewhere opens it too). Care roles only, like a test result."""

    audit_type: ClassVar[str] = "pathway"

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="pathways")
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    infection = models.CharField(_("infection"), max_length=10, choices=Infection.choices)
    tested_on = models.DateField(_("dépisté le"))
    screening = models.ForeignKey(
        "care.CareAct",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pathways",
        verbose_name=_("dépistage"),
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("parcours de soin")
        ordering = ["-tested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="pathway_infection_known",
                condition=_known("infection", Infection),
                violation_error_message=_("Infection inconnue."),
            ),
            models.UniqueConstraint(
                fields=["screening"],
                condition=Q(screening__isnull=False),
                name="pathway_one_per_screening",
                violation_error_message=_("Ce dépistage a déjà son parcours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_infection_display()} {self.tested_on}"


class PathwayStep(models.Model):
    """One dated step of a pathway, with where it was done. A stage is reached once: the unique
    constraint settles two requests at the same instant."""

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="steps")
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    done_on = models.DateField(_("date"))
    method = models.CharField(_("examen"), max_length=12, choices=Method.choices, blank=True)
    outcome = models.CharField(
        _("résultat"), max_length=10, choices=StepOutcome.choices, blank=True
    )
    place = models.CharField(_("lieu"), max_length=16, choices=Place.choices)
    place_site = models.ForeignKey(
        "network.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site du réseau"),
    )
    referral = models.ForeignKey(
        "care.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pathway_steps",
        verbose_name=_("orientation"),
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape de parcours")
        ordering = ["pathway", "done_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "stage"],
                name="pathway_step_stage_once",
                violation_error_message=_("Cette étape du parcours est déjà enregistrée."),
            ),
            models.CheckConstraint(
                name="pathway_step_codes_known",
                condition=_known("stage", Stage)
                & _known("place", Place)
                & (Q(method="") | _known("method", Method)),
                violation_error_message=_("Étape, examen ou lieu inconnu."),
            ),
            models.CheckConstraint(
                name="pathway_step_outcome_for_tests_only",
                condition=Q(
                    stage__in=[Stage.CONFIRMED, Stage.CURE_CHECKED],
                    outcome__in=StepOutcome.values,
                )
                | (~Q(stage__in=[Stage.CONFIRMED, Stage.CURE_CHECKED]) & Q(outcome="")),
                violation_error_message=_(
                    "Une confirmation ou un contrôle de guérison a son résultat ; les autres "
                    "étapes n'en ont pas."
                ),
            ),
            models.CheckConstraint(
                name="pathway_step_site_only_in_network",
                condition=Q(place=Place.NETWORK_SITE, place_site__isnull=False)
                | (~Q(place=Place.NETWORK_SITE) & Q(place_site=None)),
                violation_error_message=_("Le site du réseau va avec le lieu « autre site »."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.done_on}"


class Accompaniment(PublicModel):
    """A member of the team went with the person somewhere: the team role (never a name), where,
    for how long, and what came of it. May follow a referral (its appointment)."""

    audit_type: ClassVar[str] = "accompaniment"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="accompaniments"
    )
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "care.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accompaniments",
        verbose_name=_("orientation"),
    )
    done_on = models.DateField(_("date"))
    role = models.CharField(_("accompagné·e par"), max_length=16, choices=TeamRole.choices)
    place = models.CharField(_("lieu"), max_length=16, choices=AccompanimentPlace.choices)
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    outcome = models.CharField(_("suite"), max_length=14, choices=AccompanimentOutcome.choices)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("accompagnement")
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="accompaniment_codes_known",
                condition=_known("place", AccompanimentPlace)
                & _known("outcome", AccompanimentOutcome)
                & _known("role", TeamRole),
                violation_error_message=_("Lieu, suite ou rôle inconnu."),
            ),
            models.CheckConstraint(
                name="accompaniment_duration_plausible",
                condition=Q(minutes__gte=5, minutes__lte=720),
                violation_error_message=_("Un accompagnement dure de 5 minutes à 12 heures."),
            ),
        ]
        indexes = [models.Index(fields=["site", "done_on"], name="accompaniment_site_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_place_display()} {self.done_on}"


class Interpreting(PublicModel):
    """Interpreting given to the person: the language, by phone or in person."""

    audit_type: ClassVar[str] = "interpreting"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="interpretings"
    )
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(_("date"))
    language = models.CharField(_("langue"), max_length=8, choices=Language.choices)
    mode = models.CharField(_("modalité"), max_length=10, choices=InterpretingMode.choices)
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("interprétariat")
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="interpreting_codes_known",
                condition=_known("language", Language) & _known("mode", InterpretingMode),
                violation_error_message=_("Langue ou modalité inconnue."),
            ),
            models.CheckConstraint(
                name="interpreting_duration_plausible",
                condition=Q(minutes=None) | Q(minutes__gte=1, minutes__lte=480),
                violation_error_message=_("Un interprétariat dure de 1 minute à 8 heures."),
            ),
        ]
        indexes = [models.Index(fields=["site", "done_on"], name="interpreting_site_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.done_on}"


class SocialFile(PublicModel):
    """What anonymity cannot do (opening AME or CSS rights, a domiciliation, a hospital
    appointment): with the person's consent, a site's social workers keep their identity and
    their documents' references, sealed (Fernet, ``HALTE_SOCIAL_FILE_KEY``) in ``sealed``, tied
    to the code, one file per person and site. Only the consent, its date and who recorded it,
    and the purpose are in clear; ``str()`` and every audit row name the file by its id alone.
    Read and written through ``halte.pathway.socialfile`` only."""

    audit_type: ClassVar[str] = "social_file"

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="social_files"
    )
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("démarche"), max_length=16, choices=SocialFilePurpose.choices)
    consent_on = models.DateField(_("consentement recueilli le"))
    consent_recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    sealed = models.TextField(editable=False)

    class Meta:
        verbose_name = _("dossier social consenti")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "site"],
                name="social_file_one_per_person_and_site",
                violation_error_message=_("Cette personne a déjà un dossier social sur ce site."),
            ),
            models.CheckConstraint(
                name="social_file_purpose_known",
                condition=_known("purpose", SocialFilePurpose),
                violation_error_message=_("Démarche inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return f"social file {self.public_id}"
