"""Find interface text that the English translation cannot reach.

    .venv/bin/python scripts/check_translations.py

Lists, with file and line:
- gettext calls whose message is built at run time (f-string, ``+``, ``%`` or ``.format()`` inside
  the call, or a variable): ``makemessages`` cannot extract them;
- sentences assembled from translated pieces and literal text (``_("…") + " …"``, an f-string
  around ``_()``): the word order cannot be translated;
- template text and user-facing attributes (``title``, ``aria-label``, ``placeholder``, ``alt``)
  outside ``{% translate %}`` / ``{% blocktranslate %}``.

It is a heuristic helper for the translator, not a test: it exits 0 whatever it finds.
Standard library only.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
LETTERS = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
# Calls and keywords whose text reaches the user: a bare string there is never translated.
USER_FACING_CALLS = {
    "ValidationError",
    "DomainError",
    "ConflictError",
    "PermissionDenied",
    "CodeInputError",
    "GraphError",
    "success",
    "error",
    "warning",
    "info",
    "add_message",
}
USER_FACING_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœ]|\b(le|la|les|un|une|des|du|est|pas|ce|cette)\b", re.I)


def _is_gettext_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    return name in GETTEXT


def _has_words(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(LETTERS.search(node.value))
    )


def python_findings(path: Path) -> list[str]:
    rel = path.relative_to(ROOT)
    found: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.asname and alias.asname not in GETTEXT:
                    found.append(
                        f"{rel}:{node.lineno}: {alias.name} imported as {alias.asname}: "
                        f'makemessages does not extract {alias.asname}("…")'
                    )
    for node in ast.walk(tree):
        if _is_gettext_call(node):
            assert isinstance(node, ast.Call)
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = 1 if name and name.startswith(("pgettext", "npgettext")) else 0
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.JoinedStr):
                found.append(f"{rel}:{node.lineno}: f-string inside {name}()")
            elif isinstance(arg, ast.BinOp):
                found.append(f"{rel}:{node.lineno}: message built with an operator inside {name}()")
            elif (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "format"
            ):
                found.append(f"{rel}:{node.lineno}: .format() inside {name}()")
            elif not isinstance(arg, ast.Constant) and name != "gettext_noop":
                found.append(
                    f"{rel}:{node.lineno}: {name}() of a variable (not extractable unless the "
                    "values are marked elsewhere)"
                )
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            texts: list[ast.expr] = []
            if name in USER_FACING_CALLS:
                texts += [a for a in node.args if isinstance(a, ast.Constant | ast.JoinedStr)]
            texts += [k.value for k in node.keywords if k.arg in USER_FACING_KEYWORDS]
            for t in texts:
                literal = (
                    t.value
                    if isinstance(t, ast.Constant)
                    else "".join(
                        v.value
                        for v in getattr(t, "values", [])
                        if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    )
                )
                if isinstance(literal, str) and FRENCH.search(literal):
                    found.append(f"{rel}:{t.lineno}: user-facing text not marked: {literal!r}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            sides = (node.left, node.right)
            if any(_is_gettext_call(s) for s in sides) and any(
                _has_words(s) or _is_gettext_call(s) for s in sides if not _is_gettext_call(s)
            ):
                found.append(f"{rel}:{node.lineno}: translated text concatenated with literal text")
        if isinstance(node, ast.JoinedStr):
            calls = [
                v
                for v in node.values
                if isinstance(v, ast.FormattedValue) and _is_gettext_call(v.value)
            ]
            literal = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if calls and LETTERS.search(literal):
                found.append(f"{rel}:{node.lineno}: f-string mixing translated and literal text")
    return found


TAG_OR_VAR = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
COMMENT = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
ATTR = re.compile(r"""\b(title|aria-label|placeholder|alt|value)\s*=\s*(["'])(.*?)\2""", re.S)
HTML_TAG = re.compile(r"<[^>]*>", re.S)


def template_findings(path: Path) -> list[str]:
    rel = path.relative_to(ROOT)
    raw = path.read_text(encoding="utf-8")
    found: list[str] = []

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = COMMENT.sub(blank, raw)
    text = SCRIPT.sub(blank, text)
    text = BLOCK.sub(blank, text)
    for m in ATTR.finditer(text):
        value = TAG_OR_VAR.sub("", m.group(3))
        if m.group(1) == "value":
            continue
        if LETTERS.search(value):
            at = text.count("\n", 0, m.start()) + 1
            found.append(f"{rel}:{at}: untranslated {m.group(1)}={m.group(3)!r}")
    text = TAG_OR_VAR.sub(blank, text)
    text = HTML_TAG.sub(blank, text)
    for n, line in enumerate(text.splitlines(), 1):
        words = line.strip()
        if LETTERS.search(words) and words not in {"Halte"}:
            found.append(f"{rel}:{n}: untranslated template text {words!r}")
    return found


def main() -> int:
    findings: list[str] = []
    for path in sorted([*ROOT.glob("halte/**/*.py"), *ROOT.glob("config/*.py")]):
        if "migrations" not in path.parts and "management" not in path.parts:
            findings += python_findings(path)
    for path in sorted(ROOT.glob("halte/**/templates/**/*.html")):
        findings += template_findings(path)
    print("\n".join(findings) if findings else "Nothing found.")
    print(f"{len(findings)} finding(s).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
