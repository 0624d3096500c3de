"""SQLite's compilers (Django's generic ones), the SELECT one keeping the SQL of each query
shape."""

from django.db.models.sql import compiler as _django
from django.db.models.sql.compiler import (
    SQLAggregateCompiler,
    SQLDeleteCompiler,
    SQLInsertCompiler,
    SQLUpdateCompiler,
)

from strategyhub.db.shapes import ShapeCacheMixin

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]


class SQLCompiler(ShapeCacheMixin, _django.SQLCompiler):
    pass
