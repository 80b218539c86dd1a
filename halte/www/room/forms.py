"""Forms of the door and queue screen: nothing is chosen for the worker."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.consumption.enums import RefusalReason, RefusalStage, SessionRoute

NOTHING_CHOSEN = ("", _("— aucune —"))


class RefusalForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif du refus"), choices=RefusalReason.choices, widget=forms.RadioSelect
    )
    stage = forms.ChoiceField(
        label=_("Où"),
        choices=RefusalStage.choices,
        widget=forms.RadioSelect,
        initial=RefusalStage.DOOR,
    )
    route = forms.ChoiceField(
        label=_("Voie demandée"), choices=[NOTHING_CHOSEN, *SessionRoute.choices], required=False
    )


class WaitForm(forms.Form):
    visit = forms.UUIDField(label=_("Personne présente"))
    route = forms.ChoiceField(
        label=_("Voie"), choices=SessionRoute.choices, widget=forms.RadioSelect
    )
