"""Forms of mutualisation, one module per subject."""
