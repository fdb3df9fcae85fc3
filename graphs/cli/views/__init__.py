"""Live views of the CLI's own work (a team's live view is in its own package)."""
