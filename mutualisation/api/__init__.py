"""API of mutualisation, one module per subject; the viewsets are registered in `config/api_urls.py`."""
