"""Caching machinery of the project: cached staff pages (``pages``) and the bridge that
invalidates them on every change (``receivers``)."""
