"""Public dashboards. Models arrive with their issue."""
