"""A job's page follows the job in a real browser while it runs, and stops asking once it has
ended (the browser's clock is driven by the test: no waiting for real seconds)."""

from __future__ import annotations

from typing import Any

import pytest

from halte.accounts.models import User
from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.services import job_enqueue
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_job_page_stops_polling_when_the_job_is_done(
    browser: Any, live_server: Any, coordinator: User
) -> None:
    job = job_enqueue("reports.refresh_rollups", actor=coordinator)
    page = browser.new_page(locale="fr-FR")
    page.clock.install()
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.goto(f"{live_server.url}/travaux/{job.public_id}/")
    page.wait_for_selector("#job[data-refresh-url] .job-waiting")
    # Count, in the page, every request the live part makes.
    page.evaluate(
        "() => { window.polls = 0; const ask = window.fetch;"
        " window.fetch = (...args) => { window.polls += 1; return ask(...args); }; }"
    )

    with page.expect_response(lambda r: "partial=1" in r.url):
        page.clock.run_for(3_000)  # still waiting: asked again, and again later
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, progress=100)
    with page.expect_response(lambda r: "partial=1" in r.url):
        page.clock.run_for(3_000)
    page.wait_for_selector("#job .job-done[data-refresh-stop]")
    assert page.evaluate("window.polls") == 2
    page.clock.run_for(60_000)  # a minute later: not asked once more
    assert page.evaluate("window.polls") == 2
    page.close()
