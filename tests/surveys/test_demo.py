"""The demo's past survey week: invented and said so, closed, with its questionnaires and
counters, loaded once however often the demo is loaded."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from halte.surveys.models import Questionnaire, SurveyWeek
from halte.surveys.selectors import week_table

pytestmark = pytest.mark.django_db


def test_the_demo_records_one_invented_closed_week_once() -> None:
    call_command("load_demo")
    call_command("load_demo")
    week = SurveyWeek.objects.get()
    assert week.synthetic and week.closed_at is not None and week.site.slug == "paris-hsa"
    assert Questionnaire.objects.filter(week=week, client__isnull=True).count() == 42
    table = week_table(week)
    assert table.by_reason == {"refused": 17, "unable": 6, "already_answered": 2}
    assert table.response_rate is not None and 60 < table.response_rate < 70
