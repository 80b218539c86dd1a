"""Forms of the care screens: coded choices, and one short note on a referral that only care
roles write and read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.care.catalogue import active_items
from halte.care.enums import (
    HBV_DOSES,
    CareKind,
    Channel,
    DestinationKind,
    MaterialCategory,
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


Choices = list[tuple[str, str]]


def visit_items() -> Choices:
    """Every active item of the catalogue, given ones first, then what is collected."""
    items = active_items()
    return [(i.code, i.label) for i in items if not i.collected] + [
        (i.code, i.label) for i in items if i.collected
    ]


def stock_items() -> Choices:
    """The active items that have a stock (not what is collected)."""
    return [(i.code, i.label) for i in active_items() if not i.collected]


class QuantitiesForm(forms.Form):
    """One number per catalogue item; empty or zero means none. ``lines()`` gives (code,
    quantity). ``items`` is read once per page (``visit_items`` or ``stock_items``)."""

    def __init__(self, *args: Any, items: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for code, label in items:
            self.fields[f"q_{code}"] = _quantity_field(label)

    def lines(self) -> list[tuple[str, int]]:
        return [
            (name.removeprefix("q_"), value)
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value
        ]


class BulkForm(QuantitiesForm):
    """Material given in bulk, through one channel (desk, vending machine, pharmacy…; the desk
    when none is chosen)."""

    def channel(self) -> str:
        return str(self.cleaned_data.get("channel") or Channel.DESK)

    def __init__(self, *args: Any, items: Choices, **kwargs: Any):
        super().__init__(*args, items=items, **kwargs)
        self.fields["channel"] = forms.ChoiceField(
            label=_("Canal"), choices=Channel.choices, initial=Channel.DESK, required=False
        )
        self.order_fields(["channel"])


def receipt_form(data: Any = None, *, items: Choices) -> QuantitiesForm:
    return QuantitiesForm(data, items=items, prefix="receipt")


class _ItemForm(forms.Form):
    def __init__(self, *args: Any, items: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.ChoiceField(label=_("Matériel"), choices=items)
        self.order_fields(["item"])


class CorrectionForm(_ItemForm):
    counted = forms.IntegerField(label=_("Compté"), min_value=0, max_value=1_000_000)


class ThresholdForm(_ItemForm):
    threshold = forms.IntegerField(label=_("Seuil d'alerte"), min_value=0, max_value=1_000_000)


class LotForm(_ItemForm):
    lot_number = forms.CharField(label=_("Numéro de lot"), max_length=40)
    expires_on = forms.DateField(
        label=_("Péremption"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=MAX_LINE_QUANTITY)


def _parse_contents(text: str) -> list[tuple[str, int]]:
    """``syringe_1ml:2, cup:2`` → [("syringe_1ml", 2), ("cup", 2)]."""
    parts = []
    for chunk in text.replace(";", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        code, sep, quantity = chunk.partition(":")
        if not sep or not quantity.strip().isdigit():
            raise forms.ValidationError(
                _("Contenu : « code:quantité » séparés par des virgules (ex. syringe_1ml:2).")
            )
        parts.append((code.strip(), int(quantity)))
    return parts


class CatalogueItemForm(forms.Form):
    """Add an item to the catalogue, or revise one (same code: a new version)."""

    code = forms.SlugField(label=_("Code"), max_length=32)
    label = forms.CharField(label=_("Libellé"), max_length=80)
    category = forms.ChoiceField(label=_("Famille"), choices=MaterialCategory.choices)
    syringe_equivalents = forms.IntegerField(
        label=_("Équivalents seringues (article simple)"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    contents = forms.CharField(
        label=_("Contenu du kit (code:quantité, …)"), max_length=400, required=False
    )
    collected = forms.BooleanField(label=_("Matériel récupéré (sans stock)"), required=False)
    tracks_lots = forms.BooleanField(label=_("Suivi des lots et péremptions"), required=False)

    def clean_contents(self) -> list[tuple[str, int]]:
        return _parse_contents(self.cleaned_data.get("contents") or "")

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["syringe_equivalents"] = data.get("syringe_equivalents") or 0
        data["components"] = data.pop("contents")
        return data
