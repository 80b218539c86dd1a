"""The registry screens as staff use them: log in, the map, a site's page, the edit forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.consumption.models import BoothServicePeriod
from halte.core.timeutils import local_today
from halte.network.enums import SiteStatus
from halte.network.models import Site
from tests.conftest import PASSWORD

Login = Callable[[User], Client]


def test_login_page_then_map(client: Client, site: Site, reception: User) -> None:
    assert client.get("/").url == reverse("www:login")
    page = client.get(reverse("www:login"))
    assert page.status_code == 200 and "Connexion" in page.text
    response = client.post(
        reverse("www:login"), {"username": "reception", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert site.name in response.text


def test_wrong_password_says_so(client: Client, reception: User) -> None:
    response = client.post(reverse("www:login"), {"username": "reception", "password": "nope"})
    assert "incorrect" in response.text


def test_map_lists_visible_sites_with_open_state(
    login: Login,
    site: Site,
    other_site: Site,
    project_site: Site,
    reception: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from halte.core.timeutils import PARIS

    monkeypatch.setattr(
        "halte.network.selectors.now", lambda: dt.datetime(2026, 11, 27, 15, tzinfo=PARIS)
    )
    page = login(reception).get(reverse("www:map"))
    assert page.status_code == 200
    assert site.name in page.text and other_site.name in page.text
    assert project_site.name not in page.text
    assert "jusqu&#x27;à 20:30" in page.text or "jusqu'à 20:30" in page.text
    markers = page.context["markers"]
    # Strasbourg is listed but not drawn on the map of the Greater Paris.
    assert [m["name"] for m in markers] == [site.name]
    assert markers[0]["open"] is True


def test_map_filters_by_area_and_status(
    login: Login, site: Site, project_site: Site, coordinator: User
) -> None:
    client = login(coordinator)
    page = client.get(reverse("www:map"), {"commune": "75120"})
    assert [s.name for s, _ in page.context["results"]] == [project_site.name]
    page = client.get(reverse("www:map"), {"status": "operational"})
    assert [s.name for s, _ in page.context["results"]] == [site.name]
    bad = client.get(reverse("www:map"), {"status": "nonsense"})
    assert bad.status_code == 200 and "nonsense" not in [
        s.status for s, _ in bad.context["results"]
    ]


def test_site_page_shows_registry_facts(login: Login, site: Site, reception: User) -> None:
    page = login(reception).get(site.get_absolute_url())
    assert page.status_code == 200
    for text in (
        "4 Rue Ambroise Paré",
        "Paris 10e",
        "13:30–20:30",
        "injection 12",
        "Historique du statut",
    ):
        assert text in page.text
    assert reverse("www:site_edit", kwargs={"site_id": site.public_id}) not in page.text


def test_project_page_is_404_for_other_staff(
    login: Login, project_site: Site, reception: User
) -> None:
    assert login(reception).get(project_site.get_absolute_url()).status_code == 404


def test_manager_edits_capacities_and_services(login: Login, site: Site, manager: User) -> None:
    client = login(manager)
    url = reverse("www:site_edit", kwargs={"site_id": site.public_id})
    assert client.get(url).status_code == 200
    data = {
        "booths_injection": 10,
        "booths_inhalation": 2,
        "booths_nasal": 0,
        "rest_places": 8,
        "beds": 0,
        "reception_capacity": 40,
        "session_time_limit_minutes": 30,
        "admission": "women_slots",
        "adults_only": "on",
        "services": ["naloxone", "rest"],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.booths_injection, site.booths_inhalation, site.session_time_limit_minutes) == (
        10,
        2,
        30,
    )
    assert sorted(site.services.values_list("service", flat=True)) == ["naloxone", "rest"]
    assert AuditEvent.objects.filter(action="site.capacities_updated", actor=manager).exists()


def test_bad_capacity_input_shows_errors_and_writes_nothing(
    login: Login, site: Site, manager: User
) -> None:
    url = reverse("www:site_edit", kwargs={"site_id": site.public_id})
    response = login(manager).post(url, {"booths_injection": -3, "admission": "everyone"})
    assert response.status_code == 200
    assert (
        "Rien n&#x27;a été enregistré" in response.text
        or "Rien n'a été enregistré" in response.text
    )
    site.refresh_from_db()
    assert site.booths_injection == 12
    assert not AuditEvent.objects.exists()


def test_other_sites_manager_gets_403_and_non_member_404(
    login: Login, site: Site, project_site: Site, other_manager: User, manager: User
) -> None:
    url = reverse("www:site_edit", kwargs={"site_id": site.public_id})
    assert login(other_manager).get(url).status_code == 403
    url = reverse("www:site_hours", kwargs={"site_id": project_site.public_id})
    assert login(manager).get(url).status_code == 404


def test_manager_sets_hours_past_midnight_from_a_date(
    login: Login, site: Site, manager: User
) -> None:
    url = reverse("www:site_hours", kwargs={"site_id": site.public_id})
    day = local_today() + dt.timedelta(days=7)
    data = {
        "form": "week",
        "valid_from": day.isoformat(),
        "d4_0_opens": "22:00",
        "d4_0_closes": "06:00",
    }
    response = login(manager).post(url, data)
    assert response.status_code == 302, response.context and response.context["hours_form"].errors
    new = site.weekly_hours.filter(valid_from=day)
    assert [(h.weekday, h.opens, h.closes) for h in new] == [(4, dt.time(22), dt.time(6))]
    page = login(manager).get(site.get_absolute_url())
    assert "À partir du" in page.text


def test_hours_form_refuses_half_a_span(login: Login, site: Site, manager: User) -> None:
    url = reverse("www:site_hours", kwargs={"site_id": site.public_id})
    before = site.weekly_hours.count()
    response = login(manager).post(
        url, {"form": "week", "valid_from": local_today().isoformat(), "d0_0_opens": "09:00"}
    )
    assert response.status_code == 200
    assert "indiquez l&#x27;ouverture et la fermeture" in response.text
    assert site.weekly_hours.count() == before


def test_manager_adds_and_removes_an_exception(login: Login, site: Site, manager: User) -> None:
    client = login(manager)
    url = reverse("www:site_hours", kwargs={"site_id": site.public_id})
    day = local_today() + dt.timedelta(days=3)
    assert (
        client.post(
            url, {"form": "exception", "date": day.isoformat(), "closed": "on", "label": "Grève"}
        ).status_code
        == 302
    )
    exception = site.hours_exceptions.get()
    remove = reverse(
        "www:site_exception_remove",
        kwargs={"site_id": site.public_id, "exception_id": exception.pk},
    )
    assert client.post(remove).status_code == 302
    assert not site.hours_exceptions.exists()


def test_coordinator_changes_status_and_illegal_move_is_refused(
    login: Login, project_site: Site, coordinator: User
) -> None:
    client = login(coordinator)
    url = reverse("www:site_status", kwargs={"site_id": project_site.public_id})
    page = client.get(url)
    assert [value for value, _ in page.context["allowed"]] == ["approved", "abandoned"]
    forced = client.post(
        url, {"to_status": "operational", "effective_on": local_today().isoformat()}
    )
    assert forced.status_code == 200 and "ne peut pas passer" in forced.text
    project_site.refresh_from_db()
    assert project_site.status == SiteStatus.PROPOSED
    ok = client.post(
        url,
        {
            "to_status": "abandoned",
            "effective_on": local_today().isoformat(),
            "note": "Près d'une école",
        },
    )
    assert ok.status_code == 302
    project_site.refresh_from_db()
    assert project_site.status == SiteStatus.ABANDONED


def test_manager_cannot_open_the_status_form(login: Login, site: Site, manager: User) -> None:
    assert (
        login(manager)
        .get(reverse("www:site_status", kwargs={"site_id": site.public_id}))
        .status_code
        == 403
    )


def test_address_lookup_and_placing_a_site(
    login: Login, project_site: Site, coordinator: User
) -> None:
    client = login(coordinator)
    page = client.get(reverse("www:address_lookup"), {"q": "172 rue pelleport"})
    assert "172 Rue Pelleport" in page.text and "Paris 20e" in page.text
    none = client.get(reverse("www:address_lookup"), {"q": "avenue imaginaire du nulle part"})
    assert "Aucune adresse trouvée" in none.text
    url = reverse("www:site_location", kwargs={"site_id": project_site.public_id})
    response = client.post(
        url,
        {
            "label": "100 Rue Doudeauville, 75018 Paris",
            "lon": 2.348683,
            "lat": 48.888444,
            "postcode": "75018",
        },
    )
    assert response.status_code == 302
    project_site.refresh_from_db()
    assert (project_site.code_insee, project_site.area_name) == ("75118", "Paris 18e")
    event = AuditEvent.objects.get(action="site.location_updated")
    assert "Doudeauville" not in str(event.payload)


def test_logout_is_a_post(login: Login, reception: User) -> None:
    client = login(reception)
    assert client.post(reverse("www:logout")).status_code == 302
    assert client.get(reverse("www:map")).status_code == 302


def test_pages_send_a_strict_content_security_policy(
    login: Login, site: Site, reception: User
) -> None:
    response = login(reception).get(reverse("www:map"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.text.replace(
        '<script id="map-sites" type="application/json">', ""
    )


def test_coordinator_reads_the_trail_of_a_site_and_others_cannot(
    login: Login, site: Site, manager: User, coordinator: User
) -> None:
    login(manager).post(
        reverse("www:site_edit", kwargs={"site_id": site.public_id}),
        {
            "booths_injection": 11,
            "booths_inhalation": 0,
            "booths_nasal": 0,
            "rest_places": 0,
            "beds": 0,
            "reception_capacity": 0,
            "admission": "everyone",
        },
    )
    url = reverse(
        "www:audit_trail", kwargs={"object_type": "site", "object_id": str(site.public_id)}
    )
    page = login(coordinator).get(url)
    assert page.status_code == 200
    assert "site.capacities_updated" in page.text and "manager" in page.text
    assert login(manager).get(url).status_code == 404


def _capacities(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "booths_injection": 12,
        "booths_inhalation": 0,
        "booths_nasal": 0,
        "rest_places": 0,
        "beds": 0,
        "reception_capacity": 40,
        "admission": "everyone",
    }
    data.update(changes)
    return data


def test_manager_records_a_booth_added_last_week(login: Login, site: Site, manager: User) -> None:
    client = login(manager)
    url = reverse("www:site_edit", kwargs={"site_id": site.public_id})
    page = client.get(url)
    assert f'value="{local_today().isoformat()}"' in page.text  # today unless said otherwise
    last_week = local_today() - dt.timedelta(days=7)
    response = client.post(url, _capacities(booths_injection=13, effective_on=last_week))
    assert response.status_code == 302
    added = BoothServicePeriod.objects.get(booth__site=site, booth__number=13)
    assert (added.start, added.end) == (last_week, None)


def test_a_date_of_effect_in_the_future_is_shown_on_its_field(
    login: Login, site: Site, manager: User
) -> None:
    url = reverse("www:site_edit", kwargs={"site_id": site.public_id})
    tomorrow = local_today() + dt.timedelta(days=1)
    response = login(manager).post(url, _capacities(booths_injection=13, effective_on=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].errors["effective_on"] == [
        "La date d'effet ne peut pas être dans le futur."
    ]
    site.refresh_from_db()
    assert site.booths_injection == 12
    assert not BoothServicePeriod.objects.exists()
