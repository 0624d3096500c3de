"""The two sheets that are not rows of one model with fields:

- "Unit grants": django-guardian's object permission ``strategyhub.edit_unit_items`` on a
  unit, as the unit page grants it (``assign_perm``); a grant missing from the sheet is left
  alone (an import adds, it does not revoke).
- "Publications": each version's document, in parts of at most a cell's length, joined in
  order. A publication is immutable: an existing version with another document is a problem;
  a new version is restored as it was published (its date, its publisher).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from dataio.importing import cells
from dataio.importing.context import Context
from dataio.importing.people import People
from dataio.importing.reader import Sheet as ReadSheet
from publicdash.models import Publication
from strategyhub.models import Unit

GRANTS = "Unit grants"
PUBLICATIONS = "Publications"


def unit_grants(ctx: Context, people: People, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
    units = ctx.index("Units")
    counts = ctx.count(GRANTS)
    content_type = ContentType.objects.get_for_model(Unit)
    permission = Permission.objects.get(content_type=content_type, codename="edit_unit_items")
    have = set(
        UserObjectPermission.objects.filter(
            content_type=content_type,
            permission=permission,
            object_pk__in=[str(unit.pk) for unit in units.values() if unit.pk],
        ).values_list("object_pk", "user_id")
    )
    for number, values in rows:
        unit = units.get(values["Unit"])
        if unit is None:
            ctx.problems.add(
                'No unit has this Key on "Units" or in this agency.',
                sheet=GRANTS,
                row=number,
                column="Unit",
                value=values["Unit"],
            )
            continue
        if not values.get("Member"):
            ctx.problems.add(
                "Required: the member's email.", sheet=GRANTS, row=number, column="Member"
            )
            continue
        user = people.user_for(values["Member"], GRANTS, number, "Member")
        if user is None:
            continue
        if (str(unit.pk), user.pk) in have:
            counts.unchanged += 1
            continue
        assign_perm(permission, user, unit)
        have.add((str(unit.pk), user.pk))
        counts.created += 1
        ctx.written.add("strategyhub.Unit")


def publications(ctx: Context, people: People, sheet: ReadSheet) -> None:
    counts = ctx.count(PUBLICATIONS)
    versions: dict[int, dict[str, Any]] = {}
    for row in sheet.rows:
        values = row.values
        try:
            version = cells.integer(values.get("Version"))
            part = cells.integer(values.get("Part"))
        except cells.CellError as error:
            ctx.problems.add(str(error), sheet=PUBLICATIONS, row=row.number, column="Version")
            continue
        entry = versions.setdefault(version, {"row": row.number, "parts": {}, "values": values})
        entry["parts"][part] = cells.text(values.get("Document") or "")
    existing = {p.version: p for p in Publication.objects.filter(organization=ctx.organization)}
    new = []
    for version, entry in sorted(versions.items()):
        number = entry["row"]
        parts = entry["parts"]
        if sorted(parts) != list(range(1, len(parts) + 1)):
            ctx.problems.add(
                f"Parts {', '.join(map(str, sorted(parts)))} of version {version}: expected "
                f"1 to {len(parts)}, each once.",
                sheet=PUBLICATIONS,
                row=number,
                column="Part",
            )
            continue
        try:
            document = json.loads("".join(parts[i] for i in sorted(parts)))
        except ValueError:
            ctx.problems.add(
                "The document's parts do not join into JSON text.",
                sheet=PUBLICATIONS,
                row=number,
                column="Document",
            )
            continue
        if version in existing:
            if existing[version].document != document:
                ctx.problems.add(
                    "This version was published here with another document; a publication "
                    "never changes (publish a new version instead).",
                    sheet=PUBLICATIONS,
                    row=number,
                    column="Version",
                    value=version,
                )
            else:
                counts.unchanged += 1
            continue
        values = entry["values"]
        by = None
        if values.get("Published by"):
            try:
                by = people.user_for(
                    cells.email(values["Published by"]), PUBLICATIONS, number, "Published by"
                )
            except cells.CellError as error:
                ctx.problems.add(str(error), sheet=PUBLICATIONS, row=number, column="Published by")
        publication = Publication(
            organization=ctx.organization,
            version=version,
            document=document,
            published_by=by,
            scheduled=bool(values.get("Scheduled")) and cells.boolean(values["Scheduled"]),
        )
        published_at = values.get("Published at")
        new.append((publication, cells.datetime(published_at) if published_at else None))
    if new:
        Publication.objects.bulk_create([p for p, _ in new])
        dated = []
        for publication, when in new:
            if when is not None:
                publication.published_at = when
                dated.append(publication)
        Publication.objects.bulk_update(dated, ["published_at"])
        counts.created += len(new)
        ctx.written.add("publicdash.Publication")
