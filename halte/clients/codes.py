"""The client code: a statistical linkage key in the shape of SLK-581, passed through a keyed HMAC.

SLK-581 takes letters 2, 3 and 5 of the family name, letters 2 and 3 of the given name, the date of
birth and the sex. The same person gets the same key wherever they are registered, without their
name being kept. On its own a SLK can be guessed from a name; the HMAC with a key that only the
server holds makes the stored code irreversible. Nothing here stores or logs its inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata

# Crockford's base 32: no I, L, O, U, so a code read aloud or typed from a card is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BODY = 11
SEX_DIGITS = {"man": "1", "woman": "2", "other": "3"}
_LOOKALIKES = str.maketrans("OIL", "011")


class CodeInputError(ValueError):
    """The identity inputs cannot make a code; the message names the field, never its value."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _letters(name: str) -> str:
    """Upper-case letters only, accents removed: 'Müller-Paré' → 'MULLERPARE'."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).upper()


def _pick(letters: str, positions: tuple[int, ...]) -> str:
    # SLK-581 pads a name too short for a position with the digit 2.
    return "".join(letters[p - 1] if len(letters) >= p else "2" for p in positions)


def linkage_key(*, family_name: str, given_name: str, birth_date: dt.date, sex: str) -> str:
    """The plain SLK-581 string (never stored): e.g. 'UPRHL' + '12041985' + '1'."""
    family, given = _letters(family_name), _letters(given_name)
    if not family:
        raise CodeInputError(
            "Le nom de famille doit contenir au moins une lettre.", field="family_name"
        )
    if not given:
        raise CodeInputError("Le prénom doit contenir au moins une lettre.", field="given_name")
    if sex not in SEX_DIGITS:
        raise CodeInputError("Sexe inconnu.", field="sex")
    return (
        _pick(family, (2, 3, 5))
        + _pick(given, (2, 3))
        + birth_date.strftime("%d%m%Y")
        + SEX_DIGITS[sex]
    )


def swapped_day_month(birth_date: dt.date) -> dt.date | None:
    """The date read the other way round (4 December for 12 April), the commonest slip when a date
    field follows a device set in another language; None when the swap is no other date."""
    if birth_date.day == birth_date.month or birth_date.day > 12:
        return None
    # Both numbers are 12 or less, so the swapped date always exists.
    return birth_date.replace(day=birth_date.month, month=birth_date.day)


def _check_char(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % 32]


def code_from_key(key: str, secret: bytes) -> str:
    """HMAC-SHA256 of the linkage key, as 11 base-32 characters and a check character."""
    digest = hmac.new(secret, key.encode("ascii"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    body = ""
    for _ in range(CODE_BODY):
        number, rest = divmod(number, 32)
        body += ALPHABET[rest]
    return body + _check_char(body)


def derive_code(
    *, family_name: str, given_name: str, birth_date: dt.date, sex: str, secret: bytes
) -> str:
    """The client code for these identity inputs."""
    return code_from_key(
        linkage_key(family_name=family_name, given_name=given_name, birth_date=birth_date, sex=sex),
        secret,
    )


def normalise_code(typed: str) -> str | None:
    """Read a typed or scanned code: spaces and dashes dropped, O→0, I/L→1; None if it is not a
    valid code (wrong length or check character), so a typo does not find someone else."""
    cleaned = typed.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(_LOOKALIKES)
    if len(cleaned) != CODE_BODY + 1 or any(c not in ALPHABET for c in cleaned):
        return None
    if _check_char(cleaned[:CODE_BODY]) != cleaned[-1]:
        return None
    return cleaned


def display_code(code: str) -> str:
    """'ABCD-EFGH-JKMN': easier to read aloud and to copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
