"""The project's database backends: Django's own PostgreSQL and SQLite backends with one
change, a compiler that keeps the SQL of each query shape (``strategyhub.db.shapes``)."""
