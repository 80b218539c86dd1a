"""Forms of the staff screens. They validate input; the accounts services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from halte.accounts.enums import NETWORK_ROLES, Role
from halte.network.models import Site


class RoleForm(forms.Form):
    """A role and where it is held: a site for the roles that run a site, none for the network's."""

    role = forms.ChoiceField(label=_("Rôle"))
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("— Tout le réseau —"),
    )

    def __init__(self, *args: Any, roles: list[Role], sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("— Choisir —"))] + [  # type: ignore[attr-defined]
            (r.value, r.label) for r in roles
        ]
        site_field = self.fields["site"]
        site_field.queryset = sites  # type: ignore[attr-defined]
        if not any(r in NETWORK_ROLES for r in roles):
            site_field.empty_label = _("— Choisir —")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, site = data.get("role"), data.get("site")
        if role and role in NETWORK_ROLES and site is not None:
            self.add_error(
                "site", _("Ce rôle s'exerce sur tout le réseau : ne choisissez pas de site.")
            )
        elif role and role not in NETWORK_ROLES and site is None:
            self.add_error("site", _("Choisissez le site où ce rôle s'exerce."))
        return data


class NewStaffForm(RoleForm):
    username = forms.RegexField(
        label=_("Identifiant de connexion"),
        max_length=150,
        regex=r"^[a-z0-9][a-z0-9._-]{1,149}$",
        error_messages={
            "invalid": _(
                "Lettres minuscules sans accent, chiffres, point, tiret ou tiret bas ; "
                "par exemple « accueil-paris-2 »."
            )
        },
        help_text=_("Un identifiant de poste ou des initiales, pas le nom complet."),
    )
    field_order = ["username", "role", "site"]

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class EndRoleForm(forms.Form):
    membership = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class PasswordForm(forms.Form):
    """The user's own new password, typed twice; the project's password rules apply."""

    password = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Le même, une seconde fois"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("Les deux saisies diffèrent : retapez-les."))
        return data
