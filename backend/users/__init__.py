"""Players: profile upserts and event intake."""
