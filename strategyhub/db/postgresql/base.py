"""Django's postgresql backend; only the operations' compiler module differs."""

from django.db.backends.postgresql import base


class DatabaseOperations(base.DatabaseOperations):
    compiler_module = "strategyhub.db.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
