"""The browser tests' helpers live in tests/browser.py (their fixtures are registered once, in
tests/conftest.py, for every directory)."""

from tests.browser import serious_violations

__all__ = ["serious_violations"]
