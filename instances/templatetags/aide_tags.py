"""The « Besoin d'aide ? » block of the collectif's pages, with its département's contact.

A template tag so that the pages of lower apps (the declaration's steps in collectifs, the check-ins in fonds)
show the contact without importing the instances layer in Python: templates load tags, they do not import
modules, and the layers contract is about Python imports."""

from __future__ import annotations

from typing import Any

from django import template

from collectifs.models import Collectif
from collectifs.permissions import est_referent
from instances.selectors import contact_du_departement

register = template.Library()


@register.inclusion_tag("includes/besoin_d_aide.html", takes_context=True)
def besoin_d_aide(context: template.Context, collectif: Collectif | str | None) -> dict[str, Any]:
    """The help block for the collectif's référents (staff pages show nothing): the département's contact (the
    instance's secretariat, else its instructeurs), the paper form, and who enters data for people without
    e-mail. At most two queries for the contact, and one for the référent check unless the collectif's référents
    are prefetched. `collectif` may be empty (a convention without a declaration): nothing is shown."""
    request = context.get("request")
    if not isinstance(collectif, Collectif) or request is None or not est_referent(request.user, collectif):
        return {"contact": None}
    return {"contact": contact_du_departement(collectif.departement_id)}
