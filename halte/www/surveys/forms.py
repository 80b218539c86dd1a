"""Forms of the survey week: open a week, the questionnaire (coded answers only, radio and
checkbox groups made to be tapped on a tablet), a non-respondent."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.network.models import Site
from halte.surveys.answers import Answers
from halte.surveys.enums import (
    NOT_GIVEN,
    ListAnswer,
    MainProduct,
    NonResponseReason,
    Sex,
    Substitution,
    SurveyCoverage,
    SurveyHousing,
    SurveyProduct,
    SurveyResources,
    SurveyRoute,
    YesNo,
)

_RADIO = forms.RadioSelect


class WeekOpenForm(forms.Form):
    site = forms.ChoiceField(label=_("Site"))
    starts_on = forms.DateField(
        label=_("Premier jour"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    edition_year = forms.IntegerField(
        label=_("Édition nationale (année)"),
        required=False,
        min_value=2006,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {str(s.public_id): s for s in sites}
        cast("forms.ChoiceField", self.fields["site"]).choices = [
            (k, s.name) for k, s in self.sites.items()
        ]

    def chosen_site(self) -> Site:
        return self.sites[self.cleaned_data["site"]]


def _single(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, initial=NOT_GIVEN, widget=_RADIO, required=False
    )


def _many(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class QuestionnaireForm(forms.Form):
    """The questionnaire. Every item starts at "non renseigné" or at what the prefill found; a
    list ticked is answered, an empty list is answered "none" only when "aucun" is ticked."""

    day = forms.DateField(
        label=_("Jour"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sex = _single(_("Sexe"), Sex.choices)
    birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    housing = _single(_("Logement"), SurveyHousing.choices)
    resources = _single(_("Ressources principales"), SurveyResources.choices)
    coverage = _single(_("Couverture santé"), SurveyCoverage.choices)
    products = _many(_("Produits consommés (30 derniers jours)"), SurveyProduct.choices)
    no_product = forms.BooleanField(label=_("Aucun produit"), required=False)
    main_product = _single(_("Produit principal"), MainProduct.choices)
    routes = _many(_("Voies d'administration (30 derniers jours)"), SurveyRoute.choices)
    no_route = forms.BooleanField(label=_("Aucune"), required=False)
    injected_30d = _single(_("Injection dans les 30 derniers jours"), YesNo.choices)
    shared_material = _single(
        _("Partage de matériel (seringue, pipe, paille…) dans les 30 derniers jours"),
        YesNo.choices,
    )
    hiv_tested_12m = _single(_("Dépistage VIH dans les 12 derniers mois"), YesNo.choices)
    hiv_result_known = _single(_("Résultat VIH connu"), YesNo.choices)
    hcv_tested_12m = _single(_("Dépistage VHC dans les 12 derniers mois"), YesNo.choices)
    hcv_result_known = _single(_("Résultat VHC connu"), YesNo.choices)
    substitution = _single(_("Traitement de substitution en cours"), Substitution.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, none in (("products", "no_product"), ("routes", "no_route")):
            if data.get(none) and data.get(name):
                self.add_error(name, _("Des réponses, ou « aucun » : pas les deux."))
        return data

    def answers(self) -> Answers:
        data = self.cleaned_data

        def single(name: str) -> str:
            return data.get(name) or NOT_GIVEN

        def given(name: str, none: str) -> str:
            return ListAnswer.GIVEN if data.get(name) or data.get(none) else NOT_GIVEN

        return Answers(
            sex=single("sex"),
            birth_year=data.get("birth_year"),
            housing=single("housing"),
            resources=single("resources"),
            coverage=single("coverage"),
            products_given=given("products", "no_product"),
            products=tuple(data.get("products") or ()),
            main_product=single("main_product"),
            routes_given=given("routes", "no_route"),
            routes=tuple(data.get("routes") or ()),
            injected_30d=single("injected_30d"),
            shared_material=single("shared_material"),
            hiv_tested_12m=single("hiv_tested_12m"),
            hiv_result_known=single("hiv_result_known"),
            hcv_tested_12m=single("hcv_tested_12m"),
            hcv_result_known=single("hcv_result_known"),
            substitution=single("substitution"),
        )


def initial_from(answers: Answers, day: dt.date) -> dict[str, Any]:
    """The form's starting values from prefilled answers."""
    values = answers.as_fields()
    values["day"] = day
    values["no_product"] = answers.products_given == ListAnswer.GIVEN and not answers.products
    values["no_route"] = answers.routes_given == ListAnswer.GIVEN and not answers.routes
    return {k: v for k, v in values.items() if k not in ("products_given", "routes_given")}


class NonRespondentForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=NonResponseReason.choices)
    day = forms.DateField(label=_("Jour"), required=False)
    remove = forms.BooleanField(required=False)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code de la personne"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
