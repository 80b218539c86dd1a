"""Forms of the plan-crack board: coded choices, dates, amounts, counts and codes; the only free
text is an action's title, its owner (an organisation) and a short note on the action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.plan.enums import ActionStatus, Axis, Destination
from halte.plan.models import NOTE_MAX, SOURCE_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROWS = 6  # people oriented on the form; more are added from the evacuation's page


def _blank(choices: list[tuple[str, Any]], label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class _Choices(forms.Form):
    def set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ActionFilterForm(_Choices):
    edition = forms.ChoiceField(label=_("Plan"), required=False)
    axis = forms.ChoiceField(
        label=_("Axe"), choices=_blank(Axis.choices, _("Tous")), required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"), choices=_blank(ActionStatus.choices, _("Tous")), required=False
    )
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)


class ActionForm(_Choices):
    edition = forms.ChoiceField(label=_("Plan"))
    number = forms.IntegerField(label=_("Numéro"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    axis = forms.ChoiceField(label=_("Axe"), choices=Axis.choices)
    owner = forms.CharField(
        label=_("Pilote (organisation ou service, pas un nom de personne)"), max_length=120
    )
    due_on = forms.DateField(label=_("Échéance"), widget=DATE, required=False)
    source = forms.CharField(label=_("Source"), max_length=SOURCE_MAX, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=ActionStatus.choices)
    effective_on = forms.DateField(label=_("Depuis le"), widget=DATE)
    note = forms.CharField(
        label=_("Note sur l'action (jamais sur une personne)"), max_length=NOTE_MAX, required=False
    )


class BudgetForm(_Choices):
    edition = forms.ChoiceField(label=_("Plan"))
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Montant prévu (€)"), min_value=0, max_digits=12, decimal_places=2
    )
    source = forms.CharField(
        label=_("Source (vide : chiffre saisi par la coordination)"),
        max_length=SOURCE_MAX,
        required=False,
    )
    approximate = forms.BooleanField(label=_("Montant approximatif"), required=False)


class EvacuationForm(_Choices):
    place = forms.ChoiceField(label=_("Lieu de regroupement"))
    team = forms.ChoiceField(label=_("Équipe présente"))
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    people_present = forms.IntegerField(label=_("Personnes présentes"), min_value=0, max_value=5000)


class OrientedRow(_Choices):
    """One person oriented: the code, where to, and the site of the network when there is one."""

    code = forms.CharField(
        label=_("Code de la personne"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    destination_kind = forms.ChoiceField(
        label=_("Orientée vers"), choices=_blank(Destination.choices), required=False
    )
    destination_site = forms.ChoiceField(label=_("Site du réseau"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") and not data.get("destination_kind"):
            self.add_error("destination_kind", _("Indiquez où la personne a été orientée."))
        if data.get("destination_kind") and not data.get("code"):
            self.add_error("code", _("Indiquez le code de la personne."))
        return data


OrientedRows = forms.formset_factory(OrientedRow, extra=ROWS, max_num=ROWS, absolute_max=ROWS)
# Adding people after the evacuation is recorded: a few at a time.
MoreOrientedRows = forms.formset_factory(OrientedRow, extra=2, max_num=ROWS, absolute_max=ROWS)
