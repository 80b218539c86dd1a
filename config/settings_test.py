"""Settings for the test suite: the base settings in ``test`` mode, with strict templates."""

import os
import secrets

os.environ.setdefault("HALTE_ENV", "test")
# A fresh client-code key for each test run: no key is ever written in the repository.
os.environ.setdefault("HALTE_CLIENT_CODE_KEY", secrets.token_hex(32))

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES


class _InvalidTemplateVariable(str):
    """Fail loudly on a template variable that does not exist, instead of printing nothing."""

    def __mod__(self, other: object) -> str:
        raise AssertionError(f"Undefined template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _InvalidTemplateVariable("%s")  # type: ignore[index]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not memory: the live server of the browser tests and the concurrency tests use threads,
# each with its own connection, as in production; an in-memory database cannot be shared that way.
if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):  # noqa: F405
    _test_db = str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": _test_db}  # noqa: F405
