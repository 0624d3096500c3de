"""Publicdash's pages: ``public`` (the no-login pages for residents and the open-data
downloads) and ``staff`` (the admin's publishing page)."""
