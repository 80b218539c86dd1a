"""Forms of the care screens: coded choices, and one short note on a referral that only care
roles write and read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.care.enums import (
    GIVEN_ITEMS,
    HBV_DOSES,
    CareKind,
    DestinationKind,
    Item,
    PsychiatricOutcome,
    ReferralStatus,
    ScreeningResult,
    SocialKind,
    SocialOutcome,
    Vaccine,
)
from halte.care.services import MAX_LINE_QUANTITY, NOTE_MAX_LENGTH

YES_NO_UNKNOWN = [("", _("Non renseigné")), ("yes", _("Oui")), ("no", _("Non"))]


class CareActForm(forms.Form):
    kind = forms.ChoiceField(label=_("Acte"), choices=CareKind.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(
        label=_("Résultat du dépistage"),
        choices=[("", _("—")), *ScreeningResult.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    psychiatric_history = forms.ChoiceField(
        label=_("Antécédents psychiatriques"), choices=YES_NO_UNKNOWN, required=False
    )
    psychiatric_outcome = forms.ChoiceField(
        label=_("Suite de la consultation psychiatrique"),
        choices=[("", _("—")), *PsychiatricOutcome.choices],
        required=False,
    )
    naloxone_kit_given = forms.BooleanField(label=_("Kit de naloxone remis"), required=False)
    vaccine = forms.ChoiceField(
        label=_("Vaccin"),
        choices=[("", _("—")), *Vaccine.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    dose = forms.TypedChoiceField(
        label=_("Dose (hépatite B)"),
        choices=[("", _("—")), *((d, str(d)) for d in HBV_DOSES)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        history = {"yes": True, "no": False}.get(data["psychiatric_history"])
        return {
            "kind": data["kind"],
            "result": data["result"],
            "psychiatric_history": history,
            "psychiatric_outcome": data["psychiatric_outcome"],
            "naloxone_kit_given": data["naloxone_kit_given"],
            "vaccine": data["vaccine"],
            "dose": data["dose"],
        }


class SocialActForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Démarche"), choices=SocialKind.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Suite"),
        choices=SocialOutcome.choices,
        initial=SocialOutcome.DONE,
        widget=forms.RadioSelect,
    )


class ReferralForm(forms.Form):
    """The destination, the appointment if one is made, and, for care roles only
    (``with_note``), a short note for the care team: the one free text field here."""

    destination_kind = forms.ChoiceField(
        label=_("Vers"), choices=DestinationKind.choices, widget=forms.RadioSelect
    )
    destination_site = forms.ChoiceField(label=_("Site du réseau"), required=False)
    appointment_at = forms.DateTimeField(
        label=_("Rendez-vous (facultatif)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(
        label=_("Note pour l'équipe soignante (facultatif)"),
        help_text=_("Ce qu'il faut apporter, qui demander. Jamais de nom."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX_LENGTH}),
    )

    def __init__(
        self, *args: Any, sites: list[tuple[str, str]], with_note: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["destination_site"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— aucun —")), *sites]
        if not with_note:
            del self.fields["note"]


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=ReferralStatus.choices)


def _quantity_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_LINE_QUANTITY,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "qty"}),
    )


class QuantitiesForm(forms.Form):
    """One number per item; empty or zero means none. ``lines()`` gives (item, quantity)."""

    def __init__(self, *args: Any, items: tuple[str, ...] = tuple(Item.values), **kwargs: Any):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"q_{item}"] = _quantity_field(str(Item(item).label))

    def lines(self) -> list[tuple[str, int]]:
        return [
            (name.removeprefix("q_"), value)
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value
        ]


def receipt_form(data: Any = None) -> QuantitiesForm:
    return QuantitiesForm(data, items=tuple(GIVEN_ITEMS), prefix="receipt")


class CorrectionForm(forms.Form):
    item = forms.ChoiceField(label=_("Matériel"), choices=[(i.value, i.label) for i in GIVEN_ITEMS])
    counted = forms.IntegerField(label=_("Compté"), min_value=0, max_value=1_000_000)


class ThresholdForm(forms.Form):
    item = forms.ChoiceField(label=_("Matériel"), choices=[(i.value, i.label) for i in GIVEN_ITEMS])
    threshold = forms.IntegerField(label=_("Seuil d'alerte"), min_value=0, max_value=1_000_000)
