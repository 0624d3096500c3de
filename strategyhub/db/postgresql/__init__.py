"""Django's postgresql backend with the shape-caching SELECT compiler
(``strategyhub.db.shapes``)."""
