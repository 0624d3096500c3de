"""Strategic layer (Balanced Scorecard). Models arrive with their issue."""
