"""The English translation (issue 8): French is the source language, English the translation.

The committed catalogue is read with the standard library only, so these tests need neither the
gettext tools nor a database: every entry translated, nothing fuzzy, the placeholders kept, the
compiled ``.mo`` in step with the ``.po``, and every string marked in the code present in the ``.po``.
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils.translation import gettext, ngettext, override

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"


# --- A tiny .po parser -----------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def where(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"django.po:{line}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """Return the header (as a dict) and the entries, obsolete (``#~``) entries left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0] == "msgstr":
                finish()  # a new entry starts without a blank line in between
            if line.startswith("#,"):
                pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        keyword, _, rest = line.partition(" ")
        starts_entry = keyword == "msgctxt" or (
            keyword == "msgid" and (target is None or target[0] != "msgctxt")
        )
        if starts_entry:
            finish()
            current = Entry(flags=pending_flags, line=n)
            pending_flags = set()
        if current is None:
            raise ValueError(f"django.po:{n}: unexpected line {raw!r}")
        if keyword == "msgctxt":
            current.msgctxt, target = _unquote(rest, n), ("msgctxt", None)
        elif keyword == "msgid":
            current.msgid, target = _unquote(rest, n), ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural, target = _unquote(rest, n), ("msgid_plural", None)
        elif keyword == "msgstr":
            current.msgstr, target = _unquote(rest, n), ("msgstr", None)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            index = int(m.group(1))
            current.msgstr_plural[index], target = _unquote(rest, n), ("msgstr", index)
        elif line.startswith('"') and target is not None:
            more = _unquote(line, n)
            name, index = target
            if index is not None:
                current.msgstr_plural[index] += more
            elif name == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + more
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + more
            else:
                setattr(current, name, getattr(current, name) + more)
        else:
            raise ValueError(f"django.po:{n}: unexpected line {raw!r}")
    finish()

    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        head = entries.pop(0)
        for item in head.msgstr.splitlines():
            key, _, value = item.partition(":")
            header[key.strip()] = value.strip()
    return header, entries


PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%")
BRACES = re.compile(r"\{\{.*?\}\}|\{[A-Za-z_][A-Za-z_0-9]*\}")


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text) + [re.sub(r"\s", "", b) for b in BRACES.findall(text)])


@pytest.fixture(scope="module")
def catalogue() -> tuple[dict[str, str], list[Entry]]:
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def entries(catalogue: tuple[dict[str, str], list[Entry]]) -> list[Entry]:
    return catalogue[1]


# --- The .po itself --------------------------------------------------------------------------------


def test_the_catalogue_is_english_with_english_plurals(
    catalogue: tuple[dict[str, str], list[Entry]],
) -> None:
    header, entries = catalogue
    assert header.get("Language") == "en"
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert len(entries) > 500, "the catalogue looks truncated"
    assert any(e.msgid_plural for e in entries)


def test_every_entry_is_translated(entries: list[Entry]) -> None:
    missing = [
        e.where
        for e in entries
        if (not e.msgstr.strip() if e.msgid_plural is None else sorted(e.msgstr_plural) != [0, 1])
        or any(not s.strip() for s in e.msgstr_plural.values())
    ]
    assert not missing, _report(missing)


def test_no_entry_is_fuzzy(entries: list[Entry]) -> None:
    fuzzy = [e.where for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, _report(fuzzy)


def test_no_msgid_appears_twice(entries: list[Entry]) -> None:
    keys = [(e.msgctxt, e.msgid) for e in entries]
    assert sorted({k for k in keys if keys.count(k) > 1}, key=str) == []


def test_placeholders_are_kept(entries: list[Entry]) -> None:
    wrong = []
    for e in entries:
        if e.msgid_plural is None:
            pairs = [(e.msgid, e.msgstr)]
        else:
            pairs = [
                (e.msgid, e.msgstr_plural.get(0, "")),
                (e.msgid_plural, e.msgstr_plural.get(1, "")),
            ]
        for source, translation in pairs:
            if placeholders(source) != placeholders(translation):
                wrong.append(f"{e.where}: {placeholders(source)} ≠ {placeholders(translation)}")
            if source.endswith("\n") != translation.endswith("\n"):
                wrong.append(f"{e.where}: the final newline differs")
    assert not wrong, _report(wrong)


def test_the_placeholder_check_catches_a_lost_or_renamed_placeholder() -> None:
    assert placeholders("Le poste %(booth)s est occupé.") == placeholders(
        "Booth %(booth)s is in use."
    )
    assert placeholders("Le poste %(booth)s est occupé.") != placeholders("Booth %(b)s is in use.")
    assert placeholders("écart %(gap)s %%") != placeholders("gap %(gap)s")
    assert placeholders("%s et %s") != placeholders("%s")


def test_the_parser_reads_plurals_contexts_flags_and_continued_lines(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "a %(n)s"\nmsgstr ""\n"b "\n"%(n)s"\n\n'
        'msgctxt "ctx"\nmsgid "x"\nmsgid_plural "xs"\nmsgstr[0] "y \\"q\\""\nmsgstr[1] ""\n\n'
        '#~ msgid "old"\n#~ msgstr "vieux"\n',
        encoding="utf-8",
    )
    header, parsed = parse_po(po)
    assert header == {"Language": "en"}
    assert [(e.msgid, e.msgstr, e.flags) for e in parsed[:1]] == [
        ("a %(n)s", "b %(n)s", {"fuzzy", "python-format"})
    ]
    assert parsed[1].msgctxt == "ctx" and parsed[1].msgstr_plural == {0: 'y "q"', 1: ""}
    assert len(parsed) == 2


# --- The compiled .mo ------------------------------------------------------------------------------


def test_the_compiled_catalogue_matches_the_po(entries: list[Entry]) -> None:
    """The .mo is committed; a .po edited without recompiling (msgfmt) serves stale English."""
    assert MO_PATH.exists(), "compile with: msgfmt --check -o locale/en/LC_MESSAGES/django.mo …po"
    with MO_PATH.open("rb") as fh:
        mo = stdlib_gettext.GNUTranslations(fh)
    stale = []
    for e in entries:
        if e.msgid_plural is None:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
            if got != e.msgstr:
                stale.append(e.where)
        else:
            for n, index in ((1, 0), (2, 1)):
                if e.msgctxt:
                    got = mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                else:
                    got = mo.ngettext(e.msgid, e.msgid_plural, n)
                if got != e.msgstr_plural.get(index):
                    stale.append(f"{e.where}[{index}]")
    assert not stale, _report(stale)


# --- Every marked string of the code is in the .po -------------------------------------------------

_PY_FUNCS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}
_TRANSLATE_TAG = re.compile(
    r"""\{%\s*trans(?:late)?\s+(?P<q>["'])(?P<s>.*?)(?P=q)(?P<opts>[^%]*)%\}""", re.S
)
_UNDERSCORE = re.compile(r"""_\((?P<q>["'])(?P<s>.*?)(?P=q)\)""")
_BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?(?P<opts>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
_CONTEXT = re.compile(r"""context\s+(?P<q>["'])(?P<s>.*?)(?P=q)""")


def _block_msgid(body: str, trimmed: bool) -> str | None:
    if re.search(r"\{%(?!\s*plural\s*%\})", body):
        return None  # another tag inside: Django would refuse it anyway
    singular = re.split(r"\{%\s*plural\s*%\}", body)[0]
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", singular.replace("%", "%%"))
    if trimmed:
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text


def marked_strings() -> set[tuple[str | None, str, str]]:
    """(context, msgid, where) of the literal strings marked for translation in code and templates."""
    found: set[tuple[str | None, str, str]] = set()
    python_files = [*ROOT.glob("halte/**/*.py"), *ROOT.glob("config/*.py")]
    for path in python_files:
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # ``from django.utils.translation import gettext as _t``: makemessages does not know ``_t``,
        # so its strings are never extracted; scanning them here makes the test say so.
        funcs = dict(_PY_FUNCS)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    if alias.asname and alias.name in _PY_FUNCS:
                        funcs[alias.asname] = _PY_FUNCS[alias.name]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in funcs:
                continue
            index = funcs[name]
            args = node.args
            if len(args) <= index or not isinstance(args[index], ast.Constant):
                continue
            msgid = args[index].value
            context = args[0].value if index == 1 and isinstance(args[0], ast.Constant) else None
            if isinstance(msgid, str) and msgid:
                found.add((context, msgid, f"{path.relative_to(ROOT)}:{node.lineno}"))
    for path in ROOT.glob("halte/**/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")

        def where(pos: int, path: Path = path, text: str = text) -> str:
            return f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, pos) + 1}"

        for m in _TRANSLATE_TAG.finditer(text):
            ctx = _CONTEXT.search(m.group("opts"))
            if m.group("s"):
                found.add((ctx.group("s") if ctx else None, m.group("s"), where(m.start())))
        for m in _UNDERSCORE.finditer(text):
            if m.group("s"):
                found.add((None, m.group("s"), where(m.start())))
        for m in _BLOCK.finditer(text):
            msgid = _block_msgid(m.group("body"), "trimmed" in m.group("opts"))
            ctx = _CONTEXT.search(m.group("opts"))
            if msgid:
                found.add((ctx.group("s") if ctx else None, msgid, where(m.start())))
    return found


def test_every_marked_string_of_the_code_is_in_the_catalogue(entries: list[Entry]) -> None:
    """A new ``_("…")`` or ``{% translate %}`` needs ``makemessages -l en``, a translation and
    ``msgfmt``; until then the English interface shows French."""
    known = {(e.msgctxt, e.msgid) for e in entries}
    missing = sorted(
        f"{where} {msgid!r}" for ctx, msgid, where in marked_strings() if (ctx, msgid) not in known
    )
    assert not missing, _report(missing)


def test_the_scan_of_the_code_finds_strings_of_each_kind() -> None:
    msgids = {msgid for _, msgid, _ in marked_strings()}
    assert "Se connecter" in msgids  # {% translate %}
    assert "%(counter)s site" in msgids  # {% blocktranslate count %}
    assert "Halte soins addictions (HSA)" in msgids  # gettext_lazy in Python


# --- Django serves the English catalogue -----------------------------------------------------------


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("Le réseau", "The network"),
        ("Accueil", "Reception"),
        ("Se connecter", "Log in"),
        ("Se déconnecter", "Log out"),
        ("Ouvert maintenant", "Open now"),
        ("Halte soins addictions (HSA)", "Drug consumption room (HSA)"),
        ("Enregistrer l'arrivée", "Record the arrival"),
        ("Passage introuvable.", "Visit not found."),
    ],
)
def test_django_translates_the_main_screens_into_english(french: str, english: str) -> None:
    with override("en"):
        assert gettext(french) == english
    with override("fr"):
        assert gettext(french) == french


def test_django_translates_plurals_lazy_labels_and_templates() -> None:
    from halte.network.enums import SiteKind, SiteStatus

    with override("en"):
        assert ngettext("%(counter)s site", "%(counter)s sites", 1) % {"counter": 1} == "1 site"
        assert ngettext("%(counter)s site", "%(counter)s sites", 3) % {"counter": 3} == "3 sites"
        assert str(SiteStatus.OPERATIONAL.label) == "Operational"
        assert str(SiteKind.HSA.label) == "Drug consumption room (HSA)"
        rendered = Template(
            "{% load i18n %}{% translate 'Le réseau' %} · "
            "{% blocktranslate count counter=n %}{{ counter }} site{% plural %}"
            "{{ counter }} sites{% endblocktranslate %}"
        ).render(Context({"n": 2}))
        assert rendered == "The network · 2 sites"
