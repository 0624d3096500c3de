"""PostgreSQL's compilers, the SELECT one keeping the SQL of each query shape."""

from django.db.backends.postgresql import compiler as _django
from django.db.backends.postgresql.compiler import (
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
