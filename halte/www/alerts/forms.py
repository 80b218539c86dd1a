"""Forms of the alert screens: coded choices and short product labels, never text about a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.alerts import enums
from halte.alerts.models import OTHER_LABEL_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class SampleNewForm(forms.Form):
    site = forms.ChoiceField(label=_("Site ou équipe"))
    collected_on = forms.DateField(label=_("Date de collecte"), widget=DATE)
    sold_as = forms.ChoiceField(label=_("Vendu comme"), choices=enums.SampleProduct.choices)
    sold_as_other = forms.CharField(
        label=_("Si autre : lequel"), max_length=OTHER_LABEL_MAX, required=False
    )
    believed = forms.ChoiceField(label=_("Cru être"), choices=enums.SampleProduct.choices)
    believed_other = forms.CharField(
        label=_("Si autre : lequel"), max_length=OTHER_LABEL_MAX, required=False
    )
    form = forms.ChoiceField(label=_("Aspect"), choices=enums.SampleForm.choices)
    route = forms.ChoiceField(label=_("Voie"), choices=enums.SampleRoute.choices)
    circumstance = forms.ChoiceField(
        label=_("Circonstance"), choices=enums.Circumstance.choices, widget=forms.RadioSelect
    )
    incident = forms.ChoiceField(label=_("Incident lié"), required=False)
    sent_to = forms.ChoiceField(
        label=_("Envoyé à"), choices=_blank(enums.Destination.choices), required=False
    )
    sent_on = forms.DateField(label=_("Date d'envoi"), widget=DATE, required=False)

    def __init__(
        self,
        *args: Any,
        sites: list[tuple[str, str]],
        incidents: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        site, incident = self.fields["site"], self.fields["incident"]
        assert isinstance(site, forms.ChoiceField) and isinstance(incident, forms.ChoiceField)
        site.choices = sites
        incident.choices = _blank(incidents)


class SendForm(forms.Form):
    sent_to = forms.ChoiceField(label=_("Envoyé à"), choices=enums.Destination.choices)
    sent_on = forms.DateField(label=_("Date d'envoi"), widget=DATE, required=False)


class SubstanceRowForm(forms.Form):
    substance = forms.ChoiceField(
        label=_("Substance"), choices=_blank(enums.Substance.choices), required=False
    )
    role = forms.ChoiceField(
        label=_("Rôle"), choices=enums.SubstanceRole.choices, initial=enums.SubstanceRole.ACTIVE
    )
    purity = forms.DecimalField(
        label=_("Pureté (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        required=False,
        localize=True,
    )
    label = forms.CharField(label=_("Précision"), max_length=OTHER_LABEL_MAX, required=False)


SubstanceRows = forms.formset_factory(SubstanceRowForm, extra=5, max_num=12)


class ResultDateForm(forms.Form):
    result_on = forms.DateField(label=_("Date du résultat"), widget=DATE)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV du laboratoire"))


class AlertForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Gravité"), choices=enums.Severity.choices, widget=forms.RadioSelect
    )
    product = forms.ChoiceField(label=_("Produit"), choices=enums.SampleProduct.choices)
    title = forms.CharField(label=_("Titre"), max_length=120)
    looks_like = forms.CharField(
        label=_("À quoi ressemble le produit"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seen_in = forms.CharField(
        label=_("Où il a été vu (secteur, arrondissement ou commune)"), max_length=160
    )
    advice = forms.CharField(
        label=_("Ce qu'il faut dire aux personnes"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    valid_until = forms.DateTimeField(
        label=_("Valable jusqu'au"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    all_sites = forms.BooleanField(label=_("Tout le réseau"), required=False)
    sites = forms.MultipleChoiceField(
        label=_("Sites et équipes visés"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_public = forms.BooleanField(
        label=_("Publier pour les partenaires (page publique et flux)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, sites: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sites"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = sites
