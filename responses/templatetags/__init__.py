"""Template tags for the responses app."""
