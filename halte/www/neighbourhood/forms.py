"""Forms of the neighbourhood screens. Choices come from the app's enums; the services check again."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.neighbourhood.enums import (
    PickupItem,
    PlaceKind,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    RoundKind,
)
from halte.neighbourhood.models import CONTACT_MAX, DESCRIPTION_MAX, NOTE_MAX

STAFF_CHANNELS = [c for c in ReportChannel.choices if c[0] != ReportChannel.PUBLIC_FORM]


class WhereFields(forms.Form):
    """A point (map tap or the phone's position, filled by the page's script) or an address."""

    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Adresse ou rue"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "search"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lon") is None) != (data.get("lat") is None):
            data["lon"] = data["lat"] = None
        if data.get("lon") is None and not data.get("address"):
            raise forms.ValidationError(
                _("Indiquez où : touchez la carte, votre position ou une adresse.")
            )
        return data


class RoundStartForm(forms.Form):
    team = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Type de tournée"), choices=RoundKind.choices)
    area_label = forms.CharField(label=_("Secteur"), required=False, max_length=200)


class PickupForm(WhereFields):
    item = forms.ChoiceField(
        label=_("Objet"),
        choices=PickupItem.choices,
        widget=forms.RadioSelect,
        initial=PickupItem.SYRINGE,
    )
    count = forms.IntegerField(label=_("Nombre"), min_value=1, max_value=500, initial=1)
    place_kind = forms.ChoiceField(
        label=_("Lieu"),
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        initial=PlaceKind.STREET,
    )


class RoundEndForm(forms.Form):
    public_consumption_seen = forms.IntegerField(
        label=_("Consommations dans l'espace public vues"), min_value=0, max_value=500, initial=0
    )
    gatherings_seen = forms.IntegerField(
        label=_("Regroupements vus"), min_value=0, max_value=500, initial=0
    )
    people_met = forms.IntegerField(
        label=_("Personnes rencontrées"), min_value=0, max_value=500, initial=0
    )
    residents_met = forms.IntegerField(
        label=_("Riverains et commerçants rencontrés"), min_value=0, max_value=500, initial=0
    )


class ReportFields(WhereFields):
    kind = forms.ChoiceField(
        label=_("Ce que vous avez vu"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    seen_at = forms.DateTimeField(
        label=_("Quand"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    description = forms.CharField(
        label=_("Description courte (jamais publiée)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
        help_text=_("Sans nom ni description d'une personne."),
    )
    contact = forms.CharField(
        label=_("Pour vous répondre (facultatif) : téléphone ou courriel"),
        required=False,
        max_length=CONTACT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "email", "maxlength": CONTACT_MAX}),
    )


class PublicReportForm(ReportFields):
    # A field people never see: a robot filling every field fills this one too.
    website = forms.CharField(
        label=_("Ne pas remplir"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class StaffReportForm(ReportFields):
    channel = forms.ChoiceField(label=_("Reçu par"), choices=STAFF_CHANNELS)
    site = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TriageForm(forms.Form):
    site = forms.UUIDField(label=_("Site ou équipe"))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Suite donnée"), choices=ReportOutcome.choices)
    note = forms.CharField(
        label=_("Ce qui a été fait (court, sans nom)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
    )


class CommitteeForm(forms.Form):
    site = forms.UUIDField(label=_("Site"))
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    residents = forms.IntegerField(label=_("Riverains"), min_value=0, max_value=500, initial=0)
    school = forms.IntegerField(label=_("École, collège"), min_value=0, max_value=500, initial=0)
    police = forms.IntegerField(label=_("Police"), min_value=0, max_value=500, initial=0)
    city = forms.IntegerField(label=_("Ville, mairie"), min_value=0, max_value=500, initial=0)
    traders = forms.IntegerField(label=_("Commerçants"), min_value=0, max_value=500, initial=0)
    other = forms.IntegerField(label=_("Autres"), min_value=0, max_value=500, initial=0)
    topics = forms.CharField(label=_("Sujets abordés"), required=False, max_length=NOTE_MAX)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), max_length=NOTE_MAX)
    owner_label = forms.CharField(
        label=_("Porteur (service, organisme, pas un nom)"), max_length=120
    )
    due_on = forms.DateField(
        label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SurroundingsForm(forms.Form):
    radius_m = forms.IntegerField(
        label=_("Rayon (mètres)"), min_value=50, max_value=3000, initial=300
    )
    use_iris = forms.BooleanField(
        label=_("Utiliser les IRIS choisis plutôt que le rayon"), required=False
    )
    iris_codes = forms.MultipleChoiceField(
        label=_("IRIS du périmètre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    contact_phone = forms.CharField(
        label=_("Téléphone de l'équipe de médiation"), required=False, max_length=20
    )
    contact_email = forms.EmailField(label=_("Courriel de l'équipe de médiation"), required=False)

    def __init__(self, *args: Any, iris_choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.MultipleChoiceField", self.fields["iris_codes"])
        field.choices = [(c, c) for c in iris_choices]
