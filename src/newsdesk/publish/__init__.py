"""Publishing to readers: feeds, the newsletter, alerts, the members-only gate, static export."""
