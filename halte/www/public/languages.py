"""The languages of the public pages: French and English like the staff screens, and the languages
of the people met in the north-east of Paris. Dari is served under the code ``fa`` (Persian, which
Django knows), labelled Dari: the words are chosen as spoken in Afghanistan."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

# (code, name in the language itself, right to left)
PUBLIC_LANGUAGES: tuple[tuple[str, str, bool], ...] = (
    ("fr", "Français", False),
    ("en", "English", False),
    ("ar", "العربية", True),
    ("fa", "دری", True),
    ("ru", "Русский", False),
    ("ka", "ქართული", False),
    ("ro", "Română", False),
)
CODES = frozenset(code for code, _name, _rtl in PUBLIC_LANGUAGES)
RTL = frozenset(code for code, _name, rtl in PUBLIC_LANGUAGES if rtl)
DEFAULT = "fr"


def public_language(request: HttpRequest) -> str:
    """The language asked in ``?lang=`` (kept in every link and form of the public pages), else the
    first public one the browser prefers, else French. No cookie, no session."""
    asked = request.GET.get("lang", "")
    if asked in CODES:
        return asked
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:200]
    for tag, _quality in parse_accept_lang_header(header):
        code = tag.split("-")[0].lower()
        if code in CODES:
            return code
    return DEFAULT


def activate(request: HttpRequest) -> str:
    code = public_language(request)
    translation.activate(code)
    request.LANGUAGE_CODE = code
    return code
