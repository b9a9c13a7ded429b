"""Maintenance scripts of the template repository, run as modules from its root
(`uv run python -m scripts.NAME`) so they import the test harness as a package."""
