"""web/desk."""
