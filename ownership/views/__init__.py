"""Ownership's pages, one module per resource: ``report`` (the ownership page), ``owners``
(reassign, transfer), ``notifications`` (list, mark read), ``preferences``, ``settings``,
``unsubscribe`` (the signed one-click link) and ``workflow`` (the weekly update tally).

The tuning knobs of the ownership page live here (read at request time by ``report``).
"""

GAPS_PER_PAGE = 25
# With more members than this, a gap's reassignment form (a select of every member) is
# fetched when asked for, instead of repeated on every row of the page.
INLINE_MEMBER_LIMIT = 30
