"""Developer commands that are not part of the service (`python -m tools.<name>`)."""
