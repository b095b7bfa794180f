"""web/site."""
