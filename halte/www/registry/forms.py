"""Forms of the registry screens. They validate input; the services decide and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.core.timeutils import local_today
from halte.geo.lib import areas
from halte.network.enums import Admission, Service, SiteKind, SiteStatus, Weekday
from halte.network.services import HoursInput


def _area_choices() -> list[tuple[str, object]]:
    return [("", _("Tous"))] + [(a.code_insee, a.name) for a in areas.all_areas()]


class MapFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous")), *SiteKind.choices]
    )
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("Tous")), *Service.choices]
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous")), *SiteStatus.choices]
    )
    commune = forms.ChoiceField(label=_("Arrondissement ou commune"), required=False)
    women_only = forms.BooleanField(label=_("Accueil réservé aux femmes"), required=False)
    open_now = forms.BooleanField(label=_("Ouvert maintenant"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["commune"].choices = _area_choices()  # type: ignore[attr-defined]


class CapacitiesForm(forms.Form):
    booths_injection = forms.IntegerField(label=_("Postes injection"), min_value=0, max_value=100)
    booths_inhalation = forms.IntegerField(label=_("Postes inhalation"), min_value=0, max_value=100)
    booths_nasal = forms.IntegerField(label=_("Postes voie nasale"), min_value=0, max_value=100)
    rest_places = forms.IntegerField(label=_("Places de repos"), min_value=0, max_value=1000)
    beds = forms.IntegerField(label=_("Lits"), min_value=0, max_value=1000)
    reception_capacity = forms.IntegerField(
        label=_("Capacité d'accueil simultanée"), min_value=0, max_value=2000
    )
    effective_on = forms.DateField(
        label=_("Postes et lits changés le"),
        help_text=_(
            "Le jour où les postes et les lits ont changé, si vous l'enregistrez après coup "
            "(90 jours en arrière au plus) : les taux d'occupation les comptent depuis ce jour."
        ),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "aria-describedby": "effective-on-help"}, format="%Y-%m-%d"
        ),
    )
    session_time_limit_minutes = forms.IntegerField(
        label=_("Durée maximale d'une consommation (minutes)"),
        min_value=1,
        max_value=240,
        required=False,
    )
    admission = forms.ChoiceField(label=_("Public accueilli"), choices=Admission.choices)
    adults_only = forms.BooleanField(label=_("Majeurs uniquement"), required=False)
    dogs_accepted = forms.BooleanField(label=_("Chiens acceptés"), required=False)
    authorisation_act = forms.CharField(
        label=_("Acte d'autorisation"), max_length=200, required=False
    )
    authorisation_end = forms.DateField(
        label=_("Fin d'autorisation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    services = forms.MultipleChoiceField(
        label=_("Services proposés"),
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish_public = forms.BooleanField(
        label=_("Publier ce lieu sur la page d'orientation publique et en données ouvertes"),
        required=False,
    )
    publish_room_level = forms.BooleanField(
        label=_(
            "Publier s'il reste de la place (de la place, presque plein, complet ; jamais un nombre)"
        ),
        required=False,
    )


SPANS_PER_DAY = 2


class WeeklyHoursForm(forms.Form):
    """Up to two spans a day. A closing time at or before the opening runs past midnight."""

    valid_from = forms.DateField(
        label=_("Ces horaires s'appliquent à partir du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for day in Weekday:
            for n in range(SPANS_PER_DAY):
                time_widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
                self.fields[f"d{day.value}_{n}_opens"] = forms.TimeField(
                    label=_("Ouverture"), required=False, widget=time_widget
                )
                self.fields[f"d{day.value}_{n}_closes"] = forms.TimeField(
                    label=_("Fermeture"), required=False, widget=time_widget
                )
                self.fields[f"d{day.value}_{n}_women"] = forms.BooleanField(
                    label=_("Femmes"), required=False
                )

    def clean_valid_from(self) -> dt.date:
        value: dt.date = self.cleaned_data["valid_from"]
        if value < local_today() - dt.timedelta(days=366):
            raise forms.ValidationError(
                _("Une date de plus d'un an dans le passé n'est pas acceptée.")
            )
        return value

    def rows(
        self,
    ) -> list[tuple[str, list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]]]:
        """For the template: per weekday, its span fields."""
        return [
            (
                str(day.label),
                [
                    (
                        self[f"d{day.value}_{n}_opens"],
                        self[f"d{day.value}_{n}_closes"],
                        self[f"d{day.value}_{n}_women"],
                    )
                    for n in range(SPANS_PER_DAY)
                ],
            )
            for day in Weekday
        ]

    def spans(self) -> list[HoursInput]:
        result = []
        for day in Weekday:
            for n in range(SPANS_PER_DAY):
                opens = self.cleaned_data.get(f"d{day.value}_{n}_opens")
                closes = self.cleaned_data.get(f"d{day.value}_{n}_closes")
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None:
                    self.add_error(
                        f"d{day.value}_{n}_opens",
                        _("%(day)s : indiquez l'ouverture et la fermeture.") % {"day": day.label},
                    )
                    continue
                women = bool(self.cleaned_data.get(f"d{day.value}_{n}_women"))
                result.append(HoursInput(day.value, opens, closes, women))
        return result

    @staticmethod
    def initial_from(
        spans_table: dict[int, list[tuple[dt.time, dt.time, bool]]],
    ) -> dict[str, object]:
        initial: dict[str, object] = {"valid_from": local_today()}
        for day, spans in spans_table.items():
            for n, (opens, closes, women) in enumerate(spans[:SPANS_PER_DAY]):
                initial[f"d{day}_{n}_opens"] = opens
                initial[f"d{day}_{n}_closes"] = closes
                initial[f"d{day}_{n}_women"] = women
        return initial


class HoursExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label=_("Fermé toute la journée"), required=False)
    opens = forms.TimeField(
        label=_("Ouverture"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes = forms.TimeField(
        label=_("Fermeture"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    label = forms.CharField(label=_("Motif (férié, grève…)"), max_length=120, required=False)


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nouveau statut"))
    effective_on = forms.DateField(
        label=_("Date d'effet"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Motif (sans nom de personne)"), max_length=300, required=False)

    def __init__(self, *args: object, allowed: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_status"].choices = allowed  # type: ignore[attr-defined]


class AddressSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Adresse à Paris"),
        min_length=2,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "4 rue Ambroise-Paré 75010", "autocomplete": "off"}
        ),
    )


class LocationChoiceForm(forms.Form):
    label = forms.CharField(max_length=200)
    lon = forms.FloatField(min_value=-180, max_value=180)
    lat = forms.FloatField(min_value=-90, max_value=90)
    postcode = forms.CharField(max_length=5, required=False)
    approximate = forms.BooleanField(required=False)
