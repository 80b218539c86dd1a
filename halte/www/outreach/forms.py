"""Forms of the outreach screens: coded choices only, no free text about a person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.clients.enums import SexGender
from halte.network.enums import Route
from halte.outreach.enums import Need, When, Zone
from halte.outreach.orientation import DEFAULT_MAX_MINUTES, MAX_MINUTES_CHOICES
from halte.visits.enums import Purpose

CODE_ATTRS = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


class RoundForm(forms.Form):
    zone = forms.ChoiceField(label=_("Secteur"), choices=[("", "—"), *Zone.choices], required=False)
    place = forms.UUIDField(label=_("Lieu"), required=False)


class ContactForm(forms.Form):
    code = forms.CharField(
        label=_("Code (vide : contact anonyme)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )
    is_new = forms.BooleanField(label=_("Première rencontre (contact anonyme)"), required=False)
    place = forms.UUIDField(label=_("Lieu"), required=False)
    purposes = forms.MultipleChoiceField(
        label=_("Ce qui a été fait"),
        choices=[
            (p.value, p.label)
            for p in (Purpose.MATERIAL, Purpose.CARE, Purpose.SOCIAL, Purpose.FOOD)
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HeadCountForm(forms.Form):
    team = forms.UUIDField()
    place = forms.UUIDField(label=_("Lieu"))
    count = forms.IntegerField(label=_("Personnes comptées"), min_value=0, max_value=2000)


class WhereForm(forms.Form):
    address = forms.CharField(
        label=_("Où êtes-vous ? (adresse ou lieu)"), max_length=120, required=False
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    need = forms.ChoiceField(label=_("Besoin"), choices=Need.choices, widget=forms.RadioSelect)
    route = forms.ChoiceField(
        label=_("Voie (pour consommer)"),
        choices=Route.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    sex = forms.ChoiceField(
        label=_("Sexe ou genre"),
        choices=SexGender.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    birth_year = forms.IntegerField(
        label=_("Année de naissance"), min_value=1900, max_value=2100, required=False
    )
    max_minutes = forms.TypedChoiceField(
        label=_("À pied, au plus"),
        choices=[(m, f"{m} min") for m in MAX_MINUTES_CHOICES],
        coerce=int,
        initial=DEFAULT_MAX_MINUTES,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    when = forms.ChoiceField(
        label=_("Quand"),
        choices=When.choices,
        initial=When.NOW,
        required=False,
        widget=forms.RadioSelect,
    )
    code = forms.CharField(
        label=_("Code (facultatif, pour tenir compte des exclusions)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("need") == Need.CONSUMPTION and not data.get("route"):
            self.add_error("route", _("Choisissez la voie de consommation."))
        if data.get("lat") is None and not data.get("address"):
            self.add_error("address", _("Indiquez un lieu ou utilisez la position de la tablette."))
        return data
