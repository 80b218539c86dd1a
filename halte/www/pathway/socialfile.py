"""Screens of the consented social file: the person's files at a site (purpose, consent; no
content), opening one with the person's consent, reading it (each opening traced), correcting it,
deleting it on request. Social workers (educators) and care roles of the site only; everyone
else gets a 404. Identity goes in POST bodies only, never in a URL, and pages are not cached."""

from __future__ import annotations

import uuid
from dataclasses import replace

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.pathway.socialfile import (
    can_keep_social_file,
    get_social_file_for_user,
    social_file_delete,
    social_file_open,
    social_file_read,
    social_file_update,
    social_files_for,
)
from halte.www.pathway.forms import DOCUMENT_ROWS, SocialFileForm
from halte.www.pathway.views import _person_at
from halte.www.shortcuts import refuse, staff


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def social_files(request: HttpRequest, site_id: uuid.UUID, client_id: uuid.UUID) -> HttpResponse:
    """The person's social files the user keeps, and the form to open one at this site."""
    site, client = _person_at(request, site_id, client_id)
    if not can_keep_social_file(request.user, site):
        raise Http404(_("Page introuvable."))
    files = social_files_for(request.user, client)
    here = next((f for f in files if f.site_id == site.pk), None)
    form = None
    if here is None:
        form = SocialFileForm(
            request.POST or None, opening=True, initial={"consent_on": local_today()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                made = social_file_open(
                    actor=staff(request),
                    site=site,
                    client=client,
                    purpose=form.cleaned_data["purpose"],
                    consent=form.cleaned_data["consent"],
                    consent_on=form.cleaned_data["consent_on"],
                    identity=form.identity(),
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Dossier social ouvert."))
                return redirect("care:social_file", file_id=made.public_id)
    elif request.method == "POST":
        raise Http404(_("Page introuvable."))
    status = 422 if form is not None and form.is_bound else 200
    return render(
        request,
        "pathway/social_files.html",
        {"site": site, "client": client, "files": files, "here": here, "form": form},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def social_file(request: HttpRequest, file_id: uuid.UUID) -> HttpResponse:
    """One social file, opened for reading (traced in the audit trail), with the form to
    correct it. Documents beyond the form's rows are kept as they are."""
    found = get_social_file_for_user(request.user, file_id)
    identity = social_file_read(actor=staff(request), social_file=found)
    form = SocialFileForm(
        request.POST or None, initial=SocialFileForm.initial_from(identity, found.purpose)
    )
    if request.method == "POST" and form.is_valid():
        typed = form.identity()
        kept = replace(typed, documents=typed.documents + identity.documents[DOCUMENT_ROWS:])
        try:
            social_file_update(
                actor=staff(request),
                social_file=found,
                identity=kept,
                purpose=form.cleaned_data["purpose"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Dossier social mis à jour."))
            return redirect("care:social_file", file_id=found.public_id)
    return render(
        request,
        "pathway/social_file.html",
        {
            "file": found,
            "site": found.site,
            "client": found.client,
            "identity": identity,
            "form": form,
        },
        status=422 if form.is_bound else 200,
    )


@require_POST
def social_file_remove(request: HttpRequest, file_id: uuid.UUID) -> HttpResponse:
    """Delete the file on the person's request: identity and documents are gone for good."""
    found = get_social_file_for_user(request.user, file_id)
    site, client = found.site, found.client
    social_file_delete(actor=staff(request), social_file=found)
    messages.success(request, _("Dossier social supprimé à la demande de la personne."))
    return redirect("care:followup", site_id=site.public_id, client_id=client.public_id)
