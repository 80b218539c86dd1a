"""Forms of the planning screens. They read input; ``planning.services`` decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.core.errors import DomainError
from halte.planning.enums import DemandSource, PlanningModel
from halte.planning.models import WALKING_SPEED_KMH
from halte.planning.presets import (
    DemandInput,
    client_areas_demand,
    gathering_places_2021,
    iris_demand,
    parse_point_lines,
    pickups_demand,
)
from halte.planning.selectors import planning_sites
from halte.planning.services import CandidateInput, available_graphs

CHECKBOXES = forms.CheckboxSelectMultiple


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nom du scénario"), max_length=200)
    description = forms.CharField(
        label=_("Description, sources, hypothèses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    model = forms.ChoiceField(label=_("Modèle"), choices=PlanningModel.choices)
    p = forms.IntegerField(
        label=_("Nombre de sites (p), sites imposés compris"),
        min_value=1,
        max_value=500,
        required=False,
    )
    radius_m = forms.FloatField(
        label=_("Distance à pied maximale (m)"), min_value=1, max_value=20000, required=False
    )
    walk_minutes = forms.IntegerField(
        label=_("ou temps de marche maximal (min, à %(v)s km/h)") % {"v": WALKING_SPEED_KMH},
        min_value=1,
        max_value=240,
        required=False,
    )
    circuity = forms.FloatField(
        label=_("Facteur de détour (vol d'oiseau → marche)"), min_value=1, max_value=3, initial=1.3
    )
    street_graph = forms.ChoiceField(label=_("Graphe des rues"), required=False)
    school_min_distance_m = forms.IntegerField(
        label=_("Distance minimale aux écoles (m, 0 = sans règle)"),
        min_value=0,
        max_value=2000,
        initial=300,
    )
    forbid_near_schools = forms.BooleanField(
        label=_("Exclure les candidats trop près d'une école (sinon : seulement signalés)"),
        required=False,
    )
    reports_radius_m = forms.IntegerField(
        label=_("Signalements de riverains : rayon autour d'un candidat (m, 0 = sans règle)"),
        min_value=0,
        max_value=2000,
        initial=0,
        required=False,
    )
    reports_max = forms.IntegerField(
        label=_("Exclure un candidat au-delà de ce nombre de signalements sur un an"),
        min_value=0,
        max_value=10000,
        initial=10,
        required=False,
    )
    women_only_rule = forms.BooleanField(
        label=_("La demande des femmes n'est servie que par un lieu qui accueille les femmes"),
        required=False,
        initial=True,
    )
    time_limit_s = forms.IntegerField(
        label=_("Temps de calcul maximal (s)"), min_value=1, max_value=3600, initial=60
    )
    demand_2021 = forms.BooleanField(
        label=_("Têtes comptées à l'été 2021 aux lieux de rassemblement"), required=False
    )
    demand_iris = forms.BooleanField(
        label=_("Population IRIS de Paris (regroupée en 300 points au plus)"), required=False
    )
    demand_client_areas = forms.BooleanField(
        label=_(
            "Zones où les personnes sont rencontrées en maraude (12 derniers mois ; zones de moins de 5 personnes écartées)"
        ),
        required=False,
    )
    demand_pickups = forms.BooleanField(
        label=_(
            "Matériel usagé ramassé dans l'espace public (12 derniers mois ; une personne pour 10 objets, hypothèse)"
        ),
        required=False,
    )
    demand_lines = forms.CharField(
        label=_(
            "Autres points : « lon, lat ; personnes ; libellé » ou « adresse ; personnes », un par ligne"
        ),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "2.3700, 48.8880 ; 25 ; Sortie métro\n4 rue Ambroise-Paré 75010 ; 10",
            }
        ),
    )
    proposed_sites = forms.MultipleChoiceField(
        label=_("Sites proposés du registre"), required=False, widget=CHECKBOXES
    )
    operational_sites = forms.MultipleChoiceField(
        label=_("Sites en activité, qui restent ouverts"), required=False, widget=CHECKBOXES
    )
    candidate_lines = forms.CharField(
        label=_(
            "Autres candidats : « lon, lat ; capacité ; libellé » ou « adresse ; capacité », un par ligne"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposed, operational = planning_sites()
        self._sites = {str(s.public_id): s for s in [*proposed, *operational]}
        self.fields["proposed_sites"].choices = [  # type: ignore[attr-defined]
            (str(s.public_id), f"{s.name} ({s.area_name or s.city})") for s in proposed
        ]
        self.fields["operational_sites"].choices = [  # type: ignore[attr-defined]
            (str(s.public_id), f"{s.name} ({s.area_name or s.city})") for s in operational
        ]
        self.fields["street_graph"].choices = [  # type: ignore[attr-defined]
            ("", _("aucun : vol d'oiseau × facteur de détour")),
            *[(name, name) for name in available_graphs()],
        ]

    def demand(self) -> list[DemandInput]:
        data = self.cleaned_data
        points: list[DemandInput] = []
        if data["demand_2021"]:
            points += gathering_places_2021()
        if data["demand_iris"]:
            points += iris_demand()
        if data.get("demand_client_areas"):
            points += client_areas_demand()
        if data.get("demand_pickups"):
            points += pickups_demand()
        for typed in parse_point_lines(data["demand_lines"], what=str(_("Points de demande"))):
            weight = 1.0 if typed.number is None else typed.number
            points.append(
                DemandInput(typed.label, typed.lon, typed.lat, weight, DemandSource.DRAWN)
            )
        if not points:
            raise DomainError(str(_("Choisissez ou saisissez au moins un point de demande.")))
        return points

    def candidates(self) -> list[CandidateInput]:
        data = self.cleaned_data
        found = [
            CandidateInput(site=self._sites[k], must_open=True) for k in data["operational_sites"]
        ]
        found += [CandidateInput(site=self._sites[k]) for k in data["proposed_sites"]]
        for typed in parse_point_lines(data["candidate_lines"], what=str(_("Candidats"))):
            found.append(
                CandidateInput(
                    label=typed.label, lon=typed.lon, lat=typed.lat, capacity=typed.number
                )
            )
        if not found:
            raise DomainError(str(_("Choisissez ou saisissez au moins un site candidat.")))
        return found
