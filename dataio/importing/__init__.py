"""The import of an agency's workbook (docs/data.md, "Import"): all or nothing, previewed,
idempotent, every problem by sheet, row and column, the app's own rules.

``reader`` (what the file is and its rows) → ``validation`` (the workbook's shape) →
``importer.import_book`` (every sheet in one transaction: ``engine``, ``people``,
``special``, ``rules``; then ``derived``) — run from the Data page by ``run`` and ``tasks``
(progress through ``progress``), or from ``manage.py import_agency``.
"""
