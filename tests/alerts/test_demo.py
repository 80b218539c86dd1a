"""The demo's invented history loads once, shows as invented, and feeds the screens."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from halte.accounts.models import User
from halte.alerts.models import Acknowledgement, Alert, Sample
from halte.network.models import Site


def test_the_demo_history_loads_once_and_is_labelled_invented(db: None) -> None:
    call_command("load_demo")
    call_command("load_alerts_demo")
    call_command("load_alerts_demo")
    assert Sample.objects.count() == 10 and Alert.objects.count() == 2
    assert not Sample.objects.filter(synthetic=False).exists()
    assert Acknowledgement.objects.count() == 1
    http = Client()
    http.force_login(User.objects.get(username="reception-paris"))
    desk = http.get(f"/sites/{Site.objects.get(slug='paris-hsa').public_id}/accueil/")
    page = desk.content.decode()
    assert "nitazènes" in page and "exemple inventé" in page
    feed = Client().get("/api/v1/alerts/feed").json()
    assert [a["invented"] for a in feed["alerts"]] == [True]
