"""Forms of the front desk and the consumption room."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.clients.enums import BanReason, SexGender
from halte.consumption.enums import IncidentKind, Outcome, Product, SessionRoute
from halte.visits.enums import Purpose


class CodeSearchForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class RegisterForm(forms.Form):
    """The few letters and the date that make the code. Never stored, never shown again."""

    family_name = forms.CharField(label=_("Nom de naissance"), max_length=100)
    given_name = forms.CharField(label=_("Prénom"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date de naissance"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=SexGender.choices, widget=forms.RadioSelect)
    nickname = forms.CharField(label=_("Surnom (facultatif)"), max_length=40, required=False)
    # Sent by the button that confirms a new person after the check (a near code, a minor at an
    # adults-only site); never rendered as a field.
    confirm_new = forms.BooleanField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("family_name", "given_name", "nickname"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class CheckInForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("Motifs"),
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


NOTHING_CHOSEN = ("", _("— choisir —"))


class SessionForm(forms.Form):
    """Nothing is chosen for the worker: no person, no product (an untouched field would record
    the wrong one)."""

    visit = forms.UUIDField(label=_("Personne présente"))
    route = forms.ChoiceField(
        label=_("Voie"), choices=SessionRoute.choices, widget=forms.RadioSelect
    )
    product = forms.ChoiceField(
        label=_("Produit déclaré"), choices=[NOTHING_CHOSEN, *Product.choices]
    )
    other_products = forms.MultipleChoiceField(
        label=_("Autres produits de la même consommation"),
        choices=Product.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    booth = forms.CharField(
        label=_("Poste (vide : le premier libre)"), max_length=8, required=False
    )
    adult_confirmed = forms.BooleanField(label=_("Majorité vérifiée"), required=False)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Incident"), choices=IncidentKind.choices, widget=forms.RadioSelect
    )
    session = forms.UUIDField(label=_("Consommation concernée"), required=False)
    oxygen = forms.BooleanField(label=_("Oxygène"), required=False)
    naloxone_doses = forms.IntegerField(
        label=_("Doses de naloxone"), min_value=0, max_value=20, initial=0
    )
    resuscitation = forms.BooleanField(label=_("Réanimation"), required=False)
    emergency_call = forms.BooleanField(label=_("Appel au 15"), required=False)
    hospital_transfer = forms.BooleanField(label=_("Transfert à l'hôpital"), required=False)
    outcome = forms.ChoiceField(label=_("Issue"), choices=Outcome.choices, widget=forms.RadioSelect)


class BanForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Portée"),
        choices=[("site", _("Ce site")), ("network", _("Tout le réseau"))],
        widget=forms.RadioSelect,
        initial="site",
    )
    starts_on = forms.DateField(
        label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Au (vide : sans fin)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.ChoiceField(label=_("Motif"), choices=BanReason.choices)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if isinstance(starts, dt.date) and isinstance(ends, dt.date) and ends < starts:
            raise forms.ValidationError(_("La fin de l'exclusion précède son début."))
        return data
