"""Helpers of the template's test harness: rendering, shared environments, checks."""
