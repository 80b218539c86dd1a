"""Planning scenarios: demand points, candidate sites, rules, and the solver's results.

The solver itself (``planning/solver``) knows nothing of these; ``services`` adapts between them.
"""

from __future__ import annotations

import re
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel
from halte.planning.enums import (
    SOLVER_STATUS_LABELS,
    DemandSource,
    PlanningModel,
    ScenarioStatus,
    SolveStage,
)

# The two ways distances are measured, as services.walking_distances words them in French.
STREET_GRAPH_METHOD = re.compile(r"graphe des rues (?P<g>.+) \((?P<n>[\d\s\u202f]+) nœuds\)")
CROW_FLIES_METHOD = re.compile(r"distance à vol d'oiseau × (?P<c>.+) \(détour supposé\)")

# Walking speed used to turn a travel-time limit into a distance. An assumption, not a measure:
# 4.5 km/h is a common planning figure for adults on foot (75 m a minute); people in the street
# scenes often walk slower, so a time limit converted with it is optimistic.
WALKING_SPEED_KMH = 4.5
WALKING_M_PER_MINUTE = WALKING_SPEED_KMH * 1000 / 60


class Scenario(PublicModel):
    """One question asked of the solver: where to open sites, under which model and rules."""

    audit_type: ClassVar[str] = "scenario"

    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description et sources"), blank=True)
    model = models.CharField(_("modèle"), max_length=30, choices=PlanningModel.choices)
    p = models.PositiveSmallIntegerField(_("nombre de sites (p)"), null=True, blank=True)
    radius_m = models.FloatField(_("distance à pied maximale (m)"), null=True, blank=True)
    walk_minutes = models.PositiveSmallIntegerField(
        _("temps de marche maximal (min)"), null=True, blank=True
    )
    circuity = models.FloatField(_("facteur de détour"), default=1.3)
    street_graph = models.CharField(
        _("graphe des rues (fichier GraphML)"), max_length=120, blank=True
    )
    school_min_distance_m = models.PositiveIntegerField(
        _("distance minimale aux établissements scolaires (m)"), default=0
    )
    forbid_near_schools = models.BooleanField(
        _("exclure les candidats trop près d'une école"), default=False
    )
    women_only_rule = models.BooleanField(
        _("la demande des femmes n'est servie que par un lieu qui accueille les femmes"),
        default=True,
    )
    # The neighbourhood's acceptability layer (halte.neighbourhood): a candidate around which
    # residents reported more than ``reports_max`` facts within ``reports_radius_m`` over the last
    # ``REPORTS_WINDOW_DAYS`` is excluded; radius 0 leaves the layer off.
    reports_radius_m = models.PositiveIntegerField(
        _("rayon des signalements de riverains (m, 0 = sans règle)"), default=0
    )
    reports_max = models.PositiveIntegerField(
        _("signalements tolérés autour d'un candidat"), default=0
    )
    time_limit_s = models.PositiveIntegerField(_("temps de calcul maximal (s)"), default=60)
    status = models.CharField(
        _("état"), max_length=20, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT
    )
    stage = models.CharField(
        _("étape"), max_length=20, choices=SolveStage.choices, default="", blank=True
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    failure = models.CharField(_("motif de l'échec"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("créé par")
    )
    solve_requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    solved_at = models.DateTimeField(_("calculé le"), null=True, blank=True)
    # The background job of the current or last solve, and what it knows while it runs.
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    live_objective = models.FloatField(_("meilleur plan trouvé"), null=True, blank=True)
    live_bound = models.FloatField(_("meilleure borne prouvée"), null=True, blank=True)

    class Meta:
        verbose_name = _("scénario d'implantation")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="scenario_progress_range",
                condition=Q(progress__gte=0, progress__lte=100),
                violation_error_message=_("L'avancement est compris entre 0 et 100 %."),
            ),
            models.CheckConstraint(
                name="scenario_p_positive",
                condition=Q(p__isnull=True) | Q(p__gte=1),
                violation_error_message=_("Le nombre de sites doit être au moins 1."),
            ),
            models.CheckConstraint(
                name="scenario_radius_range",
                condition=Q(radius_m__isnull=True) | Q(radius_m__gt=0, radius_m__lte=20000),
                violation_error_message=_("La distance maximale est comprise entre 1 m et 20 km."),
            ),
            models.CheckConstraint(
                name="scenario_circuity_range",
                condition=Q(circuity__gte=1, circuity__lte=3),
                violation_error_message=_("Le facteur de détour est compris entre 1 et 3."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:detail", kwargs={"scenario_id": self.public_id})

    @property
    def planning_model(self) -> PlanningModel:
        return PlanningModel(self.model)

    @property
    def is_busy(self) -> bool:
        return self.status in {ScenarioStatus.QUEUED, ScenarioStatus.RUNNING}

    def latest_result(self) -> ScenarioResult | None:
        return self.results.order_by("-created_at", "-pk").first()


class DemandPoint(models.Model):
    """Where people are, and how many: a row of the distance matrix."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="demand")
    index = models.PositiveIntegerField(_("rang"))
    label = models.CharField(_("libellé"), max_length=200)
    source = models.CharField(_("origine"), max_length=20, choices=DemandSource.choices)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    weight = models.FloatField(_("personnes"), default=1)
    women_only = models.BooleanField(_("demande de femmes"), default=False)

    class Meta:
        verbose_name = _("point de demande")
        ordering = ["scenario", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "index"],
                name="demand_point_index_unique",
                violation_error_message=_("Deux points de demande ont le même rang."),
            ),
            models.CheckConstraint(
                name="demand_point_weight_non_negative",
                condition=Q(weight__gte=0),
                violation_error_message=_("Le nombre de personnes ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Candidate(models.Model):
    """A place where a site could open: a registry site or a typed point (a column)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="candidates")
    index = models.PositiveIntegerField(_("rang"))
    label = models.CharField(_("libellé"), max_length=200)
    site = models.ForeignKey(
        "network.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planning_candidacies",
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    location_approximate = models.BooleanField(_("emplacement approximatif"), default=False)
    must_open = models.BooleanField(_("reste ouvert"), default=False)
    forbidden = models.BooleanField(_("exclu"), default=False)
    capacity = models.FloatField(_("capacité (personnes)"), null=True, blank=True)
    admits_women = models.BooleanField(_("accueille les femmes"), default=True)
    women_only = models.BooleanField(_("réservé aux femmes"), default=False)
    near_school = models.BooleanField(_("près d'une école"), default=False)
    school_name = models.CharField(_("école la plus proche"), max_length=200, blank=True)
    school_distance_m = models.FloatField(_("distance à l'école (m)"), null=True, blank=True)
    nearby_reports = models.PositiveIntegerField(
        _("signalements de riverains à proximité"), default=0
    )
    too_many_reports = models.BooleanField(_("trop de signalements à proximité"), default=False)

    class Meta:
        verbose_name = _("site candidat")
        ordering = ["scenario", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "index"],
                name="candidate_index_unique",
                violation_error_message=_("Deux candidats ont le même rang."),
            ),
            models.CheckConstraint(
                name="candidate_not_must_open_and_forbidden",
                condition=~Q(must_open=True, forbidden=True),
                violation_error_message=_(
                    "Un candidat ne peut pas être à la fois imposé et exclu."
                ),
            ),
            models.CheckConstraint(
                name="candidate_capacity_positive",
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                violation_error_message=_("Une capacité doit être positive."),
            ),
            models.CheckConstraint(
                name="candidate_women_only_admits_women",
                condition=~Q(women_only=True, admits_women=False),
                violation_error_message=_("Un lieu réservé aux femmes accueille les femmes."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ScenarioResult(PublicModel):
    """What one solve returned, with its honest status and the figures people read."""

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="results")
    solver_status = models.CharField(_("état du solveur"), max_length=20)
    proven_optimal = models.BooleanField(_("optimum prouvé"), default=False)
    objective = models.FloatField(_("valeur de l'objectif"), null=True, blank=True)
    bound = models.FloatField(_("borne"), null=True, blank=True)
    gap = models.FloatField(_("écart relatif"), null=True, blank=True)
    seconds = models.FloatField(_("durée du calcul (s)"))
    message = models.CharField(_("message du solveur"), max_length=300, blank=True)
    distance_method = models.CharField(_("distances"), max_length=200, blank=True)
    chosen = models.JSONField(_("sites retenus (rangs)"), default=list)
    assignment = models.JSONField(_("rattachement (rang de demande → rang de site)"), default=dict)
    walk_m = models.JSONField(_("marche de chaque point de demande (m)"), default=dict)
    covered = models.JSONField(_("points de demande couverts (rangs)"), default=list)
    people_total = models.FloatField(_("personnes en tout"), default=0)
    people_covered = models.FloatField(_("personnes couvertes"), default=0)
    covered_pct = models.FloatField(_("part couverte (%)"), default=0)
    mean_walk_m = models.FloatField(_("marche moyenne (m)"), null=True, blank=True)
    worst_walk_m = models.FloatField(_("marche la plus longue (m)"), null=True, blank=True)
    loads = models.JSONField(_("personnes par site"), default=dict)

    class Meta:
        verbose_name = _("résultat de scénario")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="scenario_result_pct_range",
                condition=Q(covered_pct__gte=0, covered_pct__lte=100),
                violation_error_message=_("La part couverte est comprise entre 0 et 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} · {self.solver_status}"

    @property
    def gap_pct(self) -> float | None:
        return None if self.gap is None else self.gap * 100

    @property
    def solver_status_label(self) -> str:
        """The solver's status in the reader's language (stored as the solver's own word)."""
        return str(SOLVER_STATUS_LABELS.get(self.solver_status, self.solver_status))

    @property
    def distance_method_label(self) -> str:
        """How distances were measured, in the reader's language: the text is stored in the
        language of the solve, so it is read back into its parts and said again."""
        graph = STREET_GRAPH_METHOD.fullmatch(self.distance_method)
        if graph:
            return gettext("graphe des rues %(g)s (%(n)s nœuds)") % {
                "g": graph["g"],
                "n": graph["n"],
            }
        crow = CROW_FLIES_METHOD.fullmatch(self.distance_method)
        if crow:
            return gettext("distance à vol d'oiseau × %(c)s (détour supposé)") % {"c": crow["c"]}
        return self.distance_method
