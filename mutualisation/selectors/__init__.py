"""Selectors of mutualisation (the reads, scoped to a user), one module per subject."""
