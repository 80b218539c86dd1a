"""The cast of the care tests (the Paris desk open around the clock, a person, a visit, the
educator) and the ways to record a situation and a positive test."""

from __future__ import annotations

import pytest

from halte.accounts.models import User
from halte.care.models import CareAct
from halte.care.services import care_act_record
from halte.pathway.enums import Asked, Coverage, Housing, Product, Resources, Route, YesNo
from halte.pathway.services import Answers
from halte.visits.models import Visit
from tests.care.conftest import Api, desk, educator, person, visit  # noqa: F401 - fixtures

__all__ = ["Api"]

DESK_ANSWERS = Answers(
    housing=Housing.SQUAT,
    coverage=Coverage.AME,
    products_asked=Asked.ANSWERED,
    products=(Product.CRACK, Product.HEROIN),
    routes_asked=Asked.ANSWERED,
    routes=(Route.INHALATION, Route.INJECTION),
    age_first_use_asked=Asked.DECLINED,
)

CARE_ANSWERS = Answers(
    housing=Housing.STREET,
    coverage=Coverage.NONE,
    resources=Resources.UNOFFICIAL,
    prison_release=YesNo.YES,
    pregnancy=YesNo.YES,
)


@pytest.fixture
def positive_hcv(nurse: User, visit: Visit) -> CareAct:  # noqa: F811 - the fixture
    return care_act_record(actor=nurse, visit=visit, kind="trod_hcv", result="positive")
