"""Django's sqlite3 backend with the shape-caching SELECT compiler (``strategyhub.db.shapes``)."""
