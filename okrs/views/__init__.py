"""Staff pages of the execution layer, under /o/<org_slug>/okrs/, one module per resource."""
