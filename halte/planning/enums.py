from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanningModel(models.TextChoices):
    MCLP = "mclp", _("Couverture maximale (MCLP) : p sites, le plus de personnes à distance")
    LSCP = "lscp", _("Couverture totale (LSCP) : le moins de sites pour couvrir tout le monde")
    P_MEDIAN = "p_median", _("p-médiane : p sites, la marche moyenne la plus courte")
    P_CENTER = "p_center", _("p-centre : p sites, la plus longue marche la plus courte")
    CAPACITATED = (
        "capacitated_p_median",
        _("p-médiane avec capacités : p sites, chaque site dans sa capacité"),
    )

    @property
    def solver_name(self) -> str:
        """The model's name in ``halte.planning.solver`` (dashes, not underscores)."""
        return self.value.replace("_", "-")

    @property
    def short_label(self) -> str:
        return str(SHORT_LABELS[self])


SHORT_LABELS = {
    PlanningModel.MCLP: _("Couverture maximale"),
    PlanningModel.LSCP: _("Couverture totale"),
    PlanningModel.P_MEDIAN: _("p-médiane"),
    PlanningModel.P_CENTER: _("p-centre"),
    PlanningModel.CAPACITATED: _("p-médiane avec capacités"),
}

# Models that need p, and models whose objective is a radius of coverage.
MODELS_WITH_P = frozenset(
    {
        PlanningModel.MCLP,
        PlanningModel.P_MEDIAN,
        PlanningModel.P_CENTER,
        PlanningModel.CAPACITATED,
    }
)
MODELS_WITH_RADIUS = frozenset({PlanningModel.MCLP, PlanningModel.LSCP})


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("Calcul en cours")
    SOLVED = "solved", _("Calculé")
    FAILED = "failed", _("Échec du calcul")


class SolveStage(models.TextChoices):
    NONE = "", _("—")
    WAITING = "waiting", _("En attente d'un calcul")
    MATRIX = "matrix", _("Calcul des distances à pied")
    SOLVING = "solving", _("Heuristique puis résolution exacte")
    SAVING = "saving", _("Enregistrement du résultat")
    DONE = "done", _("Terminé")


class DemandSource(models.TextChoices):
    GATHERING_PLACE = "gathering_place", _("Lieu de rassemblement (têtes comptées)")
    IRIS = "iris", _("Population IRIS")
    CLIENT_AREA = "client_area", _("Zone où les personnes sont rencontrées (maraudes)")
    PICKUPS = "pickups", _("Matériel usagé ramassé dans l'espace public")
    DRAWN = "drawn", _("Point saisi")


# The solver's own status words (halte.planning.solver.problem.Status), as people read them.
SOLVER_STATUS_LABELS = {
    "optimal": _("optimal"),
    "feasible": _("solution trouvée, optimalité non prouvée"),
    "time_limit": _("limite de temps atteinte"),
    "stopped": _("calcul arrêté à la demande : meilleur plan trouvé, non prouvé"),
    "infeasible": _("aucune solution possible"),
    "error": _("erreur du solveur"),
}
