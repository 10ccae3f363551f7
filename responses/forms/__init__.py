"""Forms for the case worker's pages."""
