"""Execution layer (OKRs). Models arrive with their issue."""
