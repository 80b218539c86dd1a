"""Forms of the accommodation screens: coded choices only, no free text about a person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.lodging.enums import ExitReason, Priority

# A date input takes the ISO form whatever the page's language: a value written the French way
# (04/12/2026) is shown as an empty field.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CODE_ATTRS = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


class StayForm(forms.Form):
    code = forms.CharField(
        label=_("Code de la personne"), max_length=40, widget=forms.TextInput(attrs=CODE_ATTRS)
    )
    bed = forms.UUIDField(label=_("Lit"))
    entry_date = forms.DateField(label=_("Entrée (nuit du)"), required=False, widget=DATE)
    planned_exit_date = forms.DateField(
        label=_("Sortie prévue (matin du)"),
        required=False,
        widget=DATE,
    )
    waiting_entry = forms.UUIDField(required=False, widget=forms.HiddenInput)


class EndForm(forms.Form):
    exit_reason = forms.ChoiceField(label=_("Motif de sortie"), choices=ExitReason.choices)
    exit_date = forms.DateField(label=_("Sortie (matin du)"), required=False, widget=DATE)


class RenewForm(forms.Form):
    planned_exit_date = forms.DateField(label=_("Nouvelle sortie prévue"), widget=DATE)


class WaitingForm(forms.Form):
    code = forms.CharField(
        label=_("Code de la personne"), max_length=40, widget=forms.TextInput(attrs=CODE_ATTRS)
    )
    priorities = forms.MultipleChoiceField(
        label=_("Priorités (femme et âge se déduisent du dossier)"),
        choices=[(p.value, p.label) for p in (Priority.PREGNANCY, Priority.HEALTH_NEED)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
