import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _cache_vide():
    """The reset e-mails counted per account live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()
