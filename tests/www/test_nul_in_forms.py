"""A NUL character is refused in every text field the screens accept (PostgreSQL cannot store
it, and no person types one): the screens' forms refuse it with a form error, nothing stored."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import Client as HttpClient
from django.urls import reverse

import halte.www
from halte.accounts.models import User
from halte.clients.models import Client
from halte.network.models import Site


def screen_forms() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for info in pkgutil.walk_packages(halte.www.__path__, "halte.www."):
        if info.name.rsplit(".", 1)[-1] != "forms":
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_the_screens_have_forms_to_check() -> None:
    assert len(screen_forms()) >= 10


@pytest.mark.parametrize("form_class", screen_forms(), ids=lambda c: c.__qualname__)
def test_every_text_field_of_every_screen_refuses_a_nul(form_class: type[forms.BaseForm]) -> None:
    for field in form_class.base_fields.values():
        if not isinstance(field, forms.CharField):
            continue
        with pytest.raises(forms.ValidationError):  # a free text, a code, a UUID alike
            field.clean("a\x00b")


@pytest.mark.django_db
def test_the_registration_screen_refuses_a_nickname_with_a_nul(site: Site, reception: User) -> None:
    http = HttpClient()
    http.force_login(reception)
    form = {
        "family_name": "Martin",
        "given_name": "Léa",
        "birth_date": "1990-02-03",
        "sex": "woman",
        "nickname": "a\x00b",
    }
    response = http.post(reverse("www:register", kwargs={"site_id": site.public_id}), form)
    assert response.status_code == 422 and "Inscription impossible" in response.text
    assert "\x00" not in response.text
    assert Client.objects.count() == 0
