"""Staff screens: the network's administrator, and each site's manager for their own sites, create
accounts, give and end roles, reset a password or a second factor. Every write is a service of
``halte.accounts`` (audited); every read goes through ``halte.accounts.selectors`` (404 for an
account the user does not manage)."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts.models import TotpDevice, User
from halte.accounts.permissions import can_manage_account, can_manage_staff, grantable_roles
from halte.accounts.selectors import (
    get_staff_for_user,
    memberships_visible_to,
    staff_sites_for,
    staff_visible_to,
)
from halte.accounts.services import (
    membership_end,
    membership_grant,
    staff_invite,
    staff_password_reset,
    staff_password_set,
    staff_second_factor_reset,
)
from halte.core.errors import DomainError
from halte.www.accounts.forms import EndRoleForm, NewStaffForm, PasswordForm, RoleForm


def _manager(request: HttpRequest) -> User:
    user = cast("User", request.user)
    if not can_manage_staff(user):
        raise PermissionDenied(
            _("Les comptes sont gérés par l'administration et les responsables de site.")
        )
    return user


def _role_form(actor: User, data: object = None) -> RoleForm:
    return RoleForm(data or None, roles=grantable_roles(actor), sites=staff_sites_for(actor))


@login_required
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    """The accounts the user manages, with their roles on the user's sites."""
    actor = _manager(request)
    accounts = [
        (account, list(memberships_visible_to(actor, account).filter(is_active=True)))
        for account in staff_visible_to(actor).prefetch_related("memberships")[:500]
    ]
    return render(request, "accounts/list.html", {"accounts": accounts})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """A new account with one role; its temporary password is shown once, on this answer only."""
    actor = _manager(request)
    form = NewStaffForm(
        request.POST or None, roles=grantable_roles(actor), sites=staff_sites_for(actor)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = staff_invite(
                actor=actor, username=data["username"], role=data["role"], site=data["site"]
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return render(
                request,
                "accounts/password_issued.html",
                {"account": account, "password": password, "created": True},
            )
    status = 422 if form.errors else 200
    return render(request, "accounts/new.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest,
    account: User,
    *,
    role_form: RoleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = cast("User", request.user)
    return render(
        request,
        "accounts/detail.html",
        {
            "account": account,
            "memberships": memberships_visible_to(actor, account),
            "role_form": role_form or _role_form(actor),
            "can_reset": can_manage_account(actor, account),
            "has_second_factor": TotpDevice.objects.filter(user=account).exists(),
            "is_self": account.pk == actor.pk,
        },
        status=status,
    )


@login_required
@require_safe
def staff_detail(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    actor = _manager(request)
    return _detail(request, get_staff_for_user(actor, user_id))


@login_required
@require_POST
def role_grant(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    actor = _manager(request)
    account = get_staff_for_user(actor, user_id)
    form = _role_form(actor, request.POST)
    if form.is_valid():
        try:
            membership_grant(
                actor=actor,
                user=account,
                role=form.cleaned_data["role"],
                site=form.cleaned_data["site"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Rôle donné."))
            return redirect("staff:detail", user_id=account.public_id)
    return _detail(request, account, role_form=form, status=422)


@login_required
@require_POST
def role_end(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    actor = _manager(request)
    account = get_staff_for_user(actor, user_id)
    form = EndRoleForm(request.POST)
    membership = None
    if form.is_valid():
        membership = (
            memberships_visible_to(actor, account)
            .filter(pk=form.cleaned_data["membership"])
            .first()
        )
    if membership is None:
        messages.error(request, _("Ce rôle est introuvable : rechargez la page."))
        return redirect("staff:detail", user_id=account.public_id)
    try:
        membership_end(actor=actor, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rôle terminé."))
    return redirect("staff:detail", user_id=account.public_id)


@never_cache
@login_required
@require_POST
def password_reset(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    """A temporary password, shown once on this answer, to be changed at the next login."""
    actor = _manager(request)
    account = get_staff_for_user(actor, user_id)
    try:
        password = staff_password_reset(actor=actor, user=account)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("staff:detail", user_id=account.public_id)
    return render(
        request,
        "accounts/password_issued.html",
        {"account": account, "password": password, "created": False},
    )


@login_required
@require_POST
def second_factor_reset(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    actor = _manager(request)
    account = get_staff_for_user(actor, user_id)
    try:
        staff_second_factor_reset(actor=actor, user=account)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Second facteur retiré : ce compte enregistrera une nouvelle application à sa prochaine connexion."
            ),
        )
    return redirect("staff:detail", user_id=account.public_id)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Choose one's own password: required after a temporary one, open to anyone at any time."""
    user = cast("User", request.user)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_password_set(user=user, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error("password", exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Mot de passe enregistré."))
            return redirect("www:home")
    status = 422 if form.errors else 200
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password},
        status=status,
    )
