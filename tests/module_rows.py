"""Rows built once for a whole test module, for tests that would otherwise each load the same
demo (a minute of generated activity, say) before reading it.

The rows are written inside a transaction opened for the module and rolled back when the module
ends: nothing reaches another module. Each test still asks for ``db``, whose own transaction is a
savepoint inside that one, so what a test writes or deletes is rolled back before the next test:
the tests of the module see the same rows, whatever their order.

Only for tests without ``transaction=True`` (a transactional test, or the live server, needs
committed rows, and its flush would end the module's transaction).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction
from pytest_django import DjangoDbBlocker

T = TypeVar("T")


def rows_for_the_module(django_db_blocker: DjangoDbBlocker, build: Callable[[], T]) -> Iterator[T]:
    """Run ``build`` in a transaction left open while the module's tests run, yield what it
    returned, then roll the transaction back. For a module-scoped fixture, with a test's own
    fixture that adds ``db``::

        @pytest.fixture(scope="module")
        def _demo_rows(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
            yield from rows_for_the_module(django_db_blocker, _load_demo)


        @pytest.fixture
        def demo(_demo_rows: None, db: None) -> None:
            pass

    Module fixtures built this way nest: a second one, depending on the first, is a savepoint
    inside it, rolled back first."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            built = build()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        # Outside a test the database is blocked again: unblocked only to roll back.
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
