"""Authorisation screens: the list (whoever sees them), and the coordination's forms to register
one and to change it, its places chosen among its operator's."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from halte.accounts.permissions import can_manage_registry
from halte.core.errors import DomainError
from halte.network.selectors import authorisations_visible_to, get_authorisation_for_user
from halte.network.services import authorisation_create, authorisation_update
from halte.www.registry.authorisation_forms import AuthorisationForm
from halte.www.shortcuts import refuse, staff


@require_safe
def authorisation_list(request: HttpRequest) -> HttpResponse:
    """Every authorisation the user sees, with its places and dates."""
    user = staff(request)
    if not user.memberships.filter(is_active=True).exists():
        raise Http404(_("Introuvable."))
    return render(
        request,
        "authorisations/list.html",
        {
            "authorisations": authorisations_visible_to(user).order_by("label"),
            "can_manage": can_manage_registry(user),
        },
    )


def _manager(request: HttpRequest) -> Any:
    user = staff(request)
    if not can_manage_registry(user):
        raise PermissionDenied(_("Seule la coordination du réseau enregistre les autorisations."))
    return user


@require_http_methods(["GET", "HEAD", "POST"])
def authorisation_new(request: HttpRequest) -> HttpResponse:
    """Register an authorisation (coordination)."""
    user = _manager(request)
    form = AuthorisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authorisation_create(actor=user, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Autorisation enregistrée."))
            return redirect("authorisations:list")
    status = 422 if request.method == "POST" else 200
    return render(request, "authorisations/edit.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def authorisation_edit(request: HttpRequest, authorisation_id: uuid.UUID) -> HttpResponse:
    """Change an authorisation and its places (coordination)."""
    authorisation = get_authorisation_for_user(request.user, authorisation_id)
    user = _manager(request)
    initial = {
        "finess": authorisation.finess,
        "kind": authorisation.kind,
        "label": authorisation.label,
        "sites": list(authorisation.sites.all()),
        "valid_from": authorisation.valid_from,
        "valid_until": authorisation.valid_until,
        "note": authorisation.note,
    }
    form = AuthorisationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sites = data.pop("sites")
        try:
            authorisation_update(actor=user, authorisation=authorisation, sites=sites, **data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Autorisation mise à jour."))
            return redirect("authorisations:list")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "authorisations/edit.html",
        {"form": form, "authorisation": authorisation},
        status=status,
    )
