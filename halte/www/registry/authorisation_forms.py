"""The form of an authorisation (FINESS): its number, kind, operator, label, places and dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.network.enums import AuthorisationKind
from halte.network.models import Operator, Site

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlacesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """The places, each with its operator (an authorisation covers its operator's only)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.operator.name})"


class AuthorisationForm(forms.Form):
    finess = forms.CharField(label=_("N° FINESS de l'établissement"), max_length=9, min_length=9)
    kind = forms.ChoiceField(label=_("Type"), choices=AuthorisationKind.choices)
    operator = forms.ModelChoiceField(
        label=_("Opérateur"), queryset=Operator.objects.order_by("name"), to_field_name="public_id"
    )
    label = forms.CharField(label=_("Intitulé"), max_length=200)
    sites = PlacesField(
        label=_("Lieux couverts (ceux de l'opérateur)"),
        queryset=Site.objects.select_related("operator").order_by("operator__name", "name"),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    valid_from = forms.DateField(label=_("En vigueur depuis"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("En vigueur jusqu'au"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Sources et réserves"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # Another holder is another authorisation: the operator is fixed once created.
            del self.fields["operator"]
