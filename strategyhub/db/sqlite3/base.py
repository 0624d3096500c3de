"""Django's sqlite3 backend; only the operations' compiler module differs."""

from django.db.backends.sqlite3 import base


class DatabaseOperations(base.DatabaseOperations):
    compiler_module = "strategyhub.db.sqlite3.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
