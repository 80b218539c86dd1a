"""One questionnaire's answers as plain values, checked before anything is written: the screens,
the API and the prefill all speak this shape."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from halte.core.errors import DomainError
from halte.surveys.enums import (
    NO_MAIN_PRODUCT,
    NOT_GIVEN,
    ListAnswer,
    MainProduct,
    Sex,
    Substitution,
    SurveyCoverage,
    SurveyHousing,
    SurveyProduct,
    SurveyResources,
    SurveyRoute,
    YesNo,
)

OLDEST_BIRTH_YEAR = 1920
YOUNGEST_AGE = 12

SINGLE_CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "housing": SurveyHousing,
    "resources": SurveyResources,
    "coverage": SurveyCoverage,
    "products_given": ListAnswer,
    "main_product": MainProduct,
    "routes_given": ListAnswer,
    "injected_30d": YesNo,
    "shared_material": YesNo,
    "hiv_tested_12m": YesNo,
    "hiv_result_known": YesNo,
    "hcv_tested_12m": YesNo,
    "hcv_result_known": YesNo,
    "substitution": Substitution,
}


@dataclass(frozen=True)
class Answers:
    """Every item of the questionnaire; "non renseigné" by default."""

    sex: str = NOT_GIVEN
    birth_year: int | None = None
    housing: str = NOT_GIVEN
    resources: str = NOT_GIVEN
    coverage: str = NOT_GIVEN
    products_given: str = NOT_GIVEN
    products: tuple[str, ...] = field(default_factory=tuple)
    main_product: str = NOT_GIVEN
    routes_given: str = NOT_GIVEN
    routes: tuple[str, ...] = field(default_factory=tuple)
    injected_30d: str = NOT_GIVEN
    shared_material: str = NOT_GIVEN
    hiv_tested_12m: str = NOT_GIVEN
    hiv_result_known: str = NOT_GIVEN
    hcv_tested_12m: str = NOT_GIVEN
    hcv_result_known: str = NOT_GIVEN
    substitution: str = NOT_GIVEN

    def replace(self, **changes: object) -> Answers:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def as_fields(self) -> dict[str, object]:
        values = dataclasses.asdict(self)
        values["products"] = list(self.products)
        values["routes"] = list(self.routes)
        return values


def _listed(values: tuple[str, ...], known: list[str], message: str, name: str) -> None:
    if any(v not in known for v in values):
        raise DomainError(message, field=name)
    if len(set(values)) != len(values):
        raise DomainError(_("Une réponse est cochée deux fois."), field=name)


def answers_check(answers: Answers, *, day: dt.date) -> Answers:
    """The answers if they hold together; a ``DomainError`` naming the item otherwise. Lists are
    returned sorted in the order of their choices."""
    for name, choices in SINGLE_CHOICES.items():
        if getattr(answers, name) not in choices.values:
            raise DomainError(_("Réponse inconnue."), field=name)
    if answers.birth_year is not None and not (
        OLDEST_BIRTH_YEAR <= answers.birth_year <= day.year - YOUNGEST_AGE
    ):
        raise DomainError(
            _("Année de naissance impossible : entre %(a)s et %(b)s.")
            % {"a": OLDEST_BIRTH_YEAR, "b": day.year - YOUNGEST_AGE},
            field="birth_year",
        )
    _listed(answers.products, SurveyProduct.values, _("Produit inconnu."), "products")
    _listed(answers.routes, SurveyRoute.values, _("Voie inconnue."), "routes")
    if answers.products_given == NOT_GIVEN and answers.products:
        raise DomainError(
            _("Des produits sont cochés : la question est renseignée."), field="products_given"
        )
    if answers.routes_given == NOT_GIVEN and answers.routes:
        raise DomainError(
            _("Des voies sont cochées : la question est renseignée."), field="routes_given"
        )
    main = answers.main_product
    if main not in (NOT_GIVEN, NO_MAIN_PRODUCT) and main not in answers.products:
        raise DomainError(
            _("Le produit principal est l'un des produits des 30 derniers jours : cochez-le."),
            field="main_product",
        )
    if SurveyRoute.INJECTION in answers.routes and answers.injected_30d == YesNo.NO:
        raise DomainError(
            _("L'injection est cochée parmi les voies : la réponse « injection » est oui."),
            field="injected_30d",
        )
    for infection in ("hiv", "hcv"):
        tested = getattr(answers, f"{infection}_tested_12m")
        known = getattr(answers, f"{infection}_result_known")
        if tested != YesNo.YES and known != NOT_GIVEN:
            raise DomainError(
                _("Un résultat connu suppose un dépistage dans les 12 derniers mois."),
                field=f"{infection}_result_known",
            )
    return answers.replace(
        products=tuple(v for v in SurveyProduct.values if v in answers.products),
        routes=tuple(v for v in SurveyRoute.values if v in answers.routes),
    )
