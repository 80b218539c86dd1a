"""The jobs page and a report file prepared in the background, through the screens: who sees
which job, the file for its requester only, a failure in plain words, a page that keeps to its
query budget whatever the number of jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.runner import run
from halte.jobs.services import job_enqueue
from halte.network.models import Site
from halte.reports.jobs import export_path

Login = Callable[[User], HttpClient]
NETWORK_YEAR = {
    "framework": "hsa-annual",
    "start": "2025-01-01",
    "end": "2025-12-31",
    "format": "xlsx",
}


def test_a_network_year_file_is_prepared_then_downloaded_by_who_asked(
    login: Login, coordinator: User, admin_user: User, site: Site
) -> None:
    http = login(coordinator)
    # A GET changes nothing: it offers to prepare the file.
    offer = http.get(reverse("reports:index"), NETWORK_YEAR)
    assert offer.status_code == 200 and "Préparer le fichier" in offer.text
    assert not Job.objects.exists()
    asked = http.post(reverse("reports:export"), NETWORK_YEAR)
    job = Job.objects.get(kind="reports.export")
    assert asked.status_code == 302 and asked["Location"] == reverse(
        "jobs:detail", kwargs={"job_id": job.public_id}
    )
    assert job.params == {
        "framework": "hsa-annual",
        "site": "",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "external": False,
        "format": "xlsx",
    }
    waiting = http.get(asked["Location"])
    live = f'data-refresh-url="{asked["Location"]}?partial=1"'
    assert "En attente" in waiting.text and live in waiting.text and "www/live.js" in waiting.text
    assert "http-equiv" not in waiting.text  # the live part reloads, not the whole page
    assert run(job.pk) == "done"  # what the worker does
    part = http.get(asked["Location"], {"partial": "1"}).text  # what the waiting page polls
    assert "Télécharger" in part and "<h1>" not in part
    ready = http.get(asked["Location"])
    assert "Télécharger" in ready.text and "data-refresh-url" not in ready.text
    file = http.get(reverse("jobs:file", kwargs={"job_id": job.public_id}))
    assert file.status_code == 200
    assert b"".join(file.streaming_content)[:2] == b"PK"
    assert "attachment" in file["Content-Disposition"]
    # An admin sees the job on the list, but the file is its requester's.
    other = login(admin_user)
    assert other.get(reverse("jobs:detail", kwargs={"job_id": job.public_id})).status_code == 200
    assert other.get(reverse("jobs:file", kwargs={"job_id": job.public_id})).status_code == 404
    # The file goes with its job.
    path = export_path(str(job.public_id), "xlsx")
    assert path.exists()
    job.delete()
    assert not path.exists()


def test_a_site_s_month_file_is_still_served_at_once(
    login: Login, manager: User, site: Site
) -> None:
    http = login(manager)
    response = http.get(
        reverse("reports:index"),
        {
            "framework": "hsa-annual",
            "site": site.public_id,
            "start": "2025-03-01",
            "end": "2025-03-31",
            "format": "csv",
        },
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert not Job.objects.exists()


def test_site_staff_see_their_own_jobs_only_and_others_are_not_revealed(
    login: Login, coordinator: User, nurse: User
) -> None:
    theirs = job_enqueue("reports.refresh_rollups", actor=coordinator)
    mine = job_enqueue("reports.refresh_rollups", actor=nurse)
    http = login(nurse)
    listing = http.get(reverse("jobs:list"))
    assert listing.status_code == 200
    assert str(mine.public_id) in listing.text and str(theirs.public_id) not in listing.text
    assert http.get(reverse("jobs:detail", kwargs={"job_id": theirs.public_id})).status_code == 404
    assert http.post(reverse("jobs:cancel", kwargs={"job_id": theirs.public_id})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == JobStatus.WAITING


def test_the_coordinator_sees_every_state_with_its_failure_and_duration(
    login: Login, coordinator: User
) -> None:
    done = job_enqueue("reports.refresh_rollups")
    run(done.pk)
    failed = job_enqueue("reports.export", actor=coordinator, params={"format": "xlsx"})
    Job.objects.filter(pk=failed.pk).update(
        status=JobStatus.FAILED, failure="Ce compte ne peut plus lire ce rapport."
    )
    waiting = job_enqueue("lodging.extend_stays")
    http = login(coordinator)
    page = http.get(reverse("jobs:list")).text
    assert "Mise à jour des cumuls des rapports" in page and "planifié" in page
    assert "Ce compte ne peut plus lire ce rapport." in page
    assert "Traceback" not in page
    only_failed = http.get(reverse("jobs:list"), {"etat": "failed"}).text
    assert str(failed.public_id) in only_failed and str(waiting.public_id) not in only_failed
    # A job is waiting: the list's live part reloads with its filter, tabs and table only.
    assert 'data-refresh-url="/travaux/?etat=failed&amp;partial=1"' in only_failed
    assert '<ul class="nav">' in only_failed
    part = http.get(reverse("jobs:list"), {"etat": "failed", "partial": "1"}).text
    assert str(failed.public_id) in part and "<h1>" not in part
    cancel = http.post(reverse("jobs:cancel", kwargs={"job_id": waiting.public_id}))
    assert cancel.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.CANCELLED


def test_the_jobs_page_keeps_to_its_budget(
    login: Login, coordinator: User, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    http = login(coordinator)
    http.get(reverse("jobs:list"))  # the session's first page writes it; not the list's cost

    def count() -> int:
        with django_assert_max_num_queries(20) as captured:
            assert http.get(reverse("jobs:list")).status_code == 200
        return len(captured)

    for _ in range(2):
        job_enqueue("reports.export", actor=coordinator, params={"format": "xlsx"})
    few = count()
    for _ in range(6):
        job_enqueue("lodging.extend_stays", actor=coordinator)
    assert count() == few
