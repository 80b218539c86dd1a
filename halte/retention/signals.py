"""Sent once a purge has deleted rows, outside its transaction, with ``counts`` (model label →
rows deleted): what is derived from the deleted rows rebuilds itself."""

from django.dispatch import Signal

purged = Signal()
