"""Ownership and alerts. Models arrive with their issue."""
