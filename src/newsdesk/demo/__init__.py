"""The invented demo corpus and its local feed server."""
