"""Abuse limits on the public doors: per client address and per target, counted in Django's cache."""
