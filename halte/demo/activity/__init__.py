"""Synthetic activity for the demo network: ``visits`` draws the people, visits, sessions and
incidents; ``care``, ``lodging`` and ``outreach`` hang their part of the day on those visits."""
