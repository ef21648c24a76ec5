"""R12: `{% conformite_de convention as conformite %}` for the pages that show a convention (the collectif's
follow-up page, the instance's, the convention page) without each view computing it."""

from __future__ import annotations

from django import template

from fonds.models import Convention
from fonds.selectors.conformite import Conformite
from fonds.selectors.conformite import conformite_de as _conformite_de

register = template.Library()


@register.simple_tag
def conformite_de(convention: Convention | None) -> Conformite | None:
    return _conformite_de(convention) if convention is not None else None
