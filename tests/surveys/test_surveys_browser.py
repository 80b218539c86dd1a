"""The survey week in a real browser on a phone (390 px): the manager opens the week; a person who
came today is asked from their page, the questionnaire arrives prefilled from their record and
situation, one answer is changed and it is recorded; a refusal is counted; the results file is
downloaded and read."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.clients.services import client_register
from halte.network.models import Site
from halte.pathway.enums import Asked, Housing
from halte.pathway.services import Answers as SituationAnswers
from halte.pathway.services import situation_record
from halte.surveys.models import Questionnaire, SurveyWeek
from halte.visits.services import visit_open
from tests.browser import assert_no_sideways_scroll, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_week_is_opened_a_prefilled_questionnaire_recorded_a_refusal_counted_and_exported(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    base = live_server.url
    paris = Site.objects.get(slug="paris-hsa")
    reception = User.objects.get(username="reception-paris")
    person, _ = client_register(
        actor=reception,
        site=paris,
        family_name="Durand",
        given_name="Lucie",
        birth_date=dt.date(1984, 3, 9),
        sex="woman",
    )
    visit_open(actor=reception, site=paris, client=person, purposes=["material"])
    situation_record(
        actor=reception,
        site=paris,
        client=person,
        answers=SituationAnswers(
            housing=Housing.SQUAT,
            products_asked=Asked.ANSWERED,
            products=("crack",),
            routes_asked=Asked.ANSWERED,
            routes=("inhalation",),
        ),
    )

    phone = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = phone.new_page()
    log_in(page, base, "manager-paris")

    # The manager opens this week at the room.
    page.goto(f"{base}/enquetes/")
    page.select_option("#id_site", str(paris.public_id))
    shot(page, "surveys-01-open")
    page.click("[data-testid=open-week] button[type=submit]")
    page.wait_for_selector("[data-testid=week-summary]")
    week = SurveyWeek.objects.get(site=paris, closed_at__isnull=True)
    assert_no_sideways_scroll(page)

    # From the person's page: the reminder, then the questionnaire prefilled.
    page.goto(f"{base}/personnes/{person.public_id}/")
    reminder = page.locator("[data-testid=survey-reminder]")
    assert "ENa-CAARUD" in reminder.inner_text()
    reminder.locator("a").click()
    page.wait_for_selector("[data-testid=questionnaire-form]")
    assert page.is_checked("input[name=sex][value=woman]")
    assert page.is_checked("input[name=housing][value=squat]")
    assert page.is_checked("input[name=products][value=crack]")
    assert page.is_checked("input[name=injected_30d][value=no]")
    assert page.input_value("#id_birth_year") == "1984"
    assert page.locator("[data-prefilled=housing]").count() == 1
    assert_no_sideways_scroll(page)
    page.check("input[name=housing][value=street]")
    page.check("input[name=main_product][value=crack]")
    page.check("input[name=shared_material][value=no]")
    shot(page, "surveys-02-questionnaire")
    page.click("[data-testid=questionnaire-form] button[type=submit]")
    page.wait_for_selector("[data-testid=week-summary]")
    assert page.inner_text("[data-testid=questionnaire-count]") == "1"
    recorded = Questionnaire.objects.get(week=week)
    assert (recorded.housing, recorded.main_product, recorded.client) == ("street", "crack", person)
    assert person.situations.get().housing == Housing.SQUAT  # the survey leaves it alone

    # Back on the person's page, the reminder says they answered.
    page.goto(f"{base}/personnes/{person.public_id}/")
    assert "déjà répondu" in page.inner_text("[data-testid=survey-reminder]")

    # Someone else refuses: counted, never linked.
    page.goto(f"{base}/enquetes/{week.public_id}/")
    page.click("button[data-reason=refused]")
    page.wait_for_selector("[data-testid=non-respondent-count]:has-text('1')")
    assert page.inner_text("[data-testid=response-rate]") == "50,0 %"
    shot(page, "surveys-03-week")
    assert_no_sideways_scroll(page)

    # The results file.
    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    assert download.value.suggested_filename == f"ena-caarud_paris-hsa_{week.edition_year}.xlsx"
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = [list(r) for r in book["Questionnaires"].iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "numero")
    first = dict(zip(header, rows[rows.index(header) + 1], strict=True))
    assert (first["numero"], first["sexe"], first["logement"]) == (1, "woman", "street")
    assert person.code not in str(rows)
    non_respondents = [list(r) for r in book["Non-répondants"].iter_rows(values_only=True)]
    assert non_respondents[-1][:2] == ["total", 1]
    phone.close()
