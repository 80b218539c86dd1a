"""Account screens: the landing after login, the second factor, one's own password; and the staff
screens, where the network's administrator, and each site's manager for their own sites, create
accounts, give and end roles, reset a password or a second factor. Every write is a service of
``halte.accounts`` (audited); every read goes through ``halte.accounts.selectors`` (404 for an
account the user does not manage)."""

from __future__ import annotations

import base64
import uuid

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts import totp
from halte.accounts.middleware import VERIFIED
from halte.accounts.models import TotpDevice, User
from halte.accounts.navigation import landing, navigation_for
from halte.accounts.permissions import can_manage_account, can_manage_staff, grantable_roles
from halte.accounts.selectors import (
    get_staff_for_user,
    memberships_visible_to,
    staff_sites_for,
    staff_with_current_roles,
)
from halte.accounts.services import (
    membership_end,
    membership_grant,
    staff_invite,
    staff_password_reset,
    staff_password_set,
    staff_second_factor_reset,
)
from halte.accounts.services_totp import totp_check, totp_start
from halte.core.errors import DomainError
from halte.www.accounts.forms import EndRoleForm, NewStaffForm, PasswordForm, RoleForm
from halte.www.shortcuts import refuse, reported, staff


def _manager(request: HttpRequest) -> User:
    user = staff(request)
    if not can_manage_staff(user):
        raise PermissionDenied(
            _("Les comptes sont gérés par l'administration et les responsables de site.")
        )
    return user


def _role_form(actor: User, data: object = None) -> RoleForm:
    return RoleForm(data or None, roles=grantable_roles(actor), sites=staff_sites_for(actor))


@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    """The accounts the user manages, with their roles on the user's sites."""
    actor = _manager(request)
    accounts = staff_with_current_roles(actor)
    return render(request, "accounts/list.html", {"accounts": accounts})


@never_cache
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
            refuse(form, exc)
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
    actor = staff(request)
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


@require_safe
def staff_detail(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    actor = _manager(request)
    return _detail(request, get_staff_for_user(actor, user_id))


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
            refuse(form, exc)
        else:
            messages.success(request, _("Rôle donné."))
            return redirect("staff:detail", user_id=account.public_id)
    return _detail(request, account, role_form=form, status=422)


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
    with reported(request, _("Rôle terminé.")):
        membership_end(actor=actor, membership=membership)
    return redirect("staff:detail", user_id=account.public_id)


@never_cache
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


@require_POST
def second_factor_reset(request: HttpRequest, user_id: uuid.UUID) -> HttpResponse:
    actor = _manager(request)
    account = get_staff_for_user(actor, user_id)
    done = _(
        "Second facteur retiré : ce compte enregistrera une nouvelle application à sa prochaine connexion."
    )
    with reported(request, done):
        staff_second_factor_reset(actor=actor, user=account)
    return redirect("staff:detail", user_id=account.public_id)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Choose one's own password: required after a temporary one, open to anyone at any time."""
    user = staff(request)
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


LANDINGS = {
    "site": "www:site_detail",
    "room": "www:room",
    "desk": "www:reception",
    "team": "outreach:home",
    "night": "lodging:night",
    "reports": "reports:index",
    "map": "www:map",
}


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts on its own screen (see accounts.navigation.landing)."""
    if not request.user.is_authenticated:
        return redirect("www:login")
    screen, site = landing(navigation_for(request.user))
    if screen == "team":
        return redirect(LANDINGS[screen])
    if site is not None:
        return redirect(LANDINGS[screen], site_id=site.public_id)
    return redirect(LANDINGS[screen])


@require_http_methods(["GET", "HEAD", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enter the authenticator code; the first time, scan the secret first."""
    user = staff(request)
    device = TotpDevice.objects.filter(user=user).first()
    if device is None or device.confirmed_at is None:
        # Only a GET draws a new secret: a HEAD (a link checker) must not void the code on screen.
        device = totp_start(user=user) if device is None or request.method == "GET" else device
    error = ""
    if request.method == "POST":
        if totp_check(user=user, code=request.POST.get("code", "")):
            request.session.cycle_key()
            request.session[VERIFIED] = True
            target = request.POST.get("next") or "/"
            return redirect(
                target if target.startswith("/") and not target.startswith("//") else "/"
            )
        error = _("Code incorrect ou déjà utilisé : attendez le code suivant.")
    qr = ""
    if device.confirmed_at is None:
        uri = totp.provisioning_uri(device.secret, account=user.username)
        svg = segno.make(uri, error="m").svg_inline(scale=5, border=2)
        qr = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return render(
        request,
        "www/second_factor.html",
        {
            "enrolling": device.confirmed_at is None,
            "qr": qr,
            "secret": device.secret if device.confirmed_at is None else "",
            "error": error,
            "next": request.GET.get("next", "/"),
        },
    )
