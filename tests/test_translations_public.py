"""The public pages' languages (issue 21): every string the public orientation pages use is
translated in Arabic, Dari (served as ``fa``), Russian, Georgian and Romanian, with the same checks
as the English catalogue (tests/test_translations.py, whose helpers are reused): nothing fuzzy, the
placeholders kept, the compiled ``.mo`` in step. English is merged centrally with locale/en."""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
from pathlib import Path

import pytest
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext, override

from halte.network.enums import Weekday
from halte.www.public.languages import PUBLIC_LANGUAGES, RTL
from tests.test_translations import ROOT, Entry, marked_strings, parse_po, placeholders

LANGS = ("ar", "fa", "ru", "ka", "ro")
PUBLIC_SOURCES = (
    "halte/www/templates/public/",
    "halte/www/public/",
    "halte/network/publication.py",
)


def _po(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"


@functools.cache
def public_msgids() -> frozenset[str]:
    """The strings marked in the public sources, and the days of the week (marked in the network's
    enums, shown in the public week table)."""
    with override("fr"):
        days = {str(day.label) for day in Weekday}
    found = {m for _ctx, m, where in marked_strings() if where.startswith(PUBLIC_SOURCES)}
    return frozenset(found | days)


@pytest.fixture(scope="module", params=LANGS)
def catalogue(request: pytest.FixtureRequest) -> tuple[str, dict[str, str], dict[str, Entry]]:
    header, entries = parse_po(_po(request.param))
    return request.param, header, {e.msgid: e for e in entries if e.msgctxt is None}


def test_the_scan_finds_the_public_strings() -> None:
    ids = public_msgids()
    assert {"Où aller maintenant ?", "Les plus proches de : %(place)s", "Femmes uniquement"} <= ids
    assert "lundi" in ids and len(ids) > 40


def test_each_catalogue_names_its_language(
    catalogue: tuple[str, dict[str, str], dict[str, Entry]],
) -> None:
    lang, header, _entries = catalogue
    assert header.get("Language") == lang
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms")


def test_every_public_string_is_translated_without_fuzz_and_keeps_its_placeholders(
    catalogue: tuple[str, dict[str, str], dict[str, Entry]],
) -> None:
    lang, _header, entries = catalogue
    problems = []
    for msgid in sorted(public_msgids()):
        entry = entries.get(msgid)
        if entry is None:
            problems.append(f"{lang}: missing {msgid!r} (run makemessages)")
        elif not entry.msgstr.strip():
            problems.append(f"{lang}: untranslated {entry.where}")
        elif "fuzzy" in entry.flags:
            problems.append(f"{lang}: fuzzy {entry.where}")
        elif placeholders(msgid) != placeholders(entry.msgstr):
            problems.append(f"{lang}: placeholders differ {entry.where}")
        elif entry.msgstr == msgid and len(msgid) > 8:
            problems.append(f"{lang}: left in French {entry.where}")
    assert not problems, "\n".join(problems)


def test_no_translated_entry_anywhere_is_fuzzy_or_loses_a_placeholder(
    catalogue: tuple[str, dict[str, str], dict[str, Entry]],
) -> None:
    lang, _header, entries = catalogue
    wrong = [
        e.where
        for e in entries.values()
        if e.msgstr and ("fuzzy" in e.flags or placeholders(e.msgid) != placeholders(e.msgstr))
    ]
    assert not wrong, f"{lang}: {wrong}"


def test_the_compiled_catalogue_matches_the_po(
    catalogue: tuple[str, dict[str, str], dict[str, Entry]],
) -> None:
    lang, _header, entries = catalogue
    with _po(lang).with_suffix(".mo").open("rb") as fh:
        mo = stdlib_gettext.GNUTranslations(fh)
    stale = [m for m in public_msgids() if m in entries and mo.gettext(m) != entries[m].msgstr]
    assert not stale, f"{lang}: recompile (msgfmt --check): {stale}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ar", "أين أذهب الآن؟"),
        ("fa", "حالا کجا بروم؟"),
        ("ru", "Куда пойти сейчас?"),
        ("ka", "სად წავიდე ახლა?"),
        ("ro", "Unde merg acum?"),
    ],
)
def test_django_serves_each_language(lang: str, expected: str) -> None:
    with override(lang):
        assert gettext("Où aller maintenant ?") == expected


def test_right_to_left_follows_django() -> None:
    codes = [code for code, _name, _rtl in PUBLIC_LANGUAGES]
    assert set(LANGS) | {"fr", "en"} == set(codes)
    assert {code for code in codes if LANG_INFO[code]["bidi"]} == RTL == {"ar", "fa"}
