"""Settings for the test suite: the base settings in ``test`` mode, with strict templates."""

import os

os.environ.setdefault("HALTE_ENV", "test")

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES


class _InvalidTemplateVariable(str):
    """Fail loudly on a template variable that does not exist, instead of printing nothing."""

    def __mod__(self, other: object) -> str:
        raise AssertionError(f"Undefined template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _InvalidTemplateVariable("%s")  # type: ignore[index]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
