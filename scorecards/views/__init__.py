"""Staff pages of the strategic layer, under /o/<org_slug>/plan/, one module per resource:
``plan`` (the plan page, new and edit), ``perspectives`` (a perspective's dashboard, editing
perspectives and themes), ``objectives``, ``measures`` (the measure page, its values, edit,
archive, delete, yearly targets) and ``maps`` (the strategy map and the focus map).

The tenant middleware has resolved the agency, checked membership and opened its scope.
Views fetch (404 for what the agency does not own), check the person's rights, call a named
action of ``scorecards.plans`` / ``scorecards.measures`` or a read of
``scorecards.queries``, and render."""
