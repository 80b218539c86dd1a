from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class WhereForm(forms.Form):
    """A place typed, or the phone's position (filled by the page's script, rounded to about a
    hundred metres before it leaves the phone). Neither is stored."""

    lieu = forms.CharField(
        label=_("Où êtes-vous ?"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("Ex. : Stalingrad, 4 rue Riquet")}
        ),
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_point = data.get("lat") is not None and data.get("lon") is not None
        if not has_point and not (data.get("lieu") or "").strip():
            raise forms.ValidationError(
                _("Tapez un lieu (une station, une adresse) ou utilisez votre position.")
            )
        return data
