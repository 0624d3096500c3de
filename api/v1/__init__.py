"""Version 1 of the JSON API (``/api/v1/``): see docs/api.md."""
