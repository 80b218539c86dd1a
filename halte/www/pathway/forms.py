"""Forms of the situation and pathway screens: coded choices only, no free text about a person.
The situation form is made to be run through in under a minute at the desk: every question is
pre-set to "not asked", so skipping one is not touching it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from halte.pathway.enums import (
    AccompanimentOutcome,
    AccompanimentPlace,
    Asked,
    Coverage,
    DocumentKind,
    Housing,
    Infection,
    InterpretingMode,
    Language,
    Method,
    Place,
    Product,
    Resources,
    Route,
    SocialFilePurpose,
    Stage,
    StepOutcome,
    TeamRole,
    YesNo,
)
from halte.pathway.models import MAX_AGE_FIRST_USE, MIN_AGE_FIRST_USE
from halte.pathway.services import Answers
from halte.pathway.socialfile import Document, Identity

_RADIO = forms.RadioSelect
_UNSET = [
    (Asked.NOT_ASKED, Asked.NOT_ASKED.label),
    (Asked.DECLINED, Asked.DECLINED.label),
]


def _single(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, initial=Asked.NOT_ASKED, widget=_RADIO, required=False
    )


def _many(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class SituationForm(forms.Form):
    """The situation. A list (products, routes, languages) is answered by ticking; "declined"
    is its own box. The care-only questions are present for care roles only (``care_only``)."""

    housing = _single(_("Logement"), Housing.choices)
    coverage = _single(_("Couverture santé"), Coverage.choices)
    products = _many(_("Produits consommés (30 derniers jours)"), Product.choices)
    products_declined = forms.BooleanField(label=_("Ne souhaite pas répondre"), required=False)
    routes = _many(_("Voies d'administration (30 derniers jours)"), Route.choices)
    routes_declined = forms.BooleanField(label=_("Ne souhaite pas répondre"), required=False)
    age_first_use = forms.IntegerField(
        label=_("Âge à la première consommation"),
        min_value=MIN_AGE_FIRST_USE,
        max_value=MAX_AGE_FIRST_USE,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    age_first_use_declined = forms.BooleanField(label=_("Ne souhaite pas répondre"), required=False)
    languages = _many(_("Langues parlées"), Language.choices)
    interpreter_needed = _single(_("Besoin d'un interprète"), YesNo.choices)
    resources = _single(_("Ressources principales"), Resources.choices)
    prison_release = _single(_("Sortie de prison dans les 12 derniers mois"), YesNo.choices)
    pregnancy = _single(_("Grossesse en cours"), YesNo.choices)

    def __init__(self, *args: Any, care_only: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not care_only:
            for name in ("resources", "prison_release", "pregnancy"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("products", "routes", "age_first_use"):
            value = data.get(name)
            if data.get(f"{name}_declined") and value not in (None, [], ""):
                self.add_error(
                    name, _("Une réponse, ou « ne souhaite pas répondre » : pas les deux.")
                )
        return data

    def answers(self) -> Answers:
        data = self.cleaned_data

        def asked(name: str) -> str:
            if data.get(f"{name}_declined"):
                return Asked.DECLINED
            return Asked.ANSWERED if data.get(name) not in (None, [], "") else Asked.NOT_ASKED

        def single(name: str) -> str:
            return data.get(name) or Asked.NOT_ASKED

        return Answers(
            housing=single("housing"),
            coverage=single("coverage"),
            resources=single("resources"),
            products_asked=asked("products"),
            products=tuple(data.get("products") or ()),
            routes_asked=asked("routes"),
            routes=tuple(data.get("routes") or ()),
            age_first_use_asked=asked("age_first_use"),
            age_first_use=data.get("age_first_use"),
            languages_asked=Asked.ANSWERED if data.get("languages") else Asked.NOT_ASKED,
            languages=tuple(data.get("languages") or ()),
            interpreter_needed=single("interpreter_needed"),
            prison_release=single("prison_release"),
            pregnancy=single("pregnancy"),
        )


class PathwayOpenForm(forms.Form):
    infection = forms.ChoiceField(label=_("Infection"), choices=Infection.choices, widget=_RADIO)
    screening = forms.ChoiceField(label=_("Dépistage positif"), required=False)
    tested_on = forms.DateField(
        label=_("ou date du dépistage fait ailleurs"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, screenings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["screening"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— test fait ailleurs —")), *screenings]


class PathwayStepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Étape"), choices=Stage.choices, widget=_RADIO)
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    method = forms.ChoiceField(
        label=_("Examen"), choices=[("", _("—")), *Method.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Résultat"),
        choices=[("", _("—")), *StepOutcome.choices],
        required=False,
        widget=_RADIO,
    )
    place = forms.ChoiceField(label=_("Lieu"), choices=Place.choices)
    place_site = forms.ChoiceField(label=_("Site du réseau"), required=False)

    def __init__(self, *args: Any, sites: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place_site"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("—")), *sites]


class AccompanimentForm(forms.Form):
    place = forms.ChoiceField(label=_("Où"), choices=AccompanimentPlace.choices, widget=_RADIO)
    role = forms.ChoiceField(label=_("Accompagné·e par (rôle)"), choices=TeamRole.choices)
    minutes = forms.IntegerField(
        label=_("Durée (minutes)"),
        min_value=5,
        max_value=720,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    outcome = forms.ChoiceField(
        label=_("Suite"),
        choices=AccompanimentOutcome.choices,
        initial=AccompanimentOutcome.DONE,
        widget=_RADIO,
    )
    done_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class InterpretingForm(forms.Form):
    language = forms.ChoiceField(label=_("Langue"), choices=Language.choices)
    mode = forms.ChoiceField(label=_("Modalité"), choices=InterpretingMode.choices, widget=_RADIO)
    minutes = forms.IntegerField(
        label=_("Durée (minutes, facultatif)"),
        min_value=1,
        max_value=480,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


DOCUMENT_ROWS = 3


class SocialFileForm(forms.Form):
    """The identity and documents of a consented social file. With ``opening``, the consent is
    asked (a box to tick, its date) and the purpose; it is the one form of Halte that takes a
    name, and it only ever goes to ``socialfile`` to be sealed."""

    family_name = forms.CharField(label=_("Nom"), max_length=80)
    given_names = forms.CharField(label=_("Prénom(s)"), max_length=80)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    purpose = forms.ChoiceField(label=_("Démarche"), choices=SocialFilePurpose.choices)

    def __init__(self, *args: Any, opening: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for n in range(DOCUMENT_ROWS):
            self.fields[f"doc_kind_{n}"] = forms.ChoiceField(
                label=_("Document"),
                choices=[("", "—"), *DocumentKind.choices],
                required=False,
            )
            self.fields[f"doc_ref_{n}"] = forms.CharField(
                label=_("Référence (numéro)"), max_length=60, required=False
            )
        if opening:
            self.fields["consent"] = forms.BooleanField(
                label=_(
                    "La personne consent à ce que l'équipe sociale du site garde son identité "
                    "pour cette démarche ; elle sait qu'elle peut en demander la suppression."
                ),
                required=True,
            )
            self.fields["consent_on"] = forms.DateField(
                label=_("Consentement recueilli le"),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def document_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"doc_kind_{n}"], self[f"doc_ref_{n}"]) for n in range(DOCUMENT_ROWS)]

    def identity(self) -> Identity:
        data = self.cleaned_data
        documents = tuple(
            Document(data[f"doc_kind_{n}"], data[f"doc_ref_{n}"])
            for n in range(DOCUMENT_ROWS)
            if data.get(f"doc_kind_{n}") or data.get(f"doc_ref_{n}")
        )
        return Identity(
            family_name=data["family_name"],
            given_names=data["given_names"],
            birth_date=data.get("birth_date"),
            documents=documents,
        )

    @classmethod
    def initial_from(cls, identity: Identity, purpose: str) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "family_name": identity.family_name,
            "given_names": identity.given_names,
            "birth_date": identity.birth_date,
            "purpose": purpose,
        }
        for n, document in enumerate(identity.documents[:DOCUMENT_ROWS]):
            initial[f"doc_kind_{n}"] = document.kind
            initial[f"doc_ref_{n}"] = document.reference
        return initial
