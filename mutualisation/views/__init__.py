"""Views of mutualisation, one module per subject; each module's routes are listed in `mutualisation/urls.py`."""
