"""Template tags of mutualisation, one module per subject."""
