"""The person's situation: optional answers, "not asked" and "declined" apart, the care-only
answers (resources, prison release, pregnancy) written and read by care roles only, through the
services, the screens and the API; every read and write traced without an answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.pathway.enums import Asked, Coverage, Housing, Language, Product, Route, YesNo
from halte.pathway.models import Situation
from halte.pathway.selectors import situations_for_user
from halte.pathway.services import Answers, situation_record
from tests.pathway.conftest import CARE_ANSWERS, DESK_ANSWERS, Api

# What a care-only answer looks like on a page or in an answer (labels and codes).
CARE_ONLY_MARKERS = ("Autres ressources (non officielles)", "unofficial", "Grossesse")


def test_the_desk_records_what_the_person_said_and_keeps_declined_apart_from_not_asked(
    reception: User, desk: Site, person: Client
) -> None:
    situation = situation_record(actor=reception, site=desk, client=person, answers=DESK_ANSWERS)
    assert situation.asked_on == local_today()
    view = situations_for_user(reception, person)[0]
    assert view.housing.code == Housing.SQUAT
    assert view.products.code == "crack,heroin"
    assert view.age_first_use.code == Asked.DECLINED
    assert view.languages.code == Asked.NOT_ASKED
    assert view.care_only is None


def test_reception_cannot_write_a_care_only_answer_and_nothing_is_written(
    reception: User, desk: Site, person: Client
) -> None:
    with pytest.raises(DomainError):
        situation_record(actor=reception, site=desk, client=person, answers=CARE_ANSWERS)
    assert not Situation.objects.exists()


def test_the_nurse_reads_the_care_only_answers_reception_never_does(
    nurse: User, reception: User, desk: Site, person: Client
) -> None:
    situation_record(actor=nurse, site=desk, client=person, answers=CARE_ANSWERS)
    mine = situations_for_user(nurse, person)[0]
    assert mine.care_only is not None and mine.care_only.pregnancy.code == YesNo.YES
    assert situations_for_user(reception, person)[0].care_only is None


def test_asked_again_the_same_day_by_reception_the_care_only_answers_stay(
    nurse: User, reception: User, desk: Site, person: Client
) -> None:
    situation_record(actor=nurse, site=desk, client=person, answers=CARE_ANSWERS)
    situation_record(actor=reception, site=desk, client=person, answers=DESK_ANSWERS)
    situation = Situation.objects.get()
    assert situation.housing == Housing.SQUAT
    assert (situation.pregnancy, situation.prison_release) == (YesNo.YES, YesNo.YES)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (Answers(products_asked=Asked.ANSWERED), "products"),
        (Answers(products=(Product.CRACK,)), "products"),
        (Answers(routes_asked=Asked.ANSWERED, routes=("teleport",)), "routes"),
        (Answers(languages_asked=Asked.ANSWERED, languages=("fr", "fr")), "languages"),
        (Answers(age_first_use_asked=Asked.ANSWERED, age_first_use=3), "age_first_use"),
        (Answers(age_first_use_asked=Asked.DECLINED, age_first_use=15), "age_first_use"),
        (Answers(age_first_use_asked=Asked.ANSWERED, age_first_use=70), "age_first_use"),
        (Answers(housing="castle"), "housing"),
    ],
)
def test_an_impossible_answer_is_refused_with_its_field(
    answers: Answers, field: str, reception: User, desk: Site, person: Client
) -> None:
    with pytest.raises(DomainError) as refused:
        situation_record(actor=reception, site=desk, client=person, answers=answers)
    assert refused.value.field == field
    assert not Situation.objects.exists()


def test_a_date_in_the_future_or_too_old_is_refused(
    reception: User, desk: Site, person: Client
) -> None:
    for day in (local_today() + dt.timedelta(days=1), local_today() - dt.timedelta(days=40)):
        with pytest.raises(DomainError):
            situation_record(
                actor=reception, site=desk, client=person, answers=Answers(), asked_on=day
            )


_lists = {
    "products": st.lists(st.sampled_from(Product.values), unique=True, max_size=4),
    "routes": st.lists(st.sampled_from(Route.values), unique=True, max_size=3),
    "languages": st.lists(st.sampled_from(Language.values), unique=True, max_size=3),
}


@st.composite
def answers(draw: st.DrawFn) -> Answers:
    values: dict[str, object] = {
        "housing": draw(st.sampled_from(Housing.values)),
        "coverage": draw(st.sampled_from(Coverage.values)),
        "interpreter_needed": draw(st.sampled_from(YesNo.values)),
    }
    for name, strategy in _lists.items():
        chosen = draw(strategy)
        unset = draw(st.sampled_from([Asked.NOT_ASKED, Asked.DECLINED]))
        values[f"{name}_asked"] = Asked.ANSWERED if chosen else unset
        values[name] = tuple(chosen)
    return Answers(**values)  # type: ignore[arg-type]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_answers=answers())
def test_every_answer_reads_back_as_given(
    given_answers: Answers, reception: User, desk: Site, person: Client
) -> None:
    situation_record(actor=reception, site=desk, client=person, answers=given_answers)
    view = situations_for_user(reception, person)[0]
    assert view.housing.code == given_answers.housing
    assert view.coverage.code == given_answers.coverage
    for name in _lists:
        asked = getattr(given_answers, f"{name}_asked")
        expected = ",".join(getattr(given_answers, name)) if asked == Asked.ANSWERED else asked
        assert getattr(view, name).code == expected


def test_other_sites_staff_and_network_roles_do_not_see_the_situation(
    reception: User,
    desk: Site,
    person: Client,
    other_manager: User,
    coordinator: User,
    login: Callable[[User], HttpClient],
) -> None:
    situation_record(actor=reception, site=desk, client=person, answers=DESK_ANSWERS)
    for user in (other_manager, coordinator):
        assert Api(user).get(f"/clients/{person.public_id}/situations").status_code == 404
    url = reverse(
        "care:followup", kwargs={"site_id": desk.public_id, "client_id": person.public_id}
    )
    assert login(other_manager).get(url).status_code == 404


def test_every_write_and_read_is_traced_without_an_answer(
    nurse: User, desk: Site, person: Client, login: Callable[[User], HttpClient]
) -> None:
    situation = situation_record(actor=nurse, site=desk, client=person, answers=CARE_ANSWERS)
    url = reverse(
        "care:followup", kwargs={"site_id": desk.public_id, "client_id": person.public_id}
    )
    assert login(nurse).get(url).status_code == 200
    Api(nurse).get(f"/clients/{person.public_id}/situations")
    written = AuditEvent.objects.get(action="situation.recorded")
    assert written.object_id == str(situation.public_id)
    assert written.payload["answered"] == sorted(
        ["housing", "coverage", "resources", "prison_release", "pregnancy"]
    )
    reads = AuditEvent.objects.filter(action="situation.read", object_id=str(person.public_id))
    assert reads.count() == 2 and all(r.payload == {"sensitive": True} for r in reads)
    trail = str(list(AuditEvent.objects.values_list("payload", flat=True)))
    for value in ("unofficial", "street", "yes"):
        assert value not in trail
